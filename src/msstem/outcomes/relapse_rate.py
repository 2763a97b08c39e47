"""Annualised relapse rate (ARR) per subject and per group, with exact Poisson intervals.

ARR = relapses / person-years, person-years = days / 365.25 (msstem's convention, see
:data:`~msstem.outcomes.analytics_options.DAYS_PER_YEAR`). Windows (docs/outcomes.md):

* ``all``: first to last EDSS visit, both days included;
* ``pre``: from the first visit (or ``pre_index_years`` calendar years before the index
  date) to the index date, both included: a relapse on the index day is a pre-index relapse;
* ``post``: after the index date to the last visit (capped at ``post_index_years``).

A group's ARR is its total relapses over its total person-years. The confidence interval
is the exact ("Garwood") Poisson interval: for k events,
``[chi2.ppf(alpha/2, 2k) / 2, chi2.ppf(1 - alpha/2, 2k + 2) / 2] / person_years``, with lower
bound 0 when k = 0. Windows of zero length give no rate and are left out of group totals.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd
from scipy.special import gammaincinv

from msstem.outcomes.analytics_options import DAYS_PER_YEAR, AnalyticsResult, ArrOptions
from msstem.outcomes.clinical_inputs import IndexedCohort

__all__ = [
    "ArrResult",
    "annualised_relapse_rates",
    "garwood_interval",
    "group_sums",
    "rates_from_sums",
]

FloatArray = npt.NDArray[np.float64]
_PERIOD_ORDER = {"all": 0, "pre": 1, "post": 2}


def garwood_interval(events: npt.ArrayLike, person_years: npt.ArrayLike,
                     alpha: float = 0.05) -> tuple[FloatArray, FloatArray]:
    """Exact Poisson confidence limits of a rate (events / person_years), elementwise.

    NaN where ``person_years`` is 0. With k = 0 the lower limit is 0.
    """
    k = np.asarray(events, dtype=np.float64)
    py = np.asarray(person_years, dtype=np.float64)
    # counts repeat (a million subjects have a few dozen distinct relapse counts): the
    # quantiles are computed once per distinct count
    uniq, inverse = np.unique(k, return_inverse=True)
    inverse = inverse.reshape(k.shape)
    with np.errstate(divide="ignore", invalid="ignore"):
        lower = np.where(uniq > 0, _chi2_ppf(alpha / 2, 2 * uniq) / 2, 0.0)[inverse]
        upper = (_chi2_ppf(1 - alpha / 2, 2 * uniq + 2) / 2)[inverse]
        lo = np.where(py > 0, lower / np.where(py > 0, py, 1.0), np.nan)
        hi = np.where(py > 0, upper / np.where(py > 0, py, 1.0), np.nan)
    return np.atleast_1d(lo).astype(np.float64), np.atleast_1d(hi).astype(np.float64)


def _chi2_ppf(q: float, df: FloatArray) -> FloatArray:
    """``scipy.stats.chi2.ppf(q, df)`` for 0 < q < 1 (NaN where df <= 0), computed as scipy
    computes it (``2 * gammaincinv(df / 2, q)``) without importing scipy.stats."""
    out: FloatArray = np.where(df > 0, 2 * gammaincinv(df / 2, q), np.nan)
    return out


@dataclass(frozen=True)
class ArrResult(AnalyticsResult):
    """ARR per subject and window (``to_frame``) and per group and window (``summary``).

    Subject columns: ``id, group, period, start, end, person_years, relapses, arr, ci_low,
    ci_high``. Group columns: ``group, period, subjects, subjects_without_time, relapses,
    person_years, arr, ci_low, ci_high, conf_level``.
    """

    options: ArrOptions
    subjects: pd.DataFrame
    groups: pd.DataFrame

    def to_frame(self) -> pd.DataFrame:
        return self.subjects.copy()

    @property
    def summary(self) -> pd.DataFrame:
        return self.groups.copy()


_DAY_NS = 86_400_000_000_000
_DAY_BIAS = 1 << 17  # pandas' date range in days fits in [-2**17, 2**17)


def _day_numbers(values: npt.NDArray[np.datetime64]) -> npt.NDArray[np.int64]:
    return values.astype("datetime64[ns]").view(np.int64) // _DAY_NS


def _windows(cohort: IndexedCohort, opts: ArrOptions) -> pd.DataFrame:
    first, last = cohort.visit_span()
    origin = cohort.origin
    ids = cohort.subject_ids
    groups = origin["group"].to_numpy(dtype=object)
    pos = np.arange(len(ids), dtype=np.int64)
    frames = [pd.DataFrame({"id": ids, "group": groups, "period": "all", "start": first,
                            "end": last, "left_closed": True, "pos": pos})]
    if cohort.origin_kind == "index":
        has = origin["origin_date"].notna().to_numpy()
        idx = origin["origin_date"]
        pre_start = (idx - pd.DateOffset(years=opts.pre_index_years)
                     if opts.pre_index_years else pd.Series(first, index=origin.index))
        post_end = pd.Series(last, index=origin.index)
        if opts.post_index_years:
            cap = idx + pd.DateOffset(years=opts.post_index_years)
            post_end = post_end.where(post_end <= cap, cap)
        frames.append(pd.DataFrame({"id": ids, "group": groups, "period": "pre",
                                    "start": pre_start.to_numpy(), "end": idx.to_numpy(),
                                    "left_closed": True, "pos": pos})[has])
        frames.append(pd.DataFrame({"id": ids, "group": groups, "period": "post",
                                    "start": idx.to_numpy(), "end": post_end.to_numpy(),
                                    "left_closed": False, "pos": pos})[has])
    win = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
    days = (win["end"] - win["start"]).dt.days.clip(lower=0)
    win["person_years"] = days / DAYS_PER_YEAR
    return win


def _count_in_windows(cohort: IndexedCohort, win: pd.DataFrame) -> npt.NDArray[np.int64]:
    """Relapses of each window's subject dated inside it (left end per ``left_closed``)."""
    rel = cohort.relapses
    pos = cohort.positions(rel["id"])
    ok = pos >= 0
    rday = _day_numbers(rel["date"].to_numpy(dtype="datetime64[ns]"))[ok]
    keys = np.sort((pos[ok] << 18) | (rday + _DAY_BIAS))
    start = win["start"].to_numpy(dtype="datetime64[ns]")
    end = win["end"].to_numpy(dtype="datetime64[ns]")
    valid = ~(np.isnat(start) | np.isnat(end))
    wpos = win["pos"].to_numpy(dtype=np.int64)
    zero = np.datetime64(0, "ns")
    lo_day = _day_numbers(np.where(valid, start, zero))
    hi_day = _day_numbers(np.where(valid, end, zero))
    lo_day = lo_day + np.where(win["left_closed"].to_numpy(dtype=bool), 0, 1)
    lo = (wpos << 18) | np.clip(lo_day + _DAY_BIAS, 0, (1 << 18) - 1)
    hi = (wpos << 18) | np.clip(hi_day + _DAY_BIAS, 0, (1 << 18) - 1)
    counts = np.searchsorted(keys, hi, side="right") - np.searchsorted(keys, lo, side="left")
    return np.where(valid & (hi_day >= lo_day), np.maximum(counts, 0), 0).astype(np.int64)


def annualised_relapse_rates(cohort: IndexedCohort,
                             options: ArrOptions | None = None) -> ArrResult:
    """Relapses per person-year for each subject and window, and for each group.

    ``cohort`` comes from :func:`~msstem.outcomes.clinical_inputs.build_cohort`
    (``run_progression=False`` is enough). Without a treatments table there is one window
    per subject, ``all``; with one, also ``pre`` and ``post`` for subjects with an index date.
    """
    opts = cohort.align(options or ArrOptions())
    win = _windows(cohort, opts)
    win["relapses"] = _count_in_windows(cohort, win)
    timed = win["person_years"] > 0
    win["arr"] = (win["relapses"] / win["person_years"]).where(timed)
    win["ci_low"], win["ci_high"] = garwood_interval(win["relapses"], win["person_years"],
                                                     opts.alpha)
    subjects = win.drop(columns=["pos", "left_closed"])
    return ArrResult(options=opts, subjects=subjects, groups=_group_rates(subjects, opts.alpha),
                     warnings=cohort.warnings)


def group_sums(subjects: pd.DataFrame) -> pd.DataFrame:
    """Per group and window: subjects with and without time, relapses and whole person-days.

    Sums of whole days are exact, so sums over parts of a cohort (chunks) add up to the
    sums over the whole cohort; :func:`rates_from_sums` turns them into rates.
    """
    days = np.rint(subjects["person_years"].to_numpy(dtype=float) * DAYS_PER_YEAR)
    frame = pd.DataFrame({"group": subjects["group"].to_numpy(dtype=object),
                          "period": subjects["period"].to_numpy(dtype=object),
                          "timed": days > 0, "relapses": subjects["relapses"].to_numpy(),
                          "person_days": days.astype(np.int64)})
    timed = frame[frame["timed"]]
    agg = timed.groupby(["group", "period"], sort=False).agg(
        subjects=("relapses", "size"), relapses=("relapses", "sum"),
        person_days=("person_days", "sum"))
    untimed = frame[~frame["timed"]].groupby(["group", "period"], sort=False).size()
    keys = frame[["group", "period"]].drop_duplicates()
    index = pd.MultiIndex.from_frame(keys)
    out = agg.reindex(index)
    out["subjects_without_time"] = untimed.reindex(index)
    out = out.fillna(0).astype({"subjects": np.int64, "relapses": np.int64,
                                "person_days": np.int64, "subjects_without_time": np.int64})
    return out.reset_index()


def rates_from_sums(sums: pd.DataFrame, alpha: float) -> pd.DataFrame:
    """The group table from :func:`group_sums` (of one cohort, or added over chunks)."""
    agg = sums.groupby(["group", "period"], sort=False)[
        ["subjects", "subjects_without_time", "relapses", "person_days"]].sum().reset_index()
    agg = agg.assign(order=agg["period"].map(_PERIOD_ORDER)).sort_values(
        ["group", "order"], kind="stable").reset_index(drop=True)
    agg["person_years"] = agg["person_days"] / DAYS_PER_YEAR
    agg["arr"] = (agg["relapses"] / agg["person_years"]).where(agg["person_years"] > 0)
    agg["ci_low"], agg["ci_high"] = garwood_interval(agg["relapses"], agg["person_years"], alpha)
    agg["conf_level"] = 1 - alpha
    return agg[["group", "period", "subjects", "subjects_without_time", "relapses",
                "person_years", "arr", "ci_low", "ci_high", "conf_level"]]


def _group_rates(subjects: pd.DataFrame, alpha: float) -> pd.DataFrame:
    return rates_from_sums(group_sums(subjects), alpha)
