"""MIST (Burt et al., JAMA 2019; NCT00273364; notes §4): RRMS, relapses on DMT in the
prior year and an EDSS range (the ``mist`` criteria in ``trials.yaml``). A completed
trial."""

from __future__ import annotations

from msstem.clinical.profile import Profile
from msstem.eligibility.criteria import (
    course_in,
    described,
    edss_range,
    from_logic,
    unknown_reason,
)
from msstem.eligibility.model import CriterionResult
from msstem.eligibility.readings import relapse_count, window_of
from msstem.eligibility.ruleset import RuleSet, Thresholds

__all__ = ["RULESET"]

SOURCE = "burt-2019-mist"


def _relapses(profile: Profile, th: Thresholds) -> CriterionResult:
    rule = th["relapses"]
    window = rule.window
    count = relapse_count(profile, window_of(rule))
    answer = count.at_least(rule.value)
    shown = count.describe()
    if answer is None:
        reason = (
            f"Your answers do not include relapses in the last {window}, so this cannot be "
            "checked."
            if count.low is None and count.high is None
            else f"Relapses in the last {window}: {shown}, which does not decide {rule.text()}."
        )
    else:
        verdict = f"{rule.words if answer else 'fewer than'} {rule.format_value()}"
        reason = f"Relapses in the last {window}: {shown}, {verdict}."
    return from_logic(
        id="relapses_12m",
        description=described(rule),
        answer=answer,
        value_used=getattr(profile, f"relapses_{window_of(rule)}m"),
        threshold=f"{rule.text()} in {window}",
        source_id=rule.source_id,
        reason=reason,
        hard=rule.hard,
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


def _criteria(profile: Profile, th: Thresholds) -> list[CriterionResult]:
    return [
        course_in(
            profile,
            description="RRMS",
            allowed=frozenset({"RRMS"}),
            source_id=SOURCE,
            threshold="RRMS",
        ),
        _relapses(profile, th),
        _on_dmt(profile),
        edss_range(profile, th["edss_min"], th["edss_max"]),
    ]


RULESET = RuleSet(
    id="mist",
    name="MIST trial entry criteria",
    kind="trial",
    source_ids=(SOURCE,),
    criteria=_criteria,
    uses={
        "relapses": "mist/relapses",
        "edss_min": "mist/edss-min",
        "edss_max": "mist/edss-max",
    },
    note="mist/note",
)
