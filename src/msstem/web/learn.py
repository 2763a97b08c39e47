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

__all__ = ["ABOUT_THIS_AID", "STALE_AFTER_DAYS", "build_learn", "is_stale"]

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


def build_learn(eb: EvidenceBase, today: date | None = None) -> dict[str, Any]:
    """Everything on the Learn page, as a JSON-ready dict."""
    therapies = {t.id: t for t in eb.therapies}
    ahsct = therapies.get("ahsct")
    return {
        "msstem_version": __version__,
        "evidence_date": eb.evidence_date.isoformat(),
        "stale": is_stale(eb.evidence_date, today),
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
