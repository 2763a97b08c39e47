"""Helpers shared by the web tests."""

from __future__ import annotations

import re

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
