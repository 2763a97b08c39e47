"""Reusable criterion builders: age and EDSS ranges, single limits, MS course, flags.

Each builder returns a :class:`CriterionResult` whose ``reason`` is one plain
sentence. A field the profile leaves empty always gives ``unknown``, never a guess.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Final

from msstem.clinical.profile import Profile
from msstem.eligibility.model import CriterionResult, CriterionStatus, JsonValue
from msstem.eligibility.readings import MRI_WINDOW_MONTHS, RELAPSE_WINDOWS
from msstem.eligibility.thresholds import Threshold, describe_range, format_number

__all__ = [
    "CIS_REASON",
    "CourseRule",
    "age_range",
    "course_in",
    "described",
    "edss_range",
    "from_logic",
    "limit",
    "numeric_range",
    "unknown_reason",
]

#: Why clinically isolated syndrome fails every "has MS" criterion.
CIS_REASON = (
    "Clinically isolated syndrome (CIS) is not yet a diagnosis of MS, and this rule set "
    "is for people with MS."
)

#: A course allowed only on a condition: profile -> (answer, reason).
CourseRule = Callable[[Profile], tuple[bool | None, str]]

_STATUS = {True: CriterionStatus.MET, False: CriterionStatus.NOT_MET, None: CriterionStatus.UNKNOWN}


#: How each profile field is named to a person (reasons are shown in reports and the web aid).
FIELD_WORDS: Final[dict[str, str]] = {
    "age": "your age",
    "ms_course": "the course of your MS",
    "disease_duration_years": "how long ago your MS symptoms started",
    "edss": "your EDSS score",
    # The profile's own windows (its field names say them), not clinical thresholds.
    **{name: f"your relapses in the last {months} months" for months, name in RELAPSE_WINDOWS},
    "gd_lesions_12m": f"your Gd-enhancing lesions in the last {MRI_WINDOW_MONTHS} months",
    "new_t2_lesions_12m": (
        f"your new or enlarging T2 lesions in the last {MRI_WINDOW_MONTHS} months"
    ),
    "activity_on_dmt": "whether the activity happened while on a DMT",
    "failed_high_efficacy_dmt": "whether activity continued on a high-efficacy DMT",
    "current_dmt": "your current DMT",
    "pregnant": "whether you are pregnant",
}


def unknown_reason(field: str) -> str:
    """The reason for an ``unknown`` status: what is missing, in words, with the field id."""
    words = FIELD_WORDS.get(field, field)
    return f"Your answers do not include {words} ({field}), so this cannot be checked."


def from_logic(
    *,
    id: str,
    description: str,
    answer: bool | None,
    value_used: JsonValue,
    threshold: str,
    source_id: str,
    reason: str,
    hard: bool = True,
) -> CriterionResult:
    """A criterion from a three-valued answer (True met, False not met, None unknown)."""
    return CriterionResult(
        id=id,
        description=description,
        hard=hard,
        status=_STATUS[answer],
        value_used=value_used,
        threshold=threshold,
        source_id=source_id,
        reason=reason,
    )


def described(threshold: Threshold) -> str:
    """The criterion's own wording from the data, as a sentence-case description."""
    text = threshold.describe()
    return text[:1].upper() + text[1:]


def _hard(*thresholds: Threshold | None) -> bool:
    """A criterion built from several limits is hard when every one of them is."""
    return all(t.hard for t in thresholds if t is not None)


def _same_source(*thresholds: Threshold | None) -> str:
    ids = {t.source_id for t in thresholds if t is not None}
    if len(ids) != 1:
        raise ValueError(f"a criterion cites exactly one source, got {sorted(ids)}")
    return ids.pop()


def _show(value: float, unit: str) -> str:
    shown = format_number(value, unit)
    return f"{shown} years" if unit == "years" else shown


def numeric_range(
    *,
    id: str,
    description: str,
    label: str,
    field: str,
    value: float | None,
    low: Threshold | None,
    high: Threshold | None,
    hard: bool | None = None,
) -> CriterionResult:
    """``low`` and/or ``high`` must both hold; ``label`` names the measure (e.g. "Age").

    ``hard`` defaults to the criteria's own strength in the data.
    """
    source_id = _same_source(low, high)
    bound = low if low is not None else high
    assert bound is not None  # guaranteed by _same_source
    unit = bound.unit
    threshold = describe_range(low, high) if low is not None and high is not None else bound.text()
    if value is None:
        answer: bool | None = None
        reason = unknown_reason(field)
    elif low is not None and not low.holds(value):
        answer = False
        reason = f"{label} {_show(value, unit)} is under the minimum; required: {threshold}."
    elif high is not None and not high.holds(value):
        answer = False
        reason = f"{label} {_show(value, unit)} is over the maximum; required: {threshold}."
    else:
        answer = True
        reason = f"{label} {_show(value, unit)} is within the required {threshold}."
    return from_logic(
        id=id,
        description=description,
        answer=answer,
        value_used=value,
        threshold=threshold,
        source_id=source_id,
        reason=reason,
        hard=_hard(low, high) if hard is None else hard,
    )


def age_range(
    profile: Profile, low: Threshold, high: Threshold, *, id: str = "age", hard: bool | None = None
) -> CriterionResult:
    return numeric_range(
        id=id,
        description=f"Age {describe_range(low, high)}",
        label="Age",
        field="age",
        value=profile.age,
        low=low,
        high=high,
        hard=hard,
    )


def edss_range(
    profile: Profile,
    low: Threshold | None,
    high: Threshold | None,
    *,
    id: str = "edss",
    hard: bool | None = None,
) -> CriterionResult:
    if low is not None and high is not None:
        description = describe_range(low, high)
    else:
        only = low if low is not None else high
        assert only is not None
        description = only.text()
    return numeric_range(
        id=id,
        description=description,
        label="EDSS",
        field="edss",
        value=profile.edss,
        low=low,
        high=high,
        hard=hard,
    )


def limit(
    *,
    id: str,
    label: str,
    field: str,
    value: float | None,
    threshold: Threshold,
    description: str | None = None,
    not_met_extra: str = "",
) -> CriterionResult:
    """One-sided limit, e.g. the soft "best candidates are under 50".

    The description defaults to the criterion's wording in the data; hard or soft is
    the criterion's own strength.
    """
    if value is None:
        answer: bool | None = None
        reason = unknown_reason(field)
    elif threshold.holds(value):
        answer = True
        reason = f"{label} {_show(value, threshold.unit)} is {threshold.limit_words()}."
    else:
        answer = False
        reason = (
            f"{label} {_show(value, threshold.unit)} is not {threshold.limit_words()}"
            f"{'; ' + not_met_extra if not_met_extra else ''}."
        )
    return from_logic(
        id=id,
        description=described(threshold) if description is None else description,
        answer=answer,
        value_used=value,
        threshold=threshold.text(),
        source_id=threshold.source_id,
        reason=reason,
        hard=threshold.hard,
    )


def course_in(
    profile: Profile,
    *,
    description: str,
    allowed: frozenset[str],
    source_id: str,
    threshold: str,
    conditional: Mapping[str, CourseRule] | None = None,
    id: str = "ms_course",
) -> CriterionResult:
    """The MS course is in ``allowed``, or passes its ``conditional`` rule; CIS never passes."""
    course = profile.ms_course
    rules = conditional or {}
    if course is None:
        answer: bool | None = None
        reason = unknown_reason("ms_course")
    elif course == "CIS":
        answer, reason = False, CIS_REASON
    elif course in allowed:
        answer, reason = True, f"{course} is one of the courses this rule set covers."
    elif course in rules:
        answer, reason = rules[course](profile)
    else:
        answer, reason = False, f"{course} is not a course this rule set covers ({threshold})."
    return from_logic(
        id=id,
        description=description,
        answer=answer,
        value_used=course,
        threshold=threshold,
        source_id=source_id,
        reason=reason,
    )
