"""HALT-MS (Nash et al., Neurology 2017; NCT00288626; notes §3). A completed trial.

RRMS with relapses plus disability progression while on DMT; an EDSS and an age
range; PPMS, and SPMS relapse-free for a set time, excluded (the ``halt-ms``
criteria in ``trials.yaml``). Disability progression is not a profile field, so
that criterion is always ``unknown``.
"""

from __future__ import annotations

from typing import cast

from msstem.clinical.profile import Profile
from msstem.eligibility.criteria import age_range, course_in, edss_range, from_logic
from msstem.eligibility.model import CriterionResult
from msstem.eligibility.readings import (
    RELAPSE_WINDOWS,
    RelapseWindow,
    k_and,
    relapse_count,
    window_of,
)
from msstem.eligibility.ruleset import RuleSet, Thresholds
from msstem.eligibility.rulesets import ACTIVITY_USES
from msstem.errors import EvidenceError

__all__ = ["RULESET"]

REGISTRY = "halt-ms-registry"
PAPER = "nash-2017-halt-ms"


def _relapse_free_window(th: Thresholds) -> RelapseWindow:
    months = th["spms_relapse_free"].value
    if months not in {w for w, _ in RELAPSE_WINDOWS}:
        raise EvidenceError(
            f"halt-ms/spms-relapse-free: {months:g} is not a profile relapse window"
        )
    return cast(RelapseWindow, int(months))


def _spms(profile: Profile, th: Thresholds) -> tuple[bool | None, str]:
    # The exclusion (relapse-free for the criterion's months) is read on that profile window.
    rule = th["spms_relapse_free"]
    window = _relapse_free_window(th)
    relapsed = relapse_count(profile, window).at_least(th["active_relapses"].value)
    if relapsed is False:
        return False, f"SPMS without relapses for {rule.limit_words()} was excluded."
    if relapsed is True:
        return None, (
            f"The trial enrolled RRMS and excluded only SPMS without relapses for "
            f"{rule.limit_words()}; whether SPMS with recent relapses could enter is not stated."
        )
    return None, (
        f"SPMS without relapses for {rule.limit_words()} was excluded, and the profile does not "
        f"give relapses_{window}m."
    )


def _relapses_on_dmt(profile: Profile, th: Thresholds) -> CriterionResult:
    rule = th["relapses"]
    window = rule.window
    count = relapse_count(profile, window_of(rule))
    any_relapse = count.at_least(rule.value)
    on_dmt = profile.activity_on_dmt
    answer = k_and(any_relapse, on_dmt)
    if answer is True:
        reason = f"Relapses in the last {window}: {count.describe()}, while on a DMT."
    elif on_dmt is False:
        reason = "The relapses did not happen on a DMT."
    elif any_relapse is False:
        reason = (
            f"No relapse in the last {window}, the profile's longest window (the trial summary "
            "gives no window of its own)."
        )
    else:
        reason = f"Your answers do not include relapses in the last {window} and whether on a DMT."
    field = f"relapses_{window_of(rule)}m"
    return from_logic(
        id="relapses_on_dmt",
        description="Relapses while on a DMT",
        answer=answer,
        value_used={field: getattr(profile, field), "activity_on_dmt": on_dmt},
        threshold=f"{rule.text()} on DMT (no count or window given)",
        source_id=rule.source_id,
        reason=reason,
        hard=rule.hard,
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


def _criteria(profile: Profile, th: Thresholds) -> list[CriterionResult]:
    free = th["spms_relapse_free"]
    return [
        course_in(
            profile,
            description=(
                f"RRMS (PPMS, and SPMS without relapses for {free.format_value()} "
                f"{free.unit_text} or more, excluded)"
            ),
            allowed=frozenset({"RRMS"}),
            conditional={"SPMS": lambda p: _spms(p, th)},
            source_id=REGISTRY,
            threshold=f"RRMS; PPMS and SPMS relapse-free {free.text()} excluded",
        ),
        age_range(profile, th["age_min"], th["age_max"]),
        edss_range(profile, th["edss_min"], th["edss_max"]),
        _relapses_on_dmt(profile, th),
        _progression(profile),
    ]


RULESET = RuleSet(
    id="halt-ms",
    name="HALT-MS trial entry criteria",
    kind="trial",
    source_ids=(PAPER, REGISTRY),
    criteria=_criteria,
    uses={
        "age_min": "halt-ms/age-min",
        "age_max": "halt-ms/age-max",
        "edss_min": "halt-ms/edss-min",
        "edss_max": "halt-ms/edss-max",
        "relapses": "halt-ms/relapses",
        "spms_relapse_free": "halt-ms/spms-relapse-free",
        "active_relapses": ACTIVITY_USES["active_relapses"],
    },
    note="halt-ms/note",
)
