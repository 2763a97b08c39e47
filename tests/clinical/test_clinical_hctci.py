"""HCT-CI (Sorror et al., Blood 2005; NCI PDQ Table 1): weights, totals, validation."""

from __future__ import annotations

import pytest
from hctci_golden import GOLDEN_WEIGHTS, GRADED

from msstem.clinical.hctci import (
    HCTCI_HIGH_RISK_MIN_SCORE,
    HCTCI_ITEMS,
    HCTCI_SOURCE_ID,
    score_hctci,
)
from msstem.clinical.profile import parse_profile
from msstem.errors import ProfileError


def test_item_weights_match_the_published_table() -> None:
    assert {i: item.weight for i, item in HCTCI_ITEMS.items()} == GOLDEN_WEIGHTS
    assert list(HCTCI_ITEMS) == list(GOLDEN_WEIGHTS)  # table order


@pytest.mark.parametrize(
    ("items", "total"),
    [
        ([], 0),
        (["psychiatric"], 1),
        (["rheumatologic"], 2),
        (["heart_valve_disease"], 3),
        (["obesity", "diabetes", "peptic_ulcer"], 4),
        (["hepatic_mild", "pulmonary_severe"], 4),
        (["hepatic_moderate_severe", "pulmonary_moderate", "infection"], 6),
        # every weight-1 item: 9
        ([i for i, w in GOLDEN_WEIGHTS.items() if w == 1], 9),
        # the most one person can score: the severe grade of each graded organ + all others
        ([i for i in GOLDEN_WEIGHTS if i not in {"hepatic_mild", "pulmonary_moderate"}], 26),
    ],
)
def test_golden_totals(items: list[str], total: int) -> None:
    result = score_hctci(items)
    assert result.score == total
    assert [i.id for i in result.items] == items
    assert result.to_dict()["score"] == total
    assert result.source_id == HCTCI_SOURCE_ID == "sorror-2005-hctci"


@pytest.mark.parametrize(
    ("items", "high_risk"),
    [
        (["rheumatologic"], False),  # 2: just below
        (["heart_valve_disease"], True),  # 3: at the threshold
        (["rheumatologic", "psychiatric", "obesity"], True),  # 4: just above
        ([], False),
    ],
)
def test_high_risk_boundary(items: list[str], high_risk: bool) -> None:
    assert HCTCI_HIGH_RISK_MIN_SCORE == 3  # "score >=3 vs 0" in Sorror 2005
    result = score_hctci(items)
    assert result.high_risk is high_risk
    assert result.to_dict()["high_risk"] is high_risk


@pytest.mark.parametrize("pair", sorted(GRADED))
def test_two_grades_of_one_organ_are_rejected(pair: tuple[str, str]) -> None:
    for items in (list(pair), list(reversed(pair))):
        with pytest.raises(ProfileError, match="grades of one comorbidity") as err:
            score_hctci(items)
        assert err.value.field == "hctci_items"


def test_repeated_item_is_rejected() -> None:
    with pytest.raises(ProfileError, match="listed twice"):
        score_hctci(["obesity", "obesity"])


@pytest.mark.parametrize("bad", ["multiple_sclerosis", "Obesity", "", "hepatic"])
def test_unknown_item_is_rejected_listing_the_allowed_ids(bad: str) -> None:
    with pytest.raises(ProfileError) as err:
        score_hctci(["obesity", bad])
    message = str(err.value)
    assert repr(bad) in message and "\n" not in message
    # One line under 300 characters (issue 12): the first ids, then where to find them all.
    assert len(message) < 300
    listed = message.split("allowed: ", 1)[1].split(", ...")[0].split(", ")
    assert listed == list(GOLDEN_WEIGHTS)[: len(listed)] and len(listed) >= 5
    assert f"({len(GOLDEN_WEIGHTS)} in all; see docs/profile.md)" in message


def test_profile_validates_hctci_items() -> None:
    with pytest.raises(ProfileError) as err:
        parse_profile({"hctci_items": ["hepatic_mild", "hepatic_moderate_severe"]})
    assert err.value.field == "hctci_items"
    with pytest.raises(ProfileError):
        parse_profile({"hctci_items": ["not-an-item"]})
    assert parse_profile({"hctci_items": ["obesity"]}).hctci_items == ("obesity",)


def test_prior_solid_tumour_definition_adds_nothing_to_the_notes() -> None:
    # sorror-2005-hctci as curated: "prior solid tumour (except non-melanoma skin)"; no time
    # window is given.
    definition = HCTCI_ITEMS["prior_solid_tumour"].definition
    assert "at any time" not in definition
    assert "except non-melanoma skin" in definition
