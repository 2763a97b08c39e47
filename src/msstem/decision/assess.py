"""The assessment of one person: eligibility, HCT-CI, personal event rates, options, sources.

:func:`assess` is pure: it takes a validated :class:`~msstem.clinical.profile.Profile` and the
curated evidence base and returns a frozen :class:`Assessment` that renders itself to a dict
(the ``msstem assess --format json`` document). Every number in it comes from the evidence
base, an eligibility threshold, or the HCT-CI table, each with its source id.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any, Final

from msstem import __version__
from msstem.base import Result
from msstem.clinical.edss import EDSS_SOURCE_IDS
from msstem.clinical.hctci import HCTCI_SOURCE_ID, HctciResult, score_hctci
from msstem.clinical.profile import Profile
from msstem.decision.estimates import Estimate, EstimateOptions, select_estimates
from msstem.eligibility import EligibilityResult, evaluate_all
from msstem.evidence import EvidenceBase, load_evidence
from msstem.evidence.models import CellType, Claim, Fact, ProcedureStep, Source

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["DISCLAIMERS", "Assessment", "TreatmentChoice", "assess"]

#: msstem's own notices (no clinical figures). The first is the "supports, not makes" line.
DISCLAIMERS: Final = (
    "msstem supports decisions; it does not make them. Talk these results through with your "
    "neurologist and an experienced transplant team.",
    "The figures are what happened to groups of people in published studies, not a prediction "
    "for you. Where the people studied differ from you, the report says so.",
    "Figures for different treatments come from different studies, with different people, "
    "definitions and lengths of follow-up: they are not a head-to-head comparison.",
    "Eligibility results screen your answers against published criteria; only the treating "
    "team or trial can decide whether you are eligible.",
)

#: Every JSON key a profile may carry, in the documented order (for the "unknown" list).
_PROFILE_FIELDS: Final = tuple(Profile.model_fields)


@dataclass(frozen=True, slots=True)
class TreatmentChoice:
    """One treatment choice a person weighs: aHSCT, a high-efficacy DMT, or a registered trial.

    (The JSON document lists them under ``options``, the word people use; in Python,
    ``options`` always means settings, so the assessment calls them ``choices``.)"""

    id: str
    kind: str  # therapy | dmt | trial
    name: str
    summary: str
    status: str | None
    eligibility: str | None  # the trial's verdict for this profile, when it has a rule set
    estimate_fact_ids: tuple[str, ...]
    source_ids: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "name": self.name,
            "summary": self.summary,
            "status": self.status,
            "eligibility": self.eligibility,
            "estimate_fact_ids": list(self.estimate_fact_ids),
            "sources": list(self.source_ids),
        }


@dataclass(frozen=True, slots=True)
class Assessment(Result):
    """Everything msstem can say about one profile, with where each figure comes from.

    A :class:`msstem.base.Result`: ``options`` are the :class:`EstimateOptions` used,
    ``choices`` the treatment choices, ``summary`` one row per figure.
    """

    profile: Profile
    eligibility: Mapping[str, EligibilityResult]
    hctci: HctciResult | None
    hctci_facts: tuple[Fact, ...]
    estimates: tuple[Estimate, ...]
    choices: tuple[TreatmentChoice, ...]
    sources: tuple[Source, ...]
    msstem_version: str
    evidence_date: date
    disclaimers: tuple[str, ...]
    evidence: EvidenceBase = field(repr=False, compare=False)
    options: EstimateOptions = field(default_factory=EstimateOptions)

    @property
    def unknown_fields(self) -> tuple[str, ...]:
        known = self.profile.known_fields()
        return tuple(name for name in _PROFILE_FIELDS if name not in known)

    def source(self, source_id: str) -> Source:
        return self.evidence.source(source_id)

    @property
    def summary(self) -> pd.DataFrame:
        """One row per figure: therapy, outcome, rate per 100 with its interval, how well the
        people studied match this person, and the sources."""
        import pandas as pd

        columns = ["therapy", "outcome", "kind", "per_100", "low", "high", "years",
                   "applicability", "verified", "fact_id", "sources"]
        return pd.DataFrame(
            [{"therapy": e.therapy, "outcome": e.outcome, "kind": e.kind,
              "per_100": e.per_100,
              "low": e.interval.low if e.interval else None,
              "high": e.interval.high if e.interval else None,
              "years": e.years, "applicability": str(e.applicability), "verified": e.verified,
              "fact_id": e.fact_id, "sources": ", ".join(e.source_ids)}
             for e in self.estimates],
            columns=columns,
        )

    def to_dict(self) -> dict[str, Any]:
        """The ``msstem assess --format json`` document (see docs/assess-schema.json)."""
        return {
            "msstem_version": self.msstem_version,
            "evidence_date": self.evidence_date.isoformat(),
            "disclaimer": self.disclaimers[0],
            "disclaimers": list(self.disclaimers),
            "profile": {
                "known": self.profile.known_fields(),
                "unknown": list(self.unknown_fields),
            },
            "eligibility": {rid: result.to_dict() for rid, result in self.eligibility.items()},
            "hctci": None if self.hctci is None else _hctci_dict(self.hctci, self.hctci_facts),
            "estimates": [e.to_dict() for e in self.estimates],
            "options": [o.to_dict() for o in self.choices],
            "procedure": [_step_dict(s) for s in self.evidence.procedure_steps],
            "cell_types": [_cell_type_dict(c) for c in self.evidence.cell_types],
            "sources": [_source_dict(s) for s in self.sources],
            "settings": self.options.to_dict(),
        }


def _hctci_dict(result: HctciResult, facts: Iterable[Fact]) -> dict[str, Any]:
    out = result.to_dict()
    out["note"] = (
        "The HCT-CI was built for allogeneic transplantation; MS itself is not an item."
    )
    out["facts"] = [{"fact_id": f.id, "statement": f.statement, "sources": list(f.source_ids)}
                    for f in facts]
    return out


def _claims(claims: Iterable[Claim]) -> list[dict[str, Any]]:
    return [{"text": c.text, "sources": list(c.source_ids)} for c in claims]


def _step_dict(step: ProcedureStep) -> dict[str, Any]:
    return {
        "id": step.id,
        "title": step.title,
        "description": step.description,
        "timing": step.timing,
        "timing_days_min": step.timing_days_min,
        "timing_days_max": step.timing_days_max,
        "fact_ids": list(step.fact_ids),
        "sources": list(step.source_ids),
    }


def _cell_type_dict(cell: CellType) -> dict[str, Any]:
    return {
        "id": cell.id,
        "name": cell.name,
        "short_name": cell.short_name,
        "origin": _claims(cell.origin),
        "can_become": _claims(cell.can_become),
        "role_in_ms": _claims(cell.role_in_ms),
        "evidence_stage": cell.evidence_stage,
        "risks": _claims(cell.risks),
        "sources": list(cell.source_ids),
    }


#: Source records as dicts, by identity (a source is immutable; each document lists ~80).
_SOURCE_DICTS: dict[int, tuple[Source, dict[str, Any]]] = {}


def _source_dict(source: Source) -> dict[str, Any]:
    cached = _SOURCE_DICTS.get(id(source))
    if cached is None or cached[0] is not source:
        if len(_SOURCE_DICTS) > 20_000:
            _SOURCE_DICTS.clear()
        cached = (source, {
            "id": source.id,
            "kind": source.kind,
            "label": source.label,
            "citation": source.citation,
            "year": source.year,
            "doi": source.doi,
            "pmid": source.pmid,
            "url": source.url,
            "seed_file": source.seed_file,
            "pmcid": source.pmcid,
            "registry_ids": list(source.registry_ids),
            "reference": source.reference(),
            "caution": source.caution,
        })
        _SOURCE_DICTS[id(source)] = cached
    # A copy: a caller may change its document without changing the next one.
    return {**cached[1], "registry_ids": list(source.registry_ids)}


def _choices(
    evidence: EvidenceBase,
    estimates: tuple[Estimate, ...],
    eligibility: Mapping[str, EligibilityResult],
) -> tuple[TreatmentChoice, ...]:
    by_therapy: dict[str, list[str]] = {}
    for e in estimates:
        by_therapy.setdefault(e.therapy, []).append(e.fact_id)
    choices: list[TreatmentChoice] = []
    for therapy in evidence.therapies:
        if therapy.id != "ahsct":
            continue
        choices.append(TreatmentChoice(
            id=therapy.id, kind="therapy", name=therapy.name, summary=therapy.summary,
            status=therapy.status.text, eligibility=None,
            estimate_fact_ids=tuple(by_therapy.get(therapy.id, ())),
            source_ids=tuple(dict.fromkeys((*therapy.source_ids, *therapy.status.source_ids))),
        ))
    for dmt in evidence.dmts:
        choices.append(TreatmentChoice(
            id=dmt.id, kind="dmt", name=dmt.name, summary=dmt.how_given or "", status=None,
            eligibility=None, estimate_fact_ids=tuple(by_therapy.get(dmt.id, ())),
            source_ids=tuple(dmt.source_ids),
        ))
    for trial in evidence.trials:
        verdict = None
        if trial.ruleset is not None and trial.ruleset in eligibility:
            verdict = str(eligibility[trial.ruleset].verdict)
        choices.append(TreatmentChoice(
            id=trial.id, kind="trial", name=trial.name, summary=trial.design or "",
            status=trial.status,
            eligibility=verdict, estimate_fact_ids=(), source_ids=tuple(trial.source_ids),
        ))
    return tuple(choices)


def _cited_ids(
    evidence: EvidenceBase,
    estimates: Iterable[Estimate],
    eligibility: Mapping[str, EligibilityResult],
    hctci_facts: Iterable[Fact],
    choices: Iterable[TreatmentChoice],
) -> list[str]:
    """Every source the report cites, in first-cited order."""
    ids: list[str] = []
    for e in estimates:
        ids.extend(e.source_ids)
    for result in eligibility.values():
        ids.extend(result.source_ids)
        ids.extend(c.source_id for c in result.criteria if c.source_id)
    ids.append(HCTCI_SOURCE_ID)
    for f in hctci_facts:
        ids.extend(f.source_ids)
    ids.extend(EDSS_SOURCE_IDS)
    for o in choices:
        ids.extend(o.source_ids)
    for step in evidence.procedure_steps:
        ids.extend(step.source_ids)
    for cell in evidence.cell_types:
        ids.extend(cell.source_ids)
        for claim in (*cell.origin, *cell.can_become, *cell.role_in_ms, *cell.risks):
            ids.extend(claim.source_ids)
    return list(dict.fromkeys(ids))


def _hctci_facts(eb: EvidenceBase) -> tuple[Fact, ...]:
    """The HCT-CI facts of the evidence base (the same for every profile: built once)."""
    return eb.memo("hctci-facts", lambda: tuple(
        f for f in eb.facts.values() if HCTCI_SOURCE_ID in f.source_ids))


def assess(
    profile: Profile,
    evidence: EvidenceBase | None = None,
    options: EstimateOptions | None = None,
) -> Assessment:
    """Assess ``profile`` against the evidence base (the shipped one by default)."""
    eb = evidence if evidence is not None else load_evidence()
    eligibility = evaluate_all(profile)
    hctci = None if profile.hctci_items is None else score_hctci(profile.hctci_items)
    hctci_facts = _hctci_facts(eb)
    estimates = select_estimates(profile, eb, options)
    summaries = _choices(eb, estimates, eligibility)
    cited = _cited_ids(eb, estimates, eligibility, hctci_facts, summaries)
    return Assessment(
        profile=profile,
        eligibility=eligibility,
        hctci=hctci,
        hctci_facts=hctci_facts,
        estimates=estimates,
        choices=summaries,
        sources=tuple(eb.source(i) for i in cited),
        msstem_version=__version__,
        evidence_date=eb.evidence_date,
        disclaimers=DISCLAIMERS,
        evidence=eb,
        options=options if options is not None else EstimateOptions(),
    )
