"""Unit tables for the context rules, the segmenter and each named threshold."""

from __future__ import annotations

import pytest
from offers_support import assert_quotes_exact, check

from msstem.offers import patterns
from msstem.offers.context import TextContext, quote_spans
from msstem.offers.segments import SOFT_WRAP_MIN_CHARS, clause_spans, split_sentences

# (text, is the "no risk" wording the writer's own claim?)
NO_RISK_CONTEXT = [
    ("Our treatment has no side effects.", True),
    ("The procedure is 100% safe and painless.", True),
    ("Be wary of clinics that promise no side effects.", False),
    ("Beware of anyone who says a treatment is risk-free.", False),
    ("Clinics may claim their cells are completely safe.", False),
    ("Red flag: a clinic that says its cells are 100% safe.", False),
    ("Claims of no risk are a warning sign.", False),
    ("Unlike unproven clinics, our cells are 100% safe.", True),
    # no own voice, so the clause shares the sentence's warning (a known miss, see docs)
    ("Unlike unproven clinics, these cells are 100% safe.", False),
    ('We warn patients about clinics that say "our cells are 100% safe".', False),  # quoted
    ("No treatment is completely safe.", False),  # negation, 1 word between
    ("This treatment is not risk-free.", False),
    ("There is no evidence that the cells are risk-free.", False),
    ("Researchers hope the cells may one day be completely safe.", False),
    ("Be wary of any clinic or website that promises\nno side effects at all.", False),  # wrap
    ("Red flags:\n- no side effects\n- testimonials", False),  # list under a warning intro
    ("Why choose us:\n- no side effects\n- friendly staff", True),  # list under a plain intro
    ("Don't wait: our therapy is risk-free.", True),  # a marketing imperative is not advice
    ("Do not trust a clinic that says its therapy is risk-free.", False),
]


@pytest.mark.parametrize(("text", "claimed"), NO_RISK_CONTEXT)
def test_no_risk_context(text: str, claimed: bool) -> None:
    result = check(text)
    assert ("no-risk" in result.claim_sign_ids) is claimed
    assert_quotes_exact(text, result)


def test_negation_gap_boundary() -> None:
    # NEGATION_GAP_WORDS words may sit between the negation and the claim.
    assert patterns.NEGATION_GAP_WORDS == 2
    at_limit = "No treatment is 100% safe."  # 2 words between "No" and the match
    over_limit = "No waiting lists here and 100% safe."  # 4 words: the claim stands
    assert "no-risk" not in check(at_limit).claim_sign_ids
    assert "no-risk" in check(over_limit).claim_sign_ids
    # Payment allows no gap: "no deposit" is not a payment, "no hidden fees: $9,000" is.
    assert check("Our clinic, no deposit needed for treatment.").is_offer is False
    assert "pay-outside-trial" in check("No hidden fees: $9,000 for the treatment.").sign_ids


# (text, is "many-diseases" found?) around MANY_DISEASES_MIN = 3 distinct conditions
MANY_DISEASES = [
    ("Our stem cells treat MS and ALS.", False),  # 2
    ("Our stem cells treat MS, ALS and autism.", True),  # 3 = the minimum
    ("Our stem cells treat MS, ALS, autism and lupus.", True),  # 4
    ("Our stem cells treat MS, MS relapses and multiple sclerosis fatigue.", False),  # 1 distinct
    ("MS, ALS and autism were on the agenda of the meeting.", False),  # no treatment wording
    ("We treat:\n- MS\n- ALS\n- autism", True),  # a list block under its intro
    ("We treat MS.\nALS is a different disease.\nAutism is too.", False),  # separate sentences
    ("Clinics may claim their cells treat MS, ALS and autism.", False),  # reported claim
    ("Our therapy helps with over 40 conditions.", True),  # phrase
    ("Our therapy helps a wide range of chronic conditions.", True),  # phrase with adjective
    ("Stem cells could possibly be used to treat many medical conditions.", False),  # hedged
]


@pytest.mark.parametrize(("text", "found"), MANY_DISEASES)
def test_many_diseases_boundary(text: str, found: bool) -> None:
    assert patterns.MANY_DISEASES_MIN == 3
    result = check(text)
    assert ("many-diseases" in result.claim_sign_ids) is found
    assert_quotes_exact(text, result)


# (text, is_offer) around OFFER_SCORE_MIN = 2 (strong cue 2, weak cue 1)
OFFER_SCORE = [
    ("Our team reads every message.", False),  # one weak cue
    ("Our team and our doctors read every message.", True),  # two weak cues
    ("Book now for spring.", True),  # one strong cue
    ("The treatment costs $9,000.", True),  # a price with treatment wording is strong
    ("The price is $9,000.", False),  # a price, but nothing about treatment
    ("The average cost of treatment is $9,000.", False),  # reported, not asked
    ('Be wary of clinics that say "book now" or "we offer stem cells".', False),
    ("If a clinic asks for a deposit for treatment, talk to your neurologist.", False),
]


@pytest.mark.parametrize(("text", "is_offer"), OFFER_SCORE)
def test_offer_score_boundary(text: str, is_offer: bool) -> None:
    assert patterns.OFFER_SCORE_MIN == 2
    assert check(text).is_offer is is_offer


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Our FDA-registered lab prepares the cells. Book now.", True),
        ("Our lab is registered with the FDA. Book now.", True),
        ("Our lab is not FDA-approved. Book now.", False),  # negated
        ("The drugs used in aHSCT are approved by the FDA.", False),  # not an offer
        ("Our trial has a participation fee.", True),  # paying to take part is the sign
        ("Join our clinical trial. Book now.", False),  # trial wording, but nothing to pay
        ("Join our clinical trial. Book now. The cost of treatment is $5,000.", True),
        ("You should never have to pay a participation fee.", False),  # advice
    ],
)
def test_misleading_wording(text: str, found: bool) -> None:
    result = check(text)
    assert ("misleading-fda-or-trial-wording" in result.claim_sign_ids) is found
    assert_quotes_exact(text, result)


@pytest.mark.parametrize(
    ("text", "stated"),
    [
        ("Trial NCT09999901. Our clinic. Book now.", True),
        ("Trial NCT0999990. Our clinic. Book now.", False),  # 7 digits is not an NCT number
        ("Our IND 123456 covers it. Book now.", True),
        ("Our IND number: 19876. Book now.", True),
        ("Our IND is pending. Book now.", False),
        ("Our index 12345 shows it. Book now.", False),  # "ind" in another word
    ],
)
def test_registration_numbers(text: str, stated: bool) -> None:
    result = check(text)
    assert result.is_offer
    assert ("no-ind-or-registration" not in result.sign_ids) is stated
    assert any("registration number" in n for n in result.notes) is stated


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Our patients say they walk better. Book now.", True),
        ("Watch our video testimonials. Book now.", True),
        ('"After my treatment I could walk again," says Ann. Book now.', True),
        ('"Fast recovery" is our motto. Book now.', False),  # not first person
        ('"I can" - short. Book now.', False),  # under three words
        ("We do not rely on testimonials. Book now.", False),  # negated
        ("Claims based on patient testimonials are a warning sign.", False),
    ],
)
def test_testimonials(text: str, found: bool) -> None:
    result = check(text)
    assert ("testimonials" in result.claim_sign_ids) is found
    assert_quotes_exact(text, result)


def test_vague_source_and_protocol_are_claims_with_quotes() -> None:
    text = "Our secret formula of cells and our unique protocol. Book now."
    result = check(text)
    by_id = {f.id: f for f in result.warning_signs}
    assert by_id["undocumented-source"].kind == "claim"
    assert by_id["no-protocol"].kind == "claim"
    assert by_id["no-protocol"].quote is not None
    assert by_id["no-protocol"].quote.text == "unique protocol"


def test_stated_source_and_protocol_silence_not_stated_signs() -> None:
    bare = check("Our clinic offers stem cell therapy. Book now.")
    assert {"undocumented-source", "no-protocol"} <= set(bare.sign_ids)
    full = check(
        "Our clinic uses your own bone marrow cells, 100 million cells given intravenously. "
        "Book now."
    )
    assert not {"undocumented-source", "no-protocol"} & set(full.sign_ids)
    stated = {c.id: c.stated for c in full.checked_signs}
    assert stated["undocumented-source"] is not None
    assert stated["no-protocol"] is not None


# --- segmenter ----------------------------------------------------------------------------


def test_sentences_keep_offsets_and_skip_abbreviations() -> None:
    text = "Dr. Smith treats MS. Call us e.g. today!  Then rest."
    sentences = split_sentences(text)
    assert [text[s.start : s.end] for s in sentences] == [
        "Dr. Smith treats MS.",
        "Call us e.g. today!",
        "Then rest.",
    ]


def test_list_items_share_the_block_of_their_intro() -> None:
    text = "Warning signs:\n- testimonials\n- no risk\n\nOther text here."
    sentences = split_sentences(text)
    assert [text[s.start : s.end] for s in sentences] == [
        "Warning signs:",
        "testimonials",
        "no risk",
        "Other text here.",
    ]
    assert sentences[0].intro
    assert sentences[1].list_item and sentences[2].list_item
    assert sentences[0].block == sentences[1].block == sentences[2].block
    assert sentences[3].block != sentences[0].block


def test_soft_wrap_boundary() -> None:
    assert SOFT_WRAP_MIN_CHARS == 40
    long_line = "x" * (SOFT_WRAP_MIN_CHARS - 4) + " abc"  # exactly the minimum
    short_line = "x" * (SOFT_WRAP_MIN_CHARS - 5) + " abc"  # one under
    assert len(long_line) == SOFT_WRAP_MIN_CHARS
    assert len(split_sentences(long_line + "\nnext words.")) == 1  # joined
    assert len(split_sentences(short_line + "\nnext words.")) == 2  # kept apart


def test_clauses_split_at_commas_and_contrast_words() -> None:
    text = "Unlike unproven clinics, our cells are safe but costly; truly."
    (sentence,) = split_sentences(text)
    clauses = [text[s:e].strip() for s, e in clause_spans(text, sentence)]
    assert clauses == ["Unlike unproven clinics", "our cells are safe", "but costly", "truly."]


def test_quote_pairs() -> None:
    text = 'He said "one" and “two” then "unclosed'
    assert [text[s:e] for s, e in quote_spans(text, 0, len(text))] == ["one", "two"]


def test_text_context_counts_warned_sentences() -> None:
    ctx = TextContext("Be wary of testimonials. Our clinic is open. Red flags:\n- no risk")
    # The first sentence, the "Red flags:" intro and its item.
    assert ctx.warned_sentence_count == 3


def test_a_phrase_never_spans_two_sentences() -> None:
    # Found by the warning-sentence property: "therapies" in a heading and "over 50 conditions"
    # in a warning paragraph below it are not one "treats many conditions" phrase.
    text = (
        "Regenerative medicine therapies\n\n"
        "Some clinics may claim help for over 50 conditions, but there is no evidence for it."
    )
    assert check(text).warning_signs == ()
    wrapped = "Our regenerative stem cell therapies will really\nhelp over 50 conditions."
    assert "many-diseases" in check(wrapped).claim_sign_ids  # one sentence, soft-wrapped
