"""Boundary tables: every threshold at, just inside and just outside its limit.

Values are written out by hand (not computed from the constants), so changing a
threshold in msstem/eligibility/thresholds.py makes these tables fail until they are
changed too (DESIGN.md convention 4). Each row names the threshold constant it pins;
``test_every_threshold_has_a_boundary_row`` keeps the table complete.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import pytest
from eligibility_factories import profile
from pydantic import ValidationError

from msstem.eligibility import CriterionStatus, evaluate
from msstem.eligibility.thresholds import all_thresholds
from msstem.errors import ProfileError

M, NM, U = CriterionStatus.MET, CriterionStatus.NOT_MET, CriterionStatus.UNKNOWN
MEETS, DNM, ID = "meets", "does_not_meet", "insufficient_data"


class Row(NamedTuple):
    threshold: str
    ruleset: str
    criterion: str
    fields: dict[str, Any]
    status: CriterionStatus
    verdict: str


def rows(
    threshold: str, ruleset: str, criterion: str, base: dict[str, Any], field: str,
    cases: list[tuple[Any, CriterionStatus, str]],
) -> list[Row]:
    return [
        Row(threshold, ruleset, criterion, {**base, field: value}, status, verdict)
        for value, status, verdict in cases
    ]


NO_RELAPSE = {"relapses_12m": 0, "relapses_24m": 0, "relapses_36m": 0}
TABLE: list[Row] = [
    # --- BEAT-MS: age 18 to 55 inclusive; EDSS <= 6.0; >= 2 episodes in 36 months -------------
    *rows("BEAT_AGE_MIN", "beat-ms", "age", {}, "age",
          [(17, NM, DNM), (18, M, MEETS), (19, M, MEETS)]),
    *rows("BEAT_AGE_MAX", "beat-ms", "age", {}, "age",
          [(54, M, MEETS), (55, M, MEETS), (56, NM, DNM)]),
    *rows("BEAT_EDSS_MAX", "beat-ms", "edss", {}, "edss",
          [(5.5, M, MEETS), (6.0, M, MEETS), (6.5, NM, DNM)]),
    *rows("BEAT_MIN_EPISODES_36M", "beat-ms", "activity_episodes_36m",
          {"relapses_12m": 0, "relapses_24m": 0}, "relapses_36m",
          [(1, U, ID), (2, M, MEETS), (3, M, MEETS)]),
    # relapses only: one relapse without recorded MRI activity is still unknown (MRI
    # activity 13-36 months back is never recorded), never "not met".
    *rows("BEAT_MIN_EPISODES_36M", "beat-ms", "activity_episodes_36m",
          {"relapses_12m": 0, "relapses_24m": 0, "gd_lesions_12m": 0, "new_t2_lesions_12m": 0},
          "relapses_36m", [(0, U, ID), (1, U, ID), (2, M, MEETS)]),
    *rows("BEAT_MIN_MONTHS_ON_DMT", "beat-ms", "episode_after_oral_or_antibody_dmt", {},
          "activity_on_dmt", [(False, NM, DNM), (True, M, MEETS), (None, U, ID)]),
    *rows("BEAT_MIN_MONTHS_ON_DMT", "beat-ms", "episode_after_oral_or_antibody_dmt", {},
          "failed_high_efficacy_dmt", [(False, U, ID), (True, M, MEETS), (None, U, ID)]),
    # --- RAM-MS: age 18 to 50; EDSS 0 to 5.5; relapse AND Gd+, OR >= 3 T2 ----------------------
    *rows("RAM_AGE_MIN", "ram-ms", "age", {}, "age",
          [(17, NM, DNM), (18, M, MEETS), (19, M, MEETS)]),
    *rows("RAM_AGE_MAX", "ram-ms", "age", {}, "age",
          [(49, M, MEETS), (50, M, MEETS), (51, NM, DNM)]),
    # 0 is the bottom of the EDSS grid: there is no "just outside" (see test below).
    *rows("RAM_EDSS_MIN", "ram-ms", "edss", {}, "edss", [(0.0, M, MEETS), (1.0, M, MEETS)]),
    *rows("RAM_EDSS_MAX", "ram-ms", "edss", {}, "edss",
          [(5.0, M, MEETS), (5.5, M, MEETS), (6.0, NM, DNM)]),
    *rows("RAM_MIN_RELAPSES_12M", "ram-ms", "inflammatory_activity_12m",
          {"gd_lesions_12m": 1, "new_t2_lesions_12m": 0}, "relapses_12m",
          [(0, NM, DNM), (1, M, MEETS), (2, M, MEETS)]),
    *rows("RAM_MIN_GD_LESIONS_12M", "ram-ms", "inflammatory_activity_12m",
          {"relapses_12m": 1, "new_t2_lesions_12m": 0}, "gd_lesions_12m",
          [(0, NM, DNM), (1, M, MEETS), (2, M, MEETS)]),
    *rows("RAM_MIN_NEW_T2_12M", "ram-ms", "inflammatory_activity_12m",
          {"relapses_12m": 1, "gd_lesions_12m": 0}, "new_t2_lesions_12m",
          [(2, NM, DNM), (3, M, MEETS), (4, M, MEETS)]),
    # Without a relapse the two readings of the rule disagree once T2 >= 3: unknown.
    *rows("RAM_MIN_NEW_T2_12M", "ram-ms", "inflammatory_activity_12m",
          {**NO_RELAPSE, "gd_lesions_12m": 0}, "new_t2_lesions_12m",
          [(2, NM, DNM), (3, U, ID), (4, U, ID)]),
    # --- National MS Society: best candidates < 50 years, duration < 10 years (soft) ---------
    *rows("NMSS_BEST_AGE", "nmss-2021", "best_age", {}, "age",
          [(49, M, MEETS), (50, NM, MEETS), (51, NM, MEETS)]),
    *rows("NMSS_BEST_DURATION", "nmss-2021", "best_disease_duration", {},
          "disease_duration_years", [(9.5, M, MEETS), (10, NM, MEETS), (10.5, NM, MEETS)]),
    # --- ECTRIMS-EBMT: >= 1 failed high-efficacy DMT; ideal age < 45, duration < 10, EDSS < 6 -
    *rows("ECTRIMS_MIN_FAILED_HE_DMTS", "ectrims-ebmt-2025", "failed_high_efficacy_dmt", {},
          "failed_high_efficacy_dmt", [(False, NM, DNM), (True, M, MEETS), (None, U, ID)]),
    *rows("ECTRIMS_IDEAL_AGE", "ectrims-ebmt-2025", "ideal_age", {}, "age",
          [(44, M, MEETS), (45, NM, MEETS), (46, NM, MEETS)]),
    *rows("ECTRIMS_CASE_BY_CASE_AGE", "ectrims-ebmt-2025", "ideal_age", {}, "age",
          [(54, NM, MEETS), (55, NM, MEETS), (56, NM, MEETS)]),
    *rows("ECTRIMS_IDEAL_DURATION", "ectrims-ebmt-2025", "ideal_disease_duration", {},
          "disease_duration_years", [(9.5, M, MEETS), (10, NM, MEETS), (10.5, NM, MEETS)]),
    *rows("ECTRIMS_IDEAL_EDSS", "ectrims-ebmt-2025", "ideal_edss", {}, "edss",
          [(5.5, M, MEETS), (6.0, NM, MEETS), (6.5, NM, MEETS)]),
    # --- ASTCT with NMDP referral guidance (soft) ---------------------------------------------
    *rows("ASTCT_NMDP_MIN_RELAPSES_36M", "astct-2019", "nmdp_relapses_on_dmt",
          {"relapses_12m": 0, "relapses_24m": 0}, "relapses_36m",
          [(1, NM, MEETS), (2, M, MEETS), (3, M, MEETS)]),
    *rows("NMDP_WALKS_100M_EDSS", "astct-2019", "nmdp_walk_100m", {}, "edss",
          [(5.0, M, MEETS), (5.5, M, MEETS), (6.0, U, MEETS)]),
    *rows("NMDP_CANNOT_WALK_100M_EDSS", "astct-2019", "nmdp_walk_100m", {}, "edss",
          [(6.0, U, MEETS), (6.5, NM, MEETS), (7.0, NM, MEETS)]),
    # --- StarMS: >= 1 relapse or MRI activity on DMT, or treatment-naive RES-MS -----------------
    *rows("MRI_ACTIVITY_MIN_LESIONS", "starms", "disease_activity",
          {**NO_RELAPSE, "new_t2_lesions_12m": 0}, "gd_lesions_12m",
          [(0, NM, DNM), (1, M, MEETS), (2, M, MEETS)]),
    *rows("MRI_ACTIVITY_MIN_LESIONS", "starms", "disease_activity",
          {**NO_RELAPSE, "gd_lesions_12m": 0}, "new_t2_lesions_12m",
          [(0, NM, DNM), (1, M, MEETS), (2, M, MEETS)]),
    *rows("STARMS_MIN_ACTIVITY_12M", "starms", "disease_activity",
          {"gd_lesions_12m": 0, "new_t2_lesions_12m": 0}, "relapses_12m",
          [(0, NM, DNM), (1, M, MEETS), (2, M, MEETS)]),
    # Not on a DMT: only the treatment-naive route is left, and naivety is never known.
    *rows("STARMS_RES_MIN_RELAPSES_12M", "starms", "disease_activity",
          {"activity_on_dmt": False, "gd_lesions_12m": 1}, "relapses_12m",
          [(1, NM, DNM), (2, U, ID), (3, U, ID)]),
    *rows("STARMS_RES_MIN_GD_LESIONS", "starms", "disease_activity",
          {"activity_on_dmt": False, "relapses_12m": 2, "new_t2_lesions_12m": 0},
          "gd_lesions_12m", [(0, NM, DNM), (1, U, ID), (2, U, ID)]),
    # --- NET-MS: RRMS, age 18-55, EDSS 2-6 --------------------------------------------------------
    *rows("NETMS_AGE_MIN", "net-ms", "age", {}, "age",
          [(17, NM, DNM), (18, M, MEETS), (19, M, MEETS)]),
    *rows("NETMS_AGE_MAX", "net-ms", "age", {}, "age",
          [(54, M, MEETS), (55, M, MEETS), (56, NM, DNM)]),
    *rows("NETMS_EDSS_MIN", "net-ms", "edss", {}, "edss",
          [(1.5, NM, DNM), (2.0, M, MEETS), (2.5, M, MEETS)]),
    *rows("NETMS_EDSS_MAX", "net-ms", "edss", {}, "edss",
          [(5.5, M, MEETS), (6.0, M, MEETS), (6.5, NM, DNM)]),
    # --- MIST: >= 2 relapses on DMT in the prior year, EDSS 2.0-6.0 -------------------------------
    *rows("MIST_MIN_RELAPSES_12M", "mist", "relapses_12m", {}, "relapses_12m",
          [(1, NM, DNM), (2, M, MEETS), (3, M, MEETS)]),
    *rows("MIST_EDSS_MIN", "mist", "edss", {}, "edss",
          [(1.5, NM, DNM), (2.0, M, MEETS), (2.5, M, MEETS)]),
    *rows("MIST_EDSS_MAX", "mist", "edss", {}, "edss",
          [(5.5, M, MEETS), (6.0, M, MEETS), (6.5, NM, DNM)]),
    # --- HALT-MS (best possible verdict is insufficient_data: progression is not a field) ----
    *rows("HALT_AGE_MIN", "halt-ms", "age", {}, "age",
          [(17, NM, DNM), (18, M, ID), (19, M, ID)]),
    *rows("HALT_AGE_MAX", "halt-ms", "age", {}, "age",
          [(59, M, ID), (60, M, ID), (61, NM, DNM)]),
    *rows("HALT_EDSS_MIN", "halt-ms", "edss", {}, "edss",
          [(2.5, NM, DNM), (3.0, M, ID), (3.5, M, ID)]),
    *rows("HALT_EDSS_MAX", "halt-ms", "edss", {}, "edss",
          [(5.0, M, ID), (5.5, M, ID), (6.0, NM, DNM)]),
    *rows("HALT_MIN_RELAPSES_ON_DMT", "halt-ms", "relapses_on_dmt",
          {"relapses_12m": 0, "relapses_24m": 0}, "relapses_36m",
          [(0, NM, DNM), (1, M, ID), (2, M, ID)]),
    *rows("HALT_SPMS_RELAPSE_FREE_MONTHS", "halt-ms", "ms_course", {"ms_course": "SPMS"},
          "relapses_12m", [(0, NM, DNM), (1, U, ID), (2, U, ID)]),
]


@pytest.mark.parametrize(
    "row", TABLE, ids=[f"{r.threshold}-{r.ruleset}-{r.fields}" for r in TABLE]
)
def test_boundary(row: Row) -> None:
    result = evaluate(profile(**row.fields), row.ruleset)
    criterion = {c.id: c for c in result.criteria}[row.criterion]
    assert criterion.status is row.status, criterion.reason
    assert result.verdict == row.verdict
    if not criterion.hard:
        # Soft criteria never decide; when not met or unknown they surface as a caution.
        flagged = any(criterion.reason in text for text in result.cautions)
        assert flagged is (row.status is not M)


def test_every_threshold_has_a_boundary_row() -> None:
    covered = {r.threshold for r in TABLE} | {"RAM_RELAPSE_MIN_MONTHS_AFTER_DMT_START"}
    assert covered == set(all_thresholds())


def test_caution_only_threshold_is_shown() -> None:
    # RAM-MS: relapses >= 3 months after DMT start cannot be read from a profile.
    result = evaluate(profile(), "ram-ms")
    assert any("≥ 3 months after the start" in text for text in result.cautions)


def test_edss_below_zero_cannot_be_given() -> None:
    for value in (-0.5, 0.5):
        with pytest.raises((ProfileError, ValidationError)):
            profile(edss=value)


@pytest.mark.parametrize(
    ("age", "case_by_case"), [(54, False), (55, False), (56, True)]
)
def test_ectrims_over_55_case_by_case(age: int, case_by_case: bool) -> None:
    result = evaluate(profile(age=age), "ectrims-ebmt-2025")
    text = " ".join(result.cautions)
    assert ("case by case" in text) is case_by_case
    assert "Ideal age is under 45" in text


def test_ectrims_edss_caution_mentions_recent_relapse() -> None:
    result = evaluate(profile(edss=6.5), "ectrims-ebmt-2025")
    assert any("recent relapse" in text for text in result.cautions)
