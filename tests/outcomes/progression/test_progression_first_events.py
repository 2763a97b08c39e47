"""The analytics cohort's first CDW and first PIRA: derived from the job's own roving run
(the kernel runs again only for subjects where the two runs may differ) and equal, subject
by subject, to a full run from a fixed baseline."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest
from parity.cohorts import make_cohort  # tests/outcomes is on sys.path (rootdir-relative)

from msstem.outcomes.clinical_inputs import build_cohort, cohort_progression_options
from msstem.outcomes.inputs import load_cohort
from msstem.outcomes.options import ProgressionOptions
from msstem.outcomes.progression import (
    NO_DAY,
    _derivable,
    first_events_fixed,
    run_on_arrays,
    subset_cohort,
)

VISITS, RELAPSES = make_cohort(600, seed=11)
JOB = {"event": "multiple", "baseline": "roving", "raw_pira": True}


def _arrays(**settings: Any) -> tuple[Any, ProgressionOptions]:
    opts = ProgressionOptions(**{**JOB, **settings})
    return load_cohort(VISITS[["id", "date", "edss"]], RELAPSES, opts), opts


@pytest.mark.parametrize("settings", [
    {}, {"baseline": "roving_impr"}, {"baseline": "roving_wors"},
    {"conf_days": (84, 168)}, {"require_sust_days": 200}, {"check_intermediate": False},
    {"proceed_from": "firstconf"}, {"bl_geq": True}, {"impute_last_visit": 1},
    {"pymsprog_compat": True}, {"skip_local_extrema": "all"},
    {"relapse_to_event": (30, 30), "relapse_to_conf": (30, 30)},
])
def test_derived_first_events_equal_a_full_fixed_baseline_run(settings: dict[str, Any]) -> None:
    arrays, opts = _arrays(**settings)
    fixed = cohort_progression_options(opts)
    assert _derivable(opts, fixed)
    derived = first_events_fixed(arrays, fixed, run_on_arrays(arrays, opts))
    full = run_on_arrays(arrays, fixed).first_events()
    for name in ("cdw_day", "cdw_type", "pira_day"):
        np.testing.assert_array_equal(getattr(derived, name), getattr(full, name), name)
    # the cohort has subjects of every kind: no event, a first PIRA, a first RAW, a CDI
    assert (full.cdw_day == NO_DAY).any() and (full.pira_day != NO_DAY).any()
    assert (full.cdw_type == 1).any()


@pytest.mark.parametrize("settings", [
    {"sub_threshold_rebl": "event"}, {"relapse_rebl": True}, {"event": "firstCDW"},
    {"raw_pira": False},
])
def test_settings_where_the_runs_may_differ_everywhere_run_the_kernel_again(
        settings: dict[str, Any]) -> None:
    arrays, opts = _arrays(**settings)
    fixed = cohort_progression_options(opts)
    assert not _derivable(opts, fixed)
    got = first_events_fixed(arrays, fixed, run_on_arrays(arrays, opts))
    full = run_on_arrays(arrays, fixed).first_events()
    np.testing.assert_array_equal(got.pira_day, full.pira_day)


def test_subset_keeps_every_column_of_the_chosen_subjects() -> None:
    arrays, _ = _arrays()
    pick = np.array([0, 3, 4, 10, arrays.n_subjects - 1])
    sub = subset_cohort(arrays, pick)
    assert list(sub.subject_ids) == list(arrays.subject_ids[pick])
    for k, s in enumerate(pick):
        v0, v1 = arrays.visit_offsets[s], arrays.visit_offsets[s + 1]
        w0, w1 = sub.visit_offsets[k], sub.visit_offsets[k + 1]
        np.testing.assert_array_equal(sub.visit_days[w0:w1], arrays.visit_days[v0:v1])
        np.testing.assert_array_equal(sub.visit_values[w0:w1], arrays.visit_values[v0:v1])
        r0, r1 = arrays.relapse_offsets[s], arrays.relapse_offsets[s + 1]
        q0, q1 = sub.relapse_offsets[k], sub.relapse_offsets[k + 1]
        np.testing.assert_array_equal(sub.relapse_days[q0:q1], arrays.relapse_days[r0:r1])


@pytest.mark.parametrize("treatments", [False, True])
def test_cohort_with_first_events_only_gives_the_same_first_dates(treatments: bool) -> None:
    arrays, opts = _arrays()
    trt = None
    if treatments:
        ids = arrays.subject_ids[::3]
        first = VISITS.groupby("id")["date"].min()
        trt = pd.DataFrame({"id": ids, "start": [first[int(i)] + pd.Timedelta(days=400)
                                                 for i in ids], "therapy": "aHSCT"})
    full = build_cohort(None, None, trt, progression=opts, loaded=arrays)
    lean = build_cohort(None, None, trt, progression=opts, loaded=arrays,
                        reuse=run_on_arrays(arrays, opts), first_events_only=True)
    for kind in ("CDW", "PIRA"):
        np.testing.assert_array_equal(lean.first_event_array(kind),
                                      full.first_event_array(kind))
        pd.testing.assert_frame_equal(lean.first_event_dates(kind).reset_index(drop=True),
                                      full.first_event_dates(kind).reset_index(drop=True))
    assert lean.events is not None and full.events is not None
    assert len(lean.events) < len(full.events)
    # the lean frame's own rows give the same first dates as the stored arrays
    ev = lean.events
    assert set(ev["cdw_type"]) <= {"RAW", "PIRA", "undefined"}
    object.__setattr__(lean, "_first_events", None)
    np.testing.assert_array_equal(lean.first_event_array("PIRA"),
                                  full.first_event_array("PIRA"))


def test_visit_span_from_the_arrays_equals_the_one_from_the_visits_table() -> None:
    arrays, opts = _arrays()
    cohort = build_cohort(None, None, None, progression=opts, loaded=arrays,
                          run_progression=False)
    first, last = cohort.visit_span()
    by_id = VISITS.groupby(VISITS["id"].astype(str))["date"]
    np.testing.assert_array_equal(first, by_id.min().reindex(cohort.subject_ids).to_numpy())
    np.testing.assert_array_equal(last, by_id.max().reindex(cohort.subject_ids).to_numpy())
    assert cohort.visits["id"].tolist()[:3] == [str(VISITS["id"].iloc[0])] * 3


def test_a_subject_with_only_an_unsustained_change_is_run_again() -> None:
    # Confirmed 2.0 -> 3.0 (days 100, 200) but back to 2.5 on day 350: not sustained for
    # 300 days. The roving baseline moves to the onset (3.0) and finds nothing more; the
    # fixed baseline stays at 2.0 and finds the CDW of day 400 (confirmed on day 500).
    days = [0, 100, 200, 350, 400, 500, 900, 1000]
    edss = [2.0, 3.0, 3.0, 2.5, 3.0, 3.0, 3.0, 3.0]
    visits = pd.DataFrame({"id": 1, "date": pd.Timestamp("2015-01-01")
                           + pd.to_timedelta(days, unit="D"), "edss": edss})
    opts = ProgressionOptions(**JOB, require_sust_days=300)
    arrays = load_cohort(visits, None, opts)
    roving = run_on_arrays(arrays, opts)
    assert len(roving.raw["subj"]) == 0 and len(roving.raw["u_subj"]) >= 1
    fixed = cohort_progression_options(opts)
    full = run_on_arrays(arrays, fixed).first_events()
    assert full.cdw_day[0] == int(np.datetime64("2015-01-01", "D").astype(int)) + 400
    derived = first_events_fixed(arrays, fixed, roving)
    np.testing.assert_array_equal(derived.cdw_day, full.cdw_day)
