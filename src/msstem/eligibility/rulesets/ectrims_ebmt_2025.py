"""ECTRIMS-EBMT consensus 2025 (Muraro et al., Nat Rev Neurol 2025;21(3):140-158).

Notes §6: escalation in highly active MS after failure of >=1 high-efficacy DMT.
Ideal: age <45 (fit >55 case-by-case), duration <10 y, EDSS <6.0 (higher OK if
from recent relapse): soft. Progressive MS only with clinical + MRI inflammatory
activity: hard. First-line in severe rapidly evolving MS only in trials.
"""

from __future__ import annotations

from msstem.clinical.profile import Profile
from msstem.eligibility.criteria import course_in, from_logic, limit, unknown_reason
from msstem.eligibility.model import CriterionResult
from msstem.eligibility.readings import k_and, mri_activity_12m, relapse_count
from msstem.eligibility.ruleset import RuleSet
from msstem.eligibility.thresholds import (
    ECTRIMS_CASE_BY_CASE_AGE,
    ECTRIMS_IDEAL_AGE,
    ECTRIMS_IDEAL_DURATION,
    ECTRIMS_IDEAL_EDSS,
    ECTRIMS_MIN_FAILED_HE_DMTS,
)

__all__ = ["RULESET"]

SOURCE = "muraro-2025-ectrims-ebmt"


def _progressive(profile: Profile) -> tuple[bool | None, str]:
    course = profile.ms_course
    relapse = relapse_count(profile, 12).at_least(1)
    mri = mri_activity_12m(profile)
    both = k_and(relapse, mri)
    if both is True:
        return True, f"{course} with relapses and MRI activity in the last 12 months."
    if both is False:
        missing = {
            (False, False): "relapses or MRI activity",
            (False, True): "relapses",
            (True, False): "MRI activity",
        }.get((relapse is not False, mri is not False), "relapses or MRI activity")
        return False, (
            f"{course} qualifies only with both clinical and MRI inflammatory activity, and the "
            f"profile records no {missing} in the last 12 months."
        )
    return None, (
        f"{course} qualifies only with both clinical and MRI inflammatory activity, and the "
        "answers do not include relapses and MRI lesions for the last 12 months."
    )


def _failed_dmt(profile: Profile) -> CriterionResult:
    failed = profile.failed_high_efficacy_dmt
    if failed is True:
        reason = "Disease activity continued on a high-efficacy DMT."
    elif failed is False:
        reason = (
            "No failure of a high-efficacy DMT is recorded; the consensus keeps first-line "
            "aHSCT in severe rapidly evolving MS to clinical trials."
        )
    else:
        reason = unknown_reason("failed_high_efficacy_dmt")
    return from_logic(
        id="failed_high_efficacy_dmt",
        description="Highly active MS after failure of at least one high-efficacy DMT",
        answer=failed,
        value_used=failed,
        threshold=ECTRIMS_MIN_FAILED_HE_DMTS.text(),
        source_id=ECTRIMS_MIN_FAILED_HE_DMTS.source_id,
        reason=reason,
    )


def _criteria(profile: Profile) -> list[CriterionResult]:
    age = profile.age
    over_55 = age is not None and ECTRIMS_CASE_BY_CASE_AGE.holds(age)
    return [
        course_in(
            profile,
            description="MS; progressive MS only with clinical and MRI inflammatory activity",
            allowed=frozenset({"RRMS"}),
            conditional={"SPMS": _progressive, "PPMS": _progressive},
            source_id=SOURCE,
            threshold="RRMS, or SPMS/PPMS with relapses and MRI activity",
        ),
        _failed_dmt(profile),
        limit(
            id="ideal_age",
            description="Ideal age is under 45",
            label="Age",
            field="age",
            value=age,
            threshold=ECTRIMS_IDEAL_AGE,
            hard=False,
            not_met_extra=(
                "over 55, aHSCT is considered case by case for people who are fit"
                if over_55
                else ""
            ),
        ),
        limit(
            id="ideal_disease_duration",
            description="Ideal disease duration is under 10 years",
            label="Disease duration",
            field="disease_duration_years",
            value=profile.disease_duration_years,
            threshold=ECTRIMS_IDEAL_DURATION,
            hard=False,
        ),
        limit(
            id="ideal_edss",
            description="Ideal EDSS is under 6.0",
            label="EDSS",
            field="edss",
            value=profile.edss,
            threshold=ECTRIMS_IDEAL_EDSS,
            hard=False,
            not_met_extra="a higher EDSS can be acceptable if it comes from a recent relapse",
        ),
    ]


RULESET = RuleSet(
    id="ectrims-ebmt-2025",
    name="ECTRIMS–EBMT consensus recommendations (2025)",
    kind="guideline",
    source_ids=(SOURCE,),
    criteria=_criteria,
)
