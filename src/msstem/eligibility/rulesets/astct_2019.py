"""ASTCT/ASBMT 2019 position statement (Cohen et al., BBMT 2019;25:845-854), with the NMDP
referral guideline as soft guidance.

Notes §6: "standard of care, clinical evidence available" for relapsing MS (RRMS or
progressive MS with superimposed activity) with high-risk features: ongoing relapses
or MRI activity despite DMTs and/or worsening disability. Age/EDSS/duration numbers:
NOT FOUND. NMDP: refer after a relapse with enough relapses in the past years on DMT,
while the person can walk a set distance (criteria under ``nmdp-referral`` in
``guidelines.yaml``; the EDSS reading of that distance cites the Neurostatus steps).

Primary progressive MS with MRI activity but no relapse is ``unknown``: the
statement's words are "superimposed activity", and reading MRI activity alone as
that is msstem's assumption, not the statement's (issue 9).
"""

from __future__ import annotations

from msstem.clinical.edss import EDSS_GRID
from msstem.clinical.profile import Profile
from msstem.eligibility.criteria import course_in, described, from_logic, unknown_reason
from msstem.eligibility.model import CriterionResult
from msstem.eligibility.readings import (
    k_and,
    k_or,
    mri_activity,
    relapse_count,
    relapses_at_least,
    window_of,
)
from msstem.eligibility.ruleset import RuleSet, Thresholds
from msstem.eligibility.rulesets import ACTIVITY_USES
from msstem.eligibility.thresholds import format_number

__all__ = ["RULESET"]

SOURCE = "cohen-2019-astct"
NMDP = "nmdp-referral"


def _progressive(profile: Profile, th: Thresholds) -> tuple[bool | None, str]:
    relapse = relapses_at_least(profile, th["active_relapses"])
    mri = mri_activity(profile, th["mri"])
    window = th["mri"].window
    course = profile.ms_course
    if course == "PPMS" and relapse is not True and mri is True:
        return None, (
            f"PPMS with MRI activity but no recorded relapse in the last {window}: the "
            "statement says 'progressive MS with superimposed activity' and does not say "
            "whether MRI activity alone counts, so msstem cannot tell."
        )
    active = relapse if course == "PPMS" else k_or(relapse, mri)
    if active is True:
        what = "a relapse" if course == "PPMS" else "a relapse or MRI activity"
        return True, (
            f"{course} with superimposed activity ({what} in the last {window}) counts as "
            "relapsing MS."
        )
    if active is False and mri is False:
        return False, (
            f"{course} counts only with superimposed activity, and the profile records no "
            f"relapse or MRI activity in the last {window}."
        )
    return None, (
        f"{course} counts only with superimposed activity, and the answers do not include "
        f"relapses and MRI lesions for the last {window}."
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


def _nmdp_relapses(profile: Profile, th: Thresholds) -> CriterionResult:
    rule = th["nmdp_relapses"]
    window = rule.window
    count = relapse_count(profile, window_of(rule))
    enough = count.at_least(rule.value)
    on_dmt = profile.activity_on_dmt
    answer = k_and(enough, on_dmt)
    shown = count.describe()
    field = f"relapses_{window_of(rule)}m"
    if answer is True:
        reason = f"Relapses in the last {window}: {shown}, on a DMT."
    elif enough is False:
        reason = f"Relapses in the last {window}: {shown}, fewer than {rule.format_value()}."
    elif on_dmt is False:
        reason = "The relapses did not happen on a DMT."
    else:
        reason = f"Your answers do not include relapses in the last {window} and whether on a DMT."
    return from_logic(
        id="nmdp_relapses_on_dmt",
        description=described(rule),
        answer=answer,
        value_used={field: getattr(profile, field), "activity_on_dmt": on_dmt},
        threshold=f"{rule.text()} in {window}, on DMT",
        source_id=rule.source_id,
        reason=reason,
        hard=rule.hard,
    )


def _nmdp_walking(profile: Profile, th: Thresholds) -> CriterionResult:
    walk, walks, cannot = th["nmdp_walk"], th["nmdp_walks_edss"], th["nmdp_cannot_walk_edss"]
    distance = f"{walk.format_value()} {walk.unit_text}"
    between = [s for s in EDSS_GRID if not walks.holds(s) and not cannot.holds(s)]
    between_text = ", ".join(format_number(s, "EDSS") for s in between) or "none"
    edss = profile.edss
    answer: bool | None
    if edss is None:
        answer, reason = None, unknown_reason("edss")
    elif walks.holds(edss):
        answer = True
        reason = f"EDSS {edss:.1f} means walking at least {distance} without an aid."
    elif cannot.holds(edss):
        answer = False
        reason = (
            f"EDSS {edss:.1f} means walking {distance} is not possible with a single aid, so the "
            "NMDP advice is to refer earlier than this."
        )
    else:
        answer = None
        reason = (
            f"EDSS {edss:.1f} covers both people who can and who cannot walk {distance} with one "
            "aid."
        )
    return from_logic(
        id="nmdp_walk_100m",
        description=described(walk),
        answer=answer,
        value_used=edss,
        threshold=(
            f"walks {distance}, unilateral aid allowed (msstem's reading of the EDSS ambulation "
            f"steps: {walks.text()} yes, EDSS {between_text} uncertain, {cannot.text()} no)"
        ),
        source_id=walk.source_id,
        reason=reason,
        hard=walk.hard and walks.hard and cannot.hard,
    )


def _criteria(profile: Profile, th: Thresholds) -> list[CriterionResult]:
    return [
        course_in(
            profile,
            description="Relapsing MS: RRMS, or progressive MS with superimposed activity",
            allowed=frozenset({"RRMS"}),
            conditional={
                "SPMS": lambda p: _progressive(p, th),
                "PPMS": lambda p: _progressive(p, th),
            },
            source_id=SOURCE,
            threshold="RRMS, or SPMS/PPMS with superimposed activity",
        ),
        _high_risk(profile),
        _nmdp_relapses(profile, th),
        _nmdp_walking(profile, th),
    ]


RULESET = RuleSet(
    id="astct-2019",
    name="ASTCT position statement (2019) with NMDP referral guidance",
    kind="guideline",
    source_ids=(SOURCE, NMDP, "neurostatus-edss"),
    criteria=_criteria,
    uses={
        "nmdp_relapses": "nmdp-referral/relapses-on-dmt",
        "nmdp_walk": "nmdp-referral/walk-distance",
        "nmdp_walks_edss": "nmdp-referral/walks-edss",
        "nmdp_cannot_walk_edss": "nmdp-referral/cannot-walk-edss",
        **ACTIVITY_USES,
    },
    standing=("astct-2019/no-numeric-limits",),
)
