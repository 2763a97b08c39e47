"""The JSON API: /api/assess equals the CLI's JSON, one error shape for every 4xx."""

from __future__ import annotations

import json
from typing import Any

import pytest
from fastapi.testclient import TestClient

from msstem.cli import main
from msstem.decision import assess, parse_profile


def _error(r: Any, status: int, code: str, field: str | None = "__any__") -> dict[str, Any]:
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/json")
    body = r.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "field"}
    assert body["error"]["code"] == code
    assert "\n" not in body["error"]["message"] and body["error"]["message"]
    if field != "__any__":
        assert body["error"]["field"] == field
    return body["error"]  # type: ignore[no-any-return]


def test_assess_is_exactly_the_cli_json(
    client: TestClient, example_profile_data: dict[str, Any], repo_root: Any,
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["assess", str(repo_root / "examples" / "profile.json"), "--format", "json"])
    assert exit_info.value.code in (0, None)
    cli = json.loads(capsys.readouterr().out)
    r = client.post("/api/assess", json=example_profile_data)
    assert r.status_code == 200 and r.headers["content-type"] == "application/json"
    assert r.json() == cli


def test_assess_matches_library(client: TestClient) -> None:
    profile = {"age": 50, "ms_course": "SPMS", "edss": 6.5}
    r = client.post("/api/assess", json=profile)
    expected = json.loads(json.dumps(assess(parse_profile(profile)).to_dict()))
    assert r.json() == expected


def test_empty_profile_is_all_unknown(client: TestClient) -> None:
    body = client.post("/api/assess", json={}).json()
    assert body["profile"]["known"] == {}
    assert {r["verdict"] for r in body["eligibility"].values()} <= {
        "insufficient_data", "does_not_meet"}


@pytest.mark.parametrize(
    ("payload", "field", "fragment"),
    [
        ({"edss": 5.25}, "edss", "EDSS grid"),
        ({"edss": 0.5}, "edss", "EDSS grid"),
        ({"age": -1}, "age", "out of range"),
        ({"age": "34"}, "age", "whole number"),
        ({"ms_course": "RMS"}, "ms_course", "allowed: RRMS"),
        ({"relapses_12m": 3, "relapses_24m": 1}, "relapses_12m", "greater than"),
        ({"favourite_colour": "blue"}, "favourite_colour", "unknown field"),
        ({"hctci_items": ["not-an-item"]}, "hctci_items", "not-an-item"),
    ],
)
def test_bad_profiles_are_422_naming_the_field(
    client: TestClient, payload: dict[str, Any], field: str, fragment: str
) -> None:
    err = _error(client.post("/api/assess", json=payload), 422, "invalid_input", field)
    assert fragment in err["message"] and field in err["message"]


@pytest.mark.parametrize(
    ("body", "headers"),
    [
        (b"{not json", {"content-type": "application/json"}),
        (b"[1, 2]", {"content-type": "application/json"}),
        (b'"text"', {"content-type": "application/json"}),
        (b"age=34", {"content-type": "application/x-www-form-urlencoded"}),
        (b'{"age": 34}', {"content-type": "text/plain"}),
        (b"", {"content-type": "application/json"}),
    ],
)
def test_malformed_requests_are_422_in_the_one_shape(
    client: TestClient, body: bytes, headers: dict[str, str]
) -> None:
    _error(client.post("/api/assess", content=body, headers=headers), 422, "invalid_input")


def test_404_405_and_413_share_the_shape(client: TestClient) -> None:
    _error(client.get("/api/nothing-here"), 404, "not_found", None)
    err = _error(client.get("/api/assess"), 405, "method_not_allowed", None)
    assert "method" in err["message"]
    big = {"current_dmt": "x" * (70 * 1024)}
    _error(client.post("/api/assess", json=big), 413, "payload_too_large", "body")


def test_413_without_content_length_is_caught_while_streaming(client: TestClient) -> None:
    def chunks() -> Any:
        for _ in range(80):
            yield b"x" * 1024

    r = client.post("/api/assess", content=chunks(), headers={"content-type": "application/json"})
    _error(r, 413, "payload_too_large", "body")


def test_offer_check(client: TestClient) -> None:
    text = ("Our clinic offers stem cell therapy for MS, ALS and autism. Read the testimonials "
            "of our happy patients! No side effects. Package price $12,000.")
    body = client.post("/api/offer-check", json={"text": text}).json()
    ids = {w["id"] for w in body["warning_signs"]}
    assert {"testimonials", "many-diseases", "no-risk", "pay-outside-trial"} <= ids
    for w in body["warning_signs"]:
        if w["quote"] is not None:
            assert w["quote"] in text


def test_offer_check_limits(client: TestClient) -> None:
    from msstem.offers import MAX_OFFER_CHARS

    err = _error(client.post("/api/offer-check", json={"text": "a" * (MAX_OFFER_CHARS + 1)}),
                 422, "invalid_input", "text")
    assert f"{MAX_OFFER_CHARS:,}" in err["message"]
    _error(client.post("/api/offer-check", json={"text": "   "}), 422, "invalid_input", "text")
    _error(client.post("/api/offer-check", json={}), 422, "invalid_input", "text")
    _error(client.post("/api/offer-check", json={"text": 5}), 422, "invalid_input", "text")
    # Exactly at the limit is accepted, even with 4-byte characters, which the offer route's
    # body limit leaves room for.
    ok = client.post("/api/offer-check", json={"text": "\U0001f600" * MAX_OFFER_CHARS})
    assert ok.status_code == 200


def test_summary_pdf_and_json(client: TestClient, example_profile_data: dict[str, Any]) -> None:
    payload = {"profile": example_profile_data, "priorities": {"stop_relapses": 4},
               "quiz_answers": {"figures-meaning": "groups"}}
    doc = client.post("/api/summary", json=payload).json()
    assert doc["priorities"][0]["id"] == "stop_relapses"
    assert doc["quiz"]["correct"] == 1
    r = client.post("/api/summary.pdf", json=payload)
    assert r.status_code == 200 and r.headers["content-type"] == "application/pdf"
    assert r.content.startswith(b"%PDF")


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"priorities": {"stop_relapses": 5}}, "stop_relapses"),
        ({"priorities": {"be_happy": 2}}, "priorities"),
        ({"quiz_answers": {"no-such-question": "a"}}, "quiz_answers"),
        ({"quiz_answers": {"figures-meaning": "zzz"}}, "figures-meaning"),
        ({"profile": {"edss": 0.5}}, "edss"),
        ({"extra": 1}, "extra"),
    ],
)
def test_summary_bad_input(client: TestClient, payload: dict[str, Any], field: str) -> None:
    _error(client.post("/api/summary.pdf", json=payload), 422, "invalid_input", field)


def test_page_apis(client: TestClient, example_profile_data: dict[str, Any]) -> None:
    learn = client.get("/api/learn").json()
    assert learn["cell_types"] and learn["sources"]
    assert client.get("/api/about").json()["fields"][0]["name"] == "age"
    options = client.post("/api/options", json=example_profile_data).json()
    assert [c["id"] for c in options["columns"]] == ["ahsct", "dmt", "trial"]
    questions = client.get("/api/quiz").json()["questions"]
    assert questions and all("correct" not in q for q in questions)
    graded = client.post("/api/quiz", json={"answers": {questions[0]["id"]:
                                                         questions[0]["choices"][0]["id"]}})
    assert graded.json()["answered"] == 1
    values = client.post("/api/values", json={"profile": example_profile_data,
                                              "priorities": {"avoid_treatment_death": 4}})
    assert values.json()["rows"][0]["id"] == "avoid_treatment_death"
    assert client.get("/api/values").json()["priorities"]


def test_openapi_lists_the_api_only(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    paths = set(spec["paths"])
    assert {"/api/assess", "/api/offer-check", "/api/summary.pdf", "/api/learn",
            "/api/options", "/api/values", "/api/quiz", "/api/summary", "/api/about"} <= paths
    assert not any(not p.startswith("/api/") for p in paths)
    assess_body = spec["paths"]["/api/assess"]["post"]["requestBody"]["content"]
    assert assess_body["application/json"]["schema"] == {"$ref": "#/components/schemas/Profile"}
    assert "edss" in spec["components"]["schemas"]["Profile"]["properties"]
    assert client.get("/docs").status_code == 404  # no CDN-loading docs page


def test_options_comparison_shape(client: TestClient, example_profile_data: dict[str, Any]) -> None:
    body = client.post("/api/options", json=example_profile_data).json()
    grid = body["comparison"]
    assert [o["id"] for o in grid["options"]] == ["ahsct", "dmt", "trial"]
    assert {"options", "rows", "direct"} <= set(grid)
    for row in grid["rows"]:
        assert row["kind"] in ("benefit", "harm") and row["horizon"] and row["outcome"]
        assert set(row["cells"]) == {"ahsct", "dmt", "trial"}
        for cell in row["cells"].values():
            if cell is not None:
                assert {"estimate", "low", "high", "per", "basis", "certainty", "fit",
                        "sources"} <= set(cell)
    assert "mist" in [d["id"] for d in grid["direct"]]
    # Unknown profile: still the same shape, cells None where nothing fits.
    empty = client.post("/api/options", json={}).json()["comparison"]
    assert all(r["cells"]["trial"] is None for r in empty["rows"])
