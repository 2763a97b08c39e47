"""BEAT-MS (NCT04047628), entry criteria from the registry text refreshed Feb 2024.

Notes §6, §8: an age range, an EDSS limit, relapsing MS incl. active SPMS, and a
number of episodes of disease activity (clinical relapse or MRI activity) in a
window before screening, at least one following a minimum time on an FDA-approved
oral DMT or a monoclonal antibody. The numbers are the ``beat-ms`` criteria in
``trials.yaml``.

Episode counting is conservative (documented in docs/eligibility.md): only relapses
count towards the episodes; MRI activity in the profile's MRI window may be the same
episode as a relapse, and older MRI activity is not recorded, so those cases are
``unknown``, never "met" on an assumption.
"""

from __future__ import annotations

from msstem.clinical.profile import Profile
from msstem.eligibility.criteria import (
    age_range,
    course_in,
    described,
    edss_range,
    from_logic,
    unknown_reason,
)
from msstem.eligibility.model import CriterionResult
from msstem.eligibility.readings import k_or, mri_activity, relapse_count, window_of
from msstem.eligibility.ruleset import RuleSet, Thresholds
from msstem.eligibility.rulesets import ACTIVITY_USES

__all__ = ["RULESET"]

SOURCE = "beat-ms-registry"


def _spms(profile: Profile, th: Thresholds) -> tuple[bool | None, str]:
    episodes, mri = th["episodes"], th["mri"]
    relapse = relapse_count(profile, window_of(episodes)).at_least(th["active_relapses"].value)
    active = k_or(relapse, mri_activity(profile, mri))
    if active is True:
        return True, (
            f"Active SPMS (a relapse in the last {episodes.window} or MRI activity in the last "
            f"{mri.window}) is listed as eligible."
        )
    return None, (
        "Only active SPMS is eligible, and the profile records no relapse or MRI activity "
        f"that shows it (MRI activity more than {mri.window} ago is not a profile field)."
    )


def _mri_words(mri: bool | None) -> str:
    return {True: "with", False: "without", None: "with unknown"}[mri]


def _episodes(profile: Profile, th: Thresholds) -> CriterionResult:
    rule, mri_rule = th["episodes"], th["mri"]
    window, mri_window = rule.window, mri_rule.window
    count = relapse_count(profile, window_of(rule))
    mri = mri_activity(profile, mri_rule)
    enough = count.at_least(rule.value)
    shown = count.describe()
    if enough is True:
        reason = f"Relapses in the last {window}: {shown}, so {rule.limit_words()}."
    elif count.low is None and count.high is None:
        reason = f"Your answers do not include relapses in the last {window}, so this is unknown."
    elif mri is True:
        reason = (
            f"Relapses in the last {window}: {shown}, with MRI activity in the last {mri_window}; "
            "the MRI activity may belong to the same episode as a relapse, so msstem does not "
            "count it as a separate episode."
        )
    else:
        reason = (
            f"Relapses in the last {window}: {shown}, {_mri_words(mri)} MRI activity in the "
            f"last {mri_window}; MRI activity before that is not a profile field and could add "
            "episodes."
        )
    return from_logic(
        id="activity_episodes_36m",
        description=described(rule),
        # Older MRI activity is never recorded, so too few relapses is never "not met".
        answer=True if enough is True else None,
        value_used={
            "relapses_12m": profile.relapses_12m,
            "relapses_24m": profile.relapses_24m,
            "relapses_36m": profile.relapses_36m,
            "gd_lesions_12m": profile.gd_lesions_12m,
            "new_t2_lesions_12m": profile.new_t2_lesions_12m,
        },
        threshold=f"{rule.text()} in {window}",
        source_id=rule.source_id,
        reason=reason,
        hard=rule.hard,
    )


def _episode_on_dmt(profile: Profile, th: Thresholds) -> CriterionResult:
    rule, episodes = th["months_on_dmt"], th["episodes_on_dmt"]
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
            f"DMT or a monoclonal antibody taken for {rule.limit_words()}."
        )
    else:
        answer = None
        reason = unknown_reason("activity_on_dmt")
    return from_logic(
        id="episode_after_oral_or_antibody_dmt",
        description=(
            f"{episodes.words.capitalize()} {episodes.count} {episodes.unit_text} after "
            f"{rule.words} {rule.format_value()} {rule.unit_text} of an FDA-approved oral DMT or "
            "a monoclonal antibody"
        ),
        answer=answer,
        value_used={"activity_on_dmt": on_dmt, "failed_high_efficacy_dmt": failed_he},
        threshold=f"{episodes.text()} after {rule.text()} of an oral DMT or antibody",
        source_id=rule.source_id,
        reason=reason,
        hard=rule.hard and episodes.hard,
    )


def _criteria(profile: Profile, th: Thresholds) -> list[CriterionResult]:
    return [
        age_range(profile, th["age_min"], th["age_max"]),
        edss_range(profile, None, th["edss_max"]),
        course_in(
            profile,
            description="Relapsing MS, including active SPMS (MS by 2017 McDonald criteria)",
            allowed=frozenset({"RRMS"}),
            conditional={"SPMS": lambda p: _spms(p, th)},
            source_id=SOURCE,
            threshold="RRMS or active SPMS",
        ),
        _episodes(profile, th),
        _episode_on_dmt(profile, th),
    ]


RULESET = RuleSet(
    id="beat-ms",
    name="BEAT-MS trial entry criteria",
    kind="trial",
    source_ids=(SOURCE,),
    criteria=_criteria,
    uses={
        "age_min": "beat-ms/age-min",
        "age_max": "beat-ms/age-max",
        "edss_max": "beat-ms/edss-max",
        "episodes": "beat-ms/episodes",
        "episodes_on_dmt": "beat-ms/episodes-on-dmt",
        "months_on_dmt": "beat-ms/months-on-dmt",
        **ACTIVITY_USES,
    },
    standing=("beat-ms/earlier-protocol", "beat-ms/mcdonald"),
    note="beat-ms/note",
)
