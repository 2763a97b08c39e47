"""One small pure function per warning sign: where in the text the sign shows.

Each detector takes a :class:`~msstem.offers.context.TextContext` and returns
:class:`Hit` spans that are the writer's own statements (warned-about, reported,
hedged and negated phrases are already dropped). Detectors for "not stated" signs
return the spans that DO state the thing (cell source, protocol, IND/NCT number);
the checker reports the sign when an offer has none.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from msstem.offers import patterns
from msstem.offers.context import TextContext

__all__ = [
    "Hit",
    "claimed",
    "find_many_diseases",
    "find_misleading_wording",
    "find_no_risk",
    "find_payment",
    "find_protocol_stated",
    "find_registration_stated",
    "find_source_stated",
    "find_testimonials",
    "find_vague_protocol",
    "find_vague_source",
    "offer_score",
]

# A first-person quotation of at least this many words (and at most this long) is a story.
_MIN_QUOTE_WORDS = 3
_MAX_QUOTE_CHARS = 400
# Characters around a quotation searched for its attribution ("said Dr X").
_ATTRIBUTION_WINDOW = 200
# Longest many-diseases quote before it is cut at the mention that reached the minimum.
_MAX_LIST_QUOTE = 300
_TREATS = re.compile(
    r"\b(?:treat\w*|cur(?:e|es|ed|ing)|heal\w*|help\w*|benefit\w*|improv\w*|revers\w*"
    r"|indications?|conditions|diseases|disorders|therap\w*)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Hit:
    """A span of the input and why it matched."""

    start: int
    end: int
    reason: str


def claimed(
    ctx: TextContext,
    pattern: re.Pattern[str],
    reason: str,
    *,
    negation_gap: int = patterns.NEGATION_GAP_WORDS,
) -> list[Hit]:
    """Matches of ``pattern``, inside one sentence, that are the writer's own statements."""
    return [
        Hit(m.start(), m.end(), reason)
        for m in pattern.finditer(ctx.text)
        if m.end() > m.start()
        and ctx.in_one_sentence(m.start(), m.end())
        and ctx.is_claim(m.start(), m.end(), negation_gap=negation_gap)
    ]


def find_testimonials(ctx: TextContext, *, is_offer: bool = False) -> list[Hit]:
    """Testimonial wording, and first-person stories in quotation marks.

    A quotation with an attribution ("..., says Ann") is a patient's story in an offer, and
    reported speech in a news report.
    """
    hits = claimed(ctx, patterns.TESTIMONIALS, "The text relies on patients' stories.")
    for start, end in ctx.quotes:
        inner = ctx.text[start:end]
        around = ctx.text[max(0, start - _ATTRIBUTION_WINDOW) : end + _ATTRIBUTION_WINDOW]
        attributed = patterns.ATTRIBUTION.search(around) is not None
        if attributed and not is_offer:
            continue  # reported speech in a news report: "..., said Dr X"
        if (
            len(inner.split()) >= _MIN_QUOTE_WORDS
            and len(inner) <= _MAX_QUOTE_CHARS
            and patterns.FIRST_PERSON.search(inner)
            and (attributed or ctx.is_claim(start, end))
        ):
            hits.append(Hit(start, end, "The text quotes a patient's own story."))
    return sorted(hits, key=lambda h: h.start)


def find_many_diseases(ctx: TextContext) -> list[Hit]:
    """'Treats many conditions' wording, or >= MANY_DISEASES_MIN conditions in one block."""
    hits = claimed(
        ctx,
        patterns.MANY_DISEASES_PHRASES,
        "The text offers the treatment for many different conditions.",
    )
    for start, end in ctx.block_spans():
        if not _TREATS.search(ctx.text, start, end):
            continue
        mentions: list[tuple[int, int, str]] = []
        for name, pattern in patterns.CONDITIONS:
            for m in pattern.finditer(ctx.text, start, end):
                if ctx.is_claim(m.start(), m.end()):
                    mentions.append((m.start(), m.end(), name))
        mentions.sort()
        names: list[str] = []
        reached_at = None
        for index, (_, _, name) in enumerate(mentions):
            if name not in names:
                names.append(name)
                if len(names) == patterns.MANY_DISEASES_MIN:
                    reached_at = index
        if reached_at is None:
            continue
        first, last = mentions[0], mentions[-1]
        if last[1] - first[0] > _MAX_LIST_QUOTE:
            last = mentions[reached_at]
        hits.append(
            Hit(
                first[0],
                last[1],
                f"The text names {len(names)} different conditions for the same treatment: "
                f"{', '.join(names)}.",
            )
        )
    return sorted(hits, key=lambda h: h.start)


def find_no_risk(ctx: TextContext) -> list[Hit]:
    return claimed(ctx, patterns.NO_RISK, "The text claims the treatment has no risk.")


def find_vague_source(ctx: TextContext) -> list[Hit]:
    return claimed(
        ctx,
        patterns.UNDOCUMENTED_SOURCE_VAGUE,
        "The text calls its cells proprietary or secret instead of saying where they come from.",
    )


def find_source_stated(ctx: TextContext) -> list[Hit]:
    return claimed(ctx, patterns.SOURCE_STATED, "The text says where the cells come from.")


def find_vague_protocol(ctx: TextContext) -> list[Hit]:
    return claimed(
        ctx,
        patterns.NO_PROTOCOL_VAGUE,
        "The text calls its protocol proprietary, secret or unique instead of describing it.",
    )


def find_protocol_stated(ctx: TextContext) -> list[Hit]:
    return claimed(
        ctx, patterns.PROTOCOL_STATED, "The text describes part of a protocol (dose, route...)."
    )


def find_registration_stated(ctx: TextContext) -> list[Hit]:
    # A number given is given, whatever the sentence around it says.
    return [
        Hit(m.start(), m.end(), "The text gives an IND or NCT registration number.")
        for m in patterns.REGISTRATION_STATED.finditer(ctx.text)
    ]


def find_payment(ctx: TextContext) -> list[Hit]:
    """Prices and payment wording, counted only when the text also speaks of treatment."""
    if not claimed(ctx, patterns.TREATMENT_WORDS, ""):
        return []
    return claimed(
        ctx, patterns.PAYMENT, "The text asks you to pay for the treatment.", negation_gap=0
    )


def find_misleading_wording(
    ctx: TextContext, *, is_offer: bool, pays: bool, promoted: bool = False
) -> list[Hit]:
    """'FDA registered' wording in an offer; trial wording where the patient pays."""
    hits = claimed(
        ctx,
        patterns.PAY_TO_PARTICIPATE,
        "The text asks participants to pay to take part in a 'trial' or 'study'.",
    )
    if is_offer or promoted:
        hits += claimed(
            ctx,
            patterns.MISLEADING_REGULATORY,
            "The text uses FDA or registry wording that can suggest approval it does not have.",
        )
    if is_offer and pays:
        hits += claimed(
            ctx,
            patterns.TRIAL_WORDING,
            "The text calls the treatment a trial or study and also asks you to pay.",
        )
    return sorted(hits, key=lambda h: h.start)


def offer_score(ctx: TextContext, payment: list[Hit]) -> int:
    """Offer cues outside warning context: strong cues (and any payment) 2, weak cues 1."""
    strong = len(claimed(ctx, patterns.OFFER_CUES_STRONG, "")) + len(payment)
    weak = len(claimed(ctx, patterns.OFFER_CUES_WEAK, "")) + len(
        claimed(ctx, patterns.OFFER_CUES_NAMED, "")
    )
    return 2 * strong + weak
