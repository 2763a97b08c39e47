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
from scipy.stats import chi2

from msstem.outcomes.analytics_options import DAYS_PER_YEAR, AnalyticsResult, ArrOptions
from msstem.outcomes.clinical_inputs import IndexedCohort

__all__ = ["ArrResult", "annualised_relapse_rates", "garwood_interval"]

FloatArray = npt.NDArray[np.float64]
_PERIOD_ORDER = {"all": 0, "pre": 1, "post": 2}


def garwood_interval(events: npt.ArrayLike, person_years: npt.ArrayLike,
                     alpha: float = 0.05) -> tuple[FloatArray, FloatArray]:
    """Exact Poisson confidence limits of a rate (events / person_years), elementwise.

    NaN where ``person_years`` is 0. With k = 0 the lower limit is 0.
    """
    k = np.asarray(events, dtype=np.float64)
    py = np.asarray(person_years, dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        lower = np.where(k > 0, chi2.ppf(alpha / 2, 2 * k) / 2, 0.0)
        upper = chi2.ppf(1 - alpha / 2, 2 * k + 2) / 2
        lo = np.where(py > 0, lower / np.where(py > 0, py, 1.0), np.nan)
        hi = np.where(py > 0, upper / np.where(py > 0, py, 1.0), np.nan)
    return np.atleast_1d(lo).astype(np.float64), np.atleast_1d(hi).astype(np.float64)


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


def _windows(cohort: IndexedCohort, opts: ArrOptions) -> pd.DataFrame:
    spans = cohort.visits.groupby("id")["date"].agg(first="min", last="max")
    origin = cohort.origin.set_index("id")
    spans = spans.reindex(origin.index)
    base = pd.DataFrame({"id": origin.index, "group": origin["group"].to_numpy()})
    frames = [base.assign(period="all", start=spans["first"].to_numpy(),
                          end=spans["last"].to_numpy(), left_closed=True)]
    if cohort.origin_kind == "index":
        has = origin["origin_date"].notna().to_numpy()
        idx = origin["origin_date"]
        pre_start = (idx - pd.DateOffset(years=opts.pre_index_years)
                     if opts.pre_index_years else spans["first"])
        post_end = spans["last"]
        if opts.post_index_years:
            post_end = post_end.where(post_end <= idx + pd.DateOffset(years=opts.post_index_years),
                                      idx + pd.DateOffset(years=opts.post_index_years))
        frames.append(base.assign(period="pre", start=pre_start.to_numpy(), end=idx.to_numpy(),
                                  left_closed=True)[has])
        frames.append(base.assign(period="post", start=idx.to_numpy(), end=post_end.to_numpy(),
                                  left_closed=False)[has])
    win = pd.concat(frames, ignore_index=True)
    days = (win["end"] - win["start"]).dt.days.clip(lower=0)
    win["person_years"] = days / DAYS_PER_YEAR
    return win


def annualised_relapse_rates(cohort: IndexedCohort,
                             options: ArrOptions | None = None) -> ArrResult:
    """Relapses per person-year for each subject and window, and for each group.

    ``cohort`` comes from :func:`~msstem.outcomes.clinical_inputs.build_cohort`
    (``run_progression=False`` is enough). Without a treatments table there is one window
    per subject, ``all``; with one, also ``pre`` and ``post`` for subjects with an index date.
    """
    opts = cohort.align(options or ArrOptions())
    win = _windows(cohort, opts)
    win["key"] = np.arange(len(win))
    hits = cohort.relapses.merge(win[["id", "key", "start", "end", "left_closed"]], on="id")
    inside = (hits["date"] <= hits["end"]) & (
        (hits["date"] > hits["start"]) | (hits["left_closed"] & (hits["date"] == hits["start"])))
    counts = hits[inside].groupby("key").size()
    win["relapses"] = counts.reindex(win["key"]).fillna(0).astype(int).to_numpy()
    timed = win["person_years"] > 0
    win["arr"] = (win["relapses"] / win["person_years"]).where(timed)
    win["ci_low"], win["ci_high"] = garwood_interval(win["relapses"], win["person_years"],
                                                     opts.alpha)
    subjects = win.drop(columns=["key", "left_closed"])
    return ArrResult(options=opts, subjects=subjects, groups=_group_rates(subjects, opts.alpha),
                     warnings=cohort.warnings)


def _group_rates(subjects: pd.DataFrame, alpha: float) -> pd.DataFrame:
    timed = subjects[subjects["person_years"] > 0]
    agg = timed.groupby(["group", "period"], sort=True).agg(
        subjects=("id", "size"), relapses=("relapses", "sum"), person_years=("person_years", "sum"))
    untimed = subjects[subjects["person_years"] <= 0].groupby(["group", "period"]).size()
    keys = subjects[["group", "period"]].drop_duplicates()
    keys = keys.assign(order=keys["period"].map(_PERIOD_ORDER)).sort_values(["group", "order"])
    agg = agg.reindex(pd.MultiIndex.from_frame(keys[["group", "period"]]))
    agg["subjects"] = agg["subjects"].fillna(0).astype(int)
    agg["relapses"] = agg["relapses"].fillna(0).astype(int)
    agg["person_years"] = agg["person_years"].fillna(0.0)
    agg["subjects_without_time"] = untimed.reindex(agg.index).fillna(0).astype(int)
    agg["arr"] = (agg["relapses"] / agg["person_years"]).where(agg["person_years"] > 0)
    agg["ci_low"], agg["ci_high"] = garwood_interval(agg["relapses"], agg["person_years"], alpha)
    agg["conf_level"] = 1 - alpha
    out = agg.reset_index()
    return out[["group", "period", "subjects", "subjects_without_time", "relapses",
                "person_years", "arr", "ci_low", "ci_high", "conf_level"]]
