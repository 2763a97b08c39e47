"""StarMS (ISRCTN88667898), entry activity rule from the AAN 2024 abstract (notes §6, §8).

>=1 relapse or MRI activity in 12 months despite DMT, OR treatment-naive rapidly
evolving severe MS (>=2 disabling relapses in 12 months + >=1 Gd+ lesion or a
significant T2 increase). Treatment-naive and "disabling" are not profile fields
and "significant" is not quantified, so the second route is never ``met``.
"""

from __future__ import annotations

from msstem.clinical.profile import Profile
from msstem.eligibility.criteria import course_in, from_logic
from msstem.eligibility.model import CriterionResult
from msstem.eligibility.readings import k_and, k_or, mri_activity_12m, relapse_count
from msstem.eligibility.ruleset import Caution, RuleSet
from msstem.eligibility.thresholds import (
    MRI_ACTIVITY_MIN_LESIONS,
    STARMS_MIN_ACTIVITY_12M,
    STARMS_RES_MIN_GD_LESIONS,
    STARMS_RES_MIN_RELAPSES_12M,
)

__all__ = ["RULESET", "routes"]

SOURCE = "starms-aan-2024"
STATUS_SOURCE = "starms-protocol-2024"
MRI_SOURCE = MRI_ACTIVITY_MIN_LESIONS.source_id


def routes(profile: Profile) -> tuple[bool | None, bool | None]:
    """(activity despite DMT, treatment-naive rapidly evolving severe MS), three-valued."""
    relapses = relapse_count(profile, 12)
    despite_dmt = k_and(
        k_or(
            relapses.at_least(STARMS_MIN_ACTIVITY_12M.value),
            mri_activity_12m(profile, MRI_ACTIVITY_MIN_LESIONS.value),
        ),
        profile.activity_on_dmt,
    )
    gd = profile.gd_lesions_12m
    t2 = profile.new_t2_lesions_12m
    gd_ok = None if gd is None else gd >= STARMS_RES_MIN_GD_LESIONS.value
    # "significant T2 increase" is not quantified: any new T2 lesion leaves it open.
    t2_significant = False if t2 == 0 else None
    naive: bool | None = None  # treatment-naive is not a profile field
    res = k_and(
        relapses.at_least(STARMS_RES_MIN_RELAPSES_12M.value),
        naive,
        k_or(gd_ok, t2_significant),
    )
    return despite_dmt, res


def _activity(profile: Profile) -> CriterionResult:
    despite_dmt, res = routes(profile)
    answer = k_or(despite_dmt, res)
    if despite_dmt is True:
        reason = "A relapse or MRI activity happened in the last 12 months despite a DMT."
    elif answer is False:
        reason = (
            "No relapse or MRI activity despite a DMT in the last 12 months, and fewer than 2 "
            "relapses or no new lesions for the treatment-naive severe MS route."
        )
    elif despite_dmt is False:
        reason = (
            "No activity despite a DMT; the treatment-naive severe MS route cannot be checked "
            "because a profile does not show treatment-naive status, disabling relapses or a "
            "'significant' T2 increase."
        )
    else:
        reason = (
            "Your answers do not include relapses, MRI lesions in the last 12 months and "
            "activity_on_dmt, so neither route can be decided."
        )
    return from_logic(
        id="disease_activity",
        description=(
            "≥1 relapse or MRI activity in 12 months despite DMT, or treatment-naive rapidly "
            "evolving severe MS (≥2 disabling relapses in 12 months with ≥1 Gd+ lesion or a "
            "significant T2 increase)"
        ),
        answer=answer,
        value_used={
            "relapses_12m": profile.relapses_12m,
            "gd_lesions_12m": profile.gd_lesions_12m,
            "new_t2_lesions_12m": profile.new_t2_lesions_12m,
            "activity_on_dmt": profile.activity_on_dmt,
        },
        threshold=(
            f"{STARMS_MIN_ACTIVITY_12M.text()} despite DMT, or "
            f"{STARMS_RES_MIN_RELAPSES_12M.text()} + {STARMS_RES_MIN_GD_LESIONS.text()} "
            "(treatment-naive)"
        ),
        source_id=SOURCE,
        reason=reason,
    )


def _criteria(profile: Profile) -> list[CriterionResult]:
    return [
        course_in(
            profile,
            description="A diagnosis of MS",
            allowed=frozenset({"RRMS", "SPMS", "PPMS"}),
            source_id=SOURCE,
            threshold="MS (not CIS)",
        ),
        _activity(profile),
    ]


RULESET = RuleSet(
    id="starms",
    name="StarMS trial entry criteria",
    kind="trial",
    source_ids=(SOURCE, STATUS_SOURCE, MRI_SOURCE),
    criteria=_criteria,
    standing=(
        Caution(
            "StarMS's own definition of MRI activity is not in msstem's notes; msstem counts "
            "at least one new or enlarging T2 or Gd-enhancing lesion, the NEDA-3 definition.",
            MRI_SOURCE,
        ),
    ),
    note="Trial closed to enrolment: recruitment ran Sep 2021 to Nov 2024 (94 participants); "
    "results expected July 2027.",
)
