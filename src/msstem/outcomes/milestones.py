"""Time to a confirmed disability milestone (msprog's ``value_milestone()``).

For each subject, visits are scanned in date order for the first value that reaches or
passes the milestone (e.g. EDSS >= 6.0; "passes" follows the outcome's direction of
worsening) and is *confirmed*: every value after it, up to and including the first eligible
confirmation visit, stays at or beyond the milestone. The confirmation period(s), tolerance,
``relapse_to_event``, ``relapse_to_conf``, ``validconf_col``, relapse end dates,
``require_sust_days`` and ``impute_last_visit`` are those of the ``ProgressionOptions``.
The result has one row per subject, ready for Kaplan-Meier: the date and value of the first
confirmed milestone (or the last visit and no value), ``time2event`` in days from the first
visit (or the whole follow-up), and ``observed``.

The deliberate differences from R msprog are listed in docs/outcomes-progression.md.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Final

import numpy as np
import numpy.typing as npt
import pandas as pd

from msstem.clinical.edss import EDSS_MAX, describe_grid, is_on_grid
from msstem.errors import OptionsError
from msstem.outcomes import _kernel as K
from msstem.outcomes._jit import njit
from msstem.outcomes.deltas import SDMT_MAX
from msstem.outcomes.inputs import CohortArrays, load_cohort
from msstem.outcomes.options import ProgressionOptions
from msstem.outcomes.tables import Source

__all__ = ["MILESTONE_COLUMNS", "MilestoneResult", "check_milestone", "value_milestone"]

MILESTONE_COLUMNS: Final = ("id", "milestone", "date", "value", "time2event", "observed")


def _version() -> str:
    from msstem import __version__

    return str(__version__)


@dataclass(frozen=True)
class MilestoneResult:
    """One row per subject: the first confirmed milestone, or censoring at the last visit."""

    milestones: pd.DataFrame
    milestone: float
    options: ProgressionOptions
    msstem_version: str = field(default_factory=_version)
    warnings: tuple[str, ...] = ()

    @property
    def summary(self) -> pd.DataFrame:
        """Subjects, how many reached the milestone, and the median time among them."""
        m = self.milestones
        reached = m[m["observed"]]
        return pd.DataFrame({
            "milestone": [self.milestone],
            "subjects": [len(m)],
            "reached": [len(reached)],
            "median_days_to_milestone_if_reached": [
                float(reached["time2event"].median()) if len(reached) else math.nan],
        })

    def tables(self) -> dict[str, pd.DataFrame]:
        return {"milestones": self.milestones}

    def to_dict(self) -> dict[str, Any]:
        m = self.milestones.copy()
        m["date"] = m["date"].dt.strftime("%Y-%m-%d")
        m = m.astype(object).where(m.notna(), None)
        return {"msstem_version": self.msstem_version, "options": self.options.to_dict(),
                "milestone": self.milestone, "warnings": list(self.warnings),
                "milestones": m.to_dict(orient="records")}

    def _repr_html_(self) -> str:
        return (f"<p>msstem {self.msstem_version}: time to confirmed milestone "
                f"{self.milestone:g}</p>" + str(self.summary.to_html(index=False)))


def check_milestone(milestone: float, opts: ProgressionOptions) -> float:
    """The milestone as a float, or OptionsError when it is off the outcome's grid."""
    try:
        value = float(milestone)
    except (TypeError, ValueError):
        raise OptionsError(f"milestone: expected a number, got {milestone!r}",
                           field="milestone") from None
    if not math.isfinite(value):
        raise OptionsError(f"milestone: must be a finite number, got {milestone!r}",
                           field="milestone")
    if opts.outcome == "edss" and not is_on_grid(value):
        raise OptionsError(f"milestone: {value:g} is not an EDSS score; allowed: "
                           f"{describe_grid()}", field="milestone")
    if opts.outcome == "edss" and value > EDSS_MAX:  # pragma: no cover - is_on_grid covers it
        raise OptionsError(f"milestone: EDSS milestones are at most {EDSS_MAX:g}",
                           field="milestone")
    if opts.outcome == "sdmt" and not (0 <= value <= SDMT_MAX and value == int(value)):
        raise OptionsError(f"milestone: {value:g} is not an SDMT score; allowed: whole "
                           f"numbers from 0 to {SDMT_MAX:g}", field="milestone")
    if opts.outcome in ("nhpt", "t25fw") and value <= 0:
        raise OptionsError(f"milestone: {opts.outcome.upper()} milestones are times in "
                           f"seconds above 0, got {value:g}", field="milestone")
    return value


@njit(cache=True, inline="always")
def _reached(x: float, m: float, worse_is_increase: bool) -> bool:
    return x >= m if worse_is_increase else x <= m


@njit(cache=True)
def _milestone_kernel(cohort, rules, windows, milestone, out_idx):  # type: ignore[no-untyped-def]
    """Per subject, the visit index of the first confirmed milestone (-1: not reached)."""
    voff, roff = cohort.visit_offsets, cohort.relapse_offsets
    wi = rules.worse_is_increase
    lo, hi = windows.conf_lo, windows.conf_hi
    maxn = 1
    nsub = voff.shape[0] - 1
    for s in range(nsub):
        maxn = max(maxn, voff[s + 1] - voff[s])
    since = np.empty(maxn, np.float64)
    to = np.empty(maxn, np.float64)
    first_per_window = np.empty(lo.shape[0], np.int64)
    for s in range(nsub):
        off = voff[s]
        n = voff[s + 1] - off
        t = cohort.visit_days[off:off + n]
        vv = cohort.visit_values[off:off + n]
        ok = cohort.visit_can_confirm[off:off + n]
        rel = cohort.relapse_days[roff[s]:roff[s + 1]]
        rend = cohort.relapse_ends[roff[s]:roff[s + 1]] if rules.relapse_end_dates else rel
        K._relapse_distances(t, rel, rend, rules.relapse_end_dates, since, to)
        out_idx[s] = -1
        after, before = rules.relapse_to_event
        search = 0
        while search < n:
            x = -1
            for i in range(search, n):
                if _reached(vv[i], milestone, wi) and since[i] >= after and to[i] >= before:
                    x = i
                    break
            if x == -1:
                break
            g = K._first_confirmations(t, since, to, ok, x, rules, lo, hi, first_per_window)
            confirmed = False
            if g != -1:
                confirmed = True
                for i in range(x + 1, g + 1):
                    if not _reached(vv[i], milestone, wi):
                        confirmed = False
                        break
            c0 = g
            if not confirmed and (rules.impute_last_visit and x == n - 1
                                  and t[x] - t[0] <= rules.impute_max_follow_up):
                confirmed = True
                c0 = n - 1
            if not confirmed:
                search = x + 1  # msstem: the next visit may still be a confirmed milestone
                continue
            nns = n
            for i in range(c0 + 1, n):
                if not _reached(vv[i], milestone, wi):
                    nns = i
                    break
            rsd = rules.require_sust_days
            if rsd == 0 or nns == n or (t[nns] - t[x]) >= rsd:
                out_idx[s] = off + x
                break
            search = nns + 1  # confirmed but not sustained (msprog)


def milestones_on_cohort(cohort: CohortArrays, opts: ProgressionOptions,
                         milestone: float) -> pd.DataFrame:
    """The milestone table for a cohort already loaded by ``load_cohort``."""
    from msstem.outcomes.progression import kernel_rules

    value = check_milestone(milestone, opts)
    rules, windows = kernel_rules(opts)
    ends = cohort.relapse_ends if cohort.relapse_ends is not None else cohort.relapse_days
    can_confirm = (cohort.visit_can_confirm if cohort.visit_can_confirm is not None
                   else np.ones(len(cohort.visit_days), dtype=np.bool_))
    arrays = K.KernelCohort(cohort.visit_offsets, cohort.visit_days, cohort.visit_values,
                            cohort.visit_values, cohort.relapse_offsets, cohort.relapse_days,
                            np.ascontiguousarray(ends, dtype=np.int32),
                            np.ascontiguousarray(can_confirm, dtype=np.bool_))
    idx = np.empty(cohort.n_subjects, dtype=np.int64)
    _milestone_kernel(arrays, rules, windows, value, idx)
    vdays = cohort.visit_days.astype(np.int64)
    first = vdays[cohort.visit_offsets[:-1]]
    last = vdays[cohort.visit_offsets[1:] - 1]
    observed = idx >= 0
    day = np.where(observed, vdays[np.where(observed, idx, 0)], last)
    values: npt.NDArray[np.float64] = np.where(
        observed, cohort.visit_values[np.where(observed, idx, 0)], np.nan)
    return pd.DataFrame({
        "id": cohort.subject_ids,
        "milestone": np.full(cohort.n_subjects, value),
        "date": day.astype("datetime64[D]").astype("datetime64[ns]"),
        "value": values,
        "time2event": (day - first).astype(np.int64),
        "observed": observed,
    }, columns=list(MILESTONE_COLUMNS))


def value_milestone(visits: Source, relapses: Source | None = None, *, milestone: float,
                    options: ProgressionOptions | None = None) -> MilestoneResult:
    """Time to the first confirmed ``milestone`` for every subject (msprog's
    ``value_milestone()``). Raises OptionsError for a milestone off the outcome's grid."""
    opts = options if options is not None else ProgressionOptions()
    if not isinstance(opts, ProgressionOptions):
        raise OptionsError("options: expected a ProgressionOptions object", field="options")
    value = check_milestone(milestone, opts)
    cohort = load_cohort(visits, relapses, opts)
    return MilestoneResult(milestones=milestones_on_cohort(cohort, opts, value),
                           milestone=value, options=opts, warnings=cohort.warnings)
