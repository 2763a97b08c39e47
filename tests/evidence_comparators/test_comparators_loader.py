"""The evidence-core loader and validator accept the Part II comparator data."""

from __future__ import annotations

from typing import Any

import pytest

from msstem.evidence import EvidenceBase, check_evidence, load_evidence

Record = dict[str, Any]
MY_FILE_PREFIXES = ("sources_comparators", "facts_comparators")
DMT_IDS = ("ocrelizumab", "natalizumab", "alemtuzumab", "ofatumumab", "cladribine")
#: Outcomes that measure how well a drug works (some are bad events, e.g. cdw: kind harm).
EFFICACY_OUTCOMES = frozenset(
    {
        "neda",
        "progression",
        "progression_free",
        "event_free",
        "relapse_free",
        "mri_activity_free",
        "cdw",
        "cdw_free",
        "improvement",
        "annualised_relapse_rate",
    }
)


@pytest.fixture(scope="module")
def eb() -> EvidenceBase:
    return load_evidence()


def _mine(eb: EvidenceBase, where: str) -> bool:
    if where.startswith(MY_FILE_PREFIXES) or where.split(" ")[0] == "dmts":
        return True
    ident = where.rsplit(" ", 1)[-1]
    return any(name.startswith(MY_FILE_PREFIXES) for name in eb.locations.get(ident, ()))


def test_validator_reports_no_problem_in_comparator_data(eb: EvidenceBase) -> None:
    problems = [str(p) for p in check_evidence(eb) if _mine(eb, p.where)]
    assert problems == []


def test_every_comparator_fact_and_source_is_loaded(
    eb: EvidenceBase, comparator_facts: list[Record], comparator_sources: list[Record]
) -> None:
    assert {f["id"] for f in comparator_facts} <= set(eb.facts)
    assert {s["id"] for s in comparator_sources} <= set(eb.sources)
    for fact in comparator_facts:
        assert all(name.startswith("facts_comparators") for name in eb.locations[fact["id"]])


def test_dmts_load_with_their_fact_links(eb: EvidenceBase) -> None:
    assert tuple(d.id for d in eb.dmts) == DMT_IDS
    for dmt in eb.dmts:
        assert dmt.how_given and dmt.source_ids and dmt.benefit_fact_ids and dmt.harm_fact_ids
        for fid in dmt.benefit_fact_ids:
            est = eb.fact(fid).estimate
            assert est is None or (est.outcome in EFFICACY_OUTCOMES and est.therapy == dmt.id), fid
        for fid in dmt.harm_fact_ids:
            est = eb.fact(fid).estimate
            assert est is None or (
                est.kind == "harm"
                and est.outcome not in EFFICACY_OUTCOMES
                and est.therapy == dmt.id
            ), fid
        for fid in dmt.cost_fact_ids:
            assert eb.fact(fid).unit in {"USD", "EUR", "GBP"}, fid
    assert "48 months" in (eb.dmt("alemtuzumab").monitoring or "")  # FDA label, per the notes
    assert eb.dmt("ofatumumab").cost_fact_ids == ()  # price NOT FOUND in the notes
    assert "not found" in (eb.dmt("ofatumumab").caution or "")


@pytest.mark.parametrize(
    ("therapy", "outcome", "fact_id", "per_100"),
    [
        ("ocrelizumab", "neda", "opera-neda-ocrelizumab", 47.7),
        ("natalizumab", "pml", "natalizumab-pml-overall", 0.414),
        ("alemtuzumab", "thyroid_disease", "alemtuzumab-thyroid-6y", 42.0),
        ("cladribine", "lymphopenia", "clarity-lymphopenia-cladribine", 21.6),
        ("ofatumumab", "neda", "asclepios-neda-0-12-ofatumumab", 47.0),
    ],
)
def test_decision_aid_can_find_each_option(
    eb: EvidenceBase, therapy: str, outcome: str, fact_id: str, per_100: float
) -> None:
    found = {f.id: f for f in eb.facts_for(therapy=therapy, outcome=outcome)}
    assert fact_id in found
    assert found[fact_id].per_100 == pytest.approx(per_100)


def test_ahsct_vs_alemtuzumab_grade3_counts_give_per_100_from_n_and_d(eb: EvidenceBase) -> None:
    fact = eb.fact("zhukovsky-2021-grade3-ahsct")
    assert fact.value is None
    assert fact.per_100 == pytest.approx(100 * 48 / 69)
    assert eb.fact("zhukovsky-2021-grade3-alemtuzumab").per_100 == 0
