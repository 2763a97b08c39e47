"""Hand-computed cases for the detection rules, and each documented difference from pymsprog.

Every expected value is worked out in the comment above it from the rules in
docs/outcomes-progression.md (msprog's algorithm), not by running the code.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest

from msstem.outcomes import ProgressionOptions, detect_progression
from msstem.outcomes.progression import EVENT_COLUMNS, SUMMARY_COLUMNS

from .helpers import events, run, visits_frame


def test_basic_cdw() -> None:
    # baseline 2.0 (delta 1.0); day 90: 3.0 is +1.0 -> onset; day 180 is 90 days later,
    # inside [84-7, 84+730.5] and still +1.0 -> confirmed there.
    res = run([(0, 2.0), (90, 3.0), (180, 3.0), (270, 3.0)])
    assert events(res) == [("CDW", "", 90, 3.0, 0, 2.0, 180)]
    assert res.summary.to_dict("records") == [
        {"id": "1", "CDW": 1, "CDI": 0, "RAW": None, "PIRA": None, "event_sequence": "CDW"}
    ]


@pytest.mark.parametrize(
    ("gap", "confirmed"),
    [(76, False), (77, True), (84, True), (814, True), (815, False)],
)
def test_confirmation_window_edges(gap: int, confirmed: bool) -> None:
    # window for 84 days with tolerance (7, 730.5): 77 <= gap <= 814.5 days
    res = run([(0, 2.0), (100, 3.0), (100 + gap, 3.0)])
    assert (len(res.events) == 1) is confirmed


@pytest.mark.parametrize(("before", "eligible"), [(29, False), (30, True)])
def test_relapse_to_conf_edge(before: int, eligible: bool) -> None:
    # confirmation visit at day 200 needs >= 30 days since the last relapse
    res = run([(0, 2.0), (100, 3.0), (200, 3.0)], relapse_days=[200 - before])
    assert (len(res.events) == 1) is eligible


@pytest.mark.parametrize(("relapse", "expected"), [
    (110, "RAW"),  # onset 200 is 90 days after the relapse: <= 90 -> relapse-associated
    (109, "PIRA"),  # 91 days: not RAW; outside [onset-90, onset+30] and [conf-90, conf+30]
    (200, "RAW"),  # relapse on the onset day: 0 days since it
    (201, "undefined"),  # after onset: not RAW (0 days allowed after), inside the PIRA window
])
def test_raw_pira_edges(relapse: int, expected: str) -> None:
    res = run([(0, 2.0), (200, 3.0), (300, 3.0)], relapse_days=[relapse], raw_pira=True)
    assert [e[1] for e in events(res)] == [expected]


def test_fixed_baseline_skips_visit_near_relapse() -> None:
    # relapse 10 days before visit 0 -> baseline moves to day 100 (value 3.0); day 200 (4.0) is
    # +1.0 from it and confirmed at day 300.
    res = run([(0, 2.0), (100, 3.0), (200, 4.0), (300, 4.0)], relapse_days=[-10])
    assert events(res) == [("CDW", "", 200, 4.0, 100, 3.0, 300)]


def test_roving_multiple_cdi_then_cdw() -> None:
    # 4.0 -> 3.0 at day 100 confirmed at 190: CDI; roving baseline moves to 190 (3.0);
    # 4.0 at 280 confirmed at 370: CDW from 3.0.
    pts = [(0, 4.0), (100, 3.0), (190, 3.0), (280, 4.0), (370, 4.0)]
    res = run(pts, event="multiple", baseline="roving")
    assert events(res) == [
        ("CDI", "", 100, 3.0, 0, 4.0, 190),
        ("CDW", "", 280, 4.0, 190, 3.0, 370),
    ]
    assert res.summary.loc[0, "event_sequence"] == "CDI, CDW"
    assert list(res.events["event_index"]) == [1, 2]


def test_unconfirmed_onset_keeps_baseline() -> None:
    # 3.0 at day 100 falls back at 190 -> unconfirmed; 3.0 again at 280, confirmed at 370,
    # still measured from the day-0 baseline.
    pts = [(0, 2.0), (100, 3.0), (190, 2.0), (280, 3.0), (370, 3.0)]
    assert events(run(pts)) == [("CDW", "", 280, 3.0, 0, 2.0, 370)]


def test_intermediate_visit_must_keep_change() -> None:
    # first eligible confirmation is day 190 (gap 90); day 120 in between drops back.
    pts = [(0, 2.0), (100, 3.0), (120, 2.0), (190, 3.0)]
    assert events(run(pts)) == []
    # without check_intermediate only day 190 is tested
    assert events(run(pts, check_intermediate=False)) == [
        ("CDW", "", 100, 3.0, 0, 2.0, 190)
    ]


def test_sustained_requirement() -> None:
    # CDW at day 100 confirmed at 190, lost at 400 (300 days after onset)
    pts = [(0, 2.0), (100, 3.0), (190, 3.0), (400, 2.0)]
    assert len(run(pts, require_sust_days=300).events) == 1
    assert len(run(pts, require_sust_days=301).events) == 0
    assert len(run(pts, require_sust_days=math.inf).events) == 0


def test_impute_last_visit() -> None:
    # worsening at the last visit has nothing to confirm it
    pts = [(0, 2.0), (100, 2.0), (200, 3.0)]
    assert events(run(pts)) == []
    assert events(run(pts, impute_last_visit=1)) == [("CDW", "", 200, 3.0, 0, 2.0, None)]
    # as days: only within 200 days of follow-up
    assert len(run(pts, impute_last_visit=200).events) == 1
    assert len(run(pts, impute_last_visit=199).events) == 0


def test_sdmt_direction() -> None:
    # SDMT: lower is worse; delta(50) = min(50/5, 4) = 4
    pts = [(0, 50.0), (100, 46.0), (190, 46.0)]
    assert events(run(pts, value_col="sdmt", outcome="sdmt")) == [
        ("CDW", "", 100, 46.0, 0, 50.0, 190)
    ]
    pts = [(0, 50.0), (100, 47.0), (190, 47.0)]  # -3 < 4
    assert events(run(pts, value_col="sdmt", outcome="sdmt")) == []


def test_custom_outcome_with_delta_fun() -> None:
    visits = visits_frame({1: [(0, 10.0), (100, 12.0), (190, 12.0)]}, "score")
    opts = ProgressionOptions(outcome="custom", worsening="increase", value_col="score")
    res = detect_progression(visits, None, opts, delta_fun=lambda ref: 2.0)
    assert events(res) == [("CDW", "", 100, 12.0, 0, 10.0, 190)]
    res = detect_progression(visits, None, opts, delta_fun=lambda ref: 2.5)
    assert events(res) == []


def test_first_modes() -> None:
    # CDI at 100 (conf 190), then CDW at 280 (conf 370) with a roving baseline
    pts = [(0, 4.0), (100, 3.0), (190, 3.0), (280, 4.0), (370, 4.0)]
    assert [e[0] for e in events(run(pts, event="first", baseline="roving"))] == ["CDI"]
    assert [e[2] for e in events(run(pts, event="firstCDW", baseline="roving"))] == [280]
    assert [e[2] for e in events(run(pts, event="firstCDI", baseline="roving"))] == [100]


# ---- documented differences from pymsprog (default mode vs pymsprog_compat=True) ----------


def test_fix_relapse_before_follow_up_counts_for_raw() -> None:
    # relapse 50 days before the first visit; onset at day 40 is 90 days after it -> RAW.
    # pymsprog drops relapses before first visit - 30 days and calls it PIRA.
    pts = [(0, 2.0), (40, 3.0), (140, 3.0)]
    assert [e[1] for e in events(run(pts, relapse_days=[-50], raw_pira=True))] == ["RAW"]
    compat = run(pts, relapse_days=[-50], raw_pira=True, pymsprog_compat=True)
    assert [e[1] for e in events(compat)] == ["PIRA"]


def test_fix_no_events_gives_empty_tables() -> None:
    # pymsprog crashes (KeyError 'event_type') with include_stable=False and no events
    res = run([(0, 2.0), (100, 2.0)])
    assert list(res.events.columns) == list(EVENT_COLUMNS)
    assert res.events.empty
    assert list(res.summary.columns) == list(SUMMARY_COLUMNS)
    assert res.summary.to_dict("records") == [
        {"id": "1", "CDW": 0, "CDI": 0, "RAW": None, "PIRA": None, "event_sequence": ""}
    ]
    classified = run([(0, 2.0), (100, 2.0)], raw_pira=True)
    assert classified.summary.to_dict("records") == [
        {"id": "1", "CDW": 0, "CDI": 0, "RAW": 0, "PIRA": 0, "event_sequence": ""}
    ]


def test_unclassified_cdw_is_not_reported_as_classified() -> None:
    # Without RAW/PIRA classification a CDW is unclassified (empty), not "undefined", and
    # the RAW/PIRA counts are unknown (NA), not zero.
    pts = [(0, 2.0), (90, 3.0), (180, 3.0)]
    off = run(pts)
    assert list(off.events["cdw_type"]) == [""]
    assert off.summary["RAW"].isna().all() and off.summary["PIRA"].isna().all()
    on = run(pts, raw_pira=True)
    assert list(on.events["cdw_type"]) == ["PIRA"]
    assert list(on.summary["PIRA"]) == [1]


def test_fix_unsustained_cdi_with_two_windows() -> None:
    # 4.0 -> 3.0 at day 100; 84-day confirmation at 190; the 168-day window's only visit (280)
    # has 4.0 again, so the CDI lasts 180 days < 365 required: not kept. pymsprog crashes
    # (ValueError: zero-size array) because it leaves the empty 168-day window in place.
    pts = [(0, 4.0), (100, 3.0), (190, 3.0), (280, 4.0)]
    for compat in (False, True):
        res = run(pts, event="multiple", conf_days=(84, 168), require_sust_days=365,
                  pymsprog_compat=compat)
        assert events(res) == []
    # sustained long enough, it is a CDI confirmed at day 190
    res = run(pts, event="multiple", conf_days=(84, 168), require_sust_days=180)
    assert events(res) == [("CDI", "", 100, 3.0, 0, 4.0, 190)]


def test_fix_prec_window_without_left_end() -> None:
    # A relapse at day 100 lies between baseline (day 0) and onset (day 200): 100 days before
    # onset, so not RAW; outside the default event/conf windows -> PIRA. Merging "baseline to
    # onset + 30" (prec=(None, None), event=(None, 30)) catches it -> undefined. pymsprog
    # raises UnboundLocalError for a None left end on the first checkpoint; msstem starts the
    # window at the checkpoint itself.
    pts = [(0, 2.0), (200, 3.0), (300, 3.0)]
    assert [e[1] for e in events(run(pts, relapse_days=[100], raw_pira=True))] == ["PIRA"]
    merged = {"prec": (None, None), "event": (None, 30), "conf": (90, 30)}
    res = run(pts, relapse_days=[100], raw_pira=True, relapse_indep=merged)
    assert [e[1] for e in events(res)] == ["undefined"]


def test_fix_bl_geq_honoured_without_relapse_rebl() -> None:
    # CDI 4.0 -> 3.0 confirmed at day 190; with bl_geq the new reference keeps 4.0, so 4.0 at
    # 280/370 is no change. pymsprog ignores bl_geq unless relapse_rebl=True and finds a CDW
    # from 3.0.
    pts = [(0, 4.0), (100, 3.0), (190, 3.0), (280, 4.0), (370, 4.0)]
    opts = {"event": "multiple", "baseline": "roving", "bl_geq": True}
    assert [e[0] for e in events(run(pts, **opts))] == ["CDI"]
    assert [e[0] for e in events(run(pts, **opts, pymsprog_compat=True))] == ["CDI", "CDW"]


def test_fix_sub_threshold_follows_direction_for_sdmt() -> None:
    # SDMT 50 -> 48 (a sub-threshold *worsening*) -> 44 (-6 >= delta 4 from 50: a CDW).
    # pymsprog's sub-threshold 'improvement' rule tests "value < baseline" whatever the
    # direction, so it re-baselines on 48 and then on 44 and never reports the CDW.
    pts = [(0, 50.0), (100, 48.0), (190, 48.0), (280, 44.0), (370, 44.0)]
    opts = {"value_col": "sdmt", "outcome": "sdmt", "event": "multiple", "baseline": "roving",
            "sub_threshold_rebl": "improvement"}
    assert events(run(pts, **opts)) == [("CDW", "", 280, 44.0, 0, 50.0, 370)]
    assert events(run(pts, **opts, pymsprog_compat=True)) == []


# ---- result object ----------------------------------------------------------------------


def test_result_carries_options_and_version(tmp_path: pytest.TempPathFactory) -> None:
    from msstem import __version__

    visits = visits_frame({"a": [(0, 2.0), (90, 3.0), (180, 3.0)], "b": [(0, 1.0), (90, 1.0)]})
    opts = ProgressionOptions(event="multiple")
    res = detect_progression(visits, None, opts)
    assert res.options is opts
    assert res.msstem_version == __version__
    ev_csv, su_csv = res.to_csv(tmp_path)  # type: ignore[arg-type]
    back = pd.read_csv(ev_csv, keep_default_na=False)
    assert list(back.columns) == list(EVENT_COLUMNS)
    assert back.loc[0, "date"] == "2020-03-31"
    assert back.loc[0, "confirmation_date"] == "2020-06-29"
    assert list(pd.read_csv(su_csv).columns) == list(SUMMARY_COLUMNS)
    ev_pq, _ = res.to_parquet(tmp_path)  # type: ignore[arg-type]
    pd.testing.assert_frame_equal(pd.read_parquet(ev_pq), res.events, check_dtype=False)
    d = res.to_dict()
    assert d["events"][0]["date"] == "2020-03-31"
    assert d["options"]["conf_tol_days"] == [7.0, 730.5]
    assert "<p>msstem" in res._repr_html_()


def test_output_buffer_grows() -> None:
    # 1,500 subjects with one CDW each: more events than the first output buffer (1,024 rows),
    # so the kernel stops, the buffer grows and the scan resumes at the next subject.
    n = 1500
    visits = visits_frame({i: [(0, 2.0), (90, 3.0), (180, 3.0)] for i in range(n)})
    res = detect_progression(visits)
    assert len(res.events) == n
    assert res.events["id"].tolist() == [str(i) for i in range(n)]  # ids are text
    assert (res.summary["CDW"] == 1).all()
