"""The public API of msstem.evidence is exactly what we mean it to be."""

from __future__ import annotations

import msstem.evidence as evidence
from msstem.evidence import loader, models, validator


def _isort_key(name: str) -> tuple[int, str]:
    # ruff RUF022 / isort order: CONSTANTS, then Classes, then functions.
    return (0 if name.isupper() else 1 if name[0].isupper() else 2, name)


def test_all_is_sorted_and_complete() -> None:
    for module in (evidence, loader, models, validator):
        assert list(module.__all__) == sorted(module.__all__, key=_isort_key), module.__name__
        for name in module.__all__:
            assert hasattr(module, name), (module.__name__, name)


def test_public_names() -> None:
    assert set(evidence.__all__) == {
        "CELL_TYPE_IDS", "COURSES", "CRITERION_MEASURES", "DESIGNS", "INTENSITIES",
        "INTERVAL_KINDS", "OUTCOMES", "SOURCE_KINDS", "THERAPIES", "UNITS", "CellType", "Claim",
        "Criterion", "Definition", "Disagreement", "Dmt", "LocatedCriterion", "ScreeningText",
        "EstimateTag", "EvidenceBase", "Fact", "FaqEntry", "Guideline", "Interval", "Meta",
        "Problem", "ProcedureStep", "Regimen", "Source", "Study", "Therapy", "Trial",
        "WarningSign", "check_evidence", "load_evidence",
    }
