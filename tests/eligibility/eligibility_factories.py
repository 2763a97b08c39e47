"""Profiles and Hypothesis strategies shared by the eligibility tests."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from msstem.clinical.edss import EDSS_GRID
from msstem.clinical.profile import MS_COURSES, Profile

#: A profile that meets every hard criterion of every rule set, except HALT-MS's
#: "disability progression on DMT", which no profile can show. Written out here (not read
#: from examples/) so the boundary tables do not move when the example changes.
BASE: dict[str, Any] = {
    "age": 34,
    "ms_course": "RRMS",
    "disease_duration_years": 6,
    "edss": 3.5,
    "relapses_12m": 2,
    "relapses_24m": 3,
    "relapses_36m": 3,
    "gd_lesions_12m": 2,
    "new_t2_lesions_12m": 4,
    "activity_on_dmt": True,
    "failed_high_efficacy_dmt": True,
    "current_dmt": "natalizumab",
    "hctci_items": ["psychiatric"],
    "pregnant": False,
}

FIELDS: tuple[str, ...] = tuple(Profile.model_fields)


def profile(**overrides: Any) -> Profile:
    """BASE with ``overrides`` (``None`` = unknown), validated.

    Setting ``activity_on_dmt`` to False also clears BASE's ``failed_high_efficacy_dmt``
    (the profile rejects that contradiction) unless the override sets it too.
    """
    data = {**BASE, **overrides}
    if overrides.get("activity_on_dmt") is False and "failed_high_efficacy_dmt" not in overrides:
        data["failed_high_efficacy_dmt"] = False
    return Profile.model_validate(data)


@st.composite
def full_profiles(draw: st.DrawFn) -> Profile:
    """Valid profiles with every field known (values cluster around the thresholds)."""
    age = draw(st.integers(min_value=0, max_value=120))
    r12 = draw(st.integers(0, 4))
    r24 = r12 + draw(st.integers(0, 3))
    r36 = r24 + draw(st.integers(0, 3))
    return Profile.model_validate(
        {
            "age": age,
            "ms_course": draw(st.sampled_from(MS_COURSES)),
            "disease_duration_years": draw(
                st.floats(min_value=0, max_value=float(age), allow_nan=False)
            ),
            "edss": draw(st.sampled_from(EDSS_GRID)),
            "relapses_12m": r12,
            "relapses_24m": r24,
            "relapses_36m": r36,
            "gd_lesions_12m": draw(st.integers(0, 4)),
            "new_t2_lesions_12m": draw(st.integers(0, 5)),
            "activity_on_dmt": (activity := draw(st.booleans())),
            # Failing a high-efficacy DMT implies activity on a DMT (the profile checks it).
            "failed_high_efficacy_dmt": draw(st.booleans()) and activity,
            "current_dmt": draw(st.none() | st.sampled_from(["natalizumab", "fingolimod"])),
            "hctci_items": draw(st.sampled_from([[], ["psychiatric"], ["obesity", "diabetes"]])),
            "pregnant": draw(st.booleans()),
        }
    )


def blank(p: Profile, fields: frozenset[str]) -> Profile:
    """``p`` with ``fields`` made unknown (always still a valid profile)."""
    data = p.model_dump()
    data.update(dict.fromkeys(fields))
    return Profile.model_validate(data)


@st.composite
def completed_pairs(draw: st.DrawFn) -> tuple[Profile, Profile]:
    """(partial, full): ``full`` fills in some of ``partial``'s unknown fields."""
    full = draw(full_profiles())
    hidden = draw(st.frozensets(st.sampled_from(FIELDS)))
    still_hidden = draw(st.frozensets(st.sampled_from(sorted(hidden)))) if hidden else frozenset()
    return blank(full, hidden), blank(full, still_hidden)


@st.composite
def partial_profiles(draw: st.DrawFn) -> Profile:
    full = draw(full_profiles())
    return blank(full, draw(st.frozensets(st.sampled_from(FIELDS))))
