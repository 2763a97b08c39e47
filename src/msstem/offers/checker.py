"""``check_offer``: the warning signs in the text of a stem cell clinic's offer.

Pure: text in, :class:`OfferCheck` out. Each sign found carries the exact phrase
that triggered it (with character offsets into the input), what to ask, and its
source. Signs about what an offer leaves out ("not stated") are only reported
for text that reads as an offer; a regulator's warning page is not an offer.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Final, Literal, get_args

from msstem import __version__
from msstem.errors import InputError, OptionsError
from msstem.evidence import EvidenceBase, load_evidence
from msstem.offers import claims, detect, patterns
from msstem.offers.catalog import CHECKED_SIGN_IDS, Severity, SignInfo, SourceRef, sign_catalog
from msstem.offers.context import TextContext
from msstem.offers.language import LANGUAGE_NAMES, Language, detect_language
from msstem.offers.limits import course_rules, entry_limits
from msstem.offers.markup import html_to_text, looks_like_html

__all__ = [
    "CANNOT_CHECK",
    "DISCLAIMER",
    "MAX_HTML_CHARS",
    "MAX_OFFER_CHARS",
    "CheckedSign",
    "Finding",
    "FindingKind",
    "NotStatedMode",
    "OfferCheck",
    "OfferCheckOptions",
    "Quote",
    "SignStatus",
    "SourceFormat",
    "check_offer",
    "default_entry_context",
]

#: Longest text accepted (characters). An offer page is a few thousand characters; the limit
#: keeps a pasted book from tying up the web server. Not a clinical threshold.
MAX_OFFER_CHARS: Final = 20_000
#: Longest HTML accepted (characters of markup); its visible text must still fit
#: MAX_OFFER_CHARS. A saved web page is mostly markup. Not a clinical threshold.
MAX_HTML_CHARS: Final = 200_000
#: Share of control characters (other than tab, line feed, carriage return, form feed) above
#: which a text is read as a binary file: msstem's heuristic, not a sourced figure.
MAX_CONTROL_SHARE: Final = 0.01
#: Most extra quotes kept per sign, after the first.
MAX_EXTRA_QUOTES: Final = 4

DISCLAIMER: Final = (
    "Finding no warning sign does not make an offer legitimate: msstem reads the wording only "
    "and cannot check the clinic, the cells or the claims. Talk to your MS neurologist before "
    "you pay for or agree to any stem cell treatment."
)

#: What msstem cannot check from a text, listed with every result.
CANNOT_CHECK: Final = (
    "whether the clinic and its doctors are licensed where they work",
    "whether a trial or registry number is real and belongs to this treatment (look it up "
    "on clinicaltrials.gov or the WHO trial registry)",
    "what the cells really are, and how they are made and tested",
    "whether the results the text claims really happened",
    "the clinic's record of harms and complications",
)

FindingKind = Literal["claim", "not_stated"]
#: "text" as pasted, or "html": markup reduced to its visible text before checking.
SourceFormat = Literal["text", "html"]
SignStatus = Literal["found", "not_found", "not_assessed"]
#: When to report signs about what an offer leaves out: "auto" = only if the text reads as
#: an offer; "always"; "never".
NotStatedMode = Literal["auto", "always", "never"]
NOT_STATED_MODES: Final = get_args(NotStatedMode)

_NOT_STATED_SIGNS: Final = frozenset(
    {"undocumented-source", "no-protocol", "no-ind-or-registration"}
)
_OFFER_ONLY_SIGNS: Final = frozenset({"pay-outside-trial"})
_NOT_STATED_REASON: Final[Mapping[str, str]] = {
    "undocumented-source": "The offer does not say where the cells come from.",
    "no-protocol": "The offer does not describe a protocol (what is given, dose, route, "
    "follow-up).",
    "no-ind-or-registration": "The offer gives no IND number and no clinicaltrials.gov (NCT) "
    "number.",
}


@dataclass(frozen=True, slots=True)
class OfferCheckOptions:
    """Settings for :func:`check_offer`."""

    not_stated: NotStatedMode = "auto"

    def __post_init__(self) -> None:
        if self.not_stated not in NOT_STATED_MODES:
            raise OptionsError(
                f"not_stated: {self.not_stated!r} is not allowed; use one of "
                f"{', '.join(NOT_STATED_MODES)}",
                field="not_stated",
            )

    def to_dict(self) -> dict[str, Any]:
        return {"not_stated": self.not_stated}


@dataclass(frozen=True, slots=True)
class Quote:
    """An exact substring of the input: ``text == input[start:end]``."""

    text: str
    start: int
    end: int

    def to_dict(self) -> dict[str, Any]:
        return {"quote": self.text, "start": self.start, "end": self.end}


@dataclass(frozen=True, slots=True)
class Finding:
    """One warning sign found in the text."""

    id: str
    title: str
    kind: FindingKind
    quote: Quote | None  # None for a "not stated" sign
    explanation: str  # why msstem reports it for this text
    description: str  # what the sign is, from the source
    what_to_ask: str
    sources: tuple[SourceRef, ...]
    verified: bool = True
    also_found: tuple[Quote, ...] = ()
    severity: Severity = "caution"

    @property
    def source(self) -> SourceRef:
        return self.sources[0]

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "severity": self.severity,
            "kind": self.kind,
            "quote": self.quote.text if self.quote else None,
            "start": self.quote.start if self.quote else None,
            "end": self.quote.end if self.quote else None,
            "also_found": [q.to_dict() for q in self.also_found],
            "explanation": self.explanation,
            "description": self.description,
            "what_to_ask": self.what_to_ask,
            "source": self.source.to_dict(),
            "sources": [s.to_dict() for s in self.sources],
            "verified": self.verified,
        }


@dataclass(frozen=True, slots=True)
class CheckedSign:
    """A sign msstem looked for, and what it concluded."""

    id: str
    title: str
    status: SignStatus
    note: str | None = None
    stated: Quote | None = None  # for "not stated" signs: where the text does state it
    severity: Severity = "caution"

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "severity": self.severity,
            "status": self.status,
            "note": self.note,
            "stated": self.stated.to_dict() if self.stated else None,
        }


@dataclass(frozen=True, slots=True)
class OfferCheck:
    """The result of :func:`check_offer`; renders itself as a dict or plain text."""

    warning_signs: tuple[Finding, ...]
    questions_to_ask: tuple[str, ...]
    checked_signs: tuple[CheckedSign, ...]
    is_offer: bool
    notes: tuple[str, ...]
    text_chars: int
    options: OfferCheckOptions = field(default_factory=OfferCheckOptions)
    disclaimer: str = DISCLAIMER
    msstem_version: str = __version__
    language: Language = "en"
    source_format: SourceFormat = "text"
    read_text: str | None = None  # the text that was read, when it differs from the input
    cannot_check: tuple[str, ...] = CANNOT_CHECK

    @property
    def sign_ids(self) -> tuple[str, ...]:
        return tuple(f.id for f in self.warning_signs)

    @property
    def claim_sign_ids(self) -> tuple[str, ...]:
        return tuple(f.id for f in self.warning_signs if f.kind == "claim")

    @property
    def serious_sign_ids(self) -> tuple[str, ...]:
        return tuple(f.id for f in self.warning_signs if f.severity == "serious")

    @property
    def caution_sign_ids(self) -> tuple[str, ...]:
        return tuple(f.id for f in self.warning_signs if f.severity == "caution")

    @property
    def verdict(self) -> str:
        """The one-line summary shown first: never says an offer is legitimate."""
        serious, caution = len(self.serious_sign_ids), len(self.caution_sign_ids)
        if serious:
            text = (
                f"This text shows {serious} serious warning sign{'s' if serious != 1 else ''} "
                "of an unproven treatment"
            )
            if caution:
                text += f", and {caution} more sign{'s' if caution != 1 else ''} to check"
            return text + "."
        if caution:
            return (
                "This text shows no serious warning sign of an unproven treatment, but "
                f"{caution} sign{'s' if caution != 1 else ''} to check with care."
            )
        return "No warning signs found in this text."

    @property
    def language_name(self) -> str:
        return LANGUAGE_NAMES[self.language]

    def to_dict(self) -> dict[str, Any]:
        return {
            "verdict": self.verdict,
            "serious_count": len(self.serious_sign_ids),
            "caution_count": len(self.caution_sign_ids),
            "language": self.language,
            "language_name": self.language_name,
            "source_format": self.source_format,
            "read_text": self.read_text,
            "cannot_check": list(self.cannot_check),
            "warning_signs": [f.to_dict() for f in self.warning_signs],
            "questions_to_ask": list(self.questions_to_ask),
            "checked_signs": [c.to_dict() for c in self.checked_signs],
            "is_offer": self.is_offer,
            "notes": list(self.notes),
            "text_chars": self.text_chars,
            "options": self.options.to_dict(),
            "disclaimer": self.disclaimer,
            "msstem_version": self.msstem_version,
        }

    def to_text(self) -> str:
        """A plain-text report for the terminal: the verdict first, then each sign."""
        lines: list[str] = [self.verdict]
        count = len(self.warning_signs)
        kind = "reads as an offer" if self.is_offer else "does not read as an offer"
        lines.append(
            f"{count} warning sign{'s' if count != 1 else ''} found (the text {kind}; "
            f"read as {self.language_name})."
        )
        if not count:
            lines.append("This does not show that the offer is legitimate.")
        for number, f in enumerate(self.warning_signs, start=1):
            lines.append("")
            lines.append(f"{number}. {f.title} [{f.id}] ({f.severity})")
            if f.quote is not None:
                lines.append(
                    f'   Quote: "{" ".join(f.quote.text.split())}" '
                    f"(characters {f.quote.start}-{f.quote.end})"
                )
                if f.also_found:
                    lines.append(f"   Also: {len(f.also_found)} more place(s) in the text.")
            else:
                lines.append("   Not stated in the offer.")
            lines.append(f"   Why: {f.explanation} {f.description}")
            lines.append(f"   Ask: {f.what_to_ask}")
            for s in f.sources:
                lines.append(f"   Source: {s.id}: {s.citation}")
        if self.questions_to_ask:
            lines.append("")
            lines.append("Questions to ask:")
            lines.extend(f"  - {q}" for q in self.questions_to_ask)
        lines.append("")
        lines.append("Checked:")
        for c in self.checked_signs:
            note = f" ({c.note})" if c.note else ""
            lines.append(f"  - {c.id}: {c.status.replace('_', ' ')}{note}")
        for note in self.notes:
            lines.append("")
            lines.append(f"Note: {note}")
        lines.append("")
        lines.append("What msstem cannot check from the text:")
        lines.extend(f"  - {item}" for item in self.cannot_check)
        lines.append("")
        lines.append(self.disclaimer)
        lines.append(f"msstem {self.msstem_version}")
        return "\n".join(lines) + "\n"


_CONTROL_OK: Final = frozenset("\t\n\r\f\v")


def _control_share(text: str) -> float:
    controls = sum(
        1 for c in text if (ord(c) < 32 or 127 <= ord(c) < 160) and c not in _CONTROL_OK
    )
    return controls / len(text) if text else 0.0


def _validate(text: object) -> tuple[str, SourceFormat]:
    """The text to read and its format; raises InputError naming the problem."""
    if not isinstance(text, str):
        raise InputError(f"text: expected text, got {type(text).__name__}", field="text")
    if "\x00" in text or _control_share(text) > MAX_CONTROL_SHARE:
        raise InputError(
            "text: this looks like a binary file (it contains control characters such as "
            "NUL), not text; paste or save the offer as plain text or HTML",
            field="text",
        )
    if looks_like_html(text):
        if len(text) > MAX_HTML_CHARS:
            raise InputError(
                f"text: {len(text):,} characters of HTML; the limit is {MAX_HTML_CHARS:,}",
                field="text",
            )
        reduced = html_to_text(text)
        if not reduced.strip():
            raise InputError(
                "text: the HTML has no visible text; paste the text of the offer", field="text"
            )
        if len(reduced) > MAX_OFFER_CHARS:
            raise InputError(
                f"text: the HTML's visible text is {len(reduced):,} characters; the limit is "
                f"{MAX_OFFER_CHARS:,}",
                field="text",
            )
        return reduced, "html"
    if len(text) > MAX_OFFER_CHARS:
        raise InputError(
            f"text: {len(text):,} characters; the limit is {MAX_OFFER_CHARS:,}", field="text"
        )
    if not text.strip():
        raise InputError(
            f"text: empty; paste the text of the offer (at most {MAX_OFFER_CHARS:,} characters)",
            field="text",
        )
    return text, "text"


def _quote(text: str, hit: detect.Hit) -> Quote:
    return Quote(text[hit.start : hit.end], hit.start, hit.end)


def _dedupe(hits: list[detect.Hit]) -> list[detect.Hit]:
    """Drop hits that lie inside an earlier, longer hit; keep text order."""
    kept: list[detect.Hit] = []
    for hit in sorted(hits, key=lambda h: (h.start, -h.end)):
        if not any(k.start <= hit.start and hit.end <= k.end for k in kept):
            kept.append(hit)
    return kept


def _claim_finding(text: str, sign: SignInfo, hits: list[detect.Hit]) -> Finding:
    hits = _dedupe(hits)
    return Finding(
        severity=sign.severity,
        id=sign.id,
        title=sign.title,
        kind="claim",
        quote=_quote(text, hits[0]),
        explanation=hits[0].reason,
        description=sign.description,
        what_to_ask=sign.what_to_ask,
        sources=sign.sources,
        verified=sign.verified,
        also_found=tuple(_quote(text, h) for h in hits[1 : 1 + MAX_EXTRA_QUOTES]),
    )


def _not_stated_finding(sign: SignInfo) -> Finding:
    return Finding(
        severity=sign.severity,
        id=sign.id,
        title=sign.title,
        kind="not_stated",
        quote=None,
        explanation=_NOT_STATED_REASON[sign.id],
        description=sign.description,
        what_to_ask=sign.what_to_ask,
        sources=sign.sources,
        verified=sign.verified,
    )


@dataclass(frozen=True, slots=True)
class _Evidence:
    entry: claims.EntryContext
    registry_ids: tuple[str, ...]


def _evidence_of(eb: EvidenceBase) -> _Evidence:
    return _Evidence(
        entry=claims.EntryContext(entry_limits(eb), course_rules(eb)),
        registry_ids=tuple(r for trial in eb.trials for r in trial.registry_ids),
    )


_DEFAULT_EVIDENCE: list[_Evidence] = []


def default_entry_context() -> claims.EntryContext:
    """The entry limits of the evidence base that msstem ships (loaded once)."""
    return _default_evidence().entry


def _default_evidence() -> _Evidence:
    if not _DEFAULT_EVIDENCE:
        _DEFAULT_EVIDENCE.append(_evidence_of(load_evidence()))
    return _DEFAULT_EVIDENCE[0]


def check_offer(
    text: str,
    options: OfferCheckOptions | None = None,
    *,
    catalog: Mapping[str, SignInfo] | None = None,
    evidence: EvidenceBase | None = None,
) -> OfferCheck:
    """Look for the warning signs of an unproven treatment in the text of an offer.

    ``catalog`` (sign id -> :class:`SignInfo`) defaults to :func:`sign_catalog`, the
    evidence-base text; ``evidence`` (the guidelines, trials and registry numbers the offer
    is compared with) defaults to the shipped evidence base. HTML is reduced to its visible
    text first. Raises :class:`~msstem.errors.InputError` for empty or binary input, text
    longer than :data:`MAX_OFFER_CHARS`, or HTML longer than :data:`MAX_HTML_CHARS`.
    """
    text, source_format = _validate(text)
    options = options or OfferCheckOptions()
    catalog = sign_catalog() if catalog is None else catalog
    facts = _default_evidence() if evidence is None else _evidence_of(evidence)
    ctx = TextContext(text)
    language = detect_language(text)

    payment = detect.find_payment(ctx)
    score = detect.offer_score(ctx, payment)
    is_offer = score >= patterns.OFFER_SCORE_MIN
    pays = is_offer and bool(payment)
    # Treatment claims count in an offer, in a text that does not read as a report, and in a
    # report with some promotion in it (an offer cue or travel-package wording) unless most
    # of its sentences warn, report or hedge.
    promotion = score > 0 or bool(claims.find_tourism(ctx, is_offer=True))
    promoted_report = promotion and ctx.report_share < patterns.STRONG_REPORT_SHARE_MIN
    promoted = is_offer or not ctx.reads_as_report or promoted_report
    assess_not_stated = options.not_stated == "always" or (
        options.not_stated == "auto" and is_offer
    )

    found: dict[str, Callable[[], list[detect.Hit]]] = {
        "testimonials": lambda: detect.find_testimonials(ctx, is_offer=is_offer),
        "own-results": lambda: claims.find_own_results(ctx, is_offer=promoted),
        "many-diseases": lambda: detect.find_many_diseases(ctx),
        "cure-claims": lambda: claims.find_cure(ctx, is_offer=promoted),
        "no-risk": lambda: detect.find_no_risk(ctx),
        "drug-free": lambda: claims.find_drug_free(ctx, is_offer=promoted),
        "unproven-cells": lambda: claims.find_cells(ctx, is_offer=promoted),
        "unproven-route": lambda: claims.find_routes(ctx, is_offer=promoted),
        "entry-criteria": lambda: claims.find_entry_criteria(ctx, facts.entry),
        "misleading-fda-or-trial-wording": lambda: detect.find_misleading_wording(
            ctx, is_offer=is_offer, pays=pays, promoted=is_offer or promoted_report
        ),
        "pay-outside-trial": lambda: payment if is_offer else [],
        "medical-tourism": lambda: claims.find_tourism(ctx, is_offer=is_offer),
        "pressure": lambda: claims.find_pressure(ctx),
        "isolation": lambda: claims.find_isolation(ctx),
        "trial-number": lambda: claims.find_trial_numbers(ctx, facts.registry_ids),
        "undocumented-source": lambda: detect.find_vague_source(ctx),
        "no-protocol": lambda: detect.find_vague_protocol(ctx),
        "no-ind-or-registration": lambda: [],
    }
    stated: dict[str, Callable[[], list[detect.Hit]]] = {
        "undocumented-source": lambda: detect.find_source_stated(ctx),
        "no-protocol": lambda: detect.find_protocol_stated(ctx),
        "no-ind-or-registration": lambda: detect.find_registration_stated(ctx),
    }

    findings: list[Finding] = []
    checked: list[CheckedSign] = []
    registration: list[detect.Hit] = []
    for sign_id in CHECKED_SIGN_IDS:
        sign = catalog[sign_id]
        hits = found[sign_id]()
        if hits:
            findings.append(_claim_finding(text, sign, hits))
            checked.append(CheckedSign(sign_id, sign.title, "found", severity=sign.severity))
            continue
        if sign_id in _OFFER_ONLY_SIGNS and not is_offer:
            checked.append(
                CheckedSign(sign_id, sign.title, "not_assessed", "the text is not an offer",
                            severity=sign.severity)
            )
            continue
        if sign_id not in _NOT_STATED_SIGNS:
            checked.append(CheckedSign(sign_id, sign.title, "not_found", severity=sign.severity))
            continue
        stated_hits = stated[sign_id]()
        if sign_id == "no-ind-or-registration":
            registration = stated_hits
        if not assess_not_stated:
            reason = "the text is not an offer" if options.not_stated == "auto" else "not asked"
            checked.append(CheckedSign(sign_id, sign.title, "not_assessed", reason,
                                       severity=sign.severity))
        elif stated_hits:
            checked.append(
                CheckedSign(
                    sign_id, sign.title, "not_found", "stated", _quote(text, stated_hits[0]),
                    severity=sign.severity,
                )
            )
        else:
            findings.append(_not_stated_finding(sign))
            checked.append(CheckedSign(sign_id, sign.title, "found", "not stated",
                                       severity=sign.severity))

    return OfferCheck(
        warning_signs=tuple(findings),
        questions_to_ask=_questions(findings, catalog),
        checked_signs=tuple(checked),
        is_offer=is_offer,
        notes=_notes(text, ctx, is_offer, options, registration)
        + _reading_notes(language, source_format, len(text)),
        text_chars=len(text),
        options=options,
        language=language,
        source_format=source_format,
        read_text=text if source_format == "html" else None,
    )


def _reading_notes(language: Language, source_format: SourceFormat, chars: int) -> tuple[str, ...]:
    notes: list[str] = []
    if language == "other":
        notes.append(
            "msstem reads English and Spanish; this text seems to be in another language, so "
            "it may miss warning signs."
        )
    if source_format == "html":
        notes.append(
            f"The text was HTML: msstem read its visible text ({chars:,} characters, shown as "
            "read_text); quotes and offsets refer to that text."
        )
    return tuple(notes)


def _questions(findings: list[Finding], catalog: Mapping[str, SignInfo]) -> tuple[str, ...]:
    questions = [f.what_to_ask for f in findings]
    # The FDA's own advice for any offer: ask for the IND number.
    questions.append(catalog["no-ind-or-registration"].what_to_ask)
    return tuple(dict.fromkeys(questions))


def _notes(
    text: str,
    ctx: TextContext,
    is_offer: bool,
    options: OfferCheckOptions,
    registration: list[detect.Hit],
) -> tuple[str, ...]:
    notes: list[str] = []
    if not is_offer:
        notes.append(
            "This text does not read as an offer (no price, booking or 'we offer' wording "
            "outside warning or advice sentences)"
            + (
                ", so the signs about what an offer leaves out were not assessed."
                if options.not_stated == "auto"
                else "."
            )
        )
    warned = ctx.warned_sentence_count
    if warned:
        notes.append(
            f"{warned} sentence{'s' if warned != 1 else ''} warn about, advise on, report or "
            "hedge claims; claims inside them were not counted as the writer's own."
        )
    if registration:
        number = " ".join(text[registration[0].start : registration[0].end].split())
        notes.append(
            f"The text gives a registration number ({number}). The FDA warns that a "
            "clinicaltrials.gov listing alone does not mean the FDA reviewed the treatment "
            "(fda-2021-regenerative): check the record and ask for the IND number."
        )
    return tuple(notes)
