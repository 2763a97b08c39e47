"""RAM-MS (NCT03477500), entry criteria from the registry wording in the notes (§6).

An age range; RRMS; an EDSS range; significant inflammatory activity in the last
year despite standard DMT: "relapses AND Gd+ lesions, OR new or enlarging T2
lesions", each with its own count (the ``ram-ms`` criteria in ``trials.yaml``).
That sentence has two readings; msstem evaluates both and answers ``unknown``
where they differ.
"""

from __future__ import annotations

from msstem.clinical.profile import Profile
from msstem.eligibility.criteria import (
    age_range,
    course_in,
    edss_range,
    from_logic,
    unknown_reason,
)
from msstem.eligibility.model import CriterionResult
from msstem.eligibility.readings import k_and, k_or, relapses_at_least
from msstem.eligibility.ruleset import RuleSet, Thresholds
from msstem.evidence import EvidenceBase

__all__ = ["RULESET", "activity_readings"]

SOURCE = "ram-ms-registry"


def _ambiguity(th: Thresholds) -> str:
    relapse, gd, t2 = th["relapses"], th["gd_lesions"], th["new_t2_lesions"]
    t2_short = f"{t2.symbol}{t2.format_value()} T2"
    return (
        f"the registry's '{relapse.text()} AND {gd.text()}, OR {t2.text()}' can be read as "
        f"(relapse AND Gd+) OR ({t2_short}), or as relapse AND (Gd+ OR {t2_short})"
    )


def activity_readings(
    profile: Profile, evidence: EvidenceBase | None = None
) -> tuple[bool | None, bool | None]:
    """The two readings: ((relapse AND Gd+) OR T2, relapse AND (Gd+ OR T2)), three-valued."""
    return _readings(profile, RULESET.thresholds(evidence))


def _readings(profile: Profile, th: Thresholds) -> tuple[bool | None, bool | None]:
    relapse = relapses_at_least(profile, th["relapses"])
    # The lesion counts are the profile's 12-month fields (the criteria say so: window 12).
    gd = _count(profile.gd_lesions_12m, th["gd_lesions"].value)
    t2 = _count(profile.new_t2_lesions_12m, th["new_t2_lesions"].value)
    return k_or(k_and(relapse, gd), t2), k_and(relapse, k_or(gd, t2))


def _count(value: int | None, n: float) -> bool | None:
    return None if value is None else value >= n


def _activity(profile: Profile, th: Thresholds) -> CriterionResult:
    relapse, gd, t2 = th["relapses"], th["gd_lesions"], th["new_t2_lesions"]
    first, second = _readings(profile, th)
    answer: bool | None
    if first is not None and first == second:
        answer = first
        reason = (
            f"Both readings of the activity rule agree that the activity in the last "
            f"{relapse.window} " + ("meets it." if first else "does not meet it.")
        )
    elif first is not None and second is not None:
        answer = None
        reason = f"The two readings disagree for this profile: {_ambiguity(th)}."
    else:
        answer = None
        reason = (
            "Your answers do not include enough of relapses, Gd-enhancing and new T2 lesions in "
            f"the last {relapse.window} to decide."
        )
    return from_logic(
        id="inflammatory_activity_12m",
        description=(
            f"Significant inflammatory activity in the last {relapse.window_phrase}: "
            f"{relapse.compact_text()} AND {gd.compact_text()}, OR {t2.compact_text()}"
        ),
        answer=answer,
        value_used={
            "relapses_12m": profile.relapses_12m,
            "gd_lesions_12m": profile.gd_lesions_12m,
            "new_t2_lesions_12m": profile.new_t2_lesions_12m,
        },
        threshold=(
            f"{relapse.text()} and {gd.text()}, or {t2.text()}, in {relapse.window} "
            "(both readings)"
        ),
        source_id=SOURCE,
        reason=reason,
        hard=relapse.hard and gd.hard and t2.hard,
    )


def _despite_dmt(profile: Profile) -> CriterionResult:
    on_dmt = profile.activity_on_dmt
    reason = {
        True: "The activity happened while on a DMT.",
        False: "The activity did not happen on a DMT; RAM-MS requires activity despite DMT.",
        None: unknown_reason("activity_on_dmt"),
    }[on_dmt]
    return from_logic(
        id="activity_despite_dmt",
        description=(
            "The activity happened despite standard DMT (interferon beta, glatiramer acetate, "
            "dimethyl fumarate, teriflunomide, fingolimod, natalizumab)"
        ),
        answer=on_dmt,
        value_used=on_dmt,
        threshold="activity while on DMT",
        source_id=SOURCE,
        reason=reason,
    )


def _criteria(profile: Profile, th: Thresholds) -> list[CriterionResult]:
    return [
        age_range(profile, th["age_min"], th["age_max"]),
        course_in(
            profile,
            description="RRMS (revised McDonald criteria)",
            allowed=frozenset({"RRMS"}),
            source_id=SOURCE,
            threshold="RRMS",
        ),
        edss_range(profile, th["edss_min"], th["edss_max"]),
        _activity(profile, th),
        _despite_dmt(profile),
    ]


RULESET = RuleSet(
    id="ram-ms",
    name="RAM-MS trial entry criteria",
    kind="trial",
    source_ids=(SOURCE,),
    criteria=_criteria,
    uses={
        "age_min": "ram-ms/age-min",
        "age_max": "ram-ms/age-max",
        "edss_min": "ram-ms/edss-min",
        "edss_max": "ram-ms/edss-max",
        "relapses": "ram-ms/relapses",
        "gd_lesions": "ram-ms/gd-lesions",
        "new_t2_lesions": "ram-ms/new-t2-lesions",
        # Not answerable from a profile: shown through the standing caution that names it.
        "relapse_after_dmt_start": "ram-ms/relapse-after-dmt-start",
    },
    standing=("ram-ms/steroids-and-timing", "ram-ms/contraception"),
    note="ram-ms/note",
    pregnancy="ram-ms/pregnancy",
)
