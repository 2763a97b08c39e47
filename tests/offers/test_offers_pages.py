"""The labelled corpus of real pages (issue 10): its discipline, the held-out acceptance rule,
and the kinds of page the issue names, each caught by the sign it should be."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from pages_support import Page, by_kind, load_pages, split_of

from msstem.offers import CHECKED_SIGN_IDS, check_offer
from msstem.offers.language import detect_language

PAGES = load_pages()
TEST = load_pages("test")
BY_NAME = {p.name: p for p in PAGES}
# "Not stated" signs are not labelled (see the corpus README).
UNLABELLED = {"no-protocol", "no-ind-or-registration"}


def test_corpus_size_and_discipline() -> None:
    assert len(by_kind(PAGES, "clinic")) >= 40
    assert len(by_kind(PAGES, "legitimate")) >= 20
    assert sum(p.language == "es" for p in PAGES) >= 10
    assert len({p.url for p in PAGES}) == len(PAGES)
    for page in PAGES:
        assert page.url.startswith(("http://", "https://")), page.name
        assert dt.date.fromisoformat(page.read) == dt.date(2026, 12, 2), page.name
        assert page.language in {"en", "es"}, page.name
        assert page.text.strip() and page.about.strip(), page.name
        assert set(page.labels) <= set(CHECKED_SIGN_IDS) - UNLABELLED, page.name
        assert all(why.strip() for why in page.labels.values()), page.name
        if page.kind == "legitimate":
            severities = {check_offer("x").__class__}  # noqa: F841 - keeps the import honest
            assert not set(page.labels) & _serious_ids(), page.name


def _serious_ids() -> set[str]:
    from msstem.offers.catalog import SERIOUS_SIGN_IDS

    return set(SERIOUS_SIGN_IDS)


def test_every_clinic_page_is_labelled_with_a_serious_sign() -> None:
    for page in by_kind(PAGES, "clinic"):
        assert set(page.labels) & _serious_ids(), page.name


def test_the_split_is_fixed_by_the_url_hash() -> None:
    # Golden values for the rule in pages_support.split_of (sha256 of the URL, first 8 hex
    # digits, modulo 4); any change to the rule changes these.
    assert split_of("https://crick.ai/trials/NCT07146087") == "test"
    assert split_of("https://mocell.mx/enfermedades-autoinmunes/") == "dev"
    share = len(TEST) / len(PAGES)
    assert 0.15 <= share <= 0.35
    assert by_kind(TEST, "clinic") and by_kind(TEST, "legitimate")


# Held-out clinic pages the checker misses (no serious sign): reported in docs/offers.md. The
# marks are strict, so a page that starts passing must be taken off this list.
HELD_OUT_MISSES = {
    "placidway-hsct-abroad",  # hash-split test page
    "biocord-ensayos", "biospectrum-nutech", "orientpublication-nutech",  # fresh pages
}
FRESH = load_pages("fresh")


def _held_out(page: Page) -> object:
    if page.name in HELD_OUT_MISSES:
        return pytest.param(page, marks=pytest.mark.xfail(
            strict=True, reason="held-out miss, reported in docs/offers.md"))
    return page


@pytest.mark.parametrize("page", [_held_out(p) for p in TEST + FRESH], ids=lambda p: p.name)
def test_held_out_pages_meet_the_acceptance_rule(page: Page) -> None:
    """Issue 10: every clinic text shows >= 1 serious sign; no legitimate text shows one."""
    result = check_offer(page.text)
    serious = result.serious_sign_ids
    if page.kind == "clinic":
        assert serious, (page.name, result.sign_ids)
        assert result.verdict.startswith("This text shows ")
    else:
        assert not serious, (page.name, serious)


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_language_is_detected(page: Page) -> None:
    assert detect_language(page.text) == page.language
    assert check_offer(page.text).language == page.language


# The kinds of page the issue describes, each with the sign a careful reader expects.
KINDS = [
    ("thsstemed-ms", "unproven-cells"),  # umbilical cord cells for MS
    ("mediland-fetal", "unproven-cells"),  # fetal cells
    ("okyanos-ms", "unproven-cells"),  # fat-derived cells
    ("mediland-fetal", "own-results"),  # "improvements in 78% of cases"
    ("mediccell-ms", "own-results"),  # "our patients report"
    ("hsctmexico-inclusion", "entry-criteria"),  # no age limit, EDSS up to 7-8
    ("hsctmexico-faqs", "entry-criteria"),  # all types of MS, progressive included
    ("hsctindia-package", "entry-criteria"),  # ages to 65, EDSS 6-7, PPMS
    ("cells4health-ms", "drug-free"),  # "a drug-free alternative"
    ("cells4health-ms", "unproven-route"),  # lumbar puncture and mannitol
    ("issuu-regenerative-nj", "unproven-route"),  # intrathecal MSCs
    ("startstemcells-therapy", "many-diseases"),  # one product for a dozen diseases
    ("bioinformant-swissmedica", "no-risk"),  # "side effects completely non-existent"
    ("dvcstem-hsct-risks", "misleading-fda-or-trial-wording"),  # a patient-funded "study"
    ("hsctindia-package", "medical-tourism"),  # airport pick-up, 33-day stay
    ("mocell-autoinmunes", "cure-claims"),  # Spanish: "hasta la remisión completa"
    ("stemcellstransplantinstitute-es", "unproven-cells"),  # Spanish: hUC-MSC
]


@pytest.mark.parametrize(("name", "sign"), KINDS, ids=lambda x: str(x))
def test_each_kind_of_page_is_caught_by_the_expected_sign(name: str, sign: str) -> None:
    page = BY_NAME[name]
    result = check_offer(page.text)
    assert sign in result.sign_ids, (name, result.sign_ids)
    finding = next(f for f in result.warning_signs if f.id == sign)
    assert finding.quote is not None
    assert page.text[finding.quote.start : finding.quote.end] == finding.quote.text


def test_entry_criteria_name_the_guidelines_and_trials_they_contradict() -> None:
    result = check_offer(BY_NAME["hsctmexico-inclusion"].text)
    finding = next(f for f in result.warning_signs if f.id == "entry-criteria")
    assert "any age" in finding.explanation and "EDSS up to 8.0" in finding.explanation
    for name in ("BEAT-MS 55", "HALT-MS 60", "ECTRIMS-EBMT 2025 under 45", "NMSS 2021 under 50",
                 "MESEMS 6.5", "ECTRIMS-EBMT 2025 under 6.0"):
        assert name in finding.explanation, name
    faqs = check_offer(BY_NAME["hsctmexico-faqs"].text)
    course = next(f for f in faqs.warning_signs if f.id == "entry-criteria")
    assert "Progressive MS only with clinical and MRI inflammatory activity" in course.explanation


def test_entry_limits_come_from_the_evidence_data(tmp_path: Path) -> None:
    """Raising HALT-MS's upper age in a copy of the data moves the limit the checker uses."""
    import shutil

    from msstem.evidence import load_evidence
    from msstem.evidence.loader import _data_root

    data = tmp_path / "data"
    shutil.copytree(str(_data_root()), data)
    trials = (data / "trials.yaml").read_text(encoding="utf-8")
    start = trials.index("- id: halt-ms")
    block = trials[start:]
    at = block.index("id: age-max")
    value = block.index("value: 60", at)
    edited = trials[: start + value] + "value: 70" + trials[start + value + len("value: 60") :]
    (data / "trials.yaml").write_text(edited, encoding="utf-8")
    text = "Our clinic accepts patients aged 18 to 65 for stem cell treatment. Book now."
    assert "entry-criteria" in check_offer(text).sign_ids  # 65 is over HALT-MS's 60
    edited_eb = load_evidence(data)
    result = check_offer(text, evidence=edited_eb)
    assert "entry-criteria" not in result.sign_ids  # no longer over any trial's upper age
    older = check_offer(text.replace("65", "75"), evidence=edited_eb)
    finding = next(f for f in older.warning_signs if f.id == "entry-criteria")
    assert "HALT-MS 70" in finding.explanation
