"""ECTRIMS-EBMT consensus 2025 (Muraro et al., Nat Rev Neurol 2025;21(3):140-158).

Notes §6: escalation in highly active MS after failure of a high-efficacy DMT
(hard). Ideal age, disease duration and EDSS, and the case-by-case age for fit
people, are soft (criteria under ``ectrims-ebmt-2025`` in ``guidelines.yaml``).
Progressive MS only with clinical + MRI inflammatory activity: hard. First-line
in severe rapidly evolving MS only in trials.
"""

from __future__ import annotations

from msstem.clinical.profile import Profile
from msstem.eligibility.criteria import (
    course_in,
    described,
    from_logic,
    limit,
    unknown_reason,
)
from msstem.eligibility.model import CriterionResult
from msstem.eligibility.readings import k_and, mri_activity, relapses_at_least
from msstem.eligibility.ruleset import RuleSet, Thresholds
from msstem.eligibility.rulesets import ACTIVITY_USES

__all__ = ["RULESET"]

SOURCE = "muraro-2025-ectrims-ebmt"


def _progressive(profile: Profile, th: Thresholds) -> tuple[bool | None, str]:
    course = profile.ms_course
    relapse = relapses_at_least(profile, th["active_relapses"])
    mri = mri_activity(profile, th["mri"])
    window = th["mri"].window
    both = k_and(relapse, mri)
    if both is True:
        return True, f"{course} with relapses and MRI activity in the last {window}."
    if both is False:
        missing = {
            (False, False): "relapses or MRI activity",
            (False, True): "relapses",
            (True, False): "MRI activity",
        }.get((relapse is not False, mri is not False), "relapses or MRI activity")
        return False, (
            f"{course} qualifies only with both clinical and MRI inflammatory activity, and the "
            f"profile records no {missing} in the last {window}."
        )
    return None, (
        f"{course} qualifies only with both clinical and MRI inflammatory activity, and the "
        f"answers do not include relapses and MRI lesions for the last {window}."
    )


def _failed_dmt(profile: Profile, th: Thresholds) -> CriterionResult:
    rule = th["failed_he_dmts"]
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
        description=described(rule),
        answer=failed,
        value_used=failed,
        threshold=rule.text(),
        source_id=rule.source_id,
        reason=reason,
        hard=rule.hard,
    )


def _criteria(profile: Profile, th: Thresholds) -> list[CriterionResult]:
    age = profile.age
    case_by_case = th["case_by_case_age"]
    over = age is not None and case_by_case.holds(age)
    return [
        course_in(
            profile,
            description="MS; progressive MS only with clinical and MRI inflammatory activity",
            allowed=frozenset({"RRMS"}),
            conditional={
                "SPMS": lambda p: _progressive(p, th),
                "PPMS": lambda p: _progressive(p, th),
            },
            source_id=SOURCE,
            threshold="RRMS, or SPMS/PPMS with relapses and MRI activity",
        ),
        _failed_dmt(profile, th),
        limit(
            id="ideal_age",
            label="Age",
            field="age",
            value=age,
            threshold=th["ideal_age"],
            not_met_extra=case_by_case.describe() if over else "",
        ),
        limit(
            id="ideal_disease_duration",
            label="Disease duration",
            field="disease_duration_years",
            value=profile.disease_duration_years,
            threshold=th["ideal_duration"],
        ),
        limit(
            id="ideal_edss",
            label="EDSS",
            field="edss",
            value=profile.edss,
            threshold=th["ideal_edss"],
            not_met_extra="a higher EDSS can be acceptable if it comes from a recent relapse",
        ),
    ]


RULESET = RuleSet(
    id="ectrims-ebmt-2025",
    name="ECTRIMS–EBMT consensus recommendations (2025)",
    kind="guideline",
    source_ids=(SOURCE,),
    criteria=_criteria,
    uses={
        "failed_he_dmts": "ectrims-ebmt-2025/failed-he-dmts",
        "ideal_age": "ectrims-ebmt-2025/ideal-age",
        "case_by_case_age": "ectrims-ebmt-2025/case-by-case-age",
        "ideal_duration": "ectrims-ebmt-2025/ideal-duration",
        "ideal_edss": "ectrims-ebmt-2025/ideal-edss",
        **ACTIVITY_USES,
    },
)
