"""Boundary tables: every threshold the rules read, at, just inside and just outside it.

The limits come from the evidence data (the structured criteria, read through the
rule sets), so the cases here are written as steps from the limit (``AT - 1`` is
one step below it: 0.5 on the EDSS grid and for disease duration, 1 otherwise).
What each table pins is the *behaviour* at the limit (inclusive or not, met /
unknown / not met, the verdict). The numbers themselves are pinned once, in
``PINNED`` (test_eligibility_thresholds.py): editing a number in the data is a test
change there only, and the verdicts and wording follow it (test_threshold_edit.py).
``test_every_threshold_has_a_boundary_row`` keeps the table complete.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import pytest
from eligibility_factories import profile
from pydantic import ValidationError

from msstem.eligibility import CriterionStatus, evaluate, threshold_uses
from msstem.errors import ProfileError
from msstem.evidence import load_evidence

M, NM, U = CriterionStatus.MET, CriterionStatus.NOT_MET, CriterionStatus.UNKNOWN
MEETS, DNM, ID = "meets", "does_not_meet", "insufficient_data"
#: Thresholds a profile cannot reach: shown only in a caution or in the wording.
NOT_ON_A_PROFILE = frozenset({"ram-ms/relapse-after-dmt-start", "nmdp-referral/walk-distance"})


class Step(int):
    """A case value written as steps from the limit: ``AT``, ``AT - 1``, ``AT + 2``."""

    def __add__(self, other: int) -> Step:  # type: ignore[override]
        return Step(int(self) + other)

    def __sub__(self, other: int) -> Step:  # type: ignore[override]
        return Step(int(self) - other)


AT = Step(0)


class Row(NamedTuple):
    threshold: str
    ruleset: str
    criterion: str
    fields: dict[str, Any]
    status: CriterionStatus
    verdict: str


def _value(key: str, field: str, step: Step) -> float:
    owner, criterion_id = key.split("/")
    limit = load_evidence().criterion(owner, criterion_id).criterion
    size = 0.5 if limit.unit == "EDSS" or field == "disease_duration_years" else 1
    value = limit.value + int(step) * size
    return int(value) if float(value).is_integer() and limit.unit != "EDSS" else value


def rows(
    threshold: str, ruleset: str, criterion: str, base: dict[str, Any], field: str,
    cases: list[tuple[Any, CriterionStatus, str]],
) -> list[Row]:
    return [
        Row(threshold, ruleset, criterion,
            {**base, field: _value(threshold, field, value) if isinstance(value, Step) else value},
            status, verdict)
        for value, status, verdict in cases
    ]


NO_RELAPSE = {"relapses_12m": 0, "relapses_24m": 0, "relapses_36m": 0}
TABLE: list[Row] = [
    # --- BEAT-MS -----------------------------------------------------------------------------
    *rows("beat-ms/age-min", "beat-ms", "age", {}, "age",
          [(AT - 1, NM, DNM), (AT, M, MEETS), (AT + 1, M, MEETS)]),
    *rows("beat-ms/age-max", "beat-ms", "age", {}, "age",
          [(AT - 1, M, MEETS), (AT, M, MEETS), (AT + 1, NM, DNM)]),
    *rows("beat-ms/edss-max", "beat-ms", "edss", {}, "edss",
          [(AT - 1, M, MEETS), (AT, M, MEETS), (AT + 1, NM, DNM)]),
    *rows("beat-ms/episodes", "beat-ms", "activity_episodes_36m",
          {"relapses_12m": 0, "relapses_24m": 0}, "relapses_36m",
          [(AT - 1, U, ID), (AT, M, MEETS), (AT + 1, M, MEETS)]),
    # relapses only: too few relapses without recorded MRI activity is still unknown (older
    # MRI activity is never recorded), never "not met".
    *rows("beat-ms/episodes", "beat-ms", "activity_episodes_36m",
          {"relapses_12m": 0, "relapses_24m": 0, "gd_lesions_12m": 0, "new_t2_lesions_12m": 0},
          "relapses_36m", [(AT - 2, U, ID), (AT - 1, U, ID), (AT, M, MEETS)]),
    *rows("beat-ms/months-on-dmt", "beat-ms", "episode_after_oral_or_antibody_dmt", {},
          "activity_on_dmt", [(False, NM, DNM), (True, M, MEETS), (None, U, ID)]),
    *rows("beat-ms/months-on-dmt", "beat-ms", "episode_after_oral_or_antibody_dmt", {},
          "failed_high_efficacy_dmt", [(False, U, ID), (True, M, MEETS), (None, U, ID)]),
    # The count of episodes after a DMT is not a profile field: the profile's booleans say it.
    *rows("beat-ms/episodes-on-dmt", "beat-ms", "episode_after_oral_or_antibody_dmt", {},
          "activity_on_dmt", [(False, NM, DNM), (True, M, MEETS), (None, U, ID)]),
    # --- RAM-MS ------------------------------------------------------------------------------
    *rows("ram-ms/age-min", "ram-ms", "age", {}, "age",
          [(AT - 1, NM, DNM), (AT, M, MEETS), (AT + 1, M, MEETS)]),
    *rows("ram-ms/age-max", "ram-ms", "age", {}, "age",
          [(AT - 1, M, MEETS), (AT, M, MEETS), (AT + 1, NM, DNM)]),
    # 0 is the bottom of the EDSS grid: there is no "just outside" (see test below).
    *rows("ram-ms/edss-min", "ram-ms", "edss", {}, "edss", [(AT, M, MEETS), (AT + 2, M, MEETS)]),
    *rows("ram-ms/edss-max", "ram-ms", "edss", {}, "edss",
          [(AT - 1, M, MEETS), (AT, M, MEETS), (AT + 1, NM, DNM)]),
    *rows("ram-ms/relapses", "ram-ms", "inflammatory_activity_12m",
          {"gd_lesions_12m": 1, "new_t2_lesions_12m": 0}, "relapses_12m",
          [(AT - 1, NM, DNM), (AT, M, MEETS), (AT + 1, M, MEETS)]),
    *rows("ram-ms/gd-lesions", "ram-ms", "inflammatory_activity_12m",
          {"relapses_12m": 1, "new_t2_lesions_12m": 0}, "gd_lesions_12m",
          [(AT - 1, NM, DNM), (AT, M, MEETS), (AT + 1, M, MEETS)]),
    *rows("ram-ms/new-t2-lesions", "ram-ms", "inflammatory_activity_12m",
          {"relapses_12m": 1, "gd_lesions_12m": 0}, "new_t2_lesions_12m",
          [(AT - 1, NM, DNM), (AT, M, MEETS), (AT + 1, M, MEETS)]),
    # Without a relapse the two readings of the rule disagree at the T2 count: unknown.
    *rows("ram-ms/new-t2-lesions", "ram-ms", "inflammatory_activity_12m",
          {**NO_RELAPSE, "gd_lesions_12m": 0}, "new_t2_lesions_12m",
          [(AT - 1, NM, DNM), (AT, U, ID), (AT + 1, U, ID)]),
    # --- National MS Society -----------------------------------------------------------------
    *rows("nmss-2021/best-age", "nmss-2021", "best_age", {}, "age",
          [(AT - 1, M, MEETS), (AT, NM, MEETS), (AT + 1, NM, MEETS)]),
    *rows("nmss-2021/best-duration", "nmss-2021", "best_disease_duration", {},
          "disease_duration_years", [(AT - 1, M, MEETS), (AT, NM, MEETS), (AT + 1, NM, MEETS)]),
    # --- ECTRIMS-EBMT ------------------------------------------------------------------------
    *rows("ectrims-ebmt-2025/failed-he-dmts", "ectrims-ebmt-2025", "failed_high_efficacy_dmt", {},
          "failed_high_efficacy_dmt", [(False, NM, DNM), (True, M, MEETS), (None, U, ID)]),
    *rows("ectrims-ebmt-2025/ideal-age", "ectrims-ebmt-2025", "ideal_age", {}, "age",
          [(AT - 1, M, MEETS), (AT, NM, MEETS), (AT + 1, NM, MEETS)]),
    *rows("ectrims-ebmt-2025/case-by-case-age", "ectrims-ebmt-2025", "ideal_age", {}, "age",
          [(AT - 1, NM, MEETS), (AT, NM, MEETS), (AT + 1, NM, MEETS)]),
    *rows("ectrims-ebmt-2025/ideal-duration", "ectrims-ebmt-2025", "ideal_disease_duration", {},
          "disease_duration_years", [(AT - 1, M, MEETS), (AT, NM, MEETS), (AT + 1, NM, MEETS)]),
    *rows("ectrims-ebmt-2025/ideal-edss", "ectrims-ebmt-2025", "ideal_edss", {}, "edss",
          [(AT - 1, M, MEETS), (AT, NM, MEETS), (AT + 1, NM, MEETS)]),
    # --- ASTCT with NMDP referral guidance ---------------------------------------------------
    *rows("nmdp-referral/relapses-on-dmt", "astct-2019", "nmdp_relapses_on_dmt",
          {"relapses_12m": 0, "relapses_24m": 0}, "relapses_36m",
          [(AT - 1, NM, MEETS), (AT, M, MEETS), (AT + 1, M, MEETS)]),
    *rows("nmdp-referral/walks-edss", "astct-2019", "nmdp_walk_100m", {}, "edss",
          [(AT - 1, M, MEETS), (AT, M, MEETS), (AT + 1, U, MEETS)]),
    *rows("nmdp-referral/cannot-walk-edss", "astct-2019", "nmdp_walk_100m", {}, "edss",
          [(AT - 1, U, MEETS), (AT, NM, MEETS), (AT + 1, NM, MEETS)]),
    # --- StarMS ------------------------------------------------------------------------------
    *rows("disease-activity/mri-lesions", "starms", "disease_activity",
          {**NO_RELAPSE, "new_t2_lesions_12m": 0}, "gd_lesions_12m",
          [(AT - 1, NM, DNM), (AT, M, MEETS), (AT + 1, M, MEETS)]),
    *rows("disease-activity/mri-lesions", "starms", "disease_activity",
          {**NO_RELAPSE, "gd_lesions_12m": 0}, "new_t2_lesions_12m",
          [(AT - 1, NM, DNM), (AT, M, MEETS), (AT + 1, M, MEETS)]),
    *rows("starms/activity", "starms", "disease_activity",
          {"gd_lesions_12m": 0, "new_t2_lesions_12m": 0}, "relapses_12m",
          [(AT - 1, NM, DNM), (AT, M, MEETS), (AT + 1, M, MEETS)]),
    # Not on a DMT: only the treatment-naive route is left, and naivety is never known.
    *rows("starms/res-relapses", "starms", "disease_activity",
          {"activity_on_dmt": False, "gd_lesions_12m": 1}, "relapses_12m",
          [(1, NM, DNM), (2, U, ID), (3, U, ID)]),
    *rows("starms/res-gd-lesions", "starms", "disease_activity",
          {"activity_on_dmt": False, "relapses_12m": 2, "new_t2_lesions_12m": 0},
          "gd_lesions_12m", [(0, NM, DNM), (1, U, ID), (2, U, ID)]),
    # --- NET-MS ------------------------------------------------------------------------------
    *rows("net-ms/age-min", "net-ms", "age", {}, "age",
          [(AT - 1, NM, DNM), (AT, M, MEETS), (AT + 1, M, MEETS)]),
    *rows("net-ms/age-max", "net-ms", "age", {}, "age",
          [(AT - 1, M, MEETS), (AT, M, MEETS), (AT + 1, NM, DNM)]),
    *rows("net-ms/edss-min", "net-ms", "edss", {}, "edss",
          [(AT - 1, NM, DNM), (AT, M, MEETS), (AT + 1, M, MEETS)]),
    *rows("net-ms/edss-max", "net-ms", "edss", {}, "edss",
          [(AT - 1, M, MEETS), (AT, M, MEETS), (AT + 1, NM, DNM)]),
    # --- MIST --------------------------------------------------------------------------------
    *rows("mist/relapses", "mist", "relapses_12m", {}, "relapses_12m",
          [(AT - 1, NM, DNM), (AT, M, MEETS), (AT + 1, M, MEETS)]),
    *rows("mist/edss-min", "mist", "edss", {}, "edss",
          [(AT - 1, NM, DNM), (AT, M, MEETS), (AT + 1, M, MEETS)]),
    *rows("mist/edss-max", "mist", "edss", {}, "edss",
          [(AT - 1, M, MEETS), (AT, M, MEETS), (AT + 1, NM, DNM)]),
    # --- HALT-MS -----------------------------------------------------------------------------
    *rows("halt-ms/age-min", "halt-ms", "age", {}, "age",
          [(AT - 1, NM, DNM), (AT, M, ID), (AT + 1, M, ID)]),
    *rows("halt-ms/age-max", "halt-ms", "age", {}, "age",
          [(AT - 1, M, ID), (AT, M, ID), (AT + 1, NM, DNM)]),
    *rows("halt-ms/edss-min", "halt-ms", "edss", {}, "edss",
          [(AT - 1, NM, DNM), (AT, M, ID), (AT + 1, M, ID)]),
    *rows("halt-ms/edss-max", "halt-ms", "edss", {}, "edss",
          [(AT - 1, M, ID), (AT, M, ID), (AT + 1, NM, DNM)]),
    *rows("halt-ms/relapses", "halt-ms", "relapses_on_dmt",
          {"relapses_12m": 0, "relapses_24m": 0}, "relapses_36m",
          [(AT - 1, NM, DNM), (AT, M, ID), (AT + 1, M, ID)]),
    *rows("halt-ms/spms-relapse-free", "halt-ms", "ms_course", {"ms_course": "SPMS"},
          "relapses_12m", [(0, NM, DNM), (1, U, ID), (2, U, ID)]),
    # --- Shared disease activity (NEDA-3 items) in the "active progressive MS" readings ------
    *rows("disease-activity/relapses", "astct-2019", "ms_course",
          {"ms_course": "SPMS", "gd_lesions_12m": 0, "new_t2_lesions_12m": 0}, "relapses_12m",
          [(AT - 1, NM, DNM), (AT, M, MEETS), (AT + 1, M, MEETS)]),
    # --- NET-MS aggressive MS: activity is the evidence; without it msstem cannot tell -------
    *rows("disease-activity/mri-lesions", "net-ms", "aggressive_disease",
          {**NO_RELAPSE, "new_t2_lesions_12m": 0}, "gd_lesions_12m",
          [(AT - 1, U, ID), (AT, M, MEETS), (AT + 1, M, MEETS)]),
    *rows("disease-activity/relapses", "net-ms", "aggressive_disease",
          {"gd_lesions_12m": 0, "new_t2_lesions_12m": 0}, "relapses_12m",
          [(AT - 1, U, ID), (AT, M, MEETS), (AT + 1, M, MEETS)]),
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
    used = {(use.ruleset_id, use.ref) for use in threshold_uses()}
    covered = {(r.ruleset, r.threshold) for r in TABLE}
    assert covered <= used, "a row names a threshold its rule set does not read"
    assert {ref for _, ref in used} - NOT_ON_A_PROFILE == {ref for _, ref in covered}


def test_caution_only_threshold_is_shown() -> None:
    # RAM-MS: relapses >= 3 months after DMT start cannot be read from a profile.
    result = evaluate(profile(), "ram-ms")
    limit = load_evidence().criterion("ram-ms", "relapse-after-dmt-start").criterion
    assert any(f"{limit.text()} after the start" in text for text in result.cautions)


def test_edss_below_zero_cannot_be_given() -> None:
    for value in (-0.5, 0.5):
        with pytest.raises((ProfileError, ValidationError)):
            profile(edss=value)


@pytest.mark.parametrize(("step", "case_by_case"), [(AT - 1, False), (AT, False), (AT + 1, True)])
def test_ectrims_over_case_by_case_age(step: Step, case_by_case: bool) -> None:
    age = _value("ectrims-ebmt-2025/case-by-case-age", "age", step)
    result = evaluate(profile(age=age), "ectrims-ebmt-2025")
    text = " ".join(result.cautions)
    assert ("case by case" in text) is case_by_case
    ideal = load_evidence().criterion("ectrims-ebmt-2025", "ideal-age").criterion
    assert f"Ideal age is under {ideal.format_value()}" in text


def test_ectrims_edss_caution_mentions_recent_relapse() -> None:
    result = evaluate(profile(edss=6.5), "ectrims-ebmt-2025")
    assert any("recent relapse" in text for text in result.cautions)
