"""NEDA-3 statuses and time to first disease activity, on hand-computed cases.

Every subject has the index date 2020-01-01, so the horizons end on the anniversaries
2021-01-01 (1 y), 2022-01-01 (2 y) and 2025-01-01 (5 y); 2020 and 2024 are leap years.
"""

from __future__ import annotations

import pandas as pd
import pytest
from analytics_factories import make_cohort, make_mri
from neda_cases import BL, EVENTS, MRI, ORIGINS, RELAPSES, VISITS, run

from msstem.errors import OptionsError
from msstem.outcomes.activity import NEDA_SOURCE_IDS, assess_neda
from msstem.outcomes.analytics_options import ArrOptions, NedaOptions, SurvivalOptions
from msstem.outcomes.relapse_rate import annualised_relapse_rates
from msstem.outcomes.survival import survival_curves


def test_statuses_at_each_horizon() -> None:
    f = run()
    expected = {
        # id: (1 y, 2 y, 5 y)
        "A": ("NEDA", "NEDA", "NEDA"),  # followed to 2025-01-01 exactly: the horizon counts
        "B": ("EDA", "EDA", "EDA"),  # relapse ON the 1-year anniversary is inside 1 y
        "C": ("NEDA", "EDA", "EDA"),  # relapse one day after it is not
        "D": ("EDA", "EDA", "EDA"),
        "E": ("not_evaluable",) * 3,  # no EDSS at or before the index date
        "E2": ("EDA", "EDA", "EDA"),  # ... but activity seen is activity
        "F": ("not_evaluable",) * 3,  # no index date: reported, not dropped
        "G": ("not_evaluable",) * 3,  # last scan 2020-12-01, before the 1-year horizon
        "H": ("EDA", "EDA", "EDA"),  # Gd+ scan on day 60, no re-baseline window
    }
    for sid, statuses in expected.items():
        got = tuple(f.loc[sid, [f"status_{h}y" for h in (1, 2, 5)]])
        assert got == statuses, sid


def test_components_and_reasons() -> None:
    f = run()
    assert f.loc["B", "components_1y"] == "relapse"
    assert f.loc["C", "components_1y"] == "" and f.loc["C", "components_2y"] == "relapse"
    assert f.loc["D", "components_1y"] == "mri;cdw"  # both on 2020-06-01
    assert f.loc["D", "first_activity_components"] == "mri;cdw"
    assert f.loc["D", "first_cdw"] == pd.Timestamp("2020-06-01")  # the 2019 CDW is ignored
    assert pd.isna(f.loc["A", "first_cdw"])  # the CDI is not a worsening
    assert pd.isna(f.loc["A", "first_mri"])  # the index-day scan is not assessed
    assert f.loc["E", "reason_1y"].startswith("no EDSS visit at or before the index date")
    assert f.loc["F", "reason_5y"].startswith("no index date")
    assert f.loc["G", "reason_1y"] == "no MRI scan assessed on or after the horizon"
    assert f.loc["A", "reason_1y"] == "" and f.loc["B", "reason_1y"] == ""
    assert f.loc["E", "components_1y"] == ""


def test_time_to_first_activity() -> None:
    f = run()
    # A: censored at min(last visit, last scan) = 2025-01-01: 366+365+365+365+366 = 1827 days.
    assert (f.loc["A", "time_to_eda_days"], f.loc["A", "eda_event"]) == (1827, 0)
    # B: relapse 2021-01-01 = 366 days (2020 is a leap year).
    assert (f.loc["B", "time_to_eda_days"], f.loc["B", "eda_event"]) == (366, 1)
    assert f.loc["B", "first_activity_date"] == pd.Timestamp("2021-01-01")
    # D: 2020-06-01 = 31+29+31+30+31 = 152 days.
    assert (f.loc["D", "time_to_eda_days"], f.loc["D", "eda_event"]) == (152, 1)
    # G: censored at its last scan 2020-12-01 = 366 - 31 = 335 days.
    assert (f.loc["G", "time_to_eda_days"], f.loc["G", "eda_event"]) == (335, 0)
    # No baseline EDSS (E, E2) or no index date (F): no time, even with activity seen.
    for sid in ("E", "E2", "F"):
        assert pd.isna(f.loc[sid, "time_to_eda_days"]) and pd.isna(f.loc[sid, "eda_event"])


@pytest.mark.parametrize(
    ("window", "status_1y"),
    [
        (0, "EDA"),  # default: only the index-day scan is a baseline
        (59, "EDA"),  # day 60 is just outside a 59-day window
        (60, "NEDA"),  # ... and inside (at the edge of) a 60-day window
        (90, "NEDA"),
    ],
)
def test_mri_rebaseline_window(window: int, status_1y: str) -> None:
    assert run(mri_rebaseline_days=window).loc["H", "status_1y"] == status_1y


@pytest.mark.parametrize(
    ("tolerance", "status_1y"),
    [(0, "not_evaluable"), (30, "not_evaluable"), (31, "NEDA"), (60, "NEDA")],
)
def test_followup_tolerance(tolerance: int, status_1y: str) -> None:
    # G's last scan is 2020-12-01, 31 days before the 1-year horizon 2021-01-01.
    assert run(followup_tolerance_days=tolerance).loc["G", "status_1y"] == status_1y


def test_custom_horizons() -> None:
    f = run(horizons_years=(3, 1))
    assert [c for c in f.columns if c.startswith("status_")] == ["status_1y", "status_3y"]
    # C: relapse 2021-01-02 is inside 3 y; A followed to 2025: NEDA at 3 y.
    assert f.loc["C", "status_3y"] == "EDA" and f.loc["A", "status_3y"] == "NEDA"


def test_summary_counts() -> None:
    cohort = make_cohort(ORIGINS, VISITS, RELAPSES, EVENTS)
    summary = assess_neda(cohort, make_mri(MRI)).summary
    row = summary[(summary["group"] == "aHSCT") & (summary["horizon_years"] == 1)].iloc[0]
    # A NEDA, B EDA, C NEDA -> 2 NEDA of 3 evaluable.
    assert (row["subjects"], row["NEDA"], row["EDA"], row["not_evaluable"]) == (3, 2, 1, 0)
    assert row["neda_proportion"] == pytest.approx(2 / 3)
    # F has no index date, so it sits in its own group, all not evaluable.
    nogroup = summary[summary["group"] == "(no index date)"]
    assert set(nogroup["not_evaluable"]) == {1} and set(nogroup["NEDA"]) == {0}


def test_needs_an_index_date() -> None:
    cohort = make_cohort([("A", BL, "all")], {"A": [BL]}, kind="first_visit")
    with pytest.raises(OptionsError, match="index date"):
        assess_neda(cohort, make_mri([("A", BL, 0, 0)]))


def test_index_therapy_must_match_the_cohort() -> None:
    cohort = make_cohort(ORIGINS, VISITS, index_therapy="aHSCT")
    with pytest.raises(OptionsError, match="index_therapy"):
        assess_neda(cohort, make_mri(MRI), NedaOptions(index_therapy="natalizumab"))
    assess_neda(cohort, make_mri(MRI), NedaOptions(index_therapy="AHSCT"))  # case-insensitive
    # Unset: taken from the cohort, and recorded in the result's options.
    assert assess_neda(cohort, make_mri(MRI)).options.index_therapy == "aHSCT"
    with pytest.raises(OptionsError, match="index_therapy"):
        annualised_relapse_rates(cohort, ArrOptions(index_therapy="natalizumab"))
    with pytest.raises(OptionsError, match="index_therapy"):
        survival_curves(cohort, SurvivalOptions(index_therapy="natalizumab"))
    assert annualised_relapse_rates(cohort).options.index_therapy == "aHSCT"


def test_result_carries_options_version_and_sources() -> None:
    cohort = make_cohort(ORIGINS, VISITS, RELAPSES, EVENTS)
    opts = NedaOptions(mri_rebaseline_days=30)
    result = assess_neda(cohort, make_mri(MRI), opts)
    assert result.options is opts and result.msstem_version
    assert {"rotstein-2015-neda", "giovannoni-2015-neda"} <= set(NEDA_SOURCE_IDS)
