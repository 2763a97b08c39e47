"""Hypothesis properties of the offer checker."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st
from offers_support import OFFERS, WARNINGS, assert_quotes_exact, check

from msstem.errors import InputError
from msstem.offers import CHECKED_SIGN_IDS
from msstem.offers.checker import MAX_CONTROL_SHARE, _control_share

# Warning-context sentences: a cue that warns, advises, reports or hedges, around a claim the
# checker would report if the writer made it.
CUES = (
    "Be wary of clinics that promise {claim}.",
    "Beware of any clinic that claims {claim}.",
    "Red flag: a website that says {claim}.",
    "The FDA is concerned about businesses that advertise {claim}.",
    "Some clinics may claim {claim}, but there is no evidence for it.",
    "You should ask for evidence if a clinic says {claim}.",
    'Clinics that say "{claim}" are a warning sign.',
    "Researchers hope stem cells may one day offer {claim}.",
)
CLAIMS = (
    "no side effects",
    "treatment that is 100% safe and risk-free",
    "that the same cells treat MS, ALS, autism and lupus",
    "help for over 50 conditions",
    "patient testimonials and 5-star reviews",
    "an FDA-registered lab",
    "a treatment package for $15,000 with a deposit",
    "a proprietary blend of cells and a secret protocol",
    "a patient-funded clinical study with a participation fee",
    "that we offer the best care, so book now",
)
warning_sentences = st.builds(
    lambda cue, claim: cue.format(claim=claim), st.sampled_from(CUES), st.sampled_from(CLAIMS)
)
corpus_texts = st.sampled_from([c.text for c in OFFERS + WARNINGS])


def _paragraph_positions(text: str) -> list[int]:
    """Where a new paragraph can go without touching any existing one."""
    positions = [0, len(text)]
    start = 0
    while (found := text.find("\n\n", start)) != -1:
        positions.append(found + 1)
        start = found + 2
    return sorted(set(positions))


@settings(max_examples=150, deadline=None)
@given(corpus_texts, st.lists(warning_sentences, min_size=1, max_size=3), st.data())
def test_adding_a_warning_sentence_never_adds_a_finding(
    text: str, sentences: list[str], data: st.DataObject
) -> None:
    position = data.draw(st.sampled_from(_paragraph_positions(text)))
    insert = "\n\n" + " ".join(sentences) + "\n\n"
    longer = text[:position] + insert + text[position:]
    before, after = check(text), check(longer)
    assert set(after.claim_sign_ids) <= set(before.claim_sign_ids)
    # Warning sentences change nothing at all: not the offer reading, not the not-stated signs.
    assert after.sign_ids == before.sign_ids
    assert after.is_offer == before.is_offer
    assert_quotes_exact(longer, after)


FRAGMENTS = (
    "Our clinic offers stem cell therapy",
    "no side effects",
    "100% safe",
    "be wary of clinics that promise",
    "patient testimonials",
    "MS, ALS, autism and lupus",
    "$9,500",
    "deposit",
    "FDA-registered",
    "clinical trial",
    "NCT09999901",
    "autologous",
    "intravenous",
    "proprietary blend",
    '"I walked again after my treatment"',
    "unlike unproven clinics",
    "not",
    "Book now",
    "Red flags:",
    "- testimonials",
    "researchers hope",
    "our patients say",
    "“quoted",
)
SEPARATORS = (" ", ". ", ", ", "\n", "\n\n", "; ", ": ", "\n- ")
random_offers = st.lists(
    st.tuples(st.sampled_from(FRAGMENTS), st.sampled_from(SEPARATORS)), min_size=1, max_size=25
).map(lambda parts: "".join(f + s for f, s in parts))


@settings(max_examples=300, deadline=None)
@given(random_offers)
def test_findings_are_unique_exact_and_deterministic(text: str) -> None:
    first, second = check(text), check(text)
    assert first == second
    assert json.dumps(first.to_dict()) == json.dumps(second.to_dict())
    ids = [f.id for f in first.warning_signs]
    assert len(ids) == len(set(ids))
    assert_quotes_exact(text, first)
    assert len(first.checked_signs) == len(CHECKED_SIGN_IDS)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=400))
def test_any_text_gives_a_result_or_an_input_error(text: str) -> None:
    try:
        result = check(text)
    except InputError as exc:
        # Empty text, or text that looks binary (control characters), is refused by name.
        message = str(exc)
        if message.startswith("text: empty"):
            assert not text.strip()
        else:
            assert message.startswith("text: this looks like a binary file")
            assert "\x00" in text or _control_share(text) > MAX_CONTROL_SHARE
    else:
        assert text.strip()
        assert "\x00" not in text
        if result.source_format == "text":
            assert_quotes_exact(text, result)
