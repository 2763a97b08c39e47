"""National MS Society recommendations 2021 (Miller et al., JAMA Neurol 2021;78(2):241).

Notes §6: relapsing MS with substantial breakthrough activity despite high-efficacy
DMT, or contraindications to high-efficacy DMTs; best candidates younger and with
shorter disease (criteria ``nmss-2021/best-age`` and ``best-duration`` in
``guidelines.yaml``); only at experienced centres. EDSS threshold and
contraindication list: NOT FOUND, so none is applied.
"""

from __future__ import annotations

from msstem.clinical.profile import Profile
from msstem.eligibility.criteria import course_in, from_logic, limit, unknown_reason
from msstem.eligibility.model import CriterionResult
from msstem.eligibility.readings import recent_activity
from msstem.eligibility.ruleset import RuleSet, Thresholds
from msstem.eligibility.rulesets import ACTIVITY_USES

__all__ = ["RULESET"]

SOURCE = "miller-2021-nmss"


def _spms(profile: Profile, th: Thresholds) -> tuple[bool | None, str]:
    # "Relapsing MS" is not defined further in the notes: active SPMS stays unknown.
    active = recent_activity(profile, th["active_relapses"], th["mri"])
    window = th["mri"].window
    if active is False:
        return False, (
            f"SPMS with no relapse and no MRI activity in the last {window} is not relapsing MS."
        )
    if active is True:
        return None, (
            "The recommendations say 'relapsing MS' and do not say whether SPMS with ongoing "
            "relapses or MRI activity counts."
        )
    return None, (
        "SPMS could count only if it is still relapsing, and the answers do not include "
        f"relapses and MRI activity for the last {window}."
    )


def _breakthrough(profile: Profile) -> CriterionResult:
    failed = profile.failed_high_efficacy_dmt
    if failed is True:
        reason = (
            "Disease activity continued on a high-efficacy DMT (msstem reads this as the "
            "'substantial breakthrough activity' the recommendations describe)."
        )
    elif failed is False:
        reason = (
            "No breakthrough activity on a high-efficacy DMT is recorded, and the profile has "
            "no field for contraindications to high-efficacy DMTs, the other way to qualify."
        )
    else:
        reason = unknown_reason("failed_high_efficacy_dmt")
    return from_logic(
        id="breakthrough_or_contraindication",
        description=(
            "Substantial breakthrough activity (new inflammatory lesions and/or relapses) "
            "despite high-efficacy DMT, or contraindications to high-efficacy DMTs"
        ),
        answer=True if failed is True else None,
        value_used=failed,
        threshold="activity despite a high-efficacy DMT, or a contraindication to them",
        source_id=SOURCE,
        reason=reason,
    )


def _criteria(profile: Profile, th: Thresholds) -> list[CriterionResult]:
    return [
        course_in(
            profile,
            description="Relapsing MS",
            allowed=frozenset({"RRMS"}),
            conditional={"SPMS": lambda p: _spms(p, th)},
            source_id=SOURCE,
            threshold="relapsing MS",
        ),
        _breakthrough(profile),
        limit(
            id="best_age",
            label="Age",
            field="age",
            value=profile.age,
            threshold=th["best_age"],
        ),
        limit(
            id="best_disease_duration",
            label="Disease duration",
            field="disease_duration_years",
            value=profile.disease_duration_years,
            threshold=th["best_duration"],
        ),
    ]


RULESET = RuleSet(
    id="nmss-2021",
    name="National MS Society recommendations (2021)",
    kind="guideline",
    source_ids=(SOURCE,),
    criteria=_criteria,
    uses={
        "best_age": "nmss-2021/best-age",
        "best_duration": "nmss-2021/best-duration",
        **ACTIVITY_USES,
    },
    standing=("nmss-2021/experienced-centres", "nmss-2021/no-edss-limit"),
)
