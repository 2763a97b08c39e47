"""HALT-MS (Nash et al., Neurology 2017; NCT00288626; notes §3). A completed trial.

RRMS with relapses plus disability progression while on DMT; EDSS 3.0-5.5; age
18-60; PPMS and SPMS without relapses >=12 months excluded. Disability progression
is not a profile field, so that criterion is always ``unknown``.
"""

from __future__ import annotations

from msstem.clinical.profile import Profile
from msstem.eligibility.criteria import age_range, course_in, edss_range, from_logic
from msstem.eligibility.model import CriterionResult
from msstem.eligibility.readings import k_and, relapse_count
from msstem.eligibility.ruleset import RuleSet
from msstem.eligibility.thresholds import (
    HALT_AGE_MAX,
    HALT_AGE_MIN,
    HALT_EDSS_MAX,
    HALT_EDSS_MIN,
    HALT_MIN_RELAPSES_ON_DMT,
    HALT_SPMS_RELAPSE_FREE_MONTHS,
)

__all__ = ["RULESET"]

REGISTRY = "halt-ms-registry"
PAPER = "nash-2017-halt-ms"


def _spms(profile: Profile) -> tuple[bool | None, str]:
    # The exclusion window (relapse-free >= 12 months) is read on the profile's 12-month window.
    window = HALT_SPMS_RELAPSE_FREE_MONTHS.format_value()
    relapsed = relapse_count(profile, 12).at_least(1)
    if relapsed is False:
        return False, f"SPMS without relapses for at least {window} months was excluded."
    if relapsed is True:
        return None, (
            "The trial enrolled RRMS and excluded only SPMS without relapses for 12 months; "
            "whether SPMS with recent relapses could enter is not stated."
        )
    return None, (
        f"SPMS without relapses for {window} months was excluded, and the profile does not "
        "give relapses_12m."
    )


def _relapses_on_dmt(profile: Profile) -> CriterionResult:
    count = relapse_count(profile, 36)
    any_relapse = count.at_least(HALT_MIN_RELAPSES_ON_DMT.value)
    on_dmt = profile.activity_on_dmt
    answer = k_and(any_relapse, on_dmt)
    if answer is True:
        reason = f"Relapses in the last 36 months: {count.describe()}, while on a DMT."
    elif on_dmt is False:
        reason = "The relapses did not happen on a DMT."
    elif any_relapse is False:
        reason = (
            "No relapse in the last 36 months, the profile's longest window (the trial summary "
            "gives no window of its own)."
        )
    else:
        reason = "Your answers do not include relapses in the last 36 months and whether on a DMT."
    return from_logic(
        id="relapses_on_dmt",
        description="Relapses while on a DMT",
        answer=answer,
        value_used={"relapses_36m": profile.relapses_36m, "activity_on_dmt": on_dmt},
        threshold=f"{HALT_MIN_RELAPSES_ON_DMT.text()} on DMT (no count or window given)",
        source_id=PAPER,
        reason=reason,
    )


def _progression(profile: Profile) -> CriterionResult:
    return from_logic(
        id="disability_progression_on_dmt",
        description="Disability progression while on a DMT",
        answer=None,
        value_used=None,
        threshold="disability progression on DMT",
        source_id=PAPER,
        reason="Disability progression while on a DMT is not a profile field, so the treating "
        "team has to judge it.",
    )


def _criteria(profile: Profile) -> list[CriterionResult]:
    return [
        course_in(
            profile,
            description="RRMS (PPMS, and SPMS without relapses for 12 months or more, excluded)",
            allowed=frozenset({"RRMS"}),
            conditional={"SPMS": _spms},
            source_id=REGISTRY,
            threshold="RRMS; PPMS and SPMS relapse-free ≥ 12 months excluded",
        ),
        age_range(profile, HALT_AGE_MIN, HALT_AGE_MAX),
        edss_range(profile, HALT_EDSS_MIN, HALT_EDSS_MAX),
        _relapses_on_dmt(profile),
        _progression(profile),
    ]


RULESET = RuleSet(
    id="halt-ms",
    name="HALT-MS trial entry criteria",
    kind="trial",
    source_ids=(PAPER, REGISTRY),
    criteria=_criteria,
    note="Completed trial: 25 people enrolled at 3 US sites in 2006–2009; it no longer recruits.",
)
