"""The EDSS grid (Kurtzke 1983; Neurostatus "20 half steps from 0 to 10"; no 0.5)."""

from __future__ import annotations

import math

import pytest

from msstem.clinical.edss import EDSS_GRID, EDSS_MAX, EDSS_SOURCE_IDS, describe_grid, is_on_grid
from msstem.clinical.profile import parse_profile
from msstem.errors import ProfileError

# Written out by hand (kurtzke-1983-edss, neurostatus-edss): 0, 1.0 to 9.5 in half steps, 10.
GOLDEN_GRID = (
    0.0, 1.0, 1.5, 2.0, 2.5, 3.0, 3.5, 4.0, 4.5, 5.0,
    5.5, 6.0, 6.5, 7.0, 7.5, 8.0, 8.5, 9.0, 9.5, 10.0,
)


def test_grid_has_exactly_the_20_values() -> None:
    assert len(EDSS_GRID) == 20
    assert EDSS_GRID == GOLDEN_GRID
    assert EDSS_MAX == 10.0


@pytest.mark.parametrize("value", GOLDEN_GRID)
def test_every_grid_value_is_on_the_grid(value: float) -> None:
    assert is_on_grid(value)


@pytest.mark.parametrize(
    "value",
    [0.5, 5.25, 0.25, 0.99, 1.25, 9.75, 10.5, 11.0, -0.5, -1.0, math.nan, math.inf, -math.inf],
)
def test_off_grid_values_are_rejected(value: float) -> None:
    assert not is_on_grid(value)




@pytest.mark.parametrize("value", [0, 3, 10])
def test_whole_numbers_on_the_grid_are_accepted(value: int) -> None:
    assert is_on_grid(value)


@pytest.mark.parametrize("value", [0.5, 5.25, float("nan"), 10.5, -0.5])
def test_profile_rejects_off_grid_edss_naming_the_field(value: float) -> None:
    with pytest.raises(ProfileError) as err:
        parse_profile({"edss": value})
    assert err.value.field == "edss"
    message = str(err.value)
    assert "edss" in message and "\n" not in message
    assert "no 0.5" in message


def test_describe_grid_and_sources() -> None:
    assert "no 0.5" in describe_grid()
    assert EDSS_SOURCE_IDS == ("kurtzke-1983-edss", "neurostatus-edss")


@pytest.mark.parametrize("value", [1e308, -1e308, 8.98846567431158e307])
def test_huge_values_are_rejected_not_crashing(value: float) -> None:
    # Regression: doubling a huge float overflowed to inf and int(inf) raised OverflowError.
    assert not is_on_grid(value)
    with pytest.raises(ProfileError):
        parse_profile({"edss": value})
