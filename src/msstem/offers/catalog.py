"""The warning signs the checker looks for: titles, explanations, what to ask, sources.

The text shown to users comes from the evidence base (``warning_signs.yaml``,
curated from evidence notes §12), so that it stays cited in one place. The
built-in text below is the fallback for a sign the evidence base lacks (and the
text tests use to stay independent of data edits); it paraphrases the same notes
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
    "CAUTION_SIGN_IDS",
    "CHECKED_SIGN_IDS",
    "SERIOUS_SIGN_IDS",
    "SOURCE_IDS",
    "UNCHECKED_SIGN_IDS",
    "Severity",
    "SignInfo",
    "SourceRef",
    "builtin_catalog",
    "catalog_from",
    "sign_catalog",
]

#: The serious signs, in the order they are reported (before every caution sign).
SERIOUS_SIGN_IDS: Final = (
    "testimonials",
    "own-results",
    "many-diseases",
    "cure-claims",
    "no-risk",
    "drug-free",
    "unproven-cells",
    "unproven-route",
    "entry-criteria",
    "misleading-fda-or-trial-wording",
)
#: The caution signs: things to check before going further.
CAUTION_SIGN_IDS: Final = (
    "pay-outside-trial",
    "medical-tourism",
    "pressure",
    "isolation",
    "trial-number",
    "undocumented-source",
    "no-protocol",
    "no-ind-or-registration",
)
#: The signs the checker looks for, in the order they are reported.
CHECKED_SIGN_IDS: Final = SERIOUS_SIGN_IDS + CAUTION_SIGN_IDS
#: Signs in the evidence base that are not checked: the sixth ISSCR sign was not retrieved
#: (evidence notes §12 mark it "from memory, unverified"), so msstem does not look for it.
UNCHECKED_SIGN_IDS: Final = ("sixth-isscr-sign",)

_FDA_2021: Final = "fda-2021-regenerative"
_FDA_2019: Final = "fda-2019-consumer"
_ISSCR: Final = "isscr-warning-signs"
_NMSS: Final = "miller-2021-nmss"
_ECTRIMS: Final = "muraro-2025-ectrims-ebmt"
_MESEMS: Final = "mesems-2021"
_EBMT: Final = "sharrack-2020-ebmt"
_SEED_HSC: Final = "seed-000"
_SEED_DOCTOR: Final = "seed-001"
_SEED_VA: Final = "seed-003"
#: Every source id this module cites.
SOURCE_IDS: Final = tuple(
    sorted(
        (_FDA_2019, _FDA_2021, _ISSCR, _NMSS, _ECTRIMS, _MESEMS, _EBMT, _SEED_HSC,
         _SEED_DOCTOR, _SEED_VA)
    )
)

# One-line citations used when the evidence base has no record for a source (same wording as
# the notes).
_BUILTIN_CITATIONS: Final[Mapping[str, str]] = MappingProxyType(
    {
        _FDA_2021: "US Food and Drug Administration, 'Important Patient and Consumer Information "
        "About Regenerative Medicine Therapies', 3 June 2021 (fda.gov)",
        _FDA_2019: "US Food and Drug Administration consumer advice on stem cell treatments, "
        "2019 (read via copies)",
        _ISSCR: "ISSCR warning signs, via WebMD 'Stem Cell Treatments: 6 False-Hope Warning Signs'",
        _NMSS: "National MS Society recommendations on aHSCT, Miller et al., JAMA Neurol "
        "2021;78(2):241",
        _ECTRIMS: "ECTRIMS-EBMT consensus recommendations, Muraro et al., Nat Rev Neurol "
        "2025;21(3):140-158",
        _MESEMS: "MESEMS results, Lancet Neurol 2021;20(11):917-929",
        _EBMT: "EBMT ADWP/JACIE guidelines, Sharrack et al., Bone Marrow Transplant "
        "2020;55(2):283-306",
        _SEED_HSC: "National Multiple Sclerosis Society web page 'Research on Stem Cells and MS' "
        "(seed document)",
        _SEED_DOCTOR: "Consumer health article on stem cell therapy for MS, citing 2019 and 2020 "
        "reviews (seed document)",
        _SEED_VA: "US Department of Veterans Affairs, Multiple Sclerosis Centers of Excellence, "
        "'Stem Cell Therapy' (seed document)",
    }
)

TextOrigin = Literal["evidence", "builtin"]
#: "serious": a claim or term the sources tie to unproven treatment; "caution": check it.
Severity = Literal["serious", "caution"]


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
    severity: Severity = "caution"


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
        severity="serious" if sign_id in SERIOUS_SIGN_IDS else "caution",
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
        (
            "own-results",
            "Results from the clinic's own patients, not from a published trial",
            "Improvement rates or 'observed improvements' in the clinic's own patients are not "
            "evidence from a controlled trial; the ISSCR lists such claims as a warning sign.",
            "Ask where the results are published, with how many patients, compared with whom.",
            (_ISSCR,),
        ),
        (
            "cure-claims",
            "Claims to cure, repair or regenerate",
            "No stem cell product is approved for MS or any other neurological disorder; stem "
            "cell therapy for MS is experimental.",
            "Ask which published trial in people with MS showed this repair or reversal.",
            (_FDA_2021, _SEED_VA),
        ),
        (
            "drug-free",
            "Sold as a drug-free alternative to MS medicines",
            "Guidelines consider stem cell transplant when MS stays active despite proven "
            "medicines, not instead of them.",
            "Ask what happens to your MS if you stop or skip your medicine for this.",
            (_NMSS, _ECTRIMS),
        ),
        (
            "unproven-cells",
            "Cells with no approved use in MS",
            "Mesenchymal, umbilical cord, placental, fetal or fat-derived cells and exosomes "
            "need FDA approval and may be used only in FDA-overseen trials; none is approved "
            "for MS.",
            "Ask which regulator approved these cells for MS, or which registered trial this is.",
            (_FDA_2021, _FDA_2019, _SEED_HSC, _MESEMS),
        ),
        (
            "unproven-route",
            "A way of giving cells that no MS trial supports",
            "No trial in the evidence base gave cells into the spinal fluid or used drugs to "
            "open the blood-brain barrier.",
            "Ask which published trial in MS used this route, and what harms were seen.",
            (_MESEMS, _FDA_2021),
        ),
        (
            "entry-criteria",
            "Entry criteria that no guideline or trial uses",
            "The offer accepts people whom every guideline and trial in the evidence base "
            "leaves out.",
            "Ask why they accept people whom the guidelines and trials exclude.",
            (_NMSS, _ECTRIMS),
        ),
        (
            "medical-tourism",
            "Medical-tourism packaging",
            "The treatment is sold as a travel package; being charged for an unapproved "
            "product outside a trial means you are likely being deceived (FDA).",
            "Ask for the full cost, including travel, follow-up and complications, and the "
            "refund terms.",
            (_FDA_2021, _ISSCR),
        ),
        (
            "trial-number",
            "A trial number to check",
            "A registry listing does not mean the FDA reviewed a treatment.",
            "Ask for the registry and IND numbers and look them up yourself.",
            (_FDA_2021, _FDA_2019),
        ),
        (
            "pressure",
            "Pressure to decide fast",
            "Pressure leaves no time to discuss the offer with your doctor or to ask the FDA.",
            "Ask for the full written information and time to discuss it with your neurologist.",
            (_SEED_DOCTOR, _FDA_2021),
        ),
        (
            "isolation",
            "Turning you away from your own doctors",
            "Unapproved cell products may be given only in regulator-overseen trials; discuss "
            "any stem cell treatment with your doctor.",
            "Ask why this is not offered at home, and whether they will write to your "
            "neurologist.",
            (_FDA_2021, _EBMT, _SEED_DOCTOR),
        ),
    )
)


def builtin_catalog() -> Mapping[str, SignInfo]:
    """The built-in sign text (no evidence base), keyed by sign id."""
    by_id = {sign.id: sign for sign in _BUILTIN}
    return MappingProxyType({sign_id: by_id[sign_id] for sign_id in CHECKED_SIGN_IDS})


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
        severity=record.severity or builtin.severity,
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
