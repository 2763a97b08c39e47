"""The About-you form: blank = unknown, one message per bad field, values kept."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from msstem.clinical.profile import Profile
from msstem.web.forms import (
    FIELD_SPECS,
    HCTCI_NONE,
    edss_choices,
    form_values_from_profile,
    parse_profile_form,
)


def test_every_profile_field_has_a_form_field_with_help() -> None:
    assert [s.name for s in FIELD_SPECS] == list(Profile.model_fields)
    assert all(len(s.help) > 20 for s in FIELD_SPECS)


def test_blank_form_is_an_all_unknown_profile() -> None:
    result = parse_profile_form({})
    assert result.ok and result.profile == Profile()


def test_full_form_parses() -> None:
    form = {
        "age": "34", "ms_course": "RRMS", "disease_duration_years": "6,5", "edss": "3.5",
        "relapses_12m": "2", "relapses_24m": "3", "relapses_36m": "3", "gd_lesions_12m": "2",
        "new_t2_lesions_12m": "4", "activity_on_dmt": "yes", "failed_high_efficacy_dmt": "no",
        "current_dmt": " natalizumab ", "pregnant": "no",
    }
    result = parse_profile_form(form, ["psychiatric"])
    assert result.ok and result.profile is not None
    p = result.profile
    assert (p.age, p.ms_course, p.disease_duration_years, p.edss) == (34, "RRMS", 6.5, 3.5)
    assert (p.activity_on_dmt, p.failed_high_efficacy_dmt, p.pregnant) == (True, False, False)
    assert p.current_dmt == "natalizumab" and p.hctci_items == ("psychiatric",)


@pytest.mark.parametrize(
    ("field", "raw", "fragment"),
    [
        ("age", "abc", "not a whole number"),
        ("age", "-1", "out of range"),
        ("age", "121", "out of range"),
        ("age", "3.5", "not a whole number"),
        ("edss", "0.5", "not on the EDSS grid"),
        ("edss", "5.25", "not on the EDSS grid"),
        ("edss", "11", "not on the EDSS grid"),
        ("ms_course", "RRMS?", "allowed: RRMS, SPMS, PPMS, CIS"),
        ("pregnant", "maybe", "allowed: yes, no"),
        ("disease_duration_years", "six", "not a number"),
        ("relapses_12m", "-2", "out of range"),
        ("gd_lesions_12m", "1001", "out of range"),
    ],
)
def test_each_bad_value_gets_its_own_message(field: str, raw: str, fragment: str) -> None:
    result = parse_profile_form({field: raw, "age": "40"} if field != "age" else {field: raw})
    assert not result.ok
    assert set(result.errors) == {field}
    assert fragment in result.errors[field] and result.errors[field].startswith(field)
    assert result.values[field] == raw  # kept for the re-rendered form


def test_boundaries_at_and_around_the_limits() -> None:
    assert parse_profile_form({"age": "0"}).ok
    assert parse_profile_form({"age": "120"}).ok
    assert not parse_profile_form({"age": "121"}).ok
    assert parse_profile_form({"edss": "1.0"}).ok and parse_profile_form({"edss": "0"}).ok
    assert parse_profile_form({"edss": "10"}).ok and not parse_profile_form({"edss": "10.5"}).ok


def test_several_bad_fields_are_all_reported() -> None:
    result = parse_profile_form({"age": "x", "edss": "0.5", "pregnant": "?"})
    assert set(result.errors) == {"age", "edss", "pregnant"}


def test_cross_field_rules_land_on_the_named_field() -> None:
    result = parse_profile_form({"relapses_12m": "3", "relapses_24m": "1"})
    assert set(result.errors) == {"relapses_12m"}
    result = parse_profile_form({"age": "20", "disease_duration_years": "30"})
    assert set(result.errors) == {"disease_duration_years"}


def test_hctci_none_unknown_and_conflict() -> None:
    assert parse_profile_form({}, [], hctci_none=False).profile == Profile()
    none = parse_profile_form({}, [], hctci_none=True).profile
    assert none is not None and none.hctci_items == ()
    conflict = parse_profile_form({}, ["diabetes"], hctci_none=True)
    assert set(conflict.errors) == {"hctci_items"}
    unknown_item = parse_profile_form({}, ["not-an-item"])
    assert set(unknown_item.errors) == {"hctci_items"}


def test_form_values_round_trip() -> None:
    profile = Profile(age=34, ms_course="RRMS", edss=0.0, disease_duration_years=2.5,
                      activity_on_dmt=False, hctci_items=(), relapses_12m=1)
    values = form_values_from_profile(profile.known_fields())
    assert values["edss"] == "0" and values["activity_on_dmt"] == "no"
    assert values[HCTCI_NONE] is True and values["pregnant"] == ""
    raw = {k: v for k, v in values.items() if isinstance(v, str)}
    again = parse_profile_form(raw, values["hctci_items"], values[HCTCI_NONE])
    assert again.profile == profile


def test_edss_choices_are_the_grid() -> None:
    values = [v for v, _ in edss_choices()]
    assert len(values) == 20 and values[0] == "0" and values[1] == "1.0" and values[-1] == "10.0"
    for v in values:
        assert parse_profile_form({"edss": v}).ok


def test_lost_cookie_keeps_typed_answers_and_says_so(client: TestClient) -> None:
    from web_helpers import EXAMPLE_FORM

    client.cookies.clear()
    r = client.post("/about", data={**EXAMPLE_FORM, "age": "41", "csrf": "expired-token"},
                    follow_redirects=False)
    assert r.status_code == 200  # not a bare 403 page
    html = r.text
    assert "What you typed is still below" in html
    assert 'id="age" value="41"' in html and '<option value="RRMS" selected>' in html
    assert "HTTP 403" not in html and "csrf_failed" not in html
    # Nothing was saved; the new token on the page works.
    token = re.search(r'name="csrf" value="([^"]+)"', html).group(1)  # type: ignore[union-attr]
    assert token != "expired-token"
    r = client.post("/about", data={**EXAMPLE_FORM, "csrf": token}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/options"


def test_expired_values_form_keeps_the_choices(client: TestClient) -> None:
    client.cookies.clear()
    r = client.post("/values", data={"csrf": "old", "p_stop_relapses": "3"})
    assert r.status_code == 200 and "What you typed is still below" in r.text
    assert re.search(r'name="p_stop_relapses" value="3" checked', r.text)


def test_every_field_error_at_once(client: TestClient) -> None:
    page = client.get("/about")
    token = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)  # type: ignore[union-attr]
    r = client.post("/about", data={"csrf": token, "age": "-3", "edss": "11",
                                    "relapses_12m": "3", "relapses_24m": "1",
                                    "disease_duration_years": "50", "new_t2_lesions_12m": "x"})
    html = r.text
    for field in ("age", "relapses_12m", "new_t2_lesions_12m"):
        assert f'id="{field}-error"' in html, field
