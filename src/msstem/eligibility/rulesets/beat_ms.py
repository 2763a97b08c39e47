"""BEAT-MS (NCT04047628), entry criteria from the registry text refreshed Feb 2024.

Notes §6, §8: age 18 to 55 inclusive; EDSS <= 6.0; relapsing MS incl. active SPMS;
>=2 episodes of disease activity (clinical relapse or MRI activity) in the 36
months before screening, at least one following >=1 month of an FDA-approved oral
DMT or a monoclonal antibody.

Episode counting is conservative (documented in docs/eligibility.md): only relapses
count towards the two episodes; MRI activity in the last 12 months may be the same
episode as a relapse, and MRI 13-36 months back is not recorded, so those cases are
``unknown``, never "met" on an assumption.
"""

from __future__ import annotations

from msstem.clinical.profile import Profile
from msstem.eligibility.criteria import age_range, course_in, edss_range, from_logic, unknown_reason
from msstem.eligibility.model import CriterionResult
from msstem.eligibility.readings import k_or, mri_activity_12m, relapse_count
from msstem.eligibility.ruleset import Caution, RuleSet
from msstem.eligibility.thresholds import (
    BEAT_AGE_MAX,
    BEAT_AGE_MIN,
    BEAT_EDSS_MAX,
    BEAT_MIN_EPISODES_36M,
    BEAT_MIN_MONTHS_ON_DMT,
)

__all__ = ["RULESET"]

SOURCE = "beat-ms-registry"


def _spms(profile: Profile) -> tuple[bool | None, str]:
    active = k_or(relapse_count(profile, 36).at_least(1), mri_activity_12m(profile))
    if active is True:
        return True, (
            "Active SPMS (a relapse in the last 36 months or MRI activity in the last 12 "
            "months) is listed as eligible."
        )
    return None, (
        "Only active SPMS is eligible, and the profile records no relapse or MRI activity "
        "that shows it (MRI activity 13 to 36 months ago is not a profile field)."
    )


def _mri_words(mri: bool | None) -> str:
    return {True: "with", False: "without", None: "with unknown"}[mri]


def _episodes(profile: Profile) -> CriterionResult:
    count = relapse_count(profile, 36)
    mri = mri_activity_12m(profile)
    enough = count.at_least(BEAT_MIN_EPISODES_36M.value)
    shown = count.describe()
    if enough is True:
        reason = f"Relapses in the last 36 months: {shown}, so at least 2 episodes."
    elif count.low is None and count.high is None:
        reason = "Your answers do not include relapses in the last 36 months, so this is unknown."
    elif mri is True:
        reason = (
            f"Relapses in the last 36 months: {shown}, with MRI activity in the last 12 months; "
            "the MRI activity may belong to the same episode as a relapse, so msstem does not "
            "count it as a separate episode."
        )
    else:
        reason = (
            f"Relapses in the last 36 months: {shown}, {_mri_words(mri)} MRI activity in the "
            "last 12 months; MRI activity 13 to 36 months ago is not a profile field and could "
            "add episodes."
        )
    return from_logic(
        id="activity_episodes_36m",
        description=(
            "At least 2 episodes of disease activity (clinical relapse or MRI activity) in the "
            "36 months before screening"
        ),
        # MRI 13-36 months back is never recorded, so fewer than 2 relapses is never "not met".
        answer=True if enough is True else None,
        value_used={
            "relapses_12m": profile.relapses_12m,
            "relapses_24m": profile.relapses_24m,
            "relapses_36m": profile.relapses_36m,
            "gd_lesions_12m": profile.gd_lesions_12m,
            "new_t2_lesions_12m": profile.new_t2_lesions_12m,
        },
        threshold=f"{BEAT_MIN_EPISODES_36M.text()} in 36 months",
        source_id=SOURCE,
        reason=reason,
    )


def _episode_on_dmt(profile: Profile) -> CriterionResult:
    on_dmt = profile.activity_on_dmt
    failed_he = profile.failed_high_efficacy_dmt
    answer: bool | None
    if on_dmt is False:
        answer, reason = False, "The recorded disease activity did not happen on a DMT."
    elif on_dmt is True and failed_he is True:
        # High-efficacy DMTs in the notes (natalizumab, alemtuzumab, ocrelizumab, ofatumumab,
        # cladribine tablets) are antibodies or an oral drug.
        answer, reason = True, (
            "Disease activity continued on a high-efficacy DMT, which msstem reads as activity "
            "on a monoclonal antibody or oral DMT."
        )
    elif on_dmt is True:
        answer, reason = None, (
            "Activity happened on a DMT, but the profile does not say whether it was an oral "
            "DMT or a monoclonal antibody taken for at least 1 month."
        )
    else:
        answer = None
        reason = unknown_reason("activity_on_dmt")
    return from_logic(
        id="episode_after_oral_or_antibody_dmt",
        description=(
            "At least one episode after at least 1 month of an FDA-approved oral DMT or a "
            "monoclonal antibody"
        ),
        answer=answer,
        value_used={"activity_on_dmt": on_dmt, "failed_high_efficacy_dmt": failed_he},
        threshold=f"≥ 1 episode after {BEAT_MIN_MONTHS_ON_DMT.text()} of an oral DMT or antibody",
        source_id=SOURCE,
        reason=reason,
    )


def _criteria(profile: Profile) -> list[CriterionResult]:
    return [
        age_range(profile, BEAT_AGE_MIN, BEAT_AGE_MAX),
        edss_range(profile, None, BEAT_EDSS_MAX),
        course_in(
            profile,
            description="Relapsing MS, including active SPMS (MS by 2017 McDonald criteria)",
            allowed=frozenset({"RRMS"}),
            conditional={"SPMS": _spms},
            source_id=SOURCE,
            threshold="RRMS or active SPMS",
        ),
        _episodes(profile),
        _episode_on_dmt(profile),
    ]


RULESET = RuleSet(
    id="beat-ms",
    name="BEAT-MS trial entry criteria",
    kind="trial",
    source_ids=(SOURCE,),
    criteria=_criteria,
    standing=(
        Caution(
            "An earlier protocol version, quoted on a patient forum, required EDSS 2.0–5.5 and "
            "at least 2 episodes of treatment failure in 24 months; msstem uses the registry "
            "text refreshed Feb 2024.",
            SOURCE,
        ),
        Caution(
            "The trial also requires MS by the 2017 McDonald criteria with T2 lesions meeting "
            "dissemination in space, which a profile cannot show; the trial team checks these.",
            SOURCE,
        ),
    ),
    note="Criteria from the registry text refreshed Feb 2024 (first enrolment Dec 2019); "
    "current recruitment status is not recorded in msstem's evidence.",
)
