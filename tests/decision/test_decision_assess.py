"""The assessment on the shipped evidence base: golden cases from the evidence notes.

Golden figures are the notes' own (Sormani 2017: NEDA 83% at 2 y, range 70-92; HALT-MS:
EFS 69.2% at 5 y, 90% CI 50.2-82.1, RRMS with EDSS 3.0-5.5, age 18-60).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import msstem
from msstem.decision import Applicability, Assessment, assess, parse_profile
from msstem.decision.estimates import Estimate
from msstem.eligibility import RULESET_IDS
from msstem.evidence import load_evidence

M, P, N = Applicability.MATCHES, Applicability.PARTLY, Applicability.DOES_NOT_MATCH


def by_id(a: Assessment) -> dict[str, Estimate]:
    return {e.fact_id: e for e in a.estimates}


@pytest.fixture(scope="module")
def rrms() -> Assessment:
    return assess(parse_profile({"age": 34, "ms_course": "RRMS", "edss": 3.5}))


@pytest.fixture(scope="module")
def ppms() -> Assessment:
    return assess(parse_profile({"age": 50, "ms_course": "PPMS", "edss": 6.5}))


def test_rrms_edss_35_gets_sormani_neda_and_halt_ms_efs(rrms: Assessment) -> None:
    est = by_id(rrms)
    neda = est["sormani-2017-neda-2y"]
    assert (neda.per_100, neda.kind, neda.therapy, neda.years) == (83.0, "benefit", "ahsct", 2)
    assert neda.interval is not None
    assert (neda.interval.low, neda.interval.high, neda.interval.kind) == (70, 92, "range")
    assert neda.label == "No evidence of disease activity (NEDA) at 2 years"
    assert neda.source_ids == ("sormani-2017",)

    efs = est["halt-ms-efs-5y"]
    assert efs.per_100 == 69.2
    assert efs.interval is not None
    assert (efs.interval.low, efs.interval.high, efs.interval.kind) == (50.2, 82.1, "90% CI")
    assert efs.applicability is M
    assert "the people studied had RRMS, like you" in efs.reasons
    assert "your EDSS 3.5 is within the studied 3 to 5.5" in efs.reasons
    assert "your age 34 years is within the studied 18 to 60 years" in efs.reasons


def test_ppms_edss_65_is_told_rrms_only_figures_do_not_match(ppms: Assessment) -> None:
    est = by_id(ppms)
    efs = est["halt-ms-efs-5y"]
    assert efs.applicability is N
    assert "the people studied had RRMS, not PPMS" in efs.reasons
    assert "your EDSS 6.5 is outside the studied 3 to 5.5" in efs.reasons
    # Every RRMS-only figure still shown is flagged as not matching.
    rrms_only = [e for e in ppms.estimates if e.courses == ("RRMS",)]
    assert rrms_only and all(e.applicability is N for e in rrms_only)
    # Mixed-course pools include PPMS; unstated courses are partial at best.
    assert est["sormani-2017-neda-2y"].applicability is M
    assert est["nabizadeh-2022-neda"].applicability is P


def test_course_subgroups_follow_the_person(rrms: Assessment, ppms: Assessment) -> None:
    # The intensity meta-analysis reports PFS by course: each person sees their own.
    assert "intensity-meta-2020-pfs-rrms" in by_id(rrms)
    assert "intensity-meta-2020-pfs-ppms" not in by_id(rrms)
    assert "intensity-meta-2020-pfs-ppms" in by_id(ppms)
    assert "intensity-meta-2020-pfs-rrms" not in by_id(ppms)
    assert "intensity-meta-2020-pfs" in by_id(rrms)  # the pooled figure stays


def test_unknown_course_shows_every_figure_as_partly_with_the_reason() -> None:
    a = assess(parse_profile({}))
    assert a.estimates
    assert {e.applicability for e in a.estimates} == {P}
    for e in a.estimates:
        assert any("your MS course is unknown" in r or "not stated" in r for r in e.reasons)
    # With nothing known, the course subgroups are all there.
    assert {"intensity-meta-2020-pfs-rrms", "intensity-meta-2020-pfs-spms",
            "intensity-meta-2020-pfs-ppms"} <= set(by_id(a))


def test_every_estimate_traces_to_its_fact(rrms: Assessment) -> None:
    eb = load_evidence()
    for e in rrms.estimates:
        fact = eb.fact(e.fact_id)
        assert e.per_100 == fact.per_100
        assert e.source_ids == fact.source_ids
        assert set(e.source_ids) <= {s.id for s in rrms.sources}
        if e.interval is not None and not e.interval.computed:
            given = fact.interval_per_100
            assert given is not None
            assert (e.interval.low, e.interval.high) == (given.low, given.high)


def test_assessment_document_shape(example_profile_data: dict[str, Any]) -> None:
    a = assess(parse_profile(example_profile_data))
    doc = a.to_dict()
    assert json.loads(json.dumps(doc)) == doc  # JSON-ready
    assert set(doc["eligibility"]) == set(RULESET_IDS)
    for result in doc["eligibility"].values():
        assert {"verdict", "criteria", "cautions"} <= set(result)
    assert doc["hctci"]["score"] == 1
    assert doc["hctci"]["items"][0]["id"] == "psychiatric"
    assert doc["msstem_version"] == msstem.__version__
    assert doc["evidence_date"] == load_evidence().evidence_date.isoformat()
    assert doc["profile"]["unknown"] == []
    assert "does not make them" in doc["disclaimer"]
    cited = {s["id"] for s in doc["sources"]}
    assert len(cited) == len(doc["sources"])  # each source once
    for e in doc["estimates"]:
        assert set(e["sources"]) <= cited


def test_hctci_unknown_vs_none() -> None:
    assert assess(parse_profile({"ms_course": "RRMS"})).hctci is None
    assert assess(parse_profile({"hctci_items": []})).to_dict()["hctci"]["score"] == 0
    high = assess(parse_profile({"hctci_items": ["heart_valve_disease"]})).hctci
    assert high is not None and (high.score, high.high_risk) == (3, True)


def test_unknown_fields_are_listed() -> None:
    a = assess(parse_profile({"edss": 3.0}))
    assert "edss" not in a.unknown_fields
    assert a.unknown_fields[:2] == ("age", "ms_course")


def test_assess_is_deterministic(example_profile_data: dict[str, Any]) -> None:
    p = parse_profile(example_profile_data)
    assert assess(p).to_dict() == assess(p).to_dict()


def test_example_file_loads(repo_root: Path) -> None:
    from msstem.io import load_profile

    a = assess(load_profile(repo_root / "examples" / "profile.json"))
    assert a.profile.ms_course == "RRMS"
