"""The OpenAPI schema, made to tell the truth (issue 12).

FastAPI derives the schema from the route signatures, which say less than the checks
the routes make: ``priorities`` is "any string -> integer", a profile's ``edss`` "a
number", and only 413/422 were listed. :func:`refine_openapi` rewrites the generated
schema so that a client (and schemathesis) can rely on it:

* one ``Profile`` component: EDSS as the 20 grid values, HCT-CI items as the known ids
  (unique), every range; the three rules JSON Schema cannot state (relapse windows nest,
  ``disease_duration_years`` <= ``age``, ``failed_high_efficacy_dmt`` implies
  ``activity_on_dmt``, one grade per HCT-CI condition) are in its description;
* priorities as the nine ids with values 0-4, quiz answers as the question ids with
  their choice ids, offer text as 1 to ``MAX_OFFER_CHARS`` characters, not all blank;
* every status a route can answer, each with the one ``Error`` shape: 400 (a ``Host``
  header this server does not answer to), 413 and 422 on every body, 429 on the PDF.
"""

from __future__ import annotations

import copy
from typing import Any

from msstem.clinical.edss import EDSS_GRID
from msstem.clinical.hctci import HCTCI_ITEMS
from msstem.clinical.profile import Profile
from msstem.offers import MAX_OFFER_CHARS
from msstem.reports import quiz, values
from msstem.web.services import Services

__all__ = ["ERROR_SCHEMA", "profile_schema", "refine_openapi"]

ERROR_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["error"],
    "additionalProperties": False,
    "properties": {
        "error": {
            "type": "object",
            "required": ["code", "message", "field"],
            "additionalProperties": False,
            "properties": {
                "code": {"type": "string", "examples": ["invalid_input"]},
                "message": {"type": "string", "examples": ["edss: 5.25 is not on the EDSS grid"]},
                "field": {"type": ["string", "null"], "examples": ["edss"]},
            },
        }
    },
}
_ERROR_REF = {"$ref": "#/components/schemas/Error"}
_PROFILE_REF = {"$ref": "#/components/schemas/Profile"}
_CROSS_FIELD_RULES = (
    " Rules across fields (answered 422 naming the field): relapses_12m <= relapses_24m <= "
    "relapses_36m; disease_duration_years <= age; failed_high_efficacy_dmt true needs "
    "activity_on_dmt not false; at most one grade of each HCT-CI condition."
)
_STATUS_TEXT = {
    400: "The Host header names a host this server does not answer to (code invalid_host)",
    413: "Body over the size limit",
    422: "Invalid input: the message names the field",
    429: "Too many PDFs drawn for this client in the last minute (Retry-After says when)",
}


def _nullable(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"anyOf": [schema, {"type": "null"}], "description": description}


def profile_schema() -> dict[str, Any]:
    """The JSON Schema of a profile, as strict as the checks the API makes on one."""
    schema = copy.deepcopy(Profile.model_json_schema())
    props = schema["properties"]
    props["edss"] = _nullable(
        {"enum": [float(v) for v in EDSS_GRID]},
        "Expanded Disability Status Scale: 0, 1.0, 1.5, ... 9.5, 10.",
    )
    props["hctci_items"] = _nullable(
        {"type": "array", "items": {"enum": list(HCTCI_ITEMS)}, "uniqueItems": True},
        "HCT-CI comorbidity item ids (see docs/profile.md); [] = none of them.",
    )
    schema["description"] = (schema.get("description") or "A profile.") + _CROSS_FIELD_RULES
    schema["additionalProperties"] = False
    return schema


def _priorities_schema() -> dict[str, Any]:
    return {
        "type": "object",
        "additionalProperties": False,
        "properties": {p.id: {"type": "integer", "enum": sorted(values.SCALE)}
                       for p in values.PRIORITIES},
        "description": "Priority id -> importance 0 (not important) to 4 (extremely important).",
    }


def _answers_schema(services: Services) -> dict[str, Any]:
    return {
        "type": "object",
        "additionalProperties": False,
        "properties": {q.id: {"type": "string", "enum": [c.id for c in q.choices]}
                       for q in quiz.build_quiz(services.evidence)},
        "description": "Question id -> chosen answer id.",
    }


def _error_response(status: int) -> dict[str, Any]:
    return {"description": _STATUS_TEXT[status],
            "content": {"application/json": {"schema": _ERROR_REF}}}


def refine_openapi(schema: dict[str, Any], services: Services) -> dict[str, Any]:
    """``schema`` (FastAPI's) with the precise bodies and every answer (see the module)."""
    schema = copy.deepcopy(schema)
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    components["Error"] = ERROR_SCHEMA
    components["Profile"] = profile_schema()
    for name in ("ValuesRequest", "SummaryRequest"):
        props = components[name]["properties"]
        props["profile"] = {**_PROFILE_REF, "description": props["profile"].get(
            "description", "A profile ({} = unknown).")}
        if "priorities" in props:
            props["priorities"] = _priorities_schema()
    components["SummaryRequest"]["properties"]["quiz_answers"] = _answers_schema(services)
    components["QuizRequest"]["properties"]["answers"] = _answers_schema(services)
    components["OfferRequest"]["properties"]["text"] = {
        "type": "string", "minLength": 1, "maxLength": MAX_OFFER_CHARS, "pattern": r"\S",
        "description": "The text of a clinic's offer, pasted as it is (not all blank).",
    }
    for path, operations in schema.get("paths", {}).items():
        for method, operation in operations.items():
            responses = operation.setdefault("responses", {})
            statuses = [400]
            body = operation.get("requestBody")
            if body is not None:
                statuses += [413, 422]
                content = body["content"]["application/json"]
                if path in ("/api/assess", "/api/options"):
                    content["schema"] = _PROFILE_REF
            if path == "/api/summary.pdf" and method == "post":
                statuses.append(429)
            for status in statuses:
                responses[str(status)] = _error_response(status)
    return schema
