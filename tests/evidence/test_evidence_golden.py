"""Spot checks of shipped facts against evidence-notes.md (values copied from the notes)."""

from __future__ import annotations

import pytest

from msstem.evidence import EvidenceBase

# (fact id, value, unit, interval (low, high, kind) or None, n/d or None, source id)
GOLDEN = [
    ("sormani-2017-trm", 2.1, "%", (1.3, 3.4, "95% CI"), None, "sormani-2017"),
    ("sormani-2017-progression-2y", 17.1, "%", (9.7, 24.5, "95% CI"), None, "sormani-2017"),
    ("sormani-2017-progression-5y", 23.3, "%", (16.3, 31.8, "95% CI"), None, "sormani-2017"),
    ("sormani-2017-neda-2y", 83, "%", (70, 92, "range"), None, "sormani-2017"),
    ("sormani-2017-neda-5y", 67, "%", (59, 70, "range"), None, "sormani-2017"),
    ("halt-ms-efs-5y", 69.2, "%", (50.2, 82.1, "90% CI"), None, "nash-2017-halt-ms"),
    ("halt-ms-pfs-5y", 91.3, "%", (74.7, 97.2, "90% CI"), None, "nash-2017-halt-ms"),
    ("halt-ms-edss-change", -0.5, "EDSS points", (-1.5, 0.0, "IQR"), None, "nash-2017-halt-ms"),
    ("mist-progression-hsct", 3, "patients", None, None, "burt-2019-mist"),
    ("mist-progression-dmt", 34, "patients", None, None, "burt-2019-mist"),
    ("mist-progression-hr", 0.07, "HR", (0.02, 0.24, "95% CI"), None, "burt-2019-mist"),
    ("mist-interim-failure-dmt", 60, "%", None, (30, 50), "burt-2018-mist-interim"),
    ("muraro-2017-trm", 2.8, "%", None, (8, 281), "muraro-2017-blog"),
    ("muraro-2017-pfs-5y", 46, "%", None, None, "muraro-2017-jama-neurol"),
    ("burt-2021-trm", 0.19, "%", None, (1, 507), "burt-2021-j-neurol"),
    ("nabizadeh-2022-pfs", 73, "%", (69, 77, "95% CI"), None, "nabizadeh-2022"),
    ("intensity-meta-2020-pfs-low", 85, "%", None, None, "intensity-meta-2020"),
    ("intensity-meta-2020-pfs-high", 58, "%", None, None, "intensity-meta-2020"),
    ("hctci-nrm-hr", 3.54, "HR", (2.0, 6.3, "95% CI"), None, "sorror-2005-hctci"),
    ("seed-001-ebmt-mortality-1995-2000", 7.3, "%", None, None, "seed-001"),
    ("seed-001-ebmt-mortality-2008-2016", 0.7, "%", None, None, "seed-001"),
    ("seed-004-fatality-up-to-2", 2, "%", None, None, "seed-004"),
    ("seed-004-69-percent", 69, "%", None, None, "seed-004"),
    ("seed-004-us-cost", None, "USD", (7000, 10000, "range"), None, "seed-004"),
    ("seed-001-suppression-70-80", None, "%", (70, 80, "range"), None, "seed-001"),
    ("turner-knoepfler-2016-clinics", 570, "clinics", None, None, "turner-knoepfler-2016"),
    ("turner-2021-clinics", 2754, "clinics", None, None, "turner-2021"),
    ("clinic-cost-average", 21500, "USD", None, None, "isscr-warning-signs"),
]


@pytest.mark.parametrize(("fact_id", "value", "unit", "interval", "counts", "source"), GOLDEN,
                         ids=[g[0] for g in GOLDEN])
def test_golden_fact(
    eb: EvidenceBase, fact_id: str, value: float | None, unit: str,
    interval: tuple[float, float, str] | None, counts: tuple[int, int] | None, source: str,
) -> None:
    fact = eb.fact(fact_id)
    assert fact.value == value
    assert fact.unit == unit
    if interval is None:
        assert fact.interval is None
    else:
        assert fact.interval is not None
        assert (fact.interval.low, fact.interval.high, fact.interval.kind) == interval
    assert (fact.numerator, fact.denominator) == (counts or (None, None))
    assert source in fact.source_ids


def test_mist_progressions_favour_hsct(eb: EvidenceBase) -> None:
    hsct, dmt = eb.fact("mist-progression-hsct"), eb.fact("mist-progression-dmt")
    assert (hsct.value, dmt.value) == (3, 34)


def test_halt_ms_estimate_tag_matches_trial_population(eb: EvidenceBase) -> None:
    est = eb.fact("halt-ms-efs-5y").estimate
    assert est is not None
    assert (est.therapy, est.outcome, est.kind) == ("ahsct", "event_free", "benefit")
    assert (est.edss_min, est.edss_max, est.age_min, est.age_max) == (3.0, 5.5, 18, 60)
    assert (est.courses, est.intensity, est.years) == (("RRMS",), "intermediate", 5)


def test_sormani_trm_per_100(eb: EvidenceBase) -> None:
    fact = eb.fact("sormani-2017-trm")
    assert fact.per_100 == pytest.approx(2.1)
    iv = fact.interval_per_100
    assert iv is not None
    assert iv.low == pytest.approx(1.3)
    assert iv.high == pytest.approx(3.4)


CANONICAL_PART_ONE = [
    "seed-000", "seed-001", "seed-002", "seed-003", "seed-004", "sormani-2017", "nabizadeh-2022",
    "muraro-2017-jama-neurol", "nash-2017-halt-ms", "nash-2015-halt-ms", "halt-ms-registry",
    "burt-2019-mist", "burt-2018-mist-interim", "burt-2021-j-neurol", "burt-2015-jama",
    "miller-2021-nmss", "sharrack-2020-ebmt", "cohen-2019-astct", "nmdp-referral",
    "muraro-2025-ectrims-ebmt", "beat-ms-registry", "ram-ms-registry", "starms-protocol-2024",
    "starms-aan-2024", "net-ms-registry", "mesems-2021", "mesems-protocol-2019",
    "msc-meta-analysis", "intensity-meta-2020", "jneurol-2022-review", "mancardi-2012-position",
    "sweden-beam-cy-2024", "brazil-2010", "atkins-2024", "stem-cell-res-ther-2015",
    "beat-ms-org", "london-bridge-hospital", "mexico-outpatient-2019",
    "immune-reconstitution-2010", "best-pract-2004", "kalincik-2015-cdw", "rotstein-2015-neda",
    "giovannoni-2015-neda", "kurtzke-1983-edss", "neurostatus-edss", "sorror-2005-hctci",
    "fda-2021-regenerative", "fda-2019-consumer", "isscr-warning-signs", "turner-knoepfler-2016",
    "turner-2021", "montobbio-2024-msprog",
]


def test_canonical_part_one_source_ids_exist(eb: EvidenceBase) -> None:
    missing = [sid for sid in CANONICAL_PART_ONE if sid not in eb.sources]
    assert missing == []
    assert eb.locations["sormani-2017"] == ("sources.yaml",)


def test_seed_sources_name_their_files(eb: EvidenceBase) -> None:
    seeds = {s.id: s.seed_file for s in eb.sources.values() if s.kind == "seed"}
    assert seeds == {
        "seed-000": "000_d69f0397a7523239.txt", "seed-001": "001_4bdcd58f3ee01d72.txt",
        "seed-002": "002_e006eae579c69306.txt", "seed-003": "003_7fbd4dd216c072b0.txt",
        "seed-004": "004_cb43c359d702ad28.txt",
    }


def test_montobbio_is_software_with_its_citation(eb: EvidenceBase) -> None:
    src = eb.source("montobbio-2024-msprog")
    assert src.kind == "software"
    assert src.citation == "Mult Scler 2024;30(9):1185-1192"


def test_no_pmid_the_notes_do_not_give(eb: EvidenceBase) -> None:
    # The notes give Sormani's DOI but no PMID; a PMID here would be invented.
    assert eb.source("sormani-2017").pmid is None
    assert eb.source("muraro-2017-jama-neurol").pmid == "28241268"


def test_trials_rulesets_and_criteria(eb: EvidenceBase) -> None:
    rulesets = {t.id: t.ruleset for t in eb.trials}
    assert rulesets == {"beat-ms": "beat-ms", "ram-ms": "ram-ms", "starms": "starms",
                        "net-ms": "net-ms", "mesems": None, "mist": "mist",
                        "halt-ms": "halt-ms"}
    assert all(t.entry_criteria for t in eb.trials)
    beat = eb.trial("beat-ms")
    assert beat.primary_endpoint_verified is False and beat.caution
    assert eb.trial("net-ms").primary_endpoint is None
    assert "EDSS 3.0 to 5.5." in eb.trial("halt-ms").entry_criteria


def test_guidelines_and_warning_signs(eb: EvidenceBase) -> None:
    assert {g.id for g in eb.guidelines} == {"nmss-2021", "ectrims-ebmt-2025", "astct-2019",
                                            "ebmt-2020", "nmdp-referral"}
    signs = {w.id: w.verified for w in eb.warning_signs}
    assert signs == {"testimonials": True, "many-diseases": True, "undocumented-source": True,
                     "no-protocol": True, "no-risk": True, "pay-outside-trial": True,
                     "no-ind-or-registration": True, "misleading-fda-or-trial-wording": True,
                     "own-results": True, "cure-claims": True, "drug-free": True,
                     "unproven-cells": True, "unproven-route": True, "entry-criteria": True,
                     "medical-tourism": True, "trial-number": True, "pressure": True,
                     "isolation": True, "sixth-isscr-sign": False}
    # Every checked sign has a severity; the unverified sixth sign is not checked and has none.
    severities = {w.id: w.severity for w in eb.warning_signs}
    assert severities.pop("sixth-isscr-sign") is None
    assert set(severities.values()) == {"serious", "caution"}


def test_beam_atg_is_intermediate_with_caution(eb: EvidenceBase) -> None:
    beam = eb.regimen("beam-atg")
    assert beam.intensity == "intermediate" and beam.myeloablative is True
    assert beam.caution and "intermediate" in beam.caution


def test_disagreements_keep_both_sides(eb: EvidenceBase) -> None:
    d = {x.id: set(x.fact_ids) for x in eb.disagreements}
    assert {"seed-004-69-percent", "halt-ms-efs-5y"} <= d["halt-ms-69-percent"]
    assert {"muraro-2017-pfs-5y", "muraro-2017-pfs-5y-blog"} <= d["muraro-pfs-46-vs-48"]
    assert {"seed-004-us-cost", "clinic-cost-average"} <= d["us-clinic-cost"]
    assert {"seed-001-ebmt-mortality-2008-2016", "sormani-2017-trm",
            "seed-004-fatality-up-to-2"} <= d["treatment-related-mortality"]


def test_unverified_facts_say_so(eb: EvidenceBase) -> None:
    unverified = [f for f in eb.facts.values() if not f.verified]
    assert unverified, "the notes have (from memory, unverified) items"
    for fact in unverified:
        assert fact.caution and ("unverified" in fact.caution.lower()
                                 or "not found" in fact.caution.lower())
        assert fact.estimate is None  # never used as a personal estimate


def test_procedure_timeline_is_ordered(eb: EvidenceBase) -> None:
    ids = [s.id for s in eb.procedure_steps]
    assert ids == ["mobilisation", "harvest", "processing", "conditioning", "reinfusion",
                   "engraftment", "hospital-stay", "immune-reconstitution", "recovery"]
    engraftment = next(s for s in eb.procedure_steps if s.id == "engraftment")
    assert (engraftment.timing_days_min, engraftment.timing_days_max) == (10, 14)
