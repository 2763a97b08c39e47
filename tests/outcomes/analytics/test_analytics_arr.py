"""Annualised relapse rates and exact Poisson (Garwood) intervals, checked by hand."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from analytics_factories import make_cohort

from msstem.errors import OptionsError
from msstem.outcomes.analytics_options import ArrOptions
from msstem.outcomes.clinical_inputs import IndexedCohort
from msstem.outcomes.relapse_rate import annualised_relapse_rates, garwood_interval

# Exact 95% Poisson limits for the COUNT k (rate x person-time) as printed, to 3 decimals,
# in the usual tables of exact Poisson confidence limits; the property test below checks
# the same limits by an independent route (inverting the Poisson tails numerically).
POISSON_TABLE = {
    0: (0.0, 3.689),
    1: (0.0253, 5.572),
    2: (0.242, 7.225),
    3: (0.619, 8.767),
    4: (1.090, 10.242),
    6: (2.202, 13.059),
    10: (4.795, 18.390),
}


@pytest.mark.parametrize(("k", "limits"), sorted(POISSON_TABLE.items()))
def test_garwood_matches_published_table(k: int, limits: tuple[float, float]) -> None:
    lo, hi = garwood_interval(k, 1.0)
    assert lo[0] == pytest.approx(limits[0], abs=6e-4)
    assert hi[0] == pytest.approx(limits[1], abs=6e-4)


def test_garwood_worked_example() -> None:
    # 3 relapses over 2.0 person-years: ARR 1.5; limits 0.619/2 = 0.309, 8.767/2 = 4.384.
    lo, hi = garwood_interval(3, 2.0)
    assert (round(float(lo[0]), 3), round(float(hi[0]), 3)) == (0.309, 4.384)




def test_garwood_zero_person_time_is_undefined() -> None:
    lo, hi = garwood_interval([0, 2], [0.0, 0.0])
    assert np.isnan(lo).all() and np.isnan(hi).all()


# S1: 2020-01-01 .. 2024-01-01 = 366+365+365+365 = 1461 days = 4.0 person-years exactly.
# S2: 2021-01-01 .. 2025-01-01 = 365+365+365+366 = 1461 days = 4.0 person-years.
# S3: one visit only: no person-time.
VISITS = {
    "S1": ["2020-01-01", "2022-01-01", "2024-01-01"],
    "S2": ["2021-01-01", "2025-01-01"],
    "S3": ["2021-01-01"],
}
RELAPSES = [
    ("S1", "2020-01-01"),  # on the first visit: inside 'all' (closed window) and 'pre'
    ("S1", "2022-01-01"),  # on the index day: a pre-index relapse
    ("S1", "2024-01-01"),  # on the last visit: inside
    ("S1", "2024-06-01"),  # after the last visit: outside every window
    ("S2", "2023-03-01"),
    ("S3", "2021-01-01"),
]


def no_index_cohort() -> IndexedCohort:
    origins = [(s, VISITS[s][0], "all") for s in VISITS]
    return make_cohort(origins, VISITS, RELAPSES, kind="first_visit")


def test_subject_and_group_rates_first_to_last_visit() -> None:
    result = annualised_relapse_rates(no_index_cohort())
    subj = result.subjects.set_index("id")
    assert set(subj["period"]) == {"all"}
    # S1: 3 relapses / 4.0 PY = 0.75; S2: 1 / 4.0 = 0.25; S3: no person-time.
    assert subj.loc["S1", "person_years"] == pytest.approx(4.0)
    assert (subj.loc["S1", "relapses"], subj.loc["S1", "arr"]) == (3, pytest.approx(0.75))
    assert subj.loc["S1", "ci_low"] == pytest.approx(0.619 / 4, abs=2e-4)
    assert subj.loc["S1", "ci_high"] == pytest.approx(8.767 / 4, abs=2e-4)
    assert subj.loc["S2", "arr"] == pytest.approx(0.25)
    assert subj.loc["S3", "person_years"] == 0 and math.isnan(subj.loc["S3", "arr"])
    assert subj.loc["S3", "relapses"] == 1
    group = result.groups.iloc[0]
    # Group: (3 + 1) relapses / (4 + 4) PY = 0.5; Garwood k=4: [1.090, 10.242] / 8.
    assert (group["subjects"], group["subjects_without_time"]) == (2, 1)
    assert (group["relapses"], group["person_years"]) == (4, pytest.approx(8.0))
    assert group["arr"] == pytest.approx(0.5)
    assert group["ci_low"] == pytest.approx(1.0899 / 8, abs=1e-4)
    assert group["ci_high"] == pytest.approx(10.2416 / 8, abs=1e-4)
    assert group["conf_level"] == pytest.approx(0.95)


def indexed_cohort() -> IndexedCohort:
    # S1 index 2022-01-01: pre = 2020-01-01..2022-01-01 = 366+365 = 731 days,
    # post = 2022-01-01..2024-01-01 = 365+365 = 730 days. S2 and S3 have no index date.
    origins = [("S1", "2022-01-01", "aHSCT"), ("S2", None, ""), ("S3", None, "")]
    return make_cohort(origins, VISITS, RELAPSES)


def test_before_and_after_the_index_date() -> None:
    subj = annualised_relapse_rates(indexed_cohort()).subjects
    s1 = subj[subj["id"] == "S1"].set_index("period")
    assert list(s1.index) == ["all", "pre", "post"]
    assert s1.loc["pre", "relapses"] == 2 and s1.loc["post", "relapses"] == 1
    assert s1.loc["pre", "person_years"] == pytest.approx(731 / 365.25)
    assert s1.loc["post", "person_years"] == pytest.approx(730 / 365.25)
    assert s1.loc["post", "arr"] == pytest.approx(365.25 / 730)
    # Subjects without an index date keep their whole-follow-up window only.
    assert set(subj.loc[subj["id"] == "S2", "period"]) == {"all"}
    assert set(subj.loc[subj["id"] == "S2", "group"]) == {"(no index date)"}


def test_fixed_windows_around_the_index_date() -> None:
    opts = ArrOptions(pre_index_years=1, post_index_years=1)
    subj = annualised_relapse_rates(indexed_cohort(), opts).subjects
    s1 = subj[subj["id"] == "S1"].set_index("period")
    # pre = 2021-01-01..2022-01-01 (365 days): only the index-day relapse.
    assert s1.loc["pre", "start"] == pd.Timestamp("2021-01-01")
    assert (s1.loc["pre", "relapses"], s1.loc["pre", "person_years"]) == (
        1, pytest.approx(365 / 365.25))
    # post = (2022-01-01, 2023-01-01]: no relapse (the 2024 one is past the cap).
    assert s1.loc["post", "end"] == pd.Timestamp("2023-01-01")
    assert s1.loc["post", "relapses"] == 0


def test_post_window_not_extended_past_last_visit() -> None:
    opts = ArrOptions(post_index_years=10)
    subj = annualised_relapse_rates(indexed_cohort(), opts).subjects
    post = subj[(subj["id"] == "S1") & (subj["period"] == "post")].iloc[0]
    assert post["end"] == pd.Timestamp("2024-01-01")


def test_group_table_sums_its_subjects() -> None:
    result = annualised_relapse_rates(indexed_cohort())
    for _, g in result.groups.iterrows():
        part = result.subjects[(result.subjects["group"] == g["group"])
                               & (result.subjects["period"] == g["period"])
                               & (result.subjects["person_years"] > 0)]
        assert g["relapses"] == part["relapses"].sum()
        assert g["person_years"] == pytest.approx(part["person_years"].sum())


def test_alpha_changes_the_interval() -> None:
    wide = annualised_relapse_rates(no_index_cohort(), ArrOptions(alpha=0.01))
    narrow = annualised_relapse_rates(no_index_cohort(), ArrOptions(alpha=0.1))
    assert wide.groups["ci_high"].iloc[0] > narrow.groups["ci_high"].iloc[0]
    assert wide.groups["conf_level"].iloc[0] == pytest.approx(0.99)


@pytest.mark.parametrize("bad", [{"alpha": 0}, {"alpha": 1.5}, {"pre_index_years": 0},
                                 {"unknown": 1}])
def test_bad_options(bad: dict[str, object]) -> None:
    with pytest.raises(OptionsError) as info:
        ArrOptions(**bad)
    assert "\n" not in str(info.value)


def test_chi2_quantiles_are_scipy_stats_own() -> None:
    # relapse_rate computes chi2.ppf as scipy.stats does, without importing scipy.stats
    # (a second of start-up): the same numbers, bit for bit.
    import numpy as np
    from scipy.stats import chi2

    from msstem.outcomes.relapse_rate import _chi2_ppf

    df = np.arange(0.0, 300.0)
    for q in (0.005, 0.025, 0.05, 0.95, 0.975, 0.995):
        np.testing.assert_array_equal(_chi2_ppf(q, df), chi2.ppf(q, df))
