"""Display words for msstem's closed vocabularies and profile fields: one set, every layer.

Renderers (text, HTML, PDF, web pages) take their words from here, so a course, verdict or
field is called the same everywhere. ``tests/test_labels.py`` checks that every value of
every vocabulary has a label.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

__all__ = ["COURSE_LABELS", "PROFILE_FIELD_LABELS"]

#: MS courses (``Profile.ms_course``), in words.
COURSE_LABELS: Final[Mapping[str, str]] = {
    "RRMS": "Relapsing-remitting MS (RRMS)",
    "SPMS": "Secondary progressive MS (SPMS)",
    "PPMS": "Primary progressive MS (PPMS)",
    "CIS": "Clinically isolated syndrome (CIS)",
}

#: Short names of the profile fields, as the summary and reports show them.
PROFILE_FIELD_LABELS: Final[Mapping[str, str]] = {
    "age": "Age (years)",
    "ms_course": "Type of MS",
    "disease_duration_years": "Years since first MS symptoms",
    "edss": "EDSS score",
    "relapses_12m": "Relapses in the last 12 months",
    "relapses_24m": "Relapses in the last 24 months",
    "relapses_36m": "Relapses in the last 36 months",
    "gd_lesions_12m": "Gd+ lesions, last 12 months",
    "new_t2_lesions_12m": "New or enlarging T2 lesions, last 12 months",
    "activity_on_dmt": "Activity while on a DMT",
    "failed_high_efficacy_dmt": "Activity despite a high-efficacy DMT",
    "current_dmt": "Current DMT",
    "hctci_items": "Other health conditions",
    "pregnant": "Pregnant",
}
