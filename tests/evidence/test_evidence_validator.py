"""The validator: passes on the shipped data and catches each kind of defect."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import FrozenInstanceError
from typing import Any

import pytest

from msstem.commands.evidence import code_references
from msstem.evidence import EvidenceBase, Source, check_evidence
from msstem.evidence.models import (
    Claim,
    EstimateTag,
    Interval,
    Study,
    Therapy,
    Trial,
    WarningSign,
)

Mutation = Callable[[dict[str, Any]], None]


def _fact(rec: dict[str, Any], index: int, **update: Any) -> None:
    facts = list(rec["fact_list"])
    facts[index] = facts[index].model_copy(update=update)
    rec["fact_list"] = tuple(facts)


def _source(rec: dict[str, Any], index: int, **update: Any) -> None:
    sources = list(rec["source_list"])
    sources[index] = sources[index].model_copy(update=update)
    rec["source_list"] = tuple(sources)


def _add_source(rec: dict[str, Any], **fields: Any) -> None:
    base = {"id": "unused-1", "kind": "review", "label": "L", "citation": "C",
            "doi": "10.1000/x"}
    rec["source_list"] = (*rec["source_list"], Source.model_validate(base | fields))


def _add(rec: dict[str, Any], table: str, record: Any) -> None:
    rec[table] = (*rec.get(table, ()), record)


_EST = EstimateTag(therapy="ahsct", outcome="treatment_related_death", kind="harm",
                   design="cohort")

# (rule, mutation, expected message fragment)
DEFECTS: list[tuple[str, Mutation, str]] = [
    ("fact without source", lambda r: _fact(r, 0, source_ids=()), "has no source_ids"),
    ("unknown source id", lambda r: _fact(r, 0, source_ids=("pub-a", "ghost-2001")),
     "unknown source id 'ghost-2001'"),
    ("unknown fact id in a study",
     lambda r: _add(r, "studies", Study(id="s", name="S", design="d",
                                        key_fact_ids=("ghost-fact",), source_ids=("pub-a",))),
     "unknown fact id 'ghost-fact'"),
    ("unused source", lambda r: _add_source(r), "unused-1: source is not cited"),
    ("numeric fact without unit", lambda r: _fact(r, 0, unit=None), "needs a unit"),
    ("numeric fact without population", lambda r: _fact(r, 0, population=None),
     "needs a population"),
    ("range without unit",
     lambda r: _fact(r, 1, value=None, unit=None), "needs a unit"),
    ("bad DOI", lambda r: _source(r, 1, doi="doi:10.1000/abc"), "does not look like 10."),
    ("bad PMID", lambda r: _source(r, 1, pmid="PMID123"), "must be digits only"),
    ("bad PMCID", lambda r: _source(r, 1, pmcid="6439765"), "must look like PMC"),
    ("bad registry id", lambda r: _source(r, 1, registry_ids=("NCT123",)), "registry id"),
    ("url with spaces", lambda r: _source(r, 1, url="a site"), "without spaces"),
    ("non-seed without identifiers",
     lambda r: _source(r, 1, doi=None, pmid=None), "needs a doi, pmid"),
    ("seed without seed_file", lambda r: _source(r, 0, seed_file=None), "needs seed_file"),
    ("malformed seed_file", lambda r: _source(r, 0, seed_file="seed0.txt"),
     "is not NNN_<16 hex digits>.txt"),
    ("seed_file on a publication",
     lambda r: _source(r, 1, seed_file="001_4bdcd58f3ee01d72.txt"), "only for kind 'seed'"),
    ("no_identifier_reason without caution",
     lambda r: _source(r, 1, doi=None, pmid=None, no_identifier_reason="none known"),
     "needs a caution"),
    ("future year", lambda r: _source(r, 1, year=2031), "outside 1900-2026"),
    ("percent above 100", lambda r: _fact(r, 1, value=101.0, interval=None), "outside 0-100"),
    ("negative percent", lambda r: _fact(r, 1, value=-5.0, interval=None), "outside 0-100"),
    ("per 1,000 above 1000",
     lambda r: _fact(r, 1, unit="per 1,000 patients", value=1200.0, interval=None),
     "outside 0-1000"),
    ("interval out of order",
     lambda r: _fact(r, 1, interval=Interval(low=3.0, high=1.0, kind="95% CI")),
     "is above high"),
    ("value outside its CI",
     lambda r: _fact(r, 1, interval=Interval(low=2.5, high=3.0, kind="95% CI")),
     "lies outside its 95% CI"),
    ("percent interval outside 0-100",
     lambda r: _fact(r, 1, interval=Interval(low=1.0, high=120.0, kind="range")),
     "interval 1.0-120.0 is outside"),
    ("numerator above denominator", lambda r: _fact(r, 0, numerator=300), "greater than"),
    ("n/d mismatch", lambda r: _fact(r, 0, value=3.5), "does not match 8/281"),
    ("numerator without denominator", lambda r: _fact(r, 0, denominator=None),
     "must be given together"),
    ("zero denominator", lambda r: _fact(r, 0, numerator=0, denominator=0), "d > 0"),
    ("patients value vs numerator",
     lambda r: _fact(r, 0, unit="patients", value=9.0), "does not match numerator 8"),
    ("unverified fact without caution", lambda r: _fact(r, 0, verified=False),
     "unverified record needs a caution"),
    ("unverified warning sign without caution",
     lambda r: _add(r, "warning_signs", WarningSign(
         id="w", title="t", description="d", source_ids=("pub-a",), verified=False)),
     "unverified record needs a caution"),
    ("unverified primary endpoint without caution",
     lambda r: _add(r, "trials", Trial(id="t", name="T", source_ids=("pub-a",),
                                       primary_endpoint="x", primary_endpoint_verified=False)),
     "unverified record needs a caution"),
    ("duplicate fact id across files",
     lambda r: r.update(fact_list=(*r["fact_list"], r["fact_list"][0])),
     "id 'fact-a' is used 2 times"),
    ("duplicate source id",
     lambda r: r.update(source_list=(*r["source_list"], r["source_list"][1])),
     "id 'pub-a' is used 2 times"),
    ("source id reused as a fact id",
     lambda r: _fact(r, 1, id="pub-a"), "both a source and a fact id"),
    ("disagreement with one fact",
     lambda r: r.update(disagreements=(r["disagreements"][0].model_copy(
         update={"fact_ids": ("fact-a", "fact-a")}),)),
     "at least 2 facts"),
    ("estimate on a non-proportion",
     lambda r: _fact(r, 0, unit="HR", value=0.5, numerator=None, denominator=None,
                     estimate=_EST),
     "needs a proportion"),
    ("estimate on an unverified fact",
     lambda r: _fact(r, 0, verified=False, caution="from memory", estimate=_EST),
     "cannot be a personal estimate"),
    ("benefit kind on a harm outcome",
     lambda r: _fact(r, 0, estimate=_EST.model_copy(update={"kind": "benefit"})),
     "is not a benefit outcome"),
    ("harm kind on a benefit outcome",
     lambda r: _fact(r, 0, estimate=_EST.model_copy(update={"outcome": "neda"})),
     "is not a harm outcome"),
    ("estimate EDSS off the grid",
     lambda r: _fact(r, 0, estimate=_EST.model_copy(update={"edss_min": 0.5})),
     "is not an EDSS step"),
    ("estimate EDSS range reversed",
     lambda r: _fact(r, 0, estimate=_EST.model_copy(update={"edss_min": 5.5, "edss_max": 3.0})),
     "edss_min 5.5 is above edss_max 3.0"),
    ("estimate ages reversed",
     lambda r: _fact(r, 0, estimate=_EST.model_copy(update={"age_min": 60, "age_max": 18})),
     "age_min 60 is above age_max 18"),
    ("claim cites unknown source",
     lambda r: _add(r, "therapies", Therapy(
         id="ahsct", name="a", cell_type="hsc", summary="s",
         status=Claim(text="t", source_ids=("ghost-1999",)), source_ids=("pub-a",))),
     "unknown source id 'ghost-1999'"),
    ("meta latest year stale",
     lambda r: r.update(meta=r["meta"].model_copy(update={"latest_source_year": 2016})),
     "latest_source_year is 2016"),
]


def test_tiny_base_is_clean(tiny: dict[str, Any]) -> None:
    assert check_evidence(EvidenceBase(**tiny)) == []


@pytest.mark.parametrize(("rule", "mutate", "fragment"), DEFECTS, ids=[d[0] for d in DEFECTS])
def test_validator_catches(
    tiny: dict[str, Any], rule: str, mutate: Mutation, fragment: str
) -> None:
    mutate(tiny)
    problems = check_evidence(EvidenceBase(**tiny))
    messages = [str(p) for p in problems]
    assert any(fragment in m for m in messages), (rule, messages)


@pytest.mark.parametrize(
    ("value", "ok"),
    # 8/281 = 2.847: stated values within 0.6 of it pass (rounding), others fail
    [(2.8, True), (2.85, True), (3.0, True), (2.25, True), (3.44, True),
     (3.45, False), (2.24, False), (28.0, False)],
)
def test_n_d_tolerance_boundaries(tiny: dict[str, Any], value: float, ok: bool) -> None:
    _fact(tiny, 0, value=value)
    problems = [p for p in check_evidence(EvidenceBase(**tiny)) if "does not match" in p.message]
    assert (problems == []) is ok


@pytest.mark.parametrize(("value", "ok"), [(0.0, True), (100.0, True), (-0.01, False),
                                           (100.01, False)])
def test_percent_bounds(tiny: dict[str, Any], value: float, ok: bool) -> None:
    _fact(tiny, 1, value=value, interval=None)
    problems = [p for p in check_evidence(EvidenceBase(**tiny)) if "outside 0-100" in p.message]
    assert (problems == []) is ok


@pytest.mark.parametrize(
    ("low", "high", "ok"),
    [(2.0, 2.0, True), (1.0, 3.0, True), (2.01, 3.0, False), (1.0, 1.99, False)],
)
def test_ci_must_contain_value(tiny: dict[str, Any], low: float, high: float, ok: bool) -> None:
    _fact(tiny, 1, interval=Interval(low=low, high=high, kind="95% CI"))
    problems = [p for p in check_evidence(EvidenceBase(**tiny)) if "lies outside" in p.message]
    assert (problems == []) is ok


def test_sd_interval_need_not_contain_value(tiny: dict[str, Any]) -> None:
    _fact(tiny, 1, interval=Interval(low=0.1, high=0.5, kind="SD"))
    assert check_evidence(EvidenceBase(**tiny)) == []


def test_code_references_count_as_uses_and_must_exist(tiny: dict[str, Any]) -> None:
    _add_source(tiny, id="code-only-2020")
    eb = EvidenceBase(**tiny)
    assert any("code-only-2020" in str(p) for p in check_evidence(eb))
    assert check_evidence(eb, {"msstem.x": ["code-only-2020"]}) == []
    problems = check_evidence(eb, {"msstem.x": ["code-only-2020", "ghost-2020"]})
    assert [str(p) for p in problems] == ["code msstem.x: cites unknown source id 'ghost-2020'"]


def test_every_problem_is_one_line(tiny: dict[str, Any]) -> None:
    for _rule, mutate, _fragment in DEFECTS:
        rec = {k: v for k, v in tiny.items()}
        mutate(rec)
        for problem in check_evidence(EvidenceBase(**rec)):
            assert "\n" not in str(problem)


def test_problem_is_frozen() -> None:
    from msstem.evidence import Problem

    problem = Problem("facts x", "bad")
    with pytest.raises(FrozenInstanceError):
        problem.where = "y"  # type: ignore[misc]


def test_shipped_evidence_passes(eb: EvidenceBase) -> None:
    problems = check_evidence(eb, code_references())
    assert [str(p) for p in problems] == []
