"""MIST (Burt et al., JAMA 2019; NCT00273364; notes §4): RRMS, >=2 relapses on DMT in
the prior year, EDSS 2.0-6.0. A completed trial (enrolment Sep 2005 to Jul 2016)."""

from __future__ import annotations

from msstem.clinical.profile import Profile
from msstem.eligibility.criteria import course_in, edss_range, from_logic, unknown_reason
from msstem.eligibility.model import CriterionResult
from msstem.eligibility.readings import relapse_count
from msstem.eligibility.ruleset import RuleSet
from msstem.eligibility.thresholds import MIST_EDSS_MAX, MIST_EDSS_MIN, MIST_MIN_RELAPSES_12M

__all__ = ["RULESET"]

SOURCE = "burt-2019-mist"


def _relapses(profile: Profile) -> CriterionResult:
    count = relapse_count(profile, 12)
    answer = count.at_least(MIST_MIN_RELAPSES_12M.value)
    shown = count.describe()
    if answer is None:
        reason = (
            "Your answers do not include relapses in the last 12 months, so this cannot be checked."
            if count.low is None and count.high is None
            else f"Relapses in the last 12 months: {shown}, which does not decide ≥ 2."
        )
    else:
        verdict = "at least 2" if answer else "fewer than 2"
        reason = f"Relapses in the last 12 months: {shown}, {verdict}."
    return from_logic(
        id="relapses_12m",
        description="At least 2 relapses in the prior year",
        answer=answer,
        value_used=profile.relapses_12m,
        threshold=f"{MIST_MIN_RELAPSES_12M.text()} in 12 months",
        source_id=SOURCE,
        reason=reason,
    )


def _on_dmt(profile: Profile) -> CriterionResult:
    on_dmt = profile.activity_on_dmt
    reason = {
        True: "The relapses happened while on a DMT.",
        False: "The relapses did not happen on a DMT; MIST required relapses on DMT.",
        None: unknown_reason("activity_on_dmt"),
    }[on_dmt]
    return from_logic(
        id="relapses_on_dmt",
        description="The relapses happened while on a DMT",
        answer=on_dmt,
        value_used=on_dmt,
        threshold="relapses on DMT",
        source_id=SOURCE,
        reason=reason,
    )


def _criteria(profile: Profile) -> list[CriterionResult]:
    return [
        course_in(
            profile,
            description="RRMS",
            allowed=frozenset({"RRMS"}),
            source_id=SOURCE,
            threshold="RRMS",
        ),
        _relapses(profile),
        _on_dmt(profile),
        edss_range(profile, MIST_EDSS_MIN, MIST_EDSS_MAX),
    ]


RULESET = RuleSet(
    id="mist",
    name="MIST trial entry criteria",
    kind="trial",
    source_ids=(SOURCE,),
    criteria=_criteria,
    note="Completed trial: enrolment ran Sep 2005 to Jul 2016; it no longer recruits.",
)
