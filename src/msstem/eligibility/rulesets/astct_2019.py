"""ASTCT/ASBMT 2019 position statement (Cohen et al., BBMT 2019;25:845-854), with the NMDP
referral guideline as soft guidance.

Notes §6: "standard of care, clinical evidence available" for relapsing MS (RRMS or
progressive MS with superimposed activity) with high-risk features: ongoing relapses
or MRI activity despite DMTs and/or worsening disability. Age/EDSS/duration numbers:
NOT FOUND. NMDP: refer after a relapse with >=2 relapses in the past 3 years on DMT,
while the person can walk 100 m (unilateral aid allowed).
"""

from __future__ import annotations

from msstem.clinical.profile import Profile
from msstem.eligibility.criteria import course_in, from_logic, unknown_reason
from msstem.eligibility.model import CriterionResult
from msstem.eligibility.readings import k_and, k_or, mri_activity_12m, relapse_count
from msstem.eligibility.ruleset import Caution, RuleSet
from msstem.eligibility.thresholds import (
    ASTCT_NMDP_MIN_RELAPSES_36M,
    NMDP_CANNOT_WALK_100M_EDSS,
    NMDP_WALKS_100M_EDSS,
)

__all__ = ["RULESET"]

SOURCE = "cohen-2019-astct"
NMDP = "nmdp-referral"


def _progressive(profile: Profile) -> tuple[bool | None, str]:
    active = k_or(relapse_count(profile, 12).at_least(1), mri_activity_12m(profile))
    course = profile.ms_course
    if active is True:
        return True, (
            f"{course} with superimposed activity (a relapse or MRI activity in the last "
            "12 months) counts as relapsing MS."
        )
    if active is False:
        return False, (
            f"{course} counts only with superimposed activity, and the profile records no "
            "relapse or MRI activity in the last 12 months."
        )
    return None, (
        f"{course} counts only with superimposed activity, and the answers do not include "
        "relapses and MRI lesions for the last 12 months."
    )


def _high_risk(profile: Profile) -> CriterionResult:
    on_dmt = profile.activity_on_dmt
    if on_dmt is True:
        reason = "Relapses or MRI activity happened despite a DMT."
    elif on_dmt is False:
        reason = (
            "No activity despite a DMT is recorded, but worsening disability also counts as a "
            "high-risk feature and is not a profile field."
        )
    else:
        reason = unknown_reason("activity_on_dmt")
    return from_logic(
        id="high_risk_features",
        description=(
            "High-risk features: ongoing relapses or MRI activity despite DMTs and/or "
            "worsening disability"
        ),
        answer=True if on_dmt is True else None,
        value_used=on_dmt,
        threshold="activity despite DMT, and/or worsening disability",
        source_id=SOURCE,
        reason=reason,
    )


def _nmdp_relapses(profile: Profile) -> CriterionResult:
    count = relapse_count(profile, 36)
    enough = count.at_least(ASTCT_NMDP_MIN_RELAPSES_36M.value)
    on_dmt = profile.activity_on_dmt
    answer = k_and(enough, on_dmt)
    shown = count.describe()
    if answer is True:
        reason = f"Relapses in the last 36 months: {shown}, on a DMT."
    elif enough is False:
        reason = f"Relapses in the last 36 months: {shown}, fewer than 2."
    elif on_dmt is False:
        reason = "The relapses did not happen on a DMT."
    else:
        reason = "Your answers do not include relapses in the last 36 months and whether on a DMT."
    return from_logic(
        id="nmdp_relapses_on_dmt",
        description="NMDP: refer after a relapse when there were 2 or more relapses in the "
        "past 3 years on DMT",
        answer=answer,
        value_used={"relapses_36m": profile.relapses_36m, "activity_on_dmt": on_dmt},
        threshold=f"{ASTCT_NMDP_MIN_RELAPSES_36M.text()} in 36 months, on DMT",
        source_id=NMDP,
        reason=reason,
        hard=False,
    )


def _nmdp_walking(profile: Profile) -> CriterionResult:
    edss = profile.edss
    answer: bool | None
    if edss is None:
        answer, reason = None, unknown_reason("edss")
    elif NMDP_WALKS_100M_EDSS.holds(edss):
        answer = True
        reason = f"EDSS {edss:.1f} means walking at least 100 m without an aid."
    elif NMDP_CANNOT_WALK_100M_EDSS.holds(edss):
        answer = False
        reason = (
            f"EDSS {edss:.1f} means walking 100 m is not possible with a single aid, so the "
            "NMDP advice is to refer earlier than this."
        )
    else:
        answer = None
        reason = (
            f"EDSS {edss:.1f} covers both people who can and who cannot walk 100 m with one aid."
        )
    return from_logic(
        id="nmdp_walk_100m",
        description="NMDP: refer while the person can walk 100 m (one walking aid allowed)",
        answer=answer,
        value_used=edss,
        threshold=(
            "walks 100 m, unilateral aid allowed (msstem's reading of the EDSS ambulation "
            f"steps: {NMDP_WALKS_100M_EDSS.text()} yes, EDSS 6.0 uncertain, "
            f"{NMDP_CANNOT_WALK_100M_EDSS.text()} no)"
        ),
        source_id=NMDP,
        reason=reason,
        hard=False,
    )


def _criteria(profile: Profile) -> list[CriterionResult]:
    return [
        course_in(
            profile,
            description="Relapsing MS: RRMS, or progressive MS with superimposed activity",
            allowed=frozenset({"RRMS"}),
            conditional={"SPMS": _progressive, "PPMS": _progressive},
            source_id=SOURCE,
            threshold="RRMS, or SPMS/PPMS with superimposed activity",
        ),
        _high_risk(profile),
        _nmdp_relapses(profile),
        _nmdp_walking(profile),
    ]


RULESET = RuleSet(
    id="astct-2019",
    name="ASTCT position statement (2019) with NMDP referral guidance",
    kind="guideline",
    source_ids=(SOURCE, NMDP, "neurostatus-edss"),
    criteria=_criteria,
    standing=(
        Caution(
            "msstem's evidence notes found no age, EDSS or disease-duration limits in this "
            "statement, so none is applied.",
            SOURCE,
        ),
    ),
)
