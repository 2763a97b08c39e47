"""NET-MS (EudraCT 2022-002654-95; notes §8): RRMS, age 18-55, EDSS 2-6 (ends included)."""

from __future__ import annotations

from msstem.clinical.profile import Profile
from msstem.eligibility.criteria import age_range, course_in, edss_range
from msstem.eligibility.model import CriterionResult
from msstem.eligibility.ruleset import Caution, RuleSet
from msstem.eligibility.thresholds import (
    NETMS_AGE_MAX,
    NETMS_AGE_MIN,
    NETMS_EDSS_MAX,
    NETMS_EDSS_MIN,
)

__all__ = ["RULESET"]

SOURCE = "net-ms-registry"


def _criteria(profile: Profile) -> list[CriterionResult]:
    return [
        course_in(
            profile,
            description="RRMS",
            allowed=frozenset({"RRMS"}),
            source_id=SOURCE,
            threshold="RRMS",
        ),
        age_range(profile, NETMS_AGE_MIN, NETMS_AGE_MAX),
        edss_range(profile, NETMS_EDSS_MIN, NETMS_EDSS_MAX),
    ]


RULESET = RuleSet(
    id="net-ms",
    name="NET-MS trial entry criteria",
    kind="trial",
    source_ids=(SOURCE,),
    criteria=_criteria,
    standing=(
        Caution(
            "msstem's notes give only 'RRMS, age 18–55, EDSS 2–6' for this trial; msstem reads "
            "both ends of each range as included, and any further criteria are not known.",
            SOURCE,
        ),
    ),
    note="Current recruitment status is not recorded in msstem's evidence.",
)
