"""The curated, cited evidence base (data files, typed loader, validator).

    >>> from msstem.evidence import load_evidence
    >>> eb = load_evidence()
    >>> eb.fact("sormani-2017-trm").per_100
    2.1

Data: ``msstem/evidence/data/*.yaml`` (schema in docs/evidence.md). Every number
traces to a :class:`Source` (a seed file or a publication with DOI/PMID/URL).
Guideline and trial-entry numbers are structured :class:`Criterion` records
(``eb.criteria("beat-ms")``, ``eb.criterion("beat-ms", "age-max")``) that the
eligibility rules read; the validated base is cached (:mod:`msstem.evidence.cache`).
"""

from msstem.evidence.criteria import (
    CRITERION_MEASURES,
    Criterion,
    LocatedCriterion,
    ScreeningText,
)
from msstem.evidence.loader import EvidenceBase, load_evidence
from msstem.evidence.models import (
    CELL_TYPE_IDS,
    COURSES,
    DESIGNS,
    INTENSITIES,
    INTERVAL_KINDS,
    OUTCOMES,
    SOURCE_KINDS,
    THERAPIES,
    UNITS,
    CellType,
    Claim,
    Definition,
    Disagreement,
    Dmt,
    EstimateTag,
    Fact,
    FaqEntry,
    Guideline,
    Interval,
    Meta,
    ProcedureStep,
    Regimen,
    Source,
    Study,
    Therapy,
    Trial,
    WarningSign,
)
from msstem.evidence.validator import Problem, check_evidence

__all__ = [
    "CELL_TYPE_IDS",
    "COURSES",
    "CRITERION_MEASURES",
    "DESIGNS",
    "INTENSITIES",
    "INTERVAL_KINDS",
    "OUTCOMES",
    "SOURCE_KINDS",
    "THERAPIES",
    "UNITS",
    "CellType",
    "Claim",
    "Criterion",
    "Definition",
    "Disagreement",
    "Dmt",
    "EstimateTag",
    "EvidenceBase",
    "Fact",
    "FaqEntry",
    "Guideline",
    "Interval",
    "LocatedCriterion",
    "Meta",
    "Problem",
    "ProcedureStep",
    "Regimen",
    "ScreeningText",
    "Source",
    "Study",
    "Therapy",
    "Trial",
    "WarningSign",
    "check_evidence",
    "load_evidence",
]
