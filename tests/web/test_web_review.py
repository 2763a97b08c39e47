"""Defects found walking the pages as a person (acceptance review of issue 3)."""

from __future__ import annotations

import re
from typing import Any

from fastapi.testclient import TestClient

from msstem.evidence import load_evidence
from msstem.web import learn

EB = load_evidence()


def _error(r: Any, status: int, code: str) -> dict[str, Any]:
    assert r.status_code == status, r.text
    err: dict[str, Any] = r.json()["error"]
    assert err["code"] == code
    return err


def test_disagreement_notes_carry_the_sources_of_their_figures() -> None:
    # The curator's notes restate figures ("pooled 2.1%", "90% CI (50.2-82.1)"); each note
    # must cite the sources of the facts it compares, like every other number on the page.
    page = learn.build_learn(EB)
    assert page["disagreements"]
    for d in page["disagreements"]:
        fact_sources = {s for f in d["facts"] for s in f["sources"]}
        assert fact_sources <= set(d["sources"]), d["id"]
        assert set(d["sources"]) <= set(EB.sources)


def test_learn_page_cites_each_disagreement_note(client: TestClient) -> None:
    html = client.get("/learn").text
    section = html.split('id="disagree"', 1)[1].split('id="about-aid"', 1)[0]
    notes = re.findall(r"<h3 id=\"dis-[^\"]+\">[^<]*</h3>\s*<p>(.*?)</p>", section, re.S)
    assert len(notes) == len(EB.disagreements)
    assert all('class="cite"' in n for n in notes)


def test_every_grid_row_states_one_time_frame(profiled: TestClient) -> None:
    # "Event rates over a stated time, the same for every option": each row says its time
    # frame once, for all options, and every figure says how uncertain it is.
    html = profiled.get("/options").text
    grids = re.findall(r'<table class="grid.*?</table>', html, re.S)
    assert len(grids) == 2
    rows = [r for g in grids for r in re.findall(r'<tr>\s*<th scope="row">(.*?)</tr>', g, re.S)]
    assert len(rows) >= 8
    for row in rows:
        assert re.search(r'<span class="when">(at \d|each year|during|while|after)', row), row[:200]
        for cell in re.findall(r"<td [^>]*>(.*?)</td>", row, re.S):
            if "No figure in the evidence" in cell:
                continue
            assert re.search(r"likely |studies ranged |middle half |uncertainty not "
                             r"reported|a range from the source", cell), cell[:300]


def test_help_text_says_leave_blank_once(client: TestClient) -> None:
    html = client.get("/about").text
    helps = re.findall(r'<p class="help" id="[a-z0-9_]+-help">(.*?)</p>', html, re.S)
    assert helps
    for text in helps:
        assert text.count("Leave blank") <= 1, text


def test_quiz_api_error_names_the_key_that_was_sent(client: TestClient) -> None:
    err = _error(client.post("/api/quiz", json={"answers": {"nope": "a"}}), 422,
                 "invalid_input")
    assert err["field"] == "answers" and err["message"].startswith("answers: ")
    err = _error(client.post("/api/summary", json={"quiz_answers": {"nope": "a"}}), 422,
                 "invalid_input")
    assert err["field"] == "quiz_answers"


def test_405_allow_header_lists_the_paths_real_methods(client: TestClient) -> None:
    r = client.post("/learn")
    _error(r, 405, "method_not_allowed")
    assert {m.strip() for m in r.headers["allow"].split(",")} == {"GET", "HEAD"}
    r = client.get("/api/assess")
    assert {m.strip() for m in r.headers["allow"].split(",")} == {"POST"}


def test_413_while_streaming_says_what_the_limit_is(client: TestClient) -> None:
    def chunks() -> Any:
        for _ in range(80):
            yield b"x" * 1024

    r = client.post("/api/assess", content=chunks(), headers={"content-type": "application/json"})
    err = _error(r, 413, "payload_too_large")
    assert err["message"] == (
        "request body: more than 65,536 bytes; the limit is 65,536 bytes"
    )


def test_trial_list_warns_that_some_trials_have_closed(profiled: TestClient) -> None:
    html = profiled.get("/options").text
    assert "These no longer take new people" in html
    assert html.index("May be recruiting") < html.index("<h3>Finished</h3>")
