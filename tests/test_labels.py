"""One vocabulary, one set of labels: every closed vocabulary value has display words in
msstem.clinical.labels (and no label names a value that does not exist), and the JSON
schema's enums are the code's own vocabularies."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import pytest

from msstem.clinical import MS_COURSES, Profile
from msstem.clinical import labels as L
from msstem.decision import Applicability
from msstem.eligibility import RULESET_KINDS, CriterionStatus, Verdict
from msstem.evidence import models as M
from msstem.outcomes.analytics_options import ENDPOINTS

VOCABULARIES: dict[str, tuple[Iterable[Any], Mapping[str, str]]] = {
    "ms courses": (MS_COURSES, L.COURSE_LABELS),
    "profile fields": (Profile.model_fields, L.PROFILE_FIELD_LABELS),
    "verdicts": ((v.value for v in Verdict), L.VERDICT_LABELS),
    "criterion statuses": ((s.value for s in CriterionStatus), L.CRITERION_STATUS_LABELS),
    "applicability": ((a.value for a in Applicability), L.APPLICABILITY_LABELS),
    "outcomes": (M.OUTCOMES, L.OUTCOME_LABELS),
    "therapies": (M.THERAPIES, L.THERAPY_LABELS),
    "study designs": (M.DESIGNS, L.DESIGN_LABELS),
    "evidence stages": (M.EVIDENCE_STAGES, L.EVIDENCE_STAGE_LABELS),
    "survival endpoints": (ENDPOINTS, L.ENDPOINT_LABELS),
}


@pytest.mark.parametrize("name", sorted(VOCABULARIES))
def test_every_value_has_a_label_and_every_label_a_value(name: str) -> None:
    values, labels = VOCABULARIES[name]
    values = list(values)
    missing = [v for v in values if v not in labels]
    orphans = [k for k in labels if k not in values]
    assert not missing, f"{name}: no label for {missing}"
    assert not orphans, f"{name}: labels for values that do not exist: {orphans}"
    assert all(isinstance(t, str) and t.strip() for t in labels.values())


def test_every_label_mapping_in_the_module_is_checked() -> None:
    checked = {id(labels) for _, labels in VOCABULARIES.values()}
    assert {name for name in L.__all__ if id(getattr(L, name)) not in checked} == set()


def test_the_course_vocabulary_is_defined_once() -> None:
    assert M.COURSES == MS_COURSES


# --- the JSON schema's enums are the code's vocabularies ---------------------------------------

SCHEMA = Path(__file__).resolve().parents[1] / "docs" / "assess-schema.json"

SCHEMA_ENUMS: dict[str, Iterable[Any]] = {
    "criterion.status": (s.value for s in CriterionStatus),
    "eligibility_result.kind": RULESET_KINDS,
    "eligibility_result.verdict": (v.value for v in Verdict),
    "estimate.therapy": M.THERAPIES,
    "estimate.kind": M.ESTIMATE_KINDS,
    "estimate.intensity": M.INTENSITIES,
    "estimate.courses": MS_COURSES,
    "estimate.applicability": (a.value for a in Applicability),
    "cell_type.id": M.CELL_TYPE_IDS,
    "cell_type.evidence_stage": M.EVIDENCE_STAGES,
    "source.kind": M.SOURCE_KINDS,
    "option.eligibility": (v.value for v in Verdict),
}


def _enum_at(schema: dict[str, Any], where: str) -> list[Any]:
    definition, prop = where.split(".")
    node = schema["$defs"][definition]["properties"][prop]
    node = node.get("items", node)
    if "oneOf" in node:
        node = next(n for n in node["oneOf"] if "enum" in n)
    return list(node["enum"])


@pytest.mark.parametrize("where", sorted(SCHEMA_ENUMS))
def test_schema_enums_match_the_vocabularies(where: str) -> None:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    assert _enum_at(schema, where) == list(SCHEMA_ENUMS[where])
