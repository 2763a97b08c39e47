"""The hand-computed NEDA-3 cohort, shared by the example tests and the properties.

Every subject has the index date 2020-01-01, so the horizons end on the anniversaries
2021-01-01 (1 y), 2022-01-01 (2 y) and 2025-01-01 (5 y); 2020 and 2024 are leap years.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
from analytics_factories import make_cohort, make_mri

from msstem.outcomes.activity import assess_neda
from msstem.outcomes.analytics_options import NedaOptions

INDEX = "2020-01-01"
BL = "2019-12-01"  # a baseline EDSS visit before the index date

ORIGINS = [
    ("A", INDEX, "aHSCT"), ("B", INDEX, "aHSCT"), ("C", INDEX, "aHSCT"),
    ("D", INDEX, "DMT"), ("E", INDEX, "DMT"), ("E2", INDEX, "DMT"), ("F", None, "DMT"),
    ("G", INDEX, "DMT"), ("H", INDEX, "DMT"),
]
VISITS = {
    "A": [BL, "2021-01-01", "2022-01-01", "2025-01-01"],
    "B": [BL, "2022-01-01"],
    "C": [BL, "2022-06-01"],
    "D": [BL, "2020-06-01", "2021-03-01"],
    "E": ["2020-02-01", "2022-01-01"],
    "E2": ["2020-02-01", "2022-01-01"],
    "F": [BL, "2022-01-01"],
    "G": [BL, "2021-06-01"],
    "H": [BL, "2021-06-01", "2022-02-01"],
}
RELAPSES = [("B", "2021-01-01"), ("C", "2021-01-02"), ("E2", "2020-05-01"), ("F", "2020-03-01")]
EVENTS = [
    ("D", "2019-12-15", "CDW", "PIRA"),  # before the index date: not counted
    ("D", "2020-06-01", "CDW", "PIRA"),
    ("A", "2021-06-01", "CDI", ""),  # an improvement is not activity
]
MRI = [
    ("A", INDEX, 0, 2),  # active, but the index-day scan is the baseline scan
    ("A", "2021-01-01", 0, 0), ("A", "2022-01-01", 0, 0), ("A", "2025-01-01", 0, 0),
    ("B", "2021-06-01", 0, 0), ("B", "2022-01-01", 0, 0),
    ("C", "2021-06-01", 0, 0), ("C", "2022-06-01", 0, 0),
    ("D", "2020-06-01", 1, 0),
    ("E", "2021-06-01", 0, 0), ("E", "2022-01-01", 0, 0),
    ("E2", "2021-06-01", 0, 0),
    ("G", "2020-12-01", 0, 0),
    ("H", "2020-03-01", 0, 1), ("H", "2021-06-01", 0, 0), ("H", "2022-02-01", 0, 0),
]


def run(**options: Any) -> pd.DataFrame:
    cohort = make_cohort(ORIGINS, VISITS, RELAPSES, EVENTS)
    result = assess_neda(cohort, make_mri(MRI), NedaOptions(**options))
    return result.to_frame().set_index("id")
