"""The Learn page: stem cells and MS, what aHSCT is like, other cell therapies, regulators.

Pure: the evidence base in, a JSON-ready dict out. Every statement carries the source
ids of the record it comes from; nothing clinical is written here.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Final

from msstem import __version__
from msstem.clinical.labels import EVIDENCE_STAGE_LABELS
from msstem.evidence import EvidenceBase
from msstem.evidence.models import Claim, Fact
from msstem.reports.formatting import source_links

__all__ = ["ABOUT_THIS_AID", "GLOSSARY", "IN_SHORT", "STALE_AFTER_DAYS", "build_learn",
           "build_reset", "is_stale"]

#: The evidence is due for review when it is older than this (the update policy).
STALE_AFTER_DAYS: Final = 365

#: msstem's statements about itself (IPDAS: development, update policy, funding, conflicts).
ABOUT_THIS_AID: Final = (
    "msstem is open-source software. Its evidence base is built only from cited sources: "
    "published studies, trial registries, guidelines, regulators' pages and five consumer "
    "health pages (cited as secondary sources). Figures that could not be checked against "
    "their source are marked 'unverified'; where sources disagree, both are shown.",
    "Update policy: the evidence base is reviewed when new major trial results or guidelines "
    "appear and at least once a year; every page shows the date it "
    "was curated, and the aid warns when that date is more than a year old.",
    "Funding and conflicts of interest: msstem sells nothing, shows no advertising, and "
    "receives nothing from drug makers, clinics or transplant centres; its developers declare "
    "no conflicts of interest.",
    "msstem supports decisions; it does not make them. It does not replace a consultation with "
    "a neurologist or an experienced transplant team.",
)


#: Words used in the aid, plain words first and the medical term after: (id, term, meaning,
#: source ids). The meanings restate definitions from the cited sources.
GLOSSARY: Final = (
    ("ahsct", "Stem cell transplant (aHSCT)",
     "Strong chemotherapy, then your own stored blood stem cells are given back to rebuild "
     "the immune system. 'Autologous' means your own cells.", ("seed-004", "atkins-2024")),
    ("dmt", "MS medicine (DMT, disease-modifying therapy)",
     "A medicine taken for years that lowers how often MS attacks happen and how bad they are.",
     ("seed-004",)),
    ("relapse", "Relapse (attack)",
     "New or worse MS symptoms that last more than two days.", ("halt-ms-registry",)),
    ("mri", "New MRI activity (Gd+ or new T2 lesions)",
     "New or growing spots of MS damage seen on a brain scan.", ("rotstein-2015-neda",)),
    ("neda", "No new MS activity (NEDA)",
     "No relapses, no lasting worse disability and no new MRI activity.",
     ("rotstein-2015-neda", "giovannoni-2015-neda")),
    ("edss", "Disability score (EDSS)",
     "A scale from 0 (no disability) to 10, in half steps. Above 4 it depends mostly on how "
     "far you can walk.", ("kurtzke-1983-edss", "neurostatus-edss")),
    ("courses", "Types of MS (RRMS, SPMS, PPMS)",
     "Relapsing-remitting MS comes in attacks. Secondary progressive MS worsens steadily "
     "after years of attacks. Primary progressive MS worsens steadily from the start.",
     ("seed-000",)),
    ("conditioning", "Chemotherapy before the transplant (conditioning)",
     "The strong medicines that wipe out the immune system before the stem cells go back. "
     "Some are stronger than others.", ("mancardi-2012-position",)),
    ("pml", "PML", "A rare, serious brain infection. Natalizumab raises the risk.",
     ("aan-2020-natalizumab-pml",)),
    ("hctci", "Other health problems score (HCT-CI)",
     "A score your transplant team works out from your other health problems. A higher score "
     "means more risk. It was made for other kinds of transplant.", ("sorror-2005-hctci",)),
    ("randomised", "Randomised trial",
     "A study where chance decides who gets which treatment, so the groups are alike.", ()),
    ("likely", "'Likely 1.3 to 3.4'",
     "The range where the true figure probably lies (a 95% confidence interval).", ()),
)


def is_stale(evidence_date: date, today: date | None = None) -> bool:
    return ((today or date.today()) - evidence_date).days > STALE_AFTER_DAYS


def _claims(claims: tuple[Claim, ...]) -> list[dict[str, Any]]:
    return [{"text": c.text, "sources": list(c.source_ids)} for c in claims]


def _fact(f: Fact) -> dict[str, Any]:
    return {"id": f.id, "text": f.statement, "sources": list(f.source_ids),
            "verified": f.verified, "caution": f.caution}


def _facts(eb: EvidenceBase, *prefixes: str) -> list[dict[str, Any]]:
    return [_fact(f) for f in eb.facts.values()
            if any(f.topic == p or f.topic.startswith(p + ".") for p in prefixes)]


def _note_sources(
    eb: EvidenceBase, source_ids: tuple[str, ...], fact_ids: tuple[str, ...]
) -> list[str]:
    """Sources for a curator's note that compares facts: its own plus those of the facts
    it compares (the note restates their figures), in first-seen order."""
    ids = list(source_ids)
    for f in fact_ids:
        if f in eb.facts:
            ids.extend(eb.facts[f].source_ids)
    return list(dict.fromkeys(ids))


#: Learn's "In short" box: plain restatements of these records (fact or therapy ids).
IN_SHORT: Final = (
    ("Only one kind of stem cell treatment is used for MS today: a transplant of your own "
     "blood stem cells, called aHSCT.", ("seed-hsc-only-type-in-use",)),
    ("It is not approved by the FDA for MS and is still seen as experimental. MS experts "
     "advise it for some people whose relapsing MS stays active despite strong medicines.",
     ("therapy:ahsct",)),
    ("Other stem cell infusions that clinics sell are not approved for MS. You can check an "
     "offer on the page 'Is this offer legitimate?'.", ("fda-2021-not-approved-ms",)),
)


def _sources(eb: EvidenceBase, ids: tuple[str, ...]) -> list[str]:
    out: list[str] = []
    for i in ids:
        if i.startswith("therapy:"):
            t = next((t for t in eb.therapies if t.id == i.split(":", 1)[1]), None)
            if t is not None:
                out.extend(t.status.source_ids)
        elif i in eb.facts:
            out.extend(eb.facts[i].source_ids)
    return list(dict.fromkeys(out))
#: "Can it reset my immune system?": the claim as people read it, then what studies found.
_RESET_CLAIM: Final = ("seed-002-reset-claim",)
_RESET_FACTS: Final = (
    "immune-reconstitution-innate-1-month", "immune-reconstitution-b-6-months",
    "immune-reconstitution-t-2-years", "immune-reconstitution-infections",
)


def build_reset(eb: EvidenceBase) -> dict[str, Any]:
    """The "Can it reset my immune system?" page: each statement an evidence record."""
    facts = eb.facts
    return {
        "claim": [_fact(facts[f]) for f in _RESET_CLAIM if f in facts],
        "rebuild": [_fact(facts[f]) for f in _RESET_FACTS if f in facts],
        "activity": [_fact(facts[f]) for f in ("sormani-2017-neda-2y", "sormani-2017-neda-5y",
                                               "silfverberg-2024-neda-10y") if f in facts],
        "risk": [_fact(facts[f]) for f in ("sormani-2017-trm", "sormani-2017-trm-edss")
                 if f in facts],
        "evidence_date": eb.evidence_date.isoformat(),
    }


def build_learn(eb: EvidenceBase, today: date | None = None) -> dict[str, Any]:
    """Everything on the Learn page, as a JSON-ready dict."""
    therapies = {t.id: t for t in eb.therapies}
    ahsct = therapies.get("ahsct")
    in_short = [{"text": text, "sources": _sources(eb, ids)} for text, ids in IN_SHORT]
    return {
        "msstem_version": __version__,
        "evidence_date": eb.evidence_date.isoformat(),
        "stale": is_stale(eb.evidence_date, today),
        "in_short": in_short,
        "glossary": [{"id": i, "term": t, "meaning": m, "sources": list(src)}
                     for i, t, m, src in GLOSSARY],
        "about": list(ABOUT_THIS_AID),
        "ms_in_brief": _facts(eb, "ms"),
        "ms_faq": [
            {"id": q.id, "question": q.question, "answer": q.answer,
             "sources": list(q.source_ids)} for q in eb.faq
        ],
        "cell_types": [
            {"id": c.id, "name": c.name, "short_name": c.short_name,
             "stage": c.evidence_stage, "stage_text": EVIDENCE_STAGE_LABELS[c.evidence_stage],
             "origin": _claims(c.origin), "can_become": _claims(c.can_become),
             "role_in_ms": _claims(c.role_in_ms), "risks": _claims(c.risks),
             "sources": list(c.source_ids)}
            for c in eb.cell_types
        ],
        "ahsct": None if ahsct is None else {
            "name": ahsct.name, "summary": ahsct.summary, "status": ahsct.status.text,
            "status_sources": list(ahsct.status.source_ids),
            "what_it_is_like": ahsct.what_it_is_like, "sources": list(ahsct.source_ids),
        },
        "procedure": [
            {"id": s.id, "title": s.title, "description": s.description, "timing": s.timing,
             "timing_days_min": s.timing_days_min, "timing_days_max": s.timing_days_max,
             "sources": list(s.source_ids),
             "facts": [_fact(eb.facts[f]) for f in s.fact_ids if f in eb.facts]}
            for s in eb.procedure_steps
        ],
        "regimens": [
            {"id": r.id, "name": r.name, "intensity": r.intensity,
             "myeloablative": r.myeloablative, "description": r.description,
             "verified": r.verified, "caution": r.caution, "sources": list(r.source_ids)}
            for r in eb.regimens
        ],
        "other_therapies": [
            {"id": t.id, "name": t.name, "summary": t.summary, "status": t.status.text,
             "status_sources": list(t.status.source_ids), "sources": list(t.source_ids),
             "facts": [_fact(eb.facts[f]) for f in t.fact_ids if f in eb.facts]}
            for t in eb.therapies if t.id != "ahsct"
        ],
        "regulators": _facts(eb, "regulation"),
        "guidelines": [
            {"id": g.id, "name": g.name, "organisation": g.organisation, "year": g.year,
             "summary": g.summary, "recommendations": list(g.recommendations),
             "not_found": list(g.not_found), "sources": list(g.source_ids)}
            for g in eb.guidelines
        ],
        "disagreements": [
            {"id": d.id, "topic": d.topic, "note": d.note,
             "sources": _note_sources(eb, d.source_ids, d.fact_ids),
             "facts": [_fact(eb.facts[f]) for f in d.fact_ids if f in eb.facts]}
            for d in eb.disagreements
        ],
        "sources": [
            {"id": s.id, "label": s.label, "reference": s.reference(), "kind": s.kind,
             "caution": s.caution,
             "links": [{"text": t, "href": h} for t, h in source_links(s.model_dump())]}
            for s in eb.sources.values()
        ],
    }
