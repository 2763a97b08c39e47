"""Golden spot checks: Part II figures copied by hand from evidence-notes.md (Part II).

Each row is an independent transcription of the notes, not read from the data files, so a
typo in the YAML (or in this table) makes the test fail.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from shared_files import find_shared

Record = dict[str, Any]

# (fact id, value, unit, interval (low, high) or None, (numerator, denominator) or None)
GOLDEN: list[tuple[str, float, str, tuple[float, float] | None, tuple[int, int] | None]] = [
    # A1 OPERA
    ("opera-design-patients", 1656, "patients", None, None),
    ("opera-arr-ocrelizumab", 0.16, "relapses per year", None, None),
    ("opera-arr-interferon", 0.29, "relapses per year", None, None),
    ("opera-cdp12-ocrelizumab", 9.1, "%", None, None),
    ("opera-cdp12-interferon", 13.6, "%", None, None),
    ("opera-cdp12-hr", 0.60, "HR", (0.45, 0.81), None),
    ("opera-cdp24-ocrelizumab", 6.9, "%", None, None),
    ("opera-cdp24-interferon", 10.5, "%", None, None),
    ("opera-cdp24-hr", 0.60, "HR", (0.43, 0.84), None),
    ("opera-neda-ocrelizumab", 47.7, "%", None, None),
    ("opera-neda-interferon", 27.1, "%", None, None),
    # A2 AFFIRM
    ("affirm-progression-hr", 0.58, "HR", (0.43, 0.77), None),
    ("affirm-arr-1y-rate-ratio", 0.325, "rate ratio", (0.256, 0.412), None),
    ("affirm-clinical-free-natalizumab", 64, "%", None, (383, 596)),
    ("affirm-mri-free-placebo", 14, "%", None, (42, 296)),
    ("affirm-neda-natalizumab", 37, "%", None, (220, 600)),
    ("affirm-neda-placebo", 7, "%", None, (22, 304)),
    ("affirm-neda-difference", 29.5, "%", (24.7, 34.3), None),
    # A3 CARE-MS
    ("care-ms-i-arr-alemtuzumab", 0.18, "relapses per year", None, None),
    ("care-ms-i-sad-hr", 0.70, "HR", (0.40, 1.23), None),
    ("care-ms-ii-sad-alemtuzumab", 12.7, "%", None, None),
    ("care-ms-ii-sad-interferon", 21.1, "%", None, None),
    ("care-ms-ii-sad-hr", 0.58, "HR", (0.38, 0.87), None),
    ("care-ms-ii-ha-activity-free-alemtuzumab", 24.2, "%", None, None),
    # A4 ASCLEPIOS, A5 CLARITY
    ("asclepios-2-arr-teriflunomide", 0.25, "relapses per year", None, None),
    ("asclepios-cdw6-ofatumumab", 8.15, "%", None, None),
    ("asclepios-neda-0-12-ofatumumab", 47.0, "%", None, None),
    ("asclepios-neda-12-24-teriflunomide", 48.2, "%", None, None),
    ("clarity-arr-cladribine", 0.14, "relapses per year", None, None),
    ("clarity-cdp3-hr", 0.67, "HR", (0.48, 0.93), None),
    ("clarity-extension-neda-2y", 29.6, "%", None, None),
    # B harms
    ("natalizumab-pml-overall", 4.14, "per 1,000 patients", None, None),
    ("natalizumab-pml-overall-2017", 4.19, "per 1,000 patients", (3.89, 4.49), None),
    ("natalizumab-pml-jcv-negative", 0.11, "per 1,000 patients", (0, 0.59), None),
    ("natalizumab-pml-jcv-positive", 2.16, "per 1,000 patients", (1.40, 3.18), None),
    ("pml-jcv-index-high-49-72m", 10.1, "per 1,000 patients", None, None),
    ("pml-all-three-risk-factors", 11, "per 1,000 patients", None, None),
    ("alemtuzumab-thyroid-6y", 42, "%", None, None),
    ("alemtuzumab-itp-long-term", 2.0, "%", None, None),
    ("alemtuzumab-iar-course-1", 84.7, "%", None, None),
    ("opera-irr-ocrelizumab", 34.3, "%", None, None),
    ("opera-serious-infection-ocrelizumab", 1.3, "%", None, None),
    ("ocrelizumab-lt-serious-infection-rate", 2.01, "per 100 patient-years", None, None),
    ("ocrelizumab-igg-low-wk312", 7.7, "%", None, None),
    ("asclepios-serious-infection-ofatumumab", 2.5, "%", None, None),
    ("clarity-lymphopenia-cladribine", 21.6, "%", None, None),
    ("cladribine-zoster-grade34-lymphopenia", 4.5, "per 100 patient-years", None, None),
    # C observational
    ("zhukovsky-2021-neda-3y-ahsct", 88, "%", None, None),
    ("zhukovsky-2021-neda-3y-alemtuzumab", 37, "%", None, None),
    ("zhukovsky-2021-thyroid-3y-alemtuzumab", 46, "%", None, None),
    ("zhukovsky-2021-thyroid-3y-ahsct", 21, "%", None, None),
    ("kalincik-2023-n-ocrelizumab", 343, "patients", None, None),
    ("kalincik-conf-improvement-hr-fingolimod", 2.62, "HR", (1.46, 4.72), None),
    ("muraro-2025-arr-ahsct-vs-alemtuzumab", 0.026, "relapses per year", None, None),
    ("muraro-2025-relapse-hr-alemtuzumab", 0.29, "HR", (0.13, 0.63), None),
    ("muraro-2025-progression-hr-ocrelizumab", 1.08, "HR", (0.57, 2.04), None),
    ("sweden-register-deaths-alemtuzumab", 8.6, "per 1,000 patient-years", None, None),
    ("sweden-register-infection-ahsct", 108, "per 1,000 patient-years", None, None),
    ("boffa-2021-dwfs-rrms-10y", 71.3, "%", None, None),
    ("silfverberg-2024-neda-10y", 65, "%", None, None),
    ("uk-cohort-2025-neda-5y", 46.2, "%", None, None),
    # D5 fertility, autoimmunity; D6 costs
    ("massarotti-2021-menses-recovery", 70, "%", None, (30, 43)),
    ("zafeiri-2023-amh-3m", 0.5, "pmol/L", None, None),
    ("daikeler-2011-secondary-autoimmunity-5y", 9.8, "%", None, None),
    ("daikeler-2011-cases", 29, "patients", None, (29, 347)),
    ("burt-2020-ahsct-cost", 85184, "USD", (70635, 120260), None),
    ("norway-2024-ahsct-cost", 66304, "EUR", (63598, 69010), None),
    ("italy-2024-cost-5y-ahsct", 46600, "EUR", None, None),
    ("italy-2024-cost-per-neda-dmt", 382800, "EUR", None, None),
    ("dmt-price-2020-cladribine", 107460, "USD", None, None),
    ("dmt-price-2020-median-branded", 91835, "USD", None, None),
    ("ocrelizumab-price-uk-vial", 4790, "GBP", None, None),
]

# (fact id, therapy, outcome, kind, years) for the estimate tags the decision aid relies on.
GOLDEN_ESTIMATES = [
    ("opera-neda-ocrelizumab", "ocrelizumab", "neda", "benefit", 1.85),
    ("opera-cdp24-ocrelizumab", "ocrelizumab", "cdw", "harm", 1.85),
    ("opera-serious-infection-ocrelizumab", "ocrelizumab", "serious_infection", "harm", 1.85),
    ("affirm-neda-natalizumab", "natalizumab", "neda", "benefit", 2),
    ("natalizumab-pml-overall", "natalizumab", "pml", "harm", None),
    ("alemtuzumab-thyroid-6y", "alemtuzumab", "thyroid_disease", "harm", 6),
    ("alemtuzumab-itp-long-term", "alemtuzumab", "itp", "harm", None),
    ("clarity-lymphopenia-cladribine", "cladribine", "lymphopenia", "harm", 1.85),
    ("asclepios-neda-0-12-ofatumumab", "ofatumumab", "neda", "benefit", 1),
    ("zhukovsky-2021-neda-3y-ahsct", "ahsct", "neda", "benefit", 3),
    ("zhukovsky-2021-neda-3y-alemtuzumab", "alemtuzumab", "neda", "benefit", 3),
    ("zhukovsky-2021-grade3-ahsct", "ahsct", "grade3_adverse_event", "harm", None),
    ("massarotti-2021-menses-recovery", "ahsct", "menses_recovery", "benefit", None),
    ("daikeler-2011-secondary-autoimmunity-5y", "ahsct", "secondary_autoimmunity", "harm", 5),
]


@pytest.mark.parametrize(("fact_id", "value", "unit", "interval", "counts"), GOLDEN)
def test_golden_value(
    facts_by_id: dict[str, Record],
    fact_id: str,
    value: float,
    unit: str,
    interval: tuple[float, float] | None,
    counts: tuple[int, int] | None,
) -> None:
    fact = facts_by_id[fact_id]
    assert fact["value"] == pytest.approx(value)
    assert fact["unit"] == unit
    if interval is None:
        assert "interval" not in fact
    else:
        assert (fact["interval"]["low"], fact["interval"]["high"]) == pytest.approx(interval)
    if counts is None:
        assert "numerator" not in fact
    else:
        assert (fact["numerator"], fact["denominator"]) == counts


@pytest.mark.parametrize(
    ("fact_id", "counts"),
    [("zhukovsky-2021-grade3-ahsct", (48, 69)), ("zhukovsky-2021-grade3-alemtuzumab", (0, 75))],
)
def test_golden_counts_without_a_stated_percentage(
    facts_by_id: dict[str, Record], fact_id: str, counts: tuple[int, int]
) -> None:
    # The notes give "48/69 vs 0/75" only; the data must not add a percentage of its own.
    fact = facts_by_id[fact_id]
    assert (fact["numerator"], fact["denominator"]) == counts
    assert fact.get("value") is None and fact.get("unit") is None


@pytest.mark.parametrize(("fact_id", "therapy", "outcome", "kind", "years"), GOLDEN_ESTIMATES)
def test_golden_estimate_tag(
    facts_by_id: dict[str, Record],
    fact_id: str,
    therapy: str,
    outcome: str,
    kind: str,
    years: float | None,
) -> None:
    est = facts_by_id[fact_id]["estimate"]
    assert (est["therapy"], est["outcome"], est["kind"], est.get("years")) == (
        therapy,
        outcome,
        kind,
        years,
    )


def test_manufacturer_and_mirror_figures_keep_their_caution(facts_by_id: dict[str, Record]) -> None:
    # Items marked ⚠ in the notes.
    for fact_id, word in [
        ("affirm-progression-12w-natalizumab", "Manufacturer"),
        ("ocrelizumab-igg-low-wk312", "Manufacturer"),
        ("natalizumab-pml-overall-2017", "Blog"),
        ("pml-prior-is-49-72m", "mirror"),
        ("asclepios-neda-0-12-ofatumumab", "News copy"),
        ("kalincik-conf-relapse-hr-fingolimod", "Secondary"),
        ("menses-survey-33-41", "self-reported"),
        ("opera-irr-interferon", "secondary"),
    ]:
        assert word.lower() in facts_by_id[fact_id]["caution"].lower(), fact_id


# --- traceability: every number appears in Part II of the notes -----------------------------
NOTES = find_shared("evidence-notes.md")
#: Values that restate the notes' words rather than copy digits: "all" women -> 100%.
NOT_LITERAL = {"menses-survey-32-or-younger"}


def _spellings(value: float) -> set[str]:
    out = {f"{value:g}"}
    if 0 < value < 1:
        out.add(f"{value:g}".lstrip("0"))  # "p=.01"
    if float(value).is_integer():
        out.add(f"{int(value):,}")
    for digits in (1, 2, 3):
        out.add(f"{value:.{digits}f}")
    return out


@pytest.mark.skipif(NOTES is None, reason="../shared/evidence-notes.md is absent (fails in CI)")
def test_every_value_appears_in_part_ii_of_the_notes(comparator_facts: list[Record]) -> None:
    text = NOTES.read_text(encoding="utf-8")
    part_ii = text[text.index("# Part II.") :]
    numbers = set(re.findall(r"\d+(?:,\d{3})*(?:\.\d+)?|\.\d+", part_ii))
    missing = [
        (f["id"], f["value"])
        for f in comparator_facts
        if f.get("value") is not None
        and f["id"] not in NOT_LITERAL
        and not _spellings(abs(f["value"])) & numbers
    ]
    assert missing == []
