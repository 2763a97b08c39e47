"""The warning signs the checker looks for: titles, explanations, what to ask, sources.

The text shown to users comes from the evidence base (``warning_signs.yaml``,
each sign with its source ids), so that it stays cited in one place. The
built-in text below is the fallback for a sign the evidence base lacks (and the
text tests use to stay independent of data edits); it paraphrases the same sources
and cites the same source ids:

* ``fda-2021-regenerative``: FDA, "Important Patient and Consumer Information About
  Regenerative Medicine Therapies", 3 June 2021;
* ``fda-2019-consumer``: FDA consumer advice on stem cell treatments, 2019;
* ``isscr-warning-signs``: the ISSCR warning signs, read via WebMD "Stem Cell
  Treatments: 6 False-Hope Warning Signs" (the sixth sign was not retrieved, so it
  is not checked: see ``UNCHECKED_SIGN_IDS``).
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Final, Literal

from msstem.errors import NotFoundError
from msstem.evidence import EvidenceBase, WarningSign, load_evidence

__all__ = [
    "CHECKED_SIGN_IDS",
    "SOURCE_IDS",
    "UNCHECKED_SIGN_IDS",
    "SignInfo",
    "SourceRef",
    "builtin_catalog",
    "catalog_from",
    "sign_catalog",
]

#: The signs the checker looks for, in the order they are reported.
CHECKED_SIGN_IDS: Final = (
    "testimonials",
    "many-diseases",
    "undocumented-source",
    "no-protocol",
    "no-risk",
    "pay-outside-trial",
    "no-ind-or-registration",
    "misleading-fda-or-trial-wording",
)
#: Signs in the evidence base that are not checked: the sixth ISSCR sign was not retrieved
#: (the evidence base marks it unverified), so msstem does not look for it.
UNCHECKED_SIGN_IDS: Final = ("sixth-isscr-sign",)

_FDA_2021: Final = "fda-2021-regenerative"
_FDA_2019: Final = "fda-2019-consumer"
_ISSCR: Final = "isscr-warning-signs"
#: Every source id this module cites.
SOURCE_IDS: Final = (_FDA_2019, _FDA_2021, _ISSCR)

# One-line citations used when the evidence base has no record for a source (same wording as
# the notes).
_BUILTIN_CITATIONS: Final[Mapping[str, str]] = MappingProxyType(
    {
        _FDA_2021: "US Food and Drug Administration, 'Important Patient and Consumer Information "
        "About Regenerative Medicine Therapies', 3 June 2021 (fda.gov)",
        _FDA_2019: "US Food and Drug Administration consumer advice on stem cell treatments, "
        "2019 (read via copies)",
        _ISSCR: "ISSCR warning signs, via WebMD 'Stem Cell Treatments: 6 False-Hope Warning Signs'",
    }
)

TextOrigin = Literal["evidence", "builtin"]


@dataclass(frozen=True, slots=True)
class SourceRef:
    """A source id with its one-line citation."""

    id: str
    citation: str

    def to_dict(self) -> dict[str, str]:
        return {"id": self.id, "citation": self.citation}


@dataclass(frozen=True, slots=True)
class SignInfo:
    """What a warning sign is, what to ask about it, and who says so."""

    id: str
    title: str
    description: str
    what_to_ask: str
    sources: tuple[SourceRef, ...]
    verified: bool
    origin: TextOrigin


def _ref(source_id: str) -> SourceRef:
    return SourceRef(source_id, _BUILTIN_CITATIONS[source_id])


_BUILTIN: Final[tuple[SignInfo, ...]] = tuple(
    SignInfo(
        id=sign_id,
        title=title,
        description=description,
        what_to_ask=ask,
        sources=tuple(_ref(s) for s in source_ids),
        verified=True,
        origin="builtin",
    )
    for sign_id, title, description, ask, source_ids in (
        (
            "testimonials",
            "Claims based on patient testimonials",
            "The ISSCR lists claims based on patient testimonials as a warning sign: stories "
            "are not evidence from a controlled trial.",
            "Ask for published results from a registered clinical trial, not patient stories.",
            (_ISSCR,),
        ),
        (
            "many-diseases",
            "The same cells offered for many diseases",
            "The ISSCR lists the same cells being used for many different diseases as a "
            "warning sign.",
            "Ask why the same cells would work for unrelated diseases, and for the evidence "
            "in MS specifically.",
            (_ISSCR,),
        ),
        (
            "undocumented-source",
            "Source of the cells not documented",
            "The ISSCR lists a source of cells that is not documented as a warning sign.",
            "Ask where the cells come from (your own or a donor's, which tissue), how they are "
            "processed, and for the documents that show it.",
            (_ISSCR,),
        ),
        (
            "no-protocol",
            "No clear protocol",
            "The ISSCR lists the absence of a clear protocol as a warning sign.",
            "Ask for the written protocol: what is given, how and how often, and how you will "
            "be followed up.",
            (_ISSCR,),
        ),
        (
            "no-risk",
            "Claims of no risk",
            "The ISSCR lists claims of no risk as a warning sign; the FDA reports harms "
            "after unapproved products, including blindness, tumours and infections.",
            "Ask which harms have been seen, how often, and what happens if something goes wrong.",
            (_ISSCR, _FDA_2021),
        ),
        (
            "pay-outside-trial",
            "Payment for treatment outside a registered trial",
            "The FDA says that if you are charged for an unapproved stem cell product, or "
            "treated outside an FDA-overseen trial, you are likely being deceived. No stem cell "
            "product is FDA-approved for MS.",
            "Ask whether this is a clinical trial overseen by the FDA (or your country's "
            "regulator), and why you are being asked to pay.",
            (_FDA_2021,),
        ),
        (
            "no-ind-or-registration",
            "No IND or trial registration number",
            "The FDA advises that a treatment must be FDA-approved or studied under an "
            "Investigational New Drug application (IND), even when it uses your own cells.",
            "Ask for the IND number and the FDA's acknowledgement, the trial's "
            "clinicaltrials.gov (NCT) number, and the IRB named on the consent form.",
            (_FDA_2019, _FDA_2021),
        ),
        (
            "misleading-fda-or-trial-wording",
            "'FDA registered' or 'clinical trial' wording where you pay",
            "The FDA warns that a clinicaltrials.gov listing or being 'registered with FDA' is "
            "used to imply compliance; neither means the FDA reviewed or approved the "
            "treatment.",
            "Ask for the IND number and check the trial yourself; ask why a trial charges its "
            "participants.",
            (_FDA_2021,),
        ),
    )
)


def builtin_catalog() -> Mapping[str, SignInfo]:
    """The built-in sign text (no evidence base), keyed by sign id."""
    return MappingProxyType({sign.id: sign for sign in _BUILTIN})


def _citation(eb: EvidenceBase, source_id: str) -> str:
    try:
        return eb.source(source_id).reference()
    except NotFoundError:  # the evidence validator reports unknown ids; show the id's own line
        return _BUILTIN_CITATIONS.get(source_id, source_id)


def _merge(builtin: SignInfo, record: WarningSign, eb: EvidenceBase) -> SignInfo:
    source_ids = record.source_ids or tuple(s.id for s in builtin.sources)
    return SignInfo(
        id=builtin.id,
        title=record.title,
        description=record.description,
        what_to_ask=record.what_to_ask or builtin.what_to_ask,
        sources=tuple(SourceRef(s, _citation(eb, s)) for s in source_ids),
        verified=record.verified,
        origin="evidence",
    )


def catalog_from(eb: EvidenceBase) -> Mapping[str, SignInfo]:
    """The checked signs with ``eb``'s text where it has an entry, else the built-in text."""
    records = {r.id: r for r in eb.warning_signs}
    return MappingProxyType(
        {
            sign_id: _merge(sign, records[sign_id], eb) if sign_id in records else sign
            for sign_id, sign in builtin_catalog().items()
        }
    )


@functools.cache
def sign_catalog() -> Mapping[str, SignInfo]:
    """The signs to check, with the evidence base's text, keyed by sign id.

    Raises :class:`~msstem.errors.EvidenceError` if the evidence base is inconsistent
    (a developer error, caught by ``msstem evidence check``).
    """
    return catalog_from(load_evidence())
