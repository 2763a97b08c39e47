"""Helpers shared by the web tests."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

EXAMPLE_FORM = {
    "age": "34", "ms_course": "RRMS", "disease_duration_years": "6", "edss": "3.5",
    "relapses_12m": "2", "relapses_24m": "3", "relapses_36m": "3", "gd_lesions_12m": "2",
    "new_t2_lesions_12m": "4", "activity_on_dmt": "yes", "failed_high_efficacy_dmt": "yes",
    "current_dmt": "natalizumab", "pregnant": "no", "hctci_items": "psychiatric",
}


def csrf_of(html: str) -> str:
    match = re.search(r'name="csrf" value="([^"]+)"', html)
    assert match, "page has no CSRF field"
    return match.group(1)


#: Profiles whose pages' figures and sources are traced to the evidence.
CONTENT_PROFILES = [
    {},
    {"age": 34, "ms_course": "RRMS", "edss": 3.5, "relapses_12m": 2, "activity_on_dmt": True},
    {"age": 58, "ms_course": "PPMS", "edss": 6.5, "hctci_items": []},
    {"age": 25, "ms_course": "CIS", "edss": 1.0, "pregnant": True},
]


def walk(obj: Any) -> Iterator[Any]:
    yield obj
    if isinstance(obj, dict):
        for v in obj.values():
            yield from walk(v)
    elif isinstance(obj, list | tuple):
        for v in obj:
            yield from walk(v)


def cited_ids(doc: Any) -> set[str]:
    """Every source id a rendered document cites."""
    ids: set[str] = set()
    for node in walk(doc):
        if isinstance(node, dict):
            for key in ("sources", "source_ids"):
                value = node.get(key)
                if isinstance(value, list):
                    ids.update(v for v in value if isinstance(v, str))
            if isinstance(node.get("source_id"), str):
                ids.add(node["source_id"])
    return ids
