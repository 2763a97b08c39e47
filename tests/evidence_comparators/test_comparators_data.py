"""Schema and consistency rules for the Part II comparator data, read with yaml.safe_load.

The checker functions here are independent of msstem.evidence's loader and validator; the
closed vocabularies are msstem.evidence.models' own (one definition). Mutation tests at the
bottom show that each rule can fail.
"""

from __future__ import annotations

import copy
import re
from typing import Any

import pytest

from msstem.clinical.edss import EDSS_GRID as _EDSS_GRID
from msstem.evidence import models as _models

Record = dict[str, Any]

ID_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
DOI_RE = re.compile(r"^10\.\d{4,9}/\S+$")
PMCID_RE = re.compile(r"^PMC\d+$")
NCT_RE = re.compile(r"^NCT\d{8}$")

# Closed vocabularies: the one definition, in msstem.evidence.models (no test-only copy).
UNITS = frozenset(_models.UNITS)
INTERVAL_KINDS = frozenset(_models.INTERVAL_KINDS)
CONTAINING_KINDS = _models.CI_KINDS
SOURCE_KINDS = frozenset(_models.SOURCE_KINDS)
THERAPIES = frozenset(_models.THERAPIES)
BENEFIT = _models.BENEFIT_OUTCOMES
HARM = _models.HARM_OUTCOMES
DESIGNS = frozenset(_models.DESIGNS)
COURSES = frozenset(_models.COURSES)
INTENSITIES = frozenset(_models.INTENSITIES)
PROPORTION_UNITS = _models.PROPORTION_UNITS
EDSS_GRID = frozenset(_EDSS_GRID)  # the one grid: msstem.clinical.edss

FACT_KEYS = frozenset(
    {
        "id",
        "statement",
        "value",
        "unit",
        "interval",
        "numerator",
        "denominator",
        "population",
        "follow_up",
        "source_ids",
        "verified",
        "caution",
        "topic",
        "estimate",
        "quote",
    }
)
ESTIMATE_KEYS = frozenset(
    {
        "therapy",
        "outcome",
        "kind",
        "courses",
        "edss_min",
        "edss_max",
        "age_min",
        "age_max",
        "intensity",
        "years",
        "design",
    }
)
SOURCE_KEYS = frozenset(
    {
        "id",
        "kind",
        "label",
        "authors",
        "citation",
        "year",
        "doi",
        "pmid",
        "pmcid",
        "url",
        "seed_file",
        "registry_ids",
        "read_at",
        "caution",
        "no_identifier_reason",
    }
)

# Canonical Part I ids (COMMON.md): defined by evidence-core; Part II facts may cite them.
PART_I_IDS = frozenset(
    {
        "seed-000",
        "seed-001",
        "seed-002",
        "seed-003",
        "seed-004",
        "sormani-2017",
        "nabizadeh-2022",
        "muraro-2017-jama-neurol",
        "nash-2017-halt-ms",
        "nash-2015-halt-ms",
        "halt-ms-registry",
        "burt-2019-mist",
        "burt-2018-mist-interim",
        "burt-2021-j-neurol",
        "burt-2015-jama",
        "miller-2021-nmss",
        "sharrack-2020-ebmt",
        "cohen-2019-astct",
        "nmdp-referral",
        "muraro-2025-ectrims-ebmt",
        "beat-ms-registry",
        "ram-ms-registry",
        "starms-protocol-2024",
        "starms-aan-2024",
        "net-ms-registry",
        "mesems-2021",
        "mesems-protocol-2019",
        "msc-meta-analysis",
        "intensity-meta-2020",
        "jneurol-2022-review",
        "mancardi-2012-position",
        "sweden-beam-cy-2024",
        "brazil-2010",
        "atkins-2024",
        "stem-cell-res-ther-2015",
        "beat-ms-org",
        "london-bridge-hospital",
        "mexico-outpatient-2019",
        "immune-reconstitution-2010",
        "best-pract-2004",
        "kalincik-2015-cdw",
        "rotstein-2015-neda",
        "giovannoni-2015-neda",
        "kurtzke-1983-edss",
        "neurostatus-edss",
        "sorror-2005-hctci",
        "fda-2021-regenerative",
        "fda-2019-consumer",
        "isscr-warning-signs",
        "turner-knoepfler-2016",
        "turner-2021",
        "montobbio-2024-msprog",
    }
)
# Canonical Part II ids (COMMON.md / the H1b brief) that sources_comparators.yaml must define.
PART_II_IDS = frozenset(
    {
        "opera-2017",
        "havrdova-2018-opera-neda",
        "affirm-2006",
        "havrdova-2009-affirm-neda",
        "care-ms-i-2012",
        "care-ms-ii-2012",
        "asclepios-2020",
        "clarity-2010",
        "kalincik-2023",
        "zhukovsky-2021",
        "muraro-2025-ann-neurol",
        "sweden-register-2021",
        "boffa-2021",
        "silfverberg-2024",
        "uk-cohort-2025",
        "daikeler-2011",
        "massarotti-2021",
        "zafeiri-2023",
        "burt-2020-cost",
        "norway-cost-2024",
        "italy-cost-2024",
        "nhs-cua-2024",
        "dmt-prices-2021",
        "snowden-2017",
    }
)
# Publications of the pivotal DMT trials (and analyses of them): their numbers carry the
# Part II read-across warning.
PIVOTAL_SOURCES = frozenset(
    {
        "opera-2017",
        "havrdova-2018-opera-neda",
        "thur-179-ocrelizumab-neda",
        "affirm-2006",
        "miller-2007-affirm-mri",
        "nri-2011-natalizumab",
        "tysabri-hcp",
        "havrdova-2009-affirm-neda",
        "care-ms-i-2012",
        "care-ms-ii-2012",
        "jir-2014-alemtuzumab",
        "cmsc-2013-care-ms-ii-ha",
        "alemtuzumab-dddt-review",
        "asclepios-2020",
        "aan-2023-ofatumumab-cdw",
        "cmsc-2020-ofatumumab-neda",
        "neurol-ther-2023-ofatumumab",
        "clarity-2010",
        "drugs-2020-cladribine",
        "clarity-post-hoc-2019",
    }
)
READ_ACROSS_MARK = "head-to-head"
#: A stated percentage may differ from 100*n/d by rounding only.
ROUNDING_TOLERANCE = 0.6


# --- checkers ---------------------------------------------------------------------------
def source_problems(s: Record) -> list[str]:
    out: list[str] = []
    sid = s.get("id", "?")
    if not ID_RE.match(str(sid)):
        out.append(f"{sid}: id is not kebab-case")
    if extra := set(s) - SOURCE_KEYS:
        out.append(f"{sid}: unknown keys {sorted(extra)}")
    if s.get("kind") not in SOURCE_KINDS:
        out.append(f"{sid}: kind {s.get('kind')!r} not allowed")
    for key in ("label", "citation"):
        if not str(s.get(key) or "").strip():
            out.append(f"{sid}: {key} is required")
    if s.get("kind") != "seed" and not any(
        s.get(k) for k in ("doi", "pmid", "pmcid", "url", "registry_ids")
    ):
        out.append(f"{sid}: a non-seed source needs doi, pmid, pmcid, url or registry_ids")
    if s.get("doi") is not None and not DOI_RE.match(s["doi"]):
        out.append(f"{sid}: bad doi {s['doi']!r}")
    if s.get("pmid") is not None and not str(s["pmid"]).isdigit():
        out.append(f"{sid}: pmid must be digits")
    if s.get("pmcid") is not None and not PMCID_RE.match(s["pmcid"]):
        out.append(f"{sid}: bad pmcid {s['pmcid']!r}")
    for rid in s.get("registry_ids") or []:
        if not NCT_RE.match(rid):
            out.append(f"{sid}: bad registry id {rid!r}")
    if s.get("url") is not None and (not s["url"].strip() or " " in s["url"]):
        out.append(f"{sid}: url must be one address without spaces")
    if s.get("kind") == "secondary" and not s.get("caution"):
        out.append(f"{sid}: a secondary source needs a caution")
    return out


def _estimate_problems(fid: str, f: Record) -> list[str]:
    est = f["estimate"]
    out: list[str] = []
    if extra := set(est) - ESTIMATE_KEYS:
        out.append(f"{fid}: unknown estimate keys {sorted(extra)}")
    proportion = f.get("unit") in PROPORTION_UNITS or (
        f.get("numerator") is not None and f.get("denominator") is not None
    )
    if not proportion or (f.get("value") is None and f.get("numerator") is None):
        out.append(f"{fid}: an estimate needs a proportion")
    if est.get("therapy") not in THERAPIES:
        out.append(f"{fid}: therapy {est.get('therapy')!r} not allowed")
    if est.get("design") not in DESIGNS:
        out.append(f"{fid}: design {est.get('design')!r} not allowed")
    if est.get("intensity", "any") not in INTENSITIES:
        out.append(f"{fid}: intensity {est.get('intensity')!r} not allowed")
    if not set(est.get("courses") or []) <= COURSES:
        out.append(f"{fid}: courses {est.get('courses')!r} not allowed")
    kind, outcome = est.get("kind"), est.get("outcome")
    if not ((kind == "benefit" and outcome in BENEFIT) or (kind == "harm" and outcome in HARM)):
        out.append(f"{fid}: outcome {outcome!r} does not fit kind {kind!r}")
    years = est.get("years")
    if years is not None and not years > 0:
        out.append(f"{fid}: years must be positive")
    for key in ("edss_min", "edss_max"):
        if est.get(key) is not None and float(est[key]) not in EDSS_GRID:
            out.append(f"{fid}: {key} {est[key]} is not an EDSS step")
    for low, high in (("edss_min", "edss_max"), ("age_min", "age_max")):
        if est.get(low) is not None and est.get(high) is not None and est[low] > est[high]:
            out.append(f"{fid}: {low} above {high}")
    return out


def fact_problems(f: Record, known_sources: frozenset[str]) -> list[str]:
    out: list[str] = []
    fid = str(f.get("id", "?"))
    if not ID_RE.match(fid):
        out.append(f"{fid}: id is not kebab-case")
    if extra := set(f) - FACT_KEYS:
        out.append(f"{fid}: unknown keys {sorted(extra)}")
    if not str(f.get("statement") or "").strip() or not str(f.get("topic") or "").strip():
        out.append(f"{fid}: statement and topic are required")
    sources = f.get("source_ids") or []
    if not sources:
        out.append(f"{fid}: needs at least one source")
    out += [f"{fid}: unknown source {s!r}" for s in sources if s not in known_sources]
    value, unit = f.get("value"), f.get("unit")
    if value is not None:
        if unit not in UNITS:
            out.append(f"{fid}: unit {unit!r} not in the schema's list")
        if not str(f.get("population") or "").strip():
            out.append(f"{fid}: a numeric fact needs a population")
        if unit == "%" and not 0 <= value <= 100:
            out.append(f"{fid}: % value outside 0-100")
        if unit == "per 1,000 patients" and not 0 <= value <= 1000:
            out.append(f"{fid}: per-1,000 value outside 0-1000")
    iv = f.get("interval")
    if iv is not None:
        if value is None:
            out.append(f"{fid}: an interval needs a value")
        if iv.get("kind") not in INTERVAL_KINDS:
            out.append(f"{fid}: interval kind {iv.get('kind')!r} not allowed")
        if iv["low"] > iv["high"]:
            out.append(f"{fid}: interval low above high")
        elif (
            value is not None
            and iv.get("kind") in CONTAINING_KINDS
            and not (iv["low"] <= value <= iv["high"])
        ):
            out.append(f"{fid}: value outside its interval")
    n, d = f.get("numerator"), f.get("denominator")
    if (n is None) != (d is None):
        out.append(f"{fid}: numerator and denominator go together")
    elif n is not None and d is not None:
        if not 0 <= n <= d or d <= 0:
            out.append(f"{fid}: counts {n}/{d} are inconsistent")
        elif unit == "%" and value is not None and abs(value - 100 * n / d) >= ROUNDING_TOLERANCE:
            out.append(f"{fid}: {value}% does not match {n}/{d}")
        elif unit == "patients" and value != n:
            out.append(f"{fid}: {value} patients does not match numerator {n}")
    if f.get("verified", True) is False and not f.get("caution"):
        out.append(f"{fid}: an unverified fact needs a caution")
    if f.get("estimate") is not None:
        out += _estimate_problems(fid, f)
    return out


# --- the data ---------------------------------------------------------------------------
def test_sources_are_well_formed(comparator_sources: list[Record]) -> None:
    problems = [p for s in comparator_sources for p in source_problems(s)]
    assert problems == []


def test_source_ids_unique(comparator_sources: list[Record]) -> None:
    ids = [s["id"] for s in comparator_sources]
    assert len(ids) == len(set(ids))


def test_canonical_part_ii_ids_defined_and_part_i_ids_not(
    comparator_sources: list[Record],
) -> None:
    ids = {s["id"] for s in comparator_sources}
    assert PART_II_IDS - ids == set()
    assert ids & PART_I_IDS == set()


def test_facts_are_well_formed(
    comparator_facts: list[Record], comparator_sources: list[Record]
) -> None:
    known = frozenset({s["id"] for s in comparator_sources}) | PART_I_IDS
    problems = [p for f in comparator_facts for p in fact_problems(f, known)]
    assert problems == []


def test_fact_ids_unique_and_distinct_from_sources(
    comparator_facts: list[Record], comparator_sources: list[Record]
) -> None:
    ids = [f["id"] for f in comparator_facts]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    assert duplicates == []
    assert set(ids) & {s["id"] for s in comparator_sources} == set()


def test_every_comparator_source_is_cited(
    comparator_facts: list[Record], comparator_sources: list[Record], dmts: list[Record]
) -> None:
    cited = {s for f in comparator_facts for s in f["source_ids"]}
    cited |= {s for d in dmts for s in d["source_ids"]}
    assert {s["id"] for s in comparator_sources} - cited == set()


def test_pivotal_trial_numbers_carry_the_read_across_warning(
    comparator_facts: list[Record],
) -> None:
    missing = [
        f["id"]
        for f in comparator_facts
        if f.get("value") is not None
        and set(f["source_ids"]) & PIVOTAL_SOURCES
        and READ_ACROSS_MARK not in (f.get("caution") or "")
    ]
    assert missing == []


def test_facts_citing_secondary_sources_carry_a_caution(
    comparator_facts: list[Record], comparator_sources: list[Record]
) -> None:
    secondary = {s["id"] for s in comparator_sources if s["kind"] == "secondary"}
    bare = [
        f["id"]
        for f in comparator_facts
        if set(f["source_ids"]) & secondary and not f.get("caution")
    ]
    assert bare == []


def test_unverified_facts_say_so_and_carry_no_estimate(comparator_facts: list[Record]) -> None:
    unverified = [f for f in comparator_facts if f.get("verified") is False]
    assert len(unverified) >= 10  # every "(from memory, unverified)" item in Part II
    for f in unverified:
        assert "unverified" in f["caution"].lower(), f["id"]
        assert "estimate" not in f, f["id"]


def test_96_week_trial_estimates_use_1_85_years(comparator_facts: list[Record]) -> None:
    tagged = [f for f in comparator_facts if f.get("estimate") and f.get("follow_up") == "96 weeks"]
    assert tagged, "expected OPERA/CLARITY estimates"
    assert {f["estimate"]["years"] for f in tagged} == {1.85}


def test_observational_comparisons_have_both_arms(comparator_facts: list[Record]) -> None:
    """Each tagged arm of an aHSCT-vs-DMT comparison has its counterpart arm, same outcome."""
    tagged = [
        f for f in comparator_facts if f["topic"].startswith("comparison.") and f.get("estimate")
    ]
    assert len(tagged) >= 10
    index = {
        (f["id"].rsplit("-", 1)[0], f["estimate"]["outcome"], f["estimate"]["therapy"])
        for f in tagged
    }
    for f in tagged:
        therapy = f["estimate"]["therapy"]
        assert f["id"].endswith("-" + therapy), f["id"]
        stem, outcome = f["id"].rsplit("-", 1)[0], f["estimate"]["outcome"]
        others = {t for s, o, t in index if s == stem and o == outcome and t != therapy}
        assert others, f"{f['id']}: no other arm"
        assert "ahsct" in others | {therapy}, f["id"]


def test_pml_risk_rises_with_exposure(facts_by_id: dict[str, Record]) -> None:
    # Ordering as reported in the notes: longer natalizumab exposure, higher PML risk.
    for prefix in (
        "pml-jcv-pos-no-index",
        "pml-jcv-index-low",
        "pml-jcv-index-high",
        "pml-prior-is",
    ):
        values = [
            facts_by_id[f"{prefix}-{band}"]["value"] for band in ("0-24m", "25-48m", "49-72m")
        ]
        assert values == sorted(values) and values[0] < values[-1], prefix
    exposure = [
        facts_by_id[f"natalizumab-pml-exposure-{b}"]["value"] for b in ("1-11m", "13-24m", "25-36m")
    ]
    assert exposure == sorted(exposure)
    assert (
        facts_by_id["natalizumab-pml-jcv-negative"]["value"]
        < facts_by_id["natalizumab-pml-jcv-positive"]["value"]
    )


def test_cost_facts_use_a_currency(comparator_facts: list[Record]) -> None:
    costs = [f for f in comparator_facts if f["topic"] == "costs" and f.get("value") is not None]
    assert len(costs) >= 10
    assert {f["unit"] for f in costs} <= {"USD", "EUR", "GBP"}
    # Each currency figure says which currency it is in its statement, too.
    for f in costs:
        assert f["unit"] in f["statement"], f["id"]


# --- the checkers can fail -----------------------------------------------------------------
_KNOWN = frozenset({"opera-2017"})
_GOOD: Record = {
    "id": "opera-cdp24-ocrelizumab",
    "statement": "24-week CDP 6.9% on ocrelizumab.",
    "value": 6.9,
    "unit": "%",
    "population": "Ocrelizumab arms of OPERA I and II",
    "source_ids": ["opera-2017"],
    "topic": "dmt.ocrelizumab.efficacy",
    "estimate": {
        "therapy": "ocrelizumab",
        "outcome": "cdw",
        "kind": "harm",
        "courses": ["RRMS"],
        "edss_min": 0.0,
        "edss_max": 5.5,
        "years": 1.85,
        "design": "rct",
    },
}


def _mutated(path: str, value: Any) -> Record:
    fact = copy.deepcopy(_GOOD)
    *parents, last = path.split(".")
    target = fact
    for key in parents:
        target = target[key]
    if value is _DELETE:
        del target[last]
    else:
        target[last] = value
    return fact


_DELETE = object()


def test_good_fact_passes() -> None:
    assert fact_problems(_GOOD, _KNOWN) == []


@pytest.mark.parametrize(
    ("path", "value", "expected"),
    [
        ("id", "OPERA_cdp", "kebab-case"),
        ("unit", "percent", "unit"),
        ("unit", _DELETE, "unit"),
        ("population", _DELETE, "population"),
        ("source_ids", [], "at least one source"),
        ("source_ids", ["no-such-source"], "unknown source"),
        ("value", 106.9, "outside 0-100"),
        ("interval", {"low": 8.0, "high": 5.0, "kind": "95% CI"}, "low above high"),
        ("interval", {"low": 7.0, "high": 9.0, "kind": "95% CI"}, "outside its interval"),
        ("interval", {"low": 5.0, "high": 9.0, "kind": "credible"}, "interval kind"),
        ("numerator", 7, "go together"),
        ("verified", False, "needs a caution"),
        ("estimate.kind", "benefit", "does not fit"),
        ("estimate.therapy", "rituximab", "therapy"),
        ("estimate.design", "trial", "design"),
        ("estimate.edss_min", 0.7, "EDSS step"),
        ("estimate.edss_min", 6.0, "edss_min above edss_max"),
        ("estimate.years", 0, "positive"),
        ("estimate.courses", ["relapsing"], "courses"),
        ("unit", "HR", "needs a proportion"),
        ("colour", "red", "unknown keys"),
    ],
)
def test_fact_checker_flags_each_broken_rule(path: str, value: Any, expected: str) -> None:
    problems = fact_problems(_mutated(path, value), _KNOWN)
    assert any(expected in p for p in problems), problems


@pytest.mark.parametrize(
    ("numerator", "denominator", "value", "ok"),
    [
        (220, 600, 37, True),  # 36.67 -> "37%"
        (30, 43, 70, True),  # 69.77 -> "70%"
        (220, 600, 36.1, True),  # 0.57 below 36.67: just inside the rounding tolerance
        (220, 600, 37.3, False),  # 0.63 above 36.67: outside the rounding tolerance
        (601, 600, 100, False),  # n > d
    ],
)
def test_count_rule_boundaries(numerator: int, denominator: int, value: float, ok: bool) -> None:
    fact = {**_GOOD, "numerator": numerator, "denominator": denominator, "value": value}
    fact.pop("estimate")
    problems = fact_problems(fact, _KNOWN)
    assert (problems == []) is ok, problems


def test_source_checker_flags_missing_identifier_and_bare_secondary() -> None:
    assert source_problems({"id": "x", "kind": "trial", "label": "X", "citation": "X"})
    assert source_problems(
        {"id": "x", "kind": "secondary", "label": "X", "citation": "X", "url": "x.org"}
    )
    assert source_problems(
        {"id": "x", "kind": "trial", "label": "X", "citation": "X", "doi": "11.1/x"}
    )
    assert source_problems(
        {"id": "x", "kind": "trial", "label": "X", "citation": "X", "registry_ids": ["NCT123"]}
    )
    assert (
        source_problems(
            {"id": "x", "kind": "trial", "label": "X", "citation": "X", "pmcid": "PMC12"}
        )
        == []
    )
