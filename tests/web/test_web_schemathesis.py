"""schemathesis over every operation of the OpenAPI schema (issue 12): the schema tells
the truth. Every generated request (schema-valid and, in schemathesis' negative phase,
schema-invalid) gets a status the schema documents, in the documented shape, never a
5xx, and ``Allow`` lists what the schema does.

JSON Schema cannot compare two fields, so the profile's cross-field rules (relapse
windows nest, duration <= age, ...) are in the schema's description and the positive
phase leaves out profiles that break them (:func:`_breaks_a_cross_field_rule`); their
422 answers are tested in test_web_api.py and by the fuzz suites.

Bounded: ``MAX_EXAMPLES`` per operation and phase, derandomised in CI (the ``ci``
Hypothesis profile), about 30 s in all on one core.
"""

from __future__ import annotations

import itertools
from typing import Any

import schemathesis
from hypothesis import HealthCheck, settings

from msstem.clinical.hctci import HCTCI_ITEMS
from msstem.web import WebSettings, create_app

MAX_EXAMPLES = 20
APP = create_app(WebSettings(database_url="sqlite:///:memory:",
                             secret_key="test-secret-key-0123456789", access_log=False,
                             allowed_hosts="testserver",  # the ASGI test client's Host
                             pdf_per_minute=3))  # past it, 429 (documented) instead of drawing
schema = schemathesis.openapi.from_asgi("/openapi.json", APP)


def _breaks_a_cross_field_rule(profile: Any) -> bool:
    if not isinstance(profile, dict):
        return False
    windows = [profile.get(k) for k in ("relapses_12m", "relapses_24m", "relapses_36m")]
    known = [n for n in windows if isinstance(n, int | float) and not isinstance(n, bool)]
    if any(a > b for a, b in itertools.pairwise(known)):
        return True
    age, duration = profile.get("age"), profile.get("disease_duration_years")
    if isinstance(age, int | float) and isinstance(duration, int | float) and duration > age:
        return True
    if profile.get("failed_high_efficacy_dmt") is True and profile.get("activity_on_dmt") is False:
        return True
    items = profile.get("hctci_items")
    if isinstance(items, list):
        organs = [HCTCI_ITEMS[i].organ for i in items if i in HCTCI_ITEMS]
        if len(organs) != len(set(organs)):
            return True
    return False


@schema.hook
def filter_case(context: Any, case: schemathesis.Case) -> bool:
    mode = getattr(getattr(case.meta, "generation", None), "mode", None) if case.meta else None
    if mode is not None and str(getattr(mode, "value", mode)) != "positive":
        return True
    body = case.body if isinstance(case.body, dict) else None
    if body is None:
        return True
    if isinstance(body.get("text"), str):
        # The offer text's content rules (binary-looking, HTML with no visible text, blank)
        # cannot be stated in JSON Schema either: such texts stay out of the positive phase.
        from msstem.errors import InputError
        from msstem.offers.checker import check_offer

        try:
            check_offer(body["text"])
        except InputError:
            return False
        return True
    profile = body.get("profile", body) if "profile" in body else body
    return not _breaks_a_cross_field_rule(profile)


@schema.parametrize()
@settings(max_examples=MAX_EXAMPLES, suppress_health_check=list(HealthCheck), deadline=None)
def test_every_operation_keeps_to_the_schema(case: schemathesis.Case) -> None:
    case.call_and_validate()
