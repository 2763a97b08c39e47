"""RAM-MS (NCT03477500), entry criteria from the registry wording in the notes (§6).

Age >=18 to <=50; RRMS; EDSS 0 to 5.5; significant inflammatory activity in the last
year despite standard DMT: ">=1 clinically reported relapse AND >=1 T1 Gd-enhanced
lesion, OR >=3 new or enlarging T2 lesions". That sentence has two readings; msstem
evaluates both and answers ``unknown`` where they differ.
"""

from __future__ import annotations

from msstem.clinical.profile import Profile
from msstem.eligibility.criteria import age_range, course_in, edss_range, from_logic, unknown_reason
from msstem.eligibility.model import CriterionResult
from msstem.eligibility.readings import k_and, k_or, relapse_count
from msstem.eligibility.ruleset import Caution, RuleSet
from msstem.eligibility.thresholds import (
    RAM_AGE_MAX,
    RAM_AGE_MIN,
    RAM_EDSS_MAX,
    RAM_EDSS_MIN,
    RAM_MIN_GD_LESIONS_12M,
    RAM_MIN_NEW_T2_12M,
    RAM_MIN_RELAPSES_12M,
    RAM_RELAPSE_MIN_MONTHS_AFTER_DMT_START,
)

__all__ = ["RULESET", "activity_readings"]

SOURCE = "ram-ms-registry"

AMBIGUITY = (
    "the registry's '≥1 relapse AND ≥1 Gd+ lesion, OR ≥3 new/enlarging T2 lesions' can be "
    "read as (relapse AND Gd+) OR (≥3 T2), or as relapse AND (Gd+ OR ≥3 T2)"
)


def _at_least(value: int | None, n: float) -> bool | None:
    return None if value is None else value >= n


def activity_readings(profile: Profile) -> tuple[bool | None, bool | None]:
    """The two readings: ((relapse AND Gd+) OR T2>=3, relapse AND (Gd+ OR T2>=3))."""
    relapse = relapse_count(profile, 12).at_least(RAM_MIN_RELAPSES_12M.value)
    gd = _at_least(profile.gd_lesions_12m, RAM_MIN_GD_LESIONS_12M.value)
    t2 = _at_least(profile.new_t2_lesions_12m, RAM_MIN_NEW_T2_12M.value)
    return k_or(k_and(relapse, gd), t2), k_and(relapse, k_or(gd, t2))


def _activity(profile: Profile) -> CriterionResult:
    first, second = activity_readings(profile)
    answer: bool | None
    if first is not None and first == second:
        answer = first
        reason = (
            "Both readings of the activity rule agree that the activity in the last 12 months "
            + ("meets it." if first else "does not meet it.")
        )
    elif first is not None and second is not None:
        answer = None
        reason = f"The two readings disagree for this profile: {AMBIGUITY}."
    else:
        answer = None
        reason = (
            "Your answers do not include enough of relapses, Gd-enhancing and new T2 lesions in "
            "the last 12 months to decide."
        )
    return from_logic(
        id="inflammatory_activity_12m",
        description=(
            "Significant inflammatory activity in the last year: ≥1 relapse AND ≥1 Gd+ "
            "lesion, OR ≥3 new or enlarging T2 lesions"
        ),
        answer=answer,
        value_used={
            "relapses_12m": profile.relapses_12m,
            "gd_lesions_12m": profile.gd_lesions_12m,
            "new_t2_lesions_12m": profile.new_t2_lesions_12m,
        },
        threshold=(
            f"{RAM_MIN_RELAPSES_12M.text()} and {RAM_MIN_GD_LESIONS_12M.text()}, or "
            f"{RAM_MIN_NEW_T2_12M.text()}, in 12 months (both readings)"
        ),
        source_id=SOURCE,
        reason=reason,
    )


def _despite_dmt(profile: Profile) -> CriterionResult:
    on_dmt = profile.activity_on_dmt
    reason = {
        True: "The activity happened while on a DMT.",
        False: "The activity did not happen on a DMT; RAM-MS requires activity despite DMT.",
        None: unknown_reason("activity_on_dmt"),
    }[on_dmt]
    return from_logic(
        id="activity_despite_dmt",
        description=(
            "The activity happened despite standard DMT (interferon beta, glatiramer acetate, "
            "dimethyl fumarate, teriflunomide, fingolimod, natalizumab)"
        ),
        answer=on_dmt,
        value_used=on_dmt,
        threshold="activity while on DMT",
        source_id=SOURCE,
        reason=reason,
    )


def _criteria(profile: Profile) -> list[CriterionResult]:
    return [
        age_range(profile, RAM_AGE_MIN, RAM_AGE_MAX),
        course_in(
            profile,
            description="RRMS (revised McDonald criteria)",
            allowed=frozenset({"RRMS"}),
            source_id=SOURCE,
            threshold="RRMS",
        ),
        edss_range(profile, RAM_EDSS_MIN, RAM_EDSS_MAX),
        _activity(profile),
        _despite_dmt(profile),
    ]


RULESET = RuleSet(
    id="ram-ms",
    name="RAM-MS trial entry criteria",
    kind="trial",
    source_ids=(SOURCE,),
    criteria=_criteria,
    standing=(
        Caution(
            "The relapse(s) must have been treated with IV or oral high-dose corticosteroids "
            "and occurred "
            f"{RAM_RELAPSE_MIN_MONTHS_AFTER_DMT_START.text()} after the start of an "
            "immunomodulatory treatment; a profile cannot show this.",
            SOURCE,
        ),
        Caution(
            "Women of childbearing potential must use highly effective contraception.", SOURCE
        ),
    ),
    pregnancy_caution=(
        "Pregnancy is not addressed by RAM-MS's published criteria beyond the contraception "
        "requirement; discuss with the treating team."
    ),
    note="Started March 2018 (target 100 participants); current recruitment status is not "
    "recorded in msstem's evidence.",
)
