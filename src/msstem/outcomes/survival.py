"""Kaplan-Meier estimates of time to a first event, by group, with at-risk tables.

Endpoints (``SurvivalOptions.endpoints``), all measured from the cohort's origin (the index
date, or the first visit without a treatments table) in years of 365.25 days:

* ``cdw``: first confirmed disability worsening (kalincik-2015-cdw), from a fixed baseline
  at the last visit at or before the origin; censored at the last EDSS visit;
* ``pira``: first CDW classified PIRA (montobbio-2024-msprog windows); censored likewise;
* ``relapse``: first relapse after the origin; censored at the last EDSS visit;
* ``activity``: first evidence of disease activity (the NEDA-3 breaking event), from
  :func:`~msstem.outcomes.activity.assess_neda`.

The estimator is the product-limit estimate with the exponential Greenwood ("log(-log)")
band, computed as lifelines' ``KaplanMeierFitter`` does (:func:`km_table`; tests compare the
two). Subjects without an origin (or, for CDW/PIRA and
activity, without a baseline EDSS) are listed in ``excluded`` with the reason.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import numpy as np
import numpy.typing as npt
import pandas as pd
from scipy.special import ndtri

from msstem.clinical.labels import ENDPOINT_LABELS as _ENDPOINT_LABELS
from msstem.errors import DataError, OptionsError
from msstem.outcomes.activity import NedaResult
from msstem.outcomes.analytics_options import (
    DAYS_PER_YEAR,
    AnalyticsResult,
    Endpoint,
    SurvivalOptions,
)
from msstem.outcomes.clinical_inputs import IndexedCohort, first_after

__all__ = [
    "ENDPOINT_LABELS",
    "KmResult",
    "TimesParts",
    "endpoint_times",
    "kaplan_meier",
    "km_table",
    "survival_curves",
]

#: Human wording of each endpoint, for plots and reports (msstem.clinical.labels).
ENDPOINT_LABELS: Final = _ENDPOINT_LABELS

_TIME_COLUMNS = ["id", "group", "origin_date", "stop_date", "duration_years", "event"]


@dataclass(frozen=True)
class KmResult(AnalyticsResult):
    """Kaplan-Meier curves for one endpoint.

    ``curve`` (``to_frame``): ``group, time_years, survival, ci_low, ci_high, at_risk,
    events, censored`` at every distinct time. ``at_risk``: the same read at
    ``0, step, 2*step ...`` years, with cumulative ``events`` and ``censored``.
    ``times``: per subject ``id, group, origin_date, stop_date, duration_years, event``.
    ``excluded``: ``id, reason``.
    """

    options: SurvivalOptions
    endpoint: Endpoint
    times: pd.DataFrame
    curve: pd.DataFrame
    at_risk: pd.DataFrame
    excluded: pd.DataFrame

    def to_frame(self) -> pd.DataFrame:
        return self.curve.copy()

    @property
    def summary(self) -> pd.DataFrame:
        """Per group: subjects, events, median time (years) and survival at each horizon."""
        rows = []
        for group, part in self.times.groupby("group", sort=True):
            curve = self.curve[self.curve["group"] == group]
            row: dict[str, object] = {
                "endpoint": self.endpoint, "group": group, "subjects": len(part),
                "events": int(part["event"].sum()),
                "median_years": _median(curve),
            }
            last = float(part["duration_years"].max())
            for h in self.options.horizons_years:
                row[f"survival_{h}y"] = _read(curve, "survival", h) if h <= last else np.nan
            rows.append(row)
        return pd.DataFrame(rows)


def _median(curve: pd.DataFrame) -> float:
    below = curve[curve["survival"] <= 0.5]
    return float(below["time_years"].iloc[0]) if len(below) else float("nan")


def _read(curve: pd.DataFrame, column: str, t: float) -> float:
    """Value of a right-continuous step function at ``t``."""
    times = curve["time_years"].to_numpy()
    pos = int(np.searchsorted(times, t, side="right")) - 1
    return float(curve[column].iloc[pos]) if pos >= 0 else float("nan")


def endpoint_times(cohort: IndexedCohort, endpoint: Endpoint,
                   neda: NedaResult | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Per subject time to the endpoint (or to censoring), and the subjects left out."""
    origin = cohort.origin
    if endpoint == "activity":
        if neda is None:
            raise OptionsError("endpoint 'activity' needs a NEDA-3 result (an MRI table and a "
                               "treatments table)", field="endpoints")
        frame = neda.subjects
        usable = frame["time_to_eda_days"].notna()
        times = pd.DataFrame({
            "id": frame["id"], "group": frame["group"], "origin_date": frame["index_date"],
            "stop_date": frame["index_date"] + pd.to_timedelta(
                frame["time_to_eda_days"].astype("float64"), unit="D"),
            "duration_years": frame["time_to_eda_days"].astype("float64") / DAYS_PER_YEAR,
            "event": frame["eda_event"].fillna(0).astype(bool),
        })[usable.to_numpy()]
        reason = np.where(frame["index_date"].isna(), frame["reason_" + _first_h(neda)],
                          "no EDSS visit at or before the index date")
        excluded = pd.DataFrame({"id": frame["id"], "reason": reason})[~usable.to_numpy()]
        return times.reset_index(drop=True), excluded.reset_index(drop=True)

    ok = origin["origin_date"].notna().to_numpy()
    reasons = origin["reason"].where(~ok, "")
    if endpoint in ("cdw", "pira"):
        no_bl = ok & ~origin["has_baseline"].to_numpy(dtype=bool)
        reasons = reasons.mask(no_bl, "no EDSS visit at or before the origin")
        ok &= ~no_bl
        first = cohort.first_event_array("CDW" if endpoint == "cdw" else "PIRA")
    else:
        first = first_after(cohort, cohort.relapses["id"], cohort.relapses["date"])
    _, last = cohort.visit_span()
    org = cohort.origin_days[ok]
    event = ~np.isnat(first[ok])
    stop = np.where(event, first[ok], last[ok])
    stop = np.where(np.isnat(stop) | (stop < org), org, stop)  # no follow-up: time 0
    days = (stop - org).astype("timedelta64[D]").astype(np.float64)
    times = pd.DataFrame({
        "id": cohort.subject_ids[ok], "group": origin["group"].to_numpy(dtype=object)[ok],
        "origin_date": org, "stop_date": stop,
        "duration_years": days / DAYS_PER_YEAR, "event": event,
    })
    excluded = pd.DataFrame({"id": cohort.subject_ids[~ok],
                             "reason": reasons.to_numpy(dtype=object)[~ok]})
    return times[_TIME_COLUMNS], excluded


class TimesParts:
    """Times of :func:`endpoint_times` collected part by part (the chunked run), kept as
    only what :func:`kaplan_meier` and its summary read: per subject a group code (int32),
    the follow-up in whole days (int32; years where a time is not whole days) and the
    event flag, 9 bytes a subject instead of a row of ids, dates and labels.

    :meth:`frame` gives the table of every part in order, with ``group``,
    ``duration_years`` and ``event`` equal to the parts' own.
    """

    def __init__(self) -> None:
        self.groups: dict[object, int] = {}
        self.codes: list[npt.NDArray[np.int32]] = []
        self.durations: list[npt.NDArray[np.int32] | npt.NDArray[np.float64]] = []
        self.events: list[npt.NDArray[np.bool_]] = []

    def add(self, times: pd.DataFrame) -> None:
        codes, labels = pd.factorize(times["group"].to_numpy(dtype=object), sort=False,
                                     use_na_sentinel=False)
        keys = [None if pd.isna(g) else g for g in labels]  # a missing group stays missing
        remap = np.array([self.groups.setdefault(g, len(self.groups)) for g in keys],
                         dtype=np.int32)
        self.codes.append(remap[codes] if len(codes) else np.zeros(0, dtype=np.int32))
        years = times["duration_years"].to_numpy(dtype=np.float64)
        days = np.rint(years * DAYS_PER_YEAR)
        whole = bool(np.all(days / DAYS_PER_YEAR == years)) and (
            not len(days) or float(np.abs(days).max()) < 2**31)
        self.durations.append(days.astype(np.int32) if whole else years)
        self.events.append(times["event"].to_numpy(dtype=bool))

    def frame(self) -> pd.DataFrame:
        labels = np.empty(len(self.groups), dtype=object)
        for group, code in self.groups.items():
            labels[code] = group
        years = [d / DAYS_PER_YEAR if d.dtype.kind == "i" else d for d in self.durations]
        return pd.DataFrame({
            "group": labels[np.concatenate(self.codes)] if self.codes else labels[:0],
            "duration_years": np.concatenate(years) if years else np.zeros(0),
            "event": np.concatenate(self.events) if self.events else np.zeros(0, dtype=bool),
        })


def _first_h(neda: NedaResult) -> str:
    return f"{neda.options.horizons_years[0]}y"


def kaplan_meier(times: pd.DataFrame, endpoint: Endpoint,
                 options: SurvivalOptions | None = None,
                 excluded: pd.DataFrame | None = None,
                 warnings: tuple[str, ...] = ()) -> KmResult:
    """Fit one Kaplan-Meier curve per ``group`` of ``times`` (see :func:`endpoint_times`)."""
    opts = options or SurvivalOptions()
    if len(times) == 0:
        raise DataError(f"survival ({endpoint}): no subject has an origin date to count from",
                        field=endpoint)
    curves, tables = [], []
    for group, part in times.groupby("group", sort=True):
        durations = part["duration_years"].to_numpy(dtype=float)
        observed = part["event"].to_numpy(dtype=bool)
        curve = km_table(durations, observed, opts.alpha, str(group))
        curves.append(curve)
        tables.append(_yearly(curve, durations, observed, opts.at_risk_step_years, str(group)))
    empty_excluded = pd.DataFrame({"id": pd.Series(dtype=object),
                                   "reason": pd.Series(dtype=object)})
    return KmResult(options=opts, endpoint=endpoint, times=times,
                    curve=pd.concat(curves, ignore_index=True),
                    at_risk=pd.concat(tables, ignore_index=True),
                    excluded=empty_excluded if excluded is None else excluded,
                    warnings=warnings)


def km_table(durations: npt.NDArray[np.float64], observed: npt.NDArray[np.bool_],
             alpha: float, group: str) -> pd.DataFrame:
    """The Kaplan-Meier curve at every distinct time (and 0), with its confidence band.

    The same numbers as lifelines' ``KaplanMeierFitter`` (its event table, product-limit
    estimate and exponential Greenwood "log(-log)" band, NaN limits read as 1), computed
    from one sort of the durations instead of lifelines' pandas tables, so a million
    subjects take a fraction of a second (tests/outcomes/analytics check it against
    lifelines).
    """
    n = len(durations)
    timeline, inverse = np.unique(np.concatenate([[0.0], durations]), return_inverse=True)
    inverse = inverse[1:]
    removed = np.bincount(inverse, minlength=len(timeline)).astype(np.int64)
    deaths = np.bincount(inverse, weights=observed.astype(np.float64),
                         minlength=len(timeline)).astype(np.int64)
    censored = removed - deaths
    at_risk = n - np.concatenate([[0], np.cumsum(removed)[:-1]])
    with np.errstate(divide="ignore", invalid="ignore"):
        pop = at_risk.astype(np.float64)
        log_s = np.cumsum(np.log(pop - deaths) - np.log(pop))
        var_terms = deaths / (pop * (pop - deaths))
        var_terms[np.isinf(var_terms)] = 0.0
        var = np.cumsum(np.nan_to_num(var_terms, nan=0.0, posinf=0.0))
        survival = np.exp(log_s)
        z = float(ndtri(1 - alpha / 2))  # scipy.stats.norm.ppf
        v = np.log(survival)
        low = np.exp(-np.exp(np.log(-v) - z * np.sqrt(var) / v))
        high = np.exp(-np.exp(np.log(-v) + z * np.sqrt(var) / v))
    low[np.isnan(low)] = 1.0
    high[np.isnan(high)] = 1.0
    return pd.DataFrame({
        "group": group, "time_years": timeline, "survival": survival, "ci_low": low,
        "ci_high": high, "at_risk": at_risk.astype(int), "events": deaths.astype(int),
        "censored": censored.astype(int),
    })


def _yearly(curve: pd.DataFrame, durations: np.ndarray, observed: np.ndarray, step: int,
            group: str) -> pd.DataFrame:
    top = int(np.floor(durations.max() / step)) * step if len(durations) else 0
    grid = np.arange(0, top + step, step, dtype=float)
    times = curve["time_years"].to_numpy()
    pos = np.searchsorted(times, grid, side="right") - 1

    def read(column: str) -> npt.NDArray[np.float64]:
        values = curve[column].to_numpy(dtype=float)
        return np.where(pos >= 0, values[np.maximum(pos, 0)], np.nan)

    # Every duration is a time of the curve, so the counts at the grid come from the
    # curve's own columns (no sort of the durations): still at risk at t (lifelines'
    # convention: no event or censoring before t) is the curve's at-risk count at the first
    # time >= t; events and censored up to t are cumulative sums to the last time <= t.
    at_risk = curve["at_risk"].to_numpy(dtype=np.int64)
    first_at = np.searchsorted(times, grid, side="left")
    still = np.where(first_at < len(times), at_risk[np.minimum(first_at, len(times) - 1)], 0)

    def upto(column: str) -> npt.NDArray[np.int64]:
        cum = np.cumsum(curve[column].to_numpy(dtype=np.int64))
        return np.where(pos >= 0, cum[np.maximum(pos, 0)], 0)

    return pd.DataFrame({
        "group": group,
        "time_years": grid,
        "survival": read("survival"),
        "ci_low": read("ci_low"),
        "ci_high": read("ci_high"),
        "at_risk": still.astype(int),
        "events": upto("events").astype(int),
        "censored": upto("censored").astype(int),
    })


def survival_curves(cohort: IndexedCohort, options: SurvivalOptions | None = None,
                    neda: NedaResult | None = None) -> dict[str, KmResult]:
    """One :class:`KmResult` per endpoint in ``options.endpoints`` (dict keyed by endpoint)."""
    opts = cohort.align(options or SurvivalOptions())
    out: dict[str, KmResult] = {}
    for endpoint in opts.endpoints:
        times, excluded = endpoint_times(cohort, endpoint, neda)
        out[endpoint] = kaplan_meier(times, endpoint, opts, excluded, cohort.warnings)
    return out
