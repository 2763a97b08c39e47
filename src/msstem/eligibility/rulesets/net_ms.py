"""NET-MS (EudraCT 2022-002654-95; notes §8): RRMS, an age and an EDSS range (ends
included: msstem's reading), in *aggressive* MS.

The notes do not define "aggressive". msstem needs evidence of it: a relapse or MRI
activity in the profile's MRI window gives ``met``; anything else is ``unknown``
(msstem cannot tell), never "met" for MS with no activity at all (issue 9).
"""

from __future__ import annotations

from msstem.clinical.profile import Profile
from msstem.eligibility.criteria import age_range, course_in, edss_range, from_logic
from msstem.eligibility.model import CriterionResult
from msstem.eligibility.readings import recent_activity
from msstem.eligibility.ruleset import RuleSet, Thresholds
from msstem.eligibility.rulesets import ACTIVITY_USES

__all__ = ["RULESET"]

SOURCE = "net-ms-registry"


def _aggressive(profile: Profile, th: Thresholds) -> CriterionResult:
    relapses, mri = th["active_relapses"], th["mri"]
    window = mri.window
    active = recent_activity(profile, relapses, mri)
    if active is True:
        reason = (
            f"A relapse or MRI activity in the last {window} is recorded, which msstem reads as "
            "evidence of aggressive MS."
        )
    elif active is False:
        reason = (
            f"No relapse and no MRI activity in the last {window} are recorded; NET-MS is a "
            "trial in aggressive MS, and msstem cannot tell whether this MS is aggressive."
        )
    else:
        reason = (
            f"Your answers do not include relapses and MRI lesions for the last {window}, so "
            "msstem cannot tell whether this MS is aggressive."
        )
    return from_logic(
        id="aggressive_disease",
        description=(
            f"Aggressive MS (msstem's reading: a relapse or MRI activity in the last {window})"
        ),
        answer=True if active is True else None,
        value_used={
            "relapses_12m": profile.relapses_12m,
            "gd_lesions_12m": profile.gd_lesions_12m,
            "new_t2_lesions_12m": profile.new_t2_lesions_12m,
        },
        threshold=f"{relapses.text()} or MRI activity ({mri.text()}) in {window}",
        source_id=SOURCE,
        reason=reason,
    )


def _criteria(profile: Profile, th: Thresholds) -> list[CriterionResult]:
    return [
        course_in(
            profile,
            description="RRMS",
            allowed=frozenset({"RRMS"}),
            source_id=SOURCE,
            threshold="RRMS",
        ),
        age_range(profile, th["age_min"], th["age_max"]),
        edss_range(profile, th["edss_min"], th["edss_max"]),
        _aggressive(profile, th),
    ]


RULESET = RuleSet(
    id="net-ms",
    name="NET-MS trial entry criteria",
    kind="trial",
    source_ids=(SOURCE,),
    criteria=_criteria,
    uses={
        "age_min": "net-ms/age-min",
        "age_max": "net-ms/age-max",
        "edss_min": "net-ms/edss-min",
        "edss_max": "net-ms/edss-max",
        **ACTIVITY_USES,
    },
    standing=("net-ms/notes-give-little", "net-ms/aggressive"),
    note="net-ms/note",
)
