"""Typed records of the evidence base: sources, facts and the curated tables.

Every model is frozen and rejects unknown fields, so a typo in a data file is an
error, not a silently ignored key. Closed vocabularies are ``Literal`` types
defined once here; their allowed values are exported as tuples (``SOURCE_KINDS``,
``UNITS``, ``OUTCOMES`` ...) for validators, docs and UIs.

The models check types and vocabularies only. Cross-record rules (every fact has
a source, intervals are ordered, n/d matches the value ...) live in
:mod:`msstem.evidence.validator`, so ``msstem evidence check`` can report every
problem at once instead of stopping at the first.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Final, Literal, get_args

from pydantic import BaseModel, ConfigDict, StringConstraints

from msstem.evidence.criteria import Criterion, ScreeningText

__all__ = [
    "BENEFIT_OUTCOMES",
    "CELL_TYPE_IDS",
    "CI_KINDS",
    "COURSES",
    "DESIGNS",
    "ESTIMATE_KINDS",
    "EVIDENCE_STAGES",
    "HARM_OUTCOMES",
    "ID_PATTERN",
    "INTENSITIES",
    "INTERVAL_KINDS",
    "OUTCOMES",
    "PROPORTION_UNITS",
    "REGIMEN_INTENSITIES",
    "SOURCE_KINDS",
    "THERAPIES",
    "UNITS",
    "CellType",
    "CellTypeId",
    "Claim",
    "Course",
    "Definition",
    "Design",
    "Disagreement",
    "Dmt",
    "EstimateKind",
    "EstimateTag",
    "EvidenceStage",
    "Fact",
    "FaqEntry",
    "Guideline",
    "Intensity",
    "Interval",
    "IntervalKind",
    "Meta",
    "Outcome",
    "ProcedureStep",
    "Regimen",
    "RegimenIntensity",
    "Source",
    "SourceKind",
    "Study",
    "Therapy",
    "TherapyTag",
    "Trial",
    "Unit",
    "WarningSign",
]

#: Lower-case kebab-case, e.g. ``sormani-2017-trm``.
ID_PATTERN: Final = r"^[a-z0-9]+(-[a-z0-9]+)*$"
Id = Annotated[str, StringConstraints(pattern=ID_PATTERN)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]

SourceKind = Literal[
    "seed", "trial", "meta-analysis", "guideline", "regulator", "registry", "cohort",
    "review", "secondary", "software",
]
Unit = Literal[
    "%", "per 1,000 patients", "per 100 patient-years", "per 1,000 patient-years", "HR", "OR",
    "rate ratio", "SMD", "relapses per year", "Gd+ lesions per scan", "EDSS points", "years",
    "months", "weeks", "days", "patients", "studies", "centres", "countries", "businesses",
    "clinics", "therapies", "USD", "EUR", "GBP", "mg/kg", "pmol/L", "x10^6 CD34+ cells/kg",
    "per patient", "p-value",
]
IntervalKind = Literal["95% CI", "90% CI", "range", "IQR", "SD", "SE"]
TherapyTag = Literal[
    "ahsct", "ocrelizumab", "natalizumab", "alemtuzumab", "ofatumumab", "cladribine", "msc",
    "interferon-beta", "teriflunomide", "placebo", "dmt-mixed",
]
Outcome = Literal[
    "neda", "progression", "progression_free", "event_free", "relapse_free",
    "mri_activity_free", "treatment_related_death", "death", "overall_survival", "cdw",
    "cdw_free", "improvement", "annualised_relapse_rate", "pml", "serious_infection",
    "infection", "thyroid_disease", "itp", "secondary_autoimmunity", "infusion_reaction",
    "lymphopenia", "herpes_zoster", "febrile_neutropenia", "grade3_adverse_event",
    "serious_adverse_event", "menses_recovery", "pregnancy", "low_immunoglobulin",
]
EstimateKind = Literal["benefit", "harm"]
Course = Literal["RRMS", "SPMS", "PPMS", "CIS"]
Intensity = Literal["any", "low", "intermediate", "high"]
RegimenIntensity = Literal["low", "intermediate", "high"]
Design = Literal[
    "rct", "single-arm", "cohort", "registry", "meta-analysis", "post-hoc", "extension",
]
CellTypeId = Literal["hsc", "msc", "nsc", "hesc", "ipsc"]
EvidenceStage = Literal["in-use", "clinical-trials", "experimental", "disease-modelling"]

SOURCE_KINDS: Final[tuple[str, ...]] = get_args(SourceKind)
UNITS: Final[tuple[str, ...]] = get_args(Unit)
INTERVAL_KINDS: Final[tuple[str, ...]] = get_args(IntervalKind)
THERAPIES: Final[tuple[str, ...]] = get_args(TherapyTag)
OUTCOMES: Final[tuple[str, ...]] = get_args(Outcome)
ESTIMATE_KINDS: Final[tuple[str, ...]] = get_args(EstimateKind)
COURSES: Final[tuple[str, ...]] = get_args(Course)
INTENSITIES: Final[tuple[str, ...]] = get_args(Intensity)
REGIMEN_INTENSITIES: Final[tuple[str, ...]] = get_args(RegimenIntensity)
DESIGNS: Final[tuple[str, ...]] = get_args(Design)
CELL_TYPE_IDS: Final[tuple[str, ...]] = get_args(CellTypeId)
EVIDENCE_STAGES: Final[tuple[str, ...]] = get_args(EvidenceStage)

#: Units whose value is a share of people, convertible to "per 100 people".
PROPORTION_UNITS: Final[frozenset[str]] = frozenset({"%", "per 1,000 patients"})
#: Interval kinds that must contain the point estimate.
CI_KINDS: Final[frozenset[str]] = frozenset({"95% CI", "90% CI", "range", "IQR"})
#: Outcomes that are good news when they happen (an estimate tag must say kind: benefit).
BENEFIT_OUTCOMES: Final[frozenset[str]] = frozenset({
    "neda", "progression_free", "event_free", "relapse_free", "mri_activity_free",
    "overall_survival", "cdw_free", "improvement", "menses_recovery", "pregnancy",
})
#: Outcomes that are bad news when they happen (an estimate tag must say kind: harm).
HARM_OUTCOMES: Final[frozenset[str]] = frozenset({
    "progression", "treatment_related_death", "death", "cdw", "pml", "serious_infection",
    "infection", "thyroid_disease", "itp", "secondary_autoimmunity", "infusion_reaction",
    "lymphopenia", "herpes_zoster", "febrile_neutropenia", "grade3_adverse_event",
    "serious_adverse_event", "low_immunoglobulin",
})

#: Factor that turns a proportion unit's value into "per 100 people".
_PER_100_SCALE: Final[dict[str, float]] = {"%": 1.0, "per 1,000 patients": 0.1}

_FROZEN = ConfigDict(extra="forbid", frozen=True)


class _Record(BaseModel):
    model_config = _FROZEN


class Source(_Record):
    """A seed document or a publication, registry record, guideline or regulator page."""

    id: Id
    kind: SourceKind
    label: Text
    citation: Text
    authors: str | None = None
    year: int | None = None
    doi: str | None = None
    pmid: str | None = None
    pmcid: str | None = None
    url: str | None = None
    seed_file: str | None = None
    registry_ids: tuple[str, ...] = ()
    read_at: str | None = None
    caution: str | None = None
    #: Set only when the notes give no DOI/PMID/URL/registry id; says why.
    no_identifier_reason: str | None = None

    @property
    def is_seed(self) -> bool:
        return self.kind == "seed"

    def reference(self) -> str:
        """One-line citation text with every identifier the notes give."""
        parts = [self.label.rstrip(".")]
        if self.authors:
            parts.append(self.authors.rstrip("."))
        if self.citation != self.label:
            parts.append(self.citation.rstrip("."))
        if self.doi:
            parts.append(f"DOI {self.doi}")
        if self.pmid:
            parts.append(f"PMID {self.pmid}")
        if self.pmcid:
            parts.append(self.pmcid)
        if self.registry_ids:
            parts.append(", ".join(self.registry_ids))
        if self.url:
            parts.append(self.url)
        if self.seed_file:
            parts.append(f"seed file {self.seed_file}")
        return ". ".join(parts) + "."


class Interval(_Record):
    low: float
    high: float
    kind: IntervalKind


class EstimateTag(_Record):
    """Makes a proportion fact usable as a personal event-rate estimate."""

    therapy: TherapyTag
    outcome: Outcome
    kind: EstimateKind
    courses: tuple[Course, ...] = ()
    edss_min: float | None = None
    edss_max: float | None = None
    age_min: float | None = None
    age_max: float | None = None
    intensity: Intensity = "any"
    years: float | None = None
    design: Design


class Fact(_Record):
    """One number (or one qualitative statement) with its population and sources."""

    id: Id
    statement: Text
    value: float | None = None
    unit: Unit | None = None
    interval: Interval | None = None
    numerator: int | None = None
    denominator: int | None = None
    population: str | None = None
    follow_up: str | None = None
    source_ids: tuple[Id, ...] = ()
    verified: bool = True
    caution: str | None = None
    topic: Text
    estimate: EstimateTag | None = None
    #: Verbatim excerpt from a seed source backing the statement (tests check it).
    quote: str | None = None

    @property
    def is_proportion(self) -> bool:
        """True if the value is a share of people (% / per 1,000 patients / n of d)."""
        return self.unit in PROPORTION_UNITS or (
            self.numerator is not None and self.denominator is not None
        )

    @property
    def per_100(self) -> float | None:
        """The value as "events per 100 people", or None if it is not a proportion."""
        scale = _PER_100_SCALE.get(self.unit or "")
        if self.value is not None and scale is not None:
            return self.value * scale
        if self.numerator is not None and self.denominator:
            return 100.0 * self.numerator / self.denominator
        return None

    @property
    def interval_per_100(self) -> Interval | None:
        """The interval on the "per 100 people" scale (same kind), if there is one."""
        scale = _PER_100_SCALE.get(self.unit or "")
        if self.interval is None or scale is None:
            return None
        return Interval(
            low=self.interval.low * scale, high=self.interval.high * scale,
            kind=self.interval.kind,
        )


class Claim(_Record):
    """A statement attributed to specific sources (used where sources disagree)."""

    text: Text
    source_ids: tuple[Id, ...] = ()
    #: Verbatim excerpt from a seed source backing the text (tests check it).
    quote: str | None = None


class CellType(_Record):
    id: CellTypeId
    name: Text
    short_name: Text
    origin: tuple[Claim, ...]
    can_become: tuple[Claim, ...]
    role_in_ms: tuple[Claim, ...]
    evidence_stage: EvidenceStage
    risks: tuple[Claim, ...] = ()
    source_ids: tuple[Id, ...] = ()


class Therapy(_Record):
    id: Id
    name: Text
    cell_type: CellTypeId
    summary: Text
    status: Claim
    what_it_is_like: str | None = None
    fact_ids: tuple[Id, ...] = ()
    source_ids: tuple[Id, ...] = ()


class Regimen(_Record):
    id: Id
    name: Text
    intensity: RegimenIntensity
    myeloablative: bool | None = None
    description: Text
    doses: str | None = None
    fact_ids: tuple[Id, ...] = ()
    source_ids: tuple[Id, ...] = ()
    verified: bool = True
    caution: str | None = None


class ProcedureStep(_Record):
    id: Id
    title: Text
    description: Text
    timing: str | None = None
    #: Days relative to reinfusion (day 0), where a source gives them.
    timing_days_min: int | None = None
    timing_days_max: int | None = None
    fact_ids: tuple[Id, ...] = ()
    source_ids: tuple[Id, ...] = ()


class Study(_Record):
    id: Id
    name: Text
    design: Text
    n: int | None = None
    population: str | None = None
    follow_up: str | None = None
    key_fact_ids: tuple[Id, ...] = ()
    source_ids: tuple[Id, ...] = ()


class Trial(_Record):
    id: Id
    name: Text
    registry_ids: tuple[str, ...] = ()
    phase: str | None = None
    design: str | None = None
    arms: tuple[str, ...] = ()
    target_n: int | None = None
    countries: tuple[str, ...] = ()
    status: str | None = None
    #: When the notes' registry text is from: "YYYY", "YYYY-MM" or "YYYY-MM-DD".
    status_as_of: Annotated[str, StringConstraints(pattern=r"^\d{4}(-\d{2}){0,2}$")] | None = None
    primary_endpoint: str | None = None
    primary_endpoint_verified: bool = True
    entry_criteria: tuple[str, ...] = ()
    ruleset: Id | None = None
    fact_ids: tuple[Id, ...] = ()
    source_ids: tuple[Id, ...] = ()
    caution: str | None = None
    #: The entry criteria's numbers, structured (the eligibility rules read these).
    criteria: tuple[Criterion, ...] = ()
    #: Cautions and notes the trial's rule set shows (templates may name criteria).
    screening: tuple[ScreeningText, ...] = ()


class Guideline(_Record):
    id: Id
    name: Text
    organisation: Text
    year: int | None = None
    summary: Text
    recommendations: tuple[str, ...] = ()
    not_found: tuple[str, ...] = ()
    source_ids: tuple[Id, ...] = ()
    #: The recommendations' numbers, structured (the eligibility rules read these).
    criteria: tuple[Criterion, ...] = ()
    #: Cautions and notes the guideline's rule set shows (templates may name criteria).
    screening: tuple[ScreeningText, ...] = ()


class Definition(_Record):
    """A shared definition the rules read (e.g. what counts as MRI activity), as criteria."""

    id: Id
    name: Text
    summary: Text
    criteria: tuple[Criterion, ...]
    source_ids: tuple[Id, ...] = ()


class WarningSign(_Record):
    id: Id
    title: Text
    description: Text
    what_to_ask: str | None = None
    source_ids: tuple[Id, ...] = ()
    verified: bool = True
    caution: str | None = None


class FaqEntry(_Record):
    id: Id
    question: Text
    answer: Text
    source_ids: tuple[Id, ...] = ()
    fact_ids: tuple[Id, ...] = ()


class Dmt(_Record):
    id: Id
    name: Text
    how_given: str | None = None
    pivotal_trials: tuple[str, ...] = ()
    benefit_fact_ids: tuple[Id, ...] = ()
    harm_fact_ids: tuple[Id, ...] = ()
    cost_fact_ids: tuple[Id, ...] = ()
    monitoring: str | None = None
    source_ids: tuple[Id, ...] = ()
    caution: str | None = None


class Disagreement(_Record):
    id: Id
    topic: Text
    fact_ids: tuple[Id, ...]
    note: Text
    source_ids: tuple[Id, ...] = ()


class Meta(_Record):
    curated_on: dt.date
    notes_file: Text
    latest_source_year: int
    summary: Text
