"""StarMS (ISRCTN88667898), entry activity rule from the AAN 2024 abstract (notes §6, §8).

Relapse or MRI activity in the last year despite DMT, OR treatment-naive rapidly
evolving severe MS (disabling relapses in a year + a Gd+ lesion or a significant T2
increase); the counts are the ``starms`` criteria in ``trials.yaml``.
Treatment-naive and "disabling" are not profile fields and "significant" is not
quantified, so the second route is never ``met``.

The notes give no MS course for StarMS and its full title (trials.yaml) names
relapsing-remitting MS, so only RRMS is read as eligible; SPMS and PPMS are
``unknown`` at best, and a standing caution says its age and EDSS limits are not
known (issue 9).
"""

from __future__ import annotations

from msstem.clinical.profile import Profile
from msstem.eligibility.criteria import course_in, from_logic
from msstem.eligibility.model import CriterionResult
from msstem.eligibility.readings import k_and, k_or, mri_activity, relapse_count, window_of
from msstem.eligibility.ruleset import RuleSet, Thresholds
from msstem.evidence import EvidenceBase

__all__ = ["RULESET", "routes"]

SOURCE = "starms-aan-2024"
STATUS_SOURCE = "starms-protocol-2024"
MRI_SOURCE = "rotstein-2015-neda"


def routes(
    profile: Profile, evidence: EvidenceBase | None = None
) -> tuple[bool | None, bool | None]:
    """(activity despite DMT, treatment-naive rapidly evolving severe MS), three-valued."""
    return _routes(profile, RULESET.thresholds(evidence))


def _routes(profile: Profile, th: Thresholds) -> tuple[bool | None, bool | None]:
    activity, res_relapses, res_gd = th["activity"], th["res_relapses"], th["res_gd_lesions"]
    relapses = relapse_count(profile, window_of(activity))
    despite_dmt = k_and(
        k_or(relapses.at_least(activity.value), mri_activity(profile, th["mri"])),
        profile.activity_on_dmt,
    )
    gd = profile.gd_lesions_12m
    t2 = profile.new_t2_lesions_12m
    gd_ok = None if gd is None else gd >= res_gd.value
    # "significant T2 increase" is not quantified: any new T2 lesion leaves it open.
    t2_significant = False if t2 == 0 else None
    naive: bool | None = None  # treatment-naive is not a profile field
    res = k_and(
        relapse_count(profile, window_of(res_relapses)).at_least(res_relapses.value),
        naive,
        k_or(gd_ok, t2_significant),
    )
    return despite_dmt, res


def _course(profile: Profile) -> tuple[bool | None, str]:
    return None, (
        "StarMS's full title names relapsing-remitting MS and msstem's notes give no other "
        f"course for it, so msstem cannot tell whether {profile.ms_course} can enter."
    )


def _activity(profile: Profile, th: Thresholds) -> CriterionResult:
    activity, res_relapses, res_gd = th["activity"], th["res_relapses"], th["res_gd_lesions"]
    window = activity.window
    despite_dmt, res = _routes(profile, th)
    answer = k_or(despite_dmt, res)
    if despite_dmt is True:
        reason = f"A relapse or MRI activity happened in the last {window} despite a DMT."
    elif answer is False:
        reason = (
            f"No relapse or MRI activity despite a DMT in the last {window}, and fewer than "
            f"{res_relapses.format_value()} relapses or no new lesions for the treatment-naive "
            "severe MS route."
        )
    elif despite_dmt is False:
        reason = (
            "No activity despite a DMT; the treatment-naive severe MS route cannot be checked "
            "because a profile does not show treatment-naive status, disabling relapses or a "
            "'significant' T2 increase."
        )
    else:
        reason = (
            f"Your answers do not include relapses, MRI lesions in the last {window} and "
            "activity_on_dmt, so neither route can be decided."
        )
    return from_logic(
        id="disease_activity",
        description=(
            f"{activity.compact_text()} in {window} despite DMT, or treatment-naive rapidly "
            f"evolving severe MS ({res_relapses.compact_text()} in {res_relapses.window} with "
            f"{res_gd.compact_text()} or a significant T2 increase)"
        ),
        answer=answer,
        value_used={
            "relapses_12m": profile.relapses_12m,
            "gd_lesions_12m": profile.gd_lesions_12m,
            "new_t2_lesions_12m": profile.new_t2_lesions_12m,
            "activity_on_dmt": profile.activity_on_dmt,
        },
        threshold=(
            f"{activity.text()} despite DMT, or {res_relapses.text()} + {res_gd.text()} "
            "(treatment-naive)"
        ),
        source_id=SOURCE,
        reason=reason,
        hard=activity.hard and res_relapses.hard and res_gd.hard,
    )


def _criteria(profile: Profile, th: Thresholds) -> list[CriterionResult]:
    return [
        course_in(
            profile,
            description="RRMS (the trial's title names relapsing-remitting MS)",
            allowed=frozenset({"RRMS"}),
            conditional={"SPMS": _course, "PPMS": _course},
            source_id=STATUS_SOURCE,
            threshold="RRMS (other courses cannot be told)",
        ),
        _activity(profile, th),
    ]


RULESET = RuleSet(
    id="starms",
    name="StarMS trial entry criteria",
    kind="trial",
    source_ids=(SOURCE, STATUS_SOURCE, MRI_SOURCE),
    criteria=_criteria,
    uses={
        "activity": "starms/activity",
        "res_relapses": "starms/res-relapses",
        "res_gd_lesions": "starms/res-gd-lesions",
        "mri": "disease-activity/mri-lesions",
    },
    standing=("starms/mri-definition", "starms/no-age-edss-limits", "starms/course"),
    note="starms/note",
)
