"""Hand-worked cases for the R msprog features: relapse end dates, validconf, milestones,
unconfirmed changes, per-event columns, named PIRA definitions, sensitivity, methods text.

Every expected value is derived in the comment above it from the rules in
docs/outcomes-progression.md (from msprog-r-notes), not by running the code. Days count from
2020-01-01; EDSS deltas: +1.0 from 2.0, +0.5 above 5.0; confirmation window 77..814.5 days.
"""

from __future__ import annotations

import pandas as pd
import pytest
from parity.cohorts import make_cohort  # tests/outcomes is on sys.path (rootdir-relative)

from msstem.errors import DataError, OptionsError
from msstem.evidence.pira_definitions import PIRA_DEFINITION_IDS
from msstem.outcomes import (
    ProgressionOptions,
    detect_progression,
    pira_sensitivity,
    value_milestone,
)
from msstem.outcomes.sensitivity import SENSITIVITY_CONF_DAYS, setting_options

from .helpers import START, day, events, visits_frame


def _relapses(rows: list[tuple[int, int, int]]) -> pd.DataFrame:
    return pd.DataFrame([(sid, day(a), day(b)) for sid, a, b in rows],
                        columns=["id", "date", "end"])


def _run(points: list[tuple[int, float]], rel: list[tuple[int, int]] | None = None,
         **opts: object) -> list[tuple[str, str, int, float, int, float, int | None]]:
    relapses = None if rel is None else _relapses([(1, a, b) for a, b in rel])
    res = detect_progression(visits_frame({1: points}), relapses,
                             ProgressionOptions(**opts))  # type: ignore[arg-type]
    return events(res)


ENDS = {"relapse_end_col": "end", "raw_pira": True}


# ---- relapse end dates ------------------------------------------------------------------

@pytest.mark.parametrize(("end", "expected"), [
    (200, "RAW"),  # onset on the relapse's end day: inside the relapse (onset..end, closed)
    (199, "undefined"),  # ended the day before: not RAW; the default PIRA windows still see
                         # the relapse onset 50 days before the onset -> undefined
])
def test_end_dates_raw_edge(end: int, expected: str) -> None:
    pts = [(0, 2.0), (200, 3.0), (300, 3.0)]
    assert [e[1] for e in _run(pts, [(150, end)], **ENDS)] == [expected]


def test_end_dates_raw_is_not_fixed_90_days() -> None:
    # relapse 150..160; onset 200 is 50 days after the onset (RAW under the fixed 90-day
    # rule) but 40 days after the end: not RAW with end dates. A subject with no relapse at
    # all is never RAW (R's code would make every CDW RAW there: relapse_assoc becomes inf).
    pts = [(0, 2.0), (200, 3.0), (300, 3.0)]
    assert [e[1] for e in _run(pts, [(150, 160)], raw_pira=True)] == ["RAW"]
    assert [e[1] for e in _run(pts, [(150, 160)], **ENDS)] == ["undefined"]
    no_relapse = detect_progression(visits_frame({1: pts}), _relapses([]),
                                    ProgressionOptions(**ENDS))  # type: ignore[arg-type]
    assert [e[1] for e in events(no_relapse)] == ["PIRA"]


@pytest.mark.parametrize(("end", "confirmed"), [(300, False), (299, True)])
def test_end_dates_confirmation_edge(end: int, confirmed: bool) -> None:
    # the only confirmation visit (day 300) lies inside a relapse 280..end when end >= 300
    pts = [(0, 2.0), (100, 3.0), (300, 3.0)]
    assert (len(_run(pts, [(280, end)], relapse_end_col="end")) == 1) is confirmed


def test_end_dates_zero_setting_ignores_relapses() -> None:
    # relapse_to_conf=0: relapses do not matter for confirmation, end dates or not
    pts = [(0, 2.0), (100, 3.0), (300, 3.0)]
    assert len(_run(pts, [(280, 300)], relapse_end_col="end", relapse_to_conf=0)) == 1


@pytest.mark.parametrize(("end", "baseline_day"), [(0, 100), (-1, 0)])
def test_end_dates_baseline_edge(end: int, baseline_day: int) -> None:
    # relapse -10..end: visit 0 is inside it when end >= 0, so the baseline moves to day 100
    pts = [(0, 2.0), (100, 2.0), (200, 3.0), (300, 3.0)]
    got = _run(pts, [(-10, end)], relapse_end_col="end")
    assert [e[4] for e in got] == [baseline_day]


def test_end_dates_pira_from_spans() -> None:
    # use_end_dates: PIRA when the onset (200) and a confirmation (300) are outside every
    # relapse; relapse 150..160 is outside both -> PIRA (undefined with the 90-day windows).
    pts = [(0, 2.0), (200, 3.0), (300, 3.0)]
    indep = {"use_end_dates": True}
    assert [e[1] for e in _run(pts, [(150, 160)], **ENDS, relapse_indep=indep)] == ["PIRA"]
    # a relapse 290..300 covers the only confirmation visit: no relapse-free confirmation.
    # (relapse_to_conf=0 so that the visit still confirms the CDW itself)
    got = _run(pts, [(290, 300)], **ENDS, relapse_indep=indep, relapse_to_conf=0)
    assert [e[1] for e in got] == ["undefined"]


def test_end_dates_bad_input() -> None:
    visits = visits_frame({1: [(0, 2.0), (100, 3.0)]})
    opts = ProgressionOptions(relapse_end_col="end")
    with pytest.raises(DataError, match="end dates before the onset"):
        detect_progression(visits, _relapses([(1, 50, 40)]), opts)
    with pytest.raises(DataError, match="start before the previous relapse"):
        detect_progression(visits, _relapses([(1, 10, 50), (1, 50, 60)]), opts)
    with pytest.raises(OptionsError, match="use_end_dates needs relapse end dates"):
        ProgressionOptions(relapse_indep={"use_end_dates": True})


# ---- validconf --------------------------------------------------------------------------

def test_validconf_skips_visits_that_may_not_confirm() -> None:
    # day 190 would confirm (gap 90); marked false, the first eligible visit is 280 (gap 180)
    pts = [(0, 2.0), (100, 3.0), (190, 3.0), (280, 3.0)]
    visits = visits_frame({1: pts})
    visits["ok"] = [True, True, False, True]
    res = detect_progression(visits, None, ProgressionOptions(validconf_col="ok"))
    assert [e[6] for e in events(res)] == [280]
    assert [e[6] for e in events(detect_progression(visits))] == [190]
    # the onset itself may be a visit that cannot confirm
    visits["ok"] = ["yes", "no", "yes", "yes"]
    res = detect_progression(visits, None, ProgressionOptions(validconf_col="ok"))
    assert [(e[2], e[6]) for e in events(res)] == [(100, 190)]
    # no other eligible visit: unconfirmed
    visits["ok"] = [1, 1, 0, 0]
    assert events(detect_progression(visits, None, ProgressionOptions(validconf_col="ok"))) == []


def test_validconf_must_be_boolean_like() -> None:
    visits = visits_frame({1: [(0, 2.0), (100, 3.0)]})
    visits["ok"] = ["true", "maybe"]
    with pytest.raises(DataError, match=r"column 'ok' must be true or false.*'maybe'"):
        detect_progression(visits, None, ProgressionOptions(validconf_col="ok"))
    visits["ok"] = [True, None]
    with pytest.raises(DataError, match="not boolean-like"):
        detect_progression(visits, None, ProgressionOptions(validconf_col="ok"))


# ---- milestones -------------------------------------------------------------------------

def _milestone(points: list[tuple[int, float]], milestone: float,
               **opts: object) -> tuple[bool, int, float]:
    res = value_milestone(visits_frame({1: points}), milestone=milestone,
                          options=ProgressionOptions(**opts))  # type: ignore[arg-type]
    row = res.milestones.iloc[0]
    return bool(row["observed"]), int(row["time2event"]), float(row["value"])


@pytest.mark.parametrize(("gap", "reached"), [(76, False), (77, True), (814, True),
                                              (815, False)])
def test_milestone_confirmation_window(gap: int, reached: bool) -> None:
    # 6.0 at day 100 reaches EDSS >= 6.0; confirmed only by a visit 77..814.5 days later
    observed, t2e, _ = _milestone([(0, 4.0), (100, 6.0), (100 + gap, 6.5)], 6.0)
    assert observed is reached
    assert t2e == (100 if reached else 100 + gap)  # not reached: the whole follow-up


def test_milestone_dip_and_later_confirmation() -> None:
    # 6.0 at day 100 dips to 5.5 at 150 before the confirmation at 190: not confirmed.
    # 6.0 again at 200, confirmed at 300 -> reached at day 200, value 6.0.
    pts = [(0, 4.0), (100, 6.0), (150, 5.5), (190, 6.0), (200, 6.0), (300, 6.0)]
    assert _milestone(pts, 6.0) == (True, 190, 6.0)


def test_milestone_next_candidate_is_tested() -> None:
    # 6.0 at day 0 has no visit in its window (the next is 900 days later); msstem then tests
    # day 900, confirmed at 990 -> reached at 900. (R msprog skips to after the next drop.)
    pts = [(0, 6.0), (900, 6.0), (990, 6.0)]
    assert _milestone(pts, 6.0) == (True, 900, 6.0)


def test_milestone_sustained_and_direction() -> None:
    # reached at 100, confirmed at 190, lost at 400 (300 days after reaching it)
    pts = [(0, 4.0), (100, 6.0), (190, 6.0), (400, 5.0)]
    assert _milestone(pts, 6.0, require_sust_days=300)[0] is True
    assert _milestone(pts, 6.0, require_sust_days=301)[0] is False
    # SDMT: lower is worse, so "reaching 40" means <= 40
    sd = [(0, 50.0), (100, 40.0), (190, 38.0)]
    res = value_milestone(visits_frame({1: sd}, "sdmt"), milestone=40,
                          options=ProgressionOptions(outcome="sdmt", value_col="sdmt"))
    assert res.milestones.iloc[0]["time2event"] == 100


def test_milestone_off_grid() -> None:
    with pytest.raises(OptionsError, match="not an EDSS score"):
        value_milestone(visits_frame({1: [(0, 2.0)]}), milestone=6.3)
    with pytest.raises(OptionsError, match="not an SDMT score"):
        value_milestone(visits_frame({1: [(0, 50.0)]}, "sdmt"), milestone=40.5,
                        options=ProgressionOptions(outcome="sdmt", value_col="sdmt"))


# ---- unconfirmed changes and per-event columns ------------------------------------------

def test_unconfirmed_table() -> None:
    # 3.0 at day 100 falls back at 190: not confirmed (relapse at 60: 40 days before it).
    # 3.0 at 280 confirmed at 370, lost at 400 with require_sust_days=200 -> "not sustained";
    # the search goes on from the next visit: 3.0 at 370 has no visit in its window (400 is
    # 30 days later) -> not confirmed.
    pts = [(0, 2.0), (100, 3.0), (190, 2.0), (280, 3.0), (370, 3.0), (400, 2.0)]
    relapses = pd.DataFrame({"id": [1], "date": [day(60)]})
    res = detect_progression(visits_frame({1: pts}), relapses,
                             ProgressionOptions(require_sust_days=200))
    un = res.unconfirmed
    assert list((un["date"] - START).dt.days) == [100, 280, 370]
    assert list(un["reason"]) == ["not confirmed", "confirmed but not sustained",
                                  "not confirmed"]
    assert list(un["baseline_value"]) == [2.0, 2.0, 2.0]
    assert list(un["closest_rel_before"]) == [40.0, 220.0, 310.0]
    assert un["closest_rel_after"].isna().all()
    assert res.events.empty


def test_per_event_columns() -> None:
    # onset 100 (3.0), first confirmation 190, relapse at 150: not RAW (after onset), the
    # event window [10, 130] is free, but the conf window of 190, [100, 220], holds it; the
    # conf window of 300, [210, 330], is free -> PIRA, confirmed for PIRA at 300.
    pts = [(0, 2.0), (100, 3.0), (190, 3.0), (300, 3.5)]
    relapses = pd.DataFrame({"id": [1], "date": [day(150)]})
    res = detect_progression(visits_frame({1: pts}), relapses, ProgressionOptions(raw_pira=True))
    row = res.events.iloc[0]
    assert row["cdw_type"] == "PIRA"
    assert (row["confirmation_date"] - START).days == 190 and row["confirmation_value"] == 3.0
    assert (row["pira_confirmation_date"] - START).days == 300
    assert row["pira_confirmation_value"] == 3.5
    # days from the first visit, from the baseline, sustained to the last visit (200 days)
    assert (row["time2event"], row["bl2event"], row["total_fu"]) == (100, 100, 300)
    assert (row["sust_days"], bool(row["sust_last"])) == (200, True)


def test_per_event_sustained_until_lost() -> None:
    # roving: CDW 100 (conf 190) lost at 280 -> sustained to 190 (90 days), not to the end
    pts = [(0, 2.0), (100, 3.0), (190, 3.0), (280, 2.0), (370, 2.0)]
    row = detect_progression(visits_frame({1: pts})).events.iloc[0]
    assert (row["sust_days"], bool(row["sust_last"])) == (90, False)


# ---- named PIRA definitions --------------------------------------------------------------

EXPLICIT = {
    "mueller2023": {"relapse_indep": {"prec": (0, 0), "event": (90, 30), "conf": (90, 30)},
                    "baseline": "roving"},
    "mueller2023-specific": {"relapse_indep": {"prec": (0, None), "event": (None, None),
                                               "conf": (None, 0)}, "baseline": "roving"},
    "kappos2020": {"relapse_indep": {"prec": (0, None), "event": (None, 30),
                                     "conf": (30, 30)},
                   "baseline": "fixed", "relapse_rebl": True},
    "cagol2022": {"relapse_indep": {"prec": (0, 0), "event": (90, None), "conf": (None, 0)}},
    "mueller2025": {"relapse_indep": {"prec": (0, None), "event": (None, 0), "conf": (0, 0),
                                      "prec_type": "last"},
                    "baseline": "roving", "relapse_rebl": True},
}


@pytest.fixture(scope="module")
def cohort() -> tuple[pd.DataFrame, pd.DataFrame]:
    return make_cohort(150, seed=11)


@pytest.mark.parametrize("name", PIRA_DEFINITION_IDS)
def test_named_definition_equals_explicit_windows(
        name: str, cohort: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    visits, relapses = cohort
    named = detect_progression(visits, relapses,
                               ProgressionOptions(event="multiple", pira_definition=name))
    explicit = detect_progression(visits, relapses, ProgressionOptions(
        event="multiple", raw_pira=True, **EXPLICIT[name]))  # type: ignore[arg-type]
    pd.testing.assert_frame_equal(named.events, explicit.events)
    assert (named.events["cdw_type"] == "PIRA").sum() > 0


def test_explicit_options_override_the_preset() -> None:
    opts = ProgressionOptions(pira_definition="kappos2020", baseline="roving")
    assert (opts.baseline, opts.relapse_rebl) == ("roving", True)
    with pytest.raises(OptionsError, match=r"mueller2023.*kappos2020.*mueller2025"):
        ProgressionOptions(pira_definition="smith2024")


def test_sensitivity_table(cohort: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    visits, relapses = cohort
    base = ProgressionOptions(event="multiple")
    table = pira_sensitivity(visits, relapses, base).table
    assert len(table) == len(PIRA_DEFINITION_IDS) * len(SENSITIVITY_CONF_DAYS) == 10
    for row in table.itertuples():
        direct = detect_progression(visits, relapses,
                                    setting_options(base, row.pira_definition, row.conf_days))
        types = direct.events["cdw_type"]
        expected = ((types == "PIRA").sum(), (types == "RAW").sum(),
                    (direct.events["event_type"] == "CDW").sum())
        assert expected == (row.PIRA, row.RAW, row.CDW)
        assert row.PIRA_per_100py == round(100 * row.PIRA / row.person_years, 2)
    assert table["PIRA"].nunique() > 1  # the definitions do disagree on this cohort


# ---- methods text -----------------------------------------------------------------------

def test_methods_text_follows_the_options() -> None:
    text = ProgressionOptions(event="multiple", pira_definition="kappos2020",
                              relapse_end_col="end", validconf_col="ok", conf_days=(84, 168))
    visits = visits_frame({1: [(0, 2.0), (90, 2.0)]})
    visits["ok"] = True
    res = detect_progression(visits, _relapses([]), text)
    para = res.methods_text()
    for phrase in ("all confirmed worsening and improvement events", "84 or 168 days",
                   "column 'ok'", "within a relapse (from its onset to its end date)",
                   "fixed at the first visit", "first visit after each relapse",
                   "Kappos et al. 2020"):
        assert phrase in para, phrase
    plain = detect_progression(visits_frame({1: [(0, 2.0), (90, 2.0)]})).methods_text()
    assert "within 30 days after the onset of a relapse" in plain
    assert "PIRA" not in plain
