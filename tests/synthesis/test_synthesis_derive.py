"""Derived facts: the harmonisation and overlap rules, provenance, staleness, lookups."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from msstem.cli import app
from msstem.errors import NotFoundError
from msstem.evidence import load_evidence
from msstem.synthesis import meta_analysis
from msstem.synthesis.derive import (
    HORIZON_BANDS,
    POOLED_CLASSES,
    check_derived,
    compute_derived,
)

DATA = Path(__file__).resolve().parents[2] / "src" / "msstem" / "evidence" / "data"


@pytest.fixture(scope="module")
def eb():  # type: ignore[no-untyped-def]
    return load_evidence()


def test_stored_derived_facts_are_fresh(eb) -> None:  # type: ignore[no-untyped-def]
    assert eb.derived_facts, "derived_facts.yaml is missing"
    assert check_derived(eb) == []


def test_required_figures_exist(eb) -> None:  # type: ignore[no-untyped-def]
    for outcome, horizon in (("treatment_related_death", None), ("neda", 2.0), ("neda", 5.0),
                             ("progression_free", 2.0), ("progression_free", 5.0),
                             ("relapse_free", 5.0)):
        fact = eb.derived_fact(outcome, horizon, "all")
        assert 0.0 < fact.ci_lb <= fact.estimate <= fact.ci_ub < 1.0
        assert fact.k == len(fact.arm_ids) >= 1
        assert fact.software.startswith("msstem ")
    assert eb.derived_fact("treatment_related_death", None, "intensity-high").k >= 2
    assert eb.derived_fact("neda", 2.0, "all", therapy="ocrelizumab").k == 1
    with pytest.raises(NotFoundError, match="no derived fact"):
        eb.derived_fact("neda", 7.0, "all")


def test_one_report_per_cohort_and_only_pooled_definitions(eb) -> None:  # type: ignore[no-untyped-def]
    arms = {a.id: a for a in eb.study_arms}
    for fact in eb.derived_facts:
        cohorts = [arms[a].cohort for a in fact.arm_ids if arms[a].cohort]
        assert len(cohorts) == len(set(cohorts)), (fact.id, cohorts)
        for aid in fact.arm_ids:
            outs = [o for o in arms[aid].outcomes if o.outcome == fact.outcome]
            assert any(o.definition_class in POOLED_CLASSES[fact.outcome]
                       and o.estimator != "crude-at-mean-follow-up" for o in outs), (fact.id, aid)
            if fact.horizon_years is not None:
                lo, hi = HORIZON_BANDS[fact.horizon_years]
                assert any(o.months is not None and lo <= o.months <= hi for o in outs)
        assert not set(fact.arm_ids) & {e.arm_id for e in fact.excluded}


def test_left_out_reports_are_listed_with_reasons(eb) -> None:  # type: ignore[no-untyped-def]
    trm = eb.derived_fact("treatment_related_death", None, "all")
    reasons = {e.arm_id: e.reason for e in trm.excluded}
    assert "all-cause" in reasons["mexico1700-safety"]
    assert "burt2021" in reasons["burt2015"]  # Northwestern: the larger report is used
    assert "identify before use" in reasons["msjetc2026-singlecentre"]
    assert "burt2021" in trm.arm_ids and "silfverberg2024" in trm.arm_ids
    neda2 = eb.derived_fact("neda", 2.0, "all")
    assert "natalizumab" in {e.arm_id: e.reason for e in neda2.excluded}["mariottini2019-ntz"]
    neda5 = eb.derived_fact("neda", 5.0, "all")
    assert "kvistad2024" in {e.arm_id for e in neda5.excluded}  # crude at mean follow-up


def test_pooled_figure_equals_a_direct_meta_analysis(eb) -> None:  # type: ignore[no-untyped-def]
    fact = eb.derived_fact("treatment_related_death", None, "all")
    arms = {a.id: a for a in eb.study_arms}
    rows = []
    for aid in fact.arm_ids:
        o = next(o for o in arms[aid].outcomes if o.outcome == "treatment_related_death")
        rows.append({"study": aid, "events": o.events, "n": o.n})
    res = meta_analysis(rows and __import__("pandas").DataFrame(rows), measure="PLO",
                        method="REML")
    assert res.pooled is not None
    back = res.pooled.backtransformed
    assert back is not None
    assert fact.estimate == pytest.approx(back["estimate"], rel=1e-8)
    assert fact.ci_ub == pytest.approx(back["ci_ub"], rel=1e-8)


def test_edss_figures_come_from_the_regression(eb) -> None:  # type: ignore[no-untyped-def]
    low = eb.derived_fact("treatment_related_death", None, "edss-3-recent")
    high = eb.derived_fact("treatment_related_death", None, "edss-6-5-recent")
    pooled = eb.derived_fact("treatment_related_death", None, "all")
    assert low.mods == high.mods == ("year", "baseline_edss")
    assert dict(high.at)["baseline_edss"] == 6.5
    assert dict(high.at)["year"] == max(eb.study_arm(a).year or 0 for a in high.arm_ids)
    assert low.estimate != pooled.estimate != high.estimate


def test_stale_fact_fails_the_check(tmp_path: Path) -> None:
    copy = tmp_path / "data"
    shutil.copytree(DATA, copy)
    arms_file = copy / "study_arms_ahsct.yaml"
    arms = yaml.safe_load(arms_file.read_text())
    burt = next(a for a in arms if a["id"] == "burt2021")
    burt["outcomes"][0]["events"] = 5
    burt["outcomes"][0]["percent"] = 0.99
    arms_file.write_text(yaml.safe_dump(arms, sort_keys=False))
    problems = check_derived(load_evidence(copy))
    assert any("ahsct-treatment-related-death-early-all: stale estimate" in p for p in problems)
    result = CliRunner().invoke(app, ["evidence", "check", "--data-dir", str(copy)])
    assert result.exit_code == 1
    assert "stale" in result.output
    # 'msstem evidence derive' makes it fresh again.
    result = CliRunner().invoke(app, ["evidence", "derive", "--data-dir", str(copy)])
    assert result.exit_code == 0, result.output
    load_evidence.cache_clear()
    assert check_derived(load_evidence(copy)) == []


def test_edited_stored_number_is_stale(tmp_path: Path) -> None:
    copy = tmp_path / "data"
    shutil.copytree(DATA, copy)
    f = copy / "derived_facts.yaml"
    facts = yaml.safe_load(f.read_text())
    facts[0]["estimate"] = facts[0]["estimate"] * 0.5
    f.write_text(yaml.safe_dump(facts, sort_keys=False))
    assert any("stale estimate" in p for p in check_derived(load_evidence(copy)))


def test_recompute_is_deterministic(eb) -> None:  # type: ignore[no-untyped-def]
    a, gaps_a = compute_derived(eb)
    b, gaps_b = compute_derived(eb)
    assert [f.model_dump(exclude={"computed_on"}) for f in a] == \
        [f.model_dump(exclude={"computed_on"}) for f in b]
    assert len(gaps_a) == len(gaps_b)


def test_show_derived_lists_facts_and_gaps() -> None:
    out = CliRunner().invoke(app, ["evidence", "show", "derived"])
    assert out.exit_code == 0
    assert "ahsct-treatment-related-death-early-all" in out.output
    assert "left out: burt2015" in out.output
    assert "Not estimable" in out.output
    js = CliRunner().invoke(app, ["evidence", "show", "derived", "--format", "json"])
    import json

    data = json.loads(js.output)
    assert {d["id"] for d in data["derived_facts"]} >= {"ahsct-neda-2y-all"}
