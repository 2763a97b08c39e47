"""NEDA-3 after an index date, and time to first evidence of disease activity.

NEDA-3 ("no evidence of disease activity") = no clinical relapse, no MRI activity (new or
enlarging T2 lesion, or gadolinium-enhancing lesion) and no confirmed disability worsening
(rotstein-2015-neda, giovannoni-2015-neda). msstem's operational rules (docs/outcomes.md):

* relapse: a relapse dated after the index date;
* MRI: a scan dated more than ``mri_rebaseline_days`` after the index date with
  ``new_t2 > 0`` or ``gd > 0`` (the index-day scan is the baseline scan);
* CDW: a confirmed worsening, onset after the index date, found by ``detect_progression``
  from a fixed baseline at the last EDSS visit at or before the index date.

At a horizon of H years (ending on the calendar anniversary, inclusive) a subject is
``EDA`` if any component broke by then; ``NEDA`` if none did and the subject was followed
to the horizon (last EDSS visit and last assessed MRI scan on or after it, less
``followup_tolerance_days``) with a baseline EDSS; otherwise ``not_evaluable``, with the
reason. Subjects without an index date are ``not_evaluable`` (never dropped).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, Literal, get_args

import numpy as np
import pandas as pd

from msstem.errors import OptionsError
from msstem.outcomes.analytics_options import AnalyticsResult, NedaOptions
from msstem.outcomes.clinical_inputs import IndexedCohort, _reduce_by, first_after

__all__ = [
    "COMPONENTS",
    "NEDA_SOURCE_IDS",
    "NEDA_STATUSES",
    "NedaResult",
    "NedaStatus",
    "assess_neda",
]

NedaStatus = Literal["NEDA", "EDA", "not_evaluable"]
NEDA_STATUSES: tuple[NedaStatus, ...] = get_args(NedaStatus)
#: The three NEDA-3 components, in the order they are listed when several break together.
COMPONENTS: Final = ("relapse", "mri", "cdw")
#: Sources of the NEDA-3 definition (evidence notes §9).
NEDA_SOURCE_IDS: Final = ("rotstein-2015-neda", "giovannoni-2015-neda", "kalincik-2015-cdw")


@dataclass(frozen=True)
class NedaResult(AnalyticsResult):
    """Per-subject NEDA-3 statuses (``to_frame``) and per-group counts (``summary``).

    Columns of the frame: ``id, group, index_date, has_baseline, followup_end``, the first
    date of each component (``first_relapse, first_mri, first_cdw``),
    ``first_activity_date``, ``first_activity_components`` (``;``-separated),
    ``time_to_eda_days`` and ``eda_event`` (1 = activity, 0 = censored at ``followup_end``;
    empty when there is no index date or no baseline EDSS), then for each horizon H:
    ``status_Hy``, ``components_Hy`` (EDA) and ``reason_Hy`` (not_evaluable).
    """

    options: NedaOptions
    subjects: pd.DataFrame

    def to_frame(self) -> pd.DataFrame:
        return self.subjects.copy()

    @property
    def summary(self) -> pd.DataFrame:
        """Per group and horizon: counts of each status and NEDA among the evaluable."""
        rows = []
        for horizon in self.options.horizons_years:
            col = f"status_{horizon}y"
            for group, part in self.subjects.groupby("group", sort=True):
                counts = part[col].value_counts()
                neda = int(counts.get("NEDA", 0))
                eda = int(counts.get("EDA", 0))
                rows.append({
                    "group": group, "horizon_years": horizon, "subjects": len(part),
                    "NEDA": neda, "EDA": eda,
                    "not_evaluable": int(counts.get("not_evaluable", 0)),
                    "neda_proportion": neda / (neda + eda) if neda + eda else np.nan,
                })
        return pd.DataFrame(rows, columns=["group", "horizon_years", "subjects", "NEDA", "EDA",
                                           "not_evaluable", "neda_proportion"])


def _first_after(cohort: IndexedCohort, frame: pd.DataFrame, offset_days: int = 0) -> pd.Series:
    """Per subject, the first ``date`` strictly after origin + offset (NaT when none)."""
    return pd.Series(first_after(cohort, frame["id"], frame["date"], offset_days),
                     index=cohort.subject_ids)


def _last(cohort: IndexedCohort, frame: pd.DataFrame) -> pd.Series:
    pos = cohort.positions(frame["id"])
    days = frame["date"].to_numpy(dtype="datetime64[ns]").view(np.int64)
    return pd.Series(_reduce_by(pos, days, len(cohort.subject_ids), np.maximum),
                     index=cohort.subject_ids)


def assess_neda(cohort: IndexedCohort, mri: pd.DataFrame,
                options: NedaOptions | None = None) -> NedaResult:
    """NEDA-3 status at each horizon and time to first disease activity, per subject.

    ``cohort`` comes from :func:`~msstem.outcomes.clinical_inputs.build_cohort` with a
    treatments table; ``mri`` from :func:`~msstem.outcomes.clinical_inputs.load_mri`.
    """
    if cohort.origin_kind != "index":
        raise OptionsError("NEDA-3 is measured from an index date: give a treatments table",
                           field="treatments")
    opts = cohort.align(options or NedaOptions())
    origin = cohort.origin.set_index("id")
    origin_frame = cohort.origin[["id", "origin_date"]]
    window = opts.mri_rebaseline_days

    first = pd.DataFrame(index=origin.index)
    first["relapse"] = _first_after(cohort, cohort.relapses)
    first["mri"] = _first_after(cohort, mri[mri["active"]], window)
    first["cdw"] = cohort.first_event_dates("CDW").set_index("id")["date"]
    first = first.reindex(origin.index)

    # Follow-up of each component: last EDSS visit (relapses and CDW are assessed at
    # visits) and last assessed scan; the subject is followed to the earlier of the two.
    last_visit = _last(cohort, cohort.visits).reindex(origin.index)
    assessed = mri[["id", "date"]].merge(origin_frame, on="id")
    assessed = assessed[assessed["date"] > assessed["origin_date"] + pd.Timedelta(days=window)]
    last_scan = _last(cohort, assessed).reindex(origin.index)
    index_date = origin["origin_date"]
    last_visit_after = last_visit.where(last_visit > index_date)
    followup_end = pd.concat([last_visit_after, last_scan], axis=1).min(axis=1, skipna=False)
    followup_end = followup_end.fillna(index_date).where(index_date.notna())

    first_activity = first[list(COMPONENTS)].min(axis=1)
    has_index = index_date.notna()
    has_baseline = origin["has_baseline"].astype(bool)

    out = pd.DataFrame({
        "id": origin.index,
        "group": origin["group"].to_numpy(),
        "index_date": index_date.to_numpy(),
        "has_baseline": has_baseline.to_numpy(),
        "followup_end": followup_end.to_numpy(),
        "first_relapse": first["relapse"].to_numpy(),
        "first_mri": first["mri"].to_numpy(),
        "first_cdw": first["cdw"].to_numpy(),
        "first_activity_date": first_activity.to_numpy(),
    })
    out["first_activity_components"] = _components_on(first, first_activity).to_numpy()

    # Time to first EDA: an event at the first activity, else censored at the end of
    # follow-up; undefined without an index date or without a baseline EDSS (the CDW
    # component could not be watched, so "no activity" would be unsupported).
    eda_event = first_activity.notna()
    stop = first_activity.where(eda_event, followup_end)
    days = (stop - index_date).dt.days
    usable = has_index & has_baseline
    out["time_to_eda_days"] = days.where(usable).astype("Int64").array
    out["eda_event"] = eda_event.astype("Int64").where(usable).array

    for horizon in opts.horizons_years:
        status, comps, reason = _status_at(horizon, first, index_date, origin["reason"],
                                           has_baseline, last_visit_after, last_scan, opts)
        out[f"status_{horizon}y"] = status.to_numpy()
        out[f"components_{horizon}y"] = comps.to_numpy()
        out[f"reason_{horizon}y"] = reason.to_numpy()
    return NedaResult(options=opts, subjects=out.reset_index(drop=True),
                      warnings=cohort.warnings)


def _components_on(first: pd.DataFrame, cutoff: pd.Series) -> pd.Series:
    """';'-joined names of the components whose first date is on or before ``cutoff``."""
    # Encode which components broke as bits, then name each of the 8 combinations once.
    code = pd.Series(0, index=first.index)
    for bit, name in enumerate(COMPONENTS):
        code += first[name].le(cutoff).fillna(False).astype(int) * (1 << bit)
    names = {c: ";".join(n for b, n in enumerate(COMPONENTS) if c >> b & 1)
             for c in range(1 << len(COMPONENTS))}
    return code.map(names).astype(object)


def _status_at(horizon: int, first: pd.DataFrame, index_date: pd.Series, no_index: pd.Series,
               has_baseline: pd.Series, last_visit: pd.Series, last_scan: pd.Series,
               opts: NedaOptions) -> tuple[pd.Series, pd.Series, pd.Series]:
    end = index_date + pd.DateOffset(years=horizon)  # calendar anniversary
    comps = _components_on(first, end)
    eda = comps != ""
    need = end - pd.Timedelta(days=opts.followup_tolerance_days)
    short_visits = ~(last_visit >= need)
    short_scans = ~(last_scan >= need)

    status = pd.Series("NEDA", index=first.index, dtype=object)
    reason = pd.Series("", index=first.index, dtype=object)
    why = pd.Series("", index=first.index, dtype=object)
    why = why.mask(short_scans, "no MRI scan assessed on or after the horizon")
    why = why.mask(short_visits, "no EDSS visit on or after the horizon")
    why = why.mask(short_visits & short_scans,
                   "no EDSS visit and no MRI scan assessed on or after the horizon")
    why = why.mask(~has_baseline, "no EDSS visit at or before the index date (CDW not assessable)")
    not_eval = ~eda & (why != "")
    status[not_eval] = "not_evaluable"
    reason[not_eval] = why[not_eval]
    status[eda] = "EDA"
    missing = index_date.isna()
    status[missing] = "not_evaluable"
    reason[missing] = no_index[missing]
    comps = comps.where(status == "EDA", "")
    return status, comps, reason
