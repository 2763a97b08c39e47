"""The profile model: every field validated, every error one line naming the field."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from msstem.clinical.edss import EDSS_GRID
from msstem.clinical.profile import MS_COURSES, Profile, parse_profile
from msstem.errors import ProfileError
from msstem.io import load_profile


def test_empty_profile_is_all_unknown() -> None:
    profile = parse_profile({})
    assert all(v is None for v in profile.model_dump().values())
    assert profile.known_fields() == {}


def test_example_profile_round_trips(example_profile_data: dict[str, Any]) -> None:
    profile = parse_profile(example_profile_data)
    assert profile.known_fields() == example_profile_data


def test_nulls_mean_unknown() -> None:
    assert parse_profile({"edss": None, "age": None}) == parse_profile({})


@pytest.mark.parametrize(
    ("data", "field", "fragment"),
    [
        ({"edss": 5.25}, "edss", "not on the EDSS grid"),
        ({"edss": 0.5}, "edss", "not on the EDSS grid"),
        ({"edss": 10.5}, "edss", "not on the EDSS grid"),
        ({"edss": -1.0}, "edss", "not on the EDSS grid"),
        ({"edss": "3.5"}, "edss", "is not a number"),
        ({"age": -1}, "age", "out of range"),
        ({"age": 121}, "age", "out of range"),
        ({"age": 34.5}, "age", "whole number"),
        ({"age": "34"}, "age", "whole number"),
        ({"age": True}, "age", "whole number"),
        ({"relapses_12m": -2}, "relapses_12m", "out of range"),
        ({"gd_lesions_12m": -1}, "gd_lesions_12m", "out of range"),
        ({"new_t2_lesions_12m": 1.5}, "new_t2_lesions_12m", "whole number"),
        ({"disease_duration_years": -0.5}, "disease_duration_years", "out of range"),
        ({"ms_course": "RMS"}, "ms_course", "allowed: RRMS, SPMS, PPMS, CIS"),
        ({"ms_course": "rrms"}, "ms_course", "allowed: RRMS, SPMS, PPMS, CIS"),
        ({"activity_on_dmt": "yes"}, "activity_on_dmt", "true or false"),
        ({"activity_on_dmt": 1}, "activity_on_dmt", "true or false"),
        ({"pregnant": "no"}, "pregnant", "true or false"),
        ({"current_dmt": ""}, "current_dmt", "current_dmt"),
        ({"hctci_items": ["diabetes", "gout"]}, "hctci_items", "unknown item 'gout'"),
        ({"hctci_items": "diabetes"}, "hctci_items", "list of item ids"),
        ({"hctci_items": ["diabetes", "diabetes"]}, "hctci_items", "listed twice"),
        ({"relapses_12m": 3, "relapses_24m": 2}, "relapses_12m", "greater than relapses_24m"),
        ({"relapses_24m": 3, "relapses_36m": 1}, "relapses_24m", "greater than relapses_36m"),
        ({"relapses_12m": 3, "relapses_36m": 1}, "relapses_12m", "greater than relapses_36m"),
        ({"age": 30, "disease_duration_years": 31}, "disease_duration_years", "greater than age"),
        ({"edds": 3.0}, "edds", "unknown field 'edds'"),
        (
            {"activity_on_dmt": False, "failed_high_efficacy_dmt": True},
            "activity_on_dmt",
            "contradicts failed_high_efficacy_dmt",
        ),
    ],
)
def test_bad_fields_name_the_field(data: dict[str, Any], field: str, fragment: str) -> None:
    with pytest.raises(ProfileError) as info:
        parse_profile(data)
    message = str(info.value)
    assert info.value.field == field
    assert field in message
    assert fragment in message
    assert "\n" not in message


@pytest.mark.parametrize("data", [[], "text", 3, None])
def test_profile_must_be_an_object(data: Any) -> None:
    with pytest.raises(ProfileError, match="expected a JSON object"):
        parse_profile(data)


@pytest.mark.parametrize("value", EDSS_GRID)
def test_every_grid_value_is_accepted(value: float) -> None:
    assert parse_profile({"edss": value}).edss == value


@pytest.mark.parametrize("course", MS_COURSES)
def test_every_course_is_accepted(course: str) -> None:
    assert parse_profile({"ms_course": course}).ms_course == course


@given(
    r12=st.integers(0, 20), extra24=st.integers(0, 20), extra36=st.integers(0, 20)
)
def test_nested_relapse_windows_are_accepted(r12: int, extra24: int, extra36: int) -> None:
    p = parse_profile(
        {
            "relapses_12m": r12,
            "relapses_24m": r12 + extra24,
            "relapses_36m": r12 + extra24 + extra36,
        }
    )
    assert p.relapses_12m is not None and p.relapses_36m is not None
    assert p.relapses_12m <= p.relapses_36m


def test_profile_is_frozen() -> None:
    profile = parse_profile({"age": 30})
    with pytest.raises(Exception):  # noqa: B017 - pydantic raises ValidationError on frozen models
        profile.age = 31  # type: ignore[misc]


def test_load_profile_errors(tmp_path: Any) -> None:
    missing = tmp_path / "missing.json"
    with pytest.raises(ProfileError, match="does not exist"):
        load_profile(missing)
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    with pytest.raises(ProfileError, match=r"not valid JSON.*line 1"):
        load_profile(bad)
    binary = tmp_path / "binary.json"
    binary.write_bytes(b"\xff\xfe\x00")
    with pytest.raises(ProfileError, match="is not UTF-8 text"):
        load_profile(binary)
    ok = tmp_path / "ok.json"
    ok.write_text('{"edss": 3}')
    assert load_profile(ok) == Profile(edss=3.0)


@pytest.mark.parametrize(
    ("data", "got"), [([], "an array"), ("text", "a string"), (3, "a number"), (None, "null")]
)
def test_non_object_is_named_in_json_terms(data: Any, got: str) -> None:
    with pytest.raises(ProfileError, match=f"expected a JSON object, got {got}$"):
        parse_profile(data)


def test_values_are_echoed_as_json(tmp_path: Any) -> None:
    for data, text in (({"pregnant": "yes"}, 'pregnant: "yes" is not true or false'),
                       ({"age": True}, "age: true is not a whole number"),
                       ({"ms_course": None, "edss": 5.25}, "edss: 5.25 is not on the EDSS grid")):
        with pytest.raises(ProfileError) as info:
            parse_profile(data)
        assert str(info.value).startswith(text)


def test_duplicate_keys_are_refused(tmp_path: Any) -> None:
    dup = tmp_path / "dup.json"
    dup.write_text('{"age": 30, "edss": 2.0, "age": 60}')
    with pytest.raises(ProfileError, match=r"^age: given twice") as info:
        load_profile(dup)
    assert info.value.field == "age"


@pytest.mark.parametrize("value", [float("nan"), float("inf"), float("-inf")])
def test_disease_duration_must_be_finite(value: float) -> None:
    with pytest.raises(ProfileError, match=r"disease_duration_years: .* is not a finite number"):
        parse_profile({"disease_duration_years": value})
