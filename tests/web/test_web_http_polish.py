"""HTTP details a person or a tool notices: HEAD, reload after delete, friendly form errors."""

from __future__ import annotations

import asyncio
import re
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from web_helpers import EXAMPLE_FORM, csrf_of

from msstem.web.forms import display_errors, parse_profile_form

GET_PAGES = ["/learn", "/about", "/options", "/values", "/quiz", "/offer", "/summary",
             "/forget", "/summary/deleted", "/"]


def _asgi(app: FastAPI, method: str, path: str) -> tuple[int, dict[str, str], bytes]:
    """Call the app directly: what it sends, before any client or server drops a body."""
    messages: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        messages.append(message)

    scope = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1",
        "method": method, "scheme": "http", "path": path, "raw_path": path.encode(),
        "root_path": "", "query_string": b"", "server": ("127.0.0.1", 80),
        "client": ("127.0.0.1", 5000), "headers": [(b"host", b"127.0.0.1")],
    }
    asyncio.run(app(scope, receive, send))  # type: ignore[arg-type]
    start = next(m for m in messages if m["type"] == "http.response.start")
    headers = {k.decode().lower(): v.decode() for k, v in start["headers"]}
    body = b"".join(m.get("body", b"") for m in messages if m["type"] == "http.response.body")
    return start["status"], headers, body


# --- HEAD ----------------------------------------------------------------------------


@pytest.mark.parametrize("path", GET_PAGES)
def test_head_answers_like_get_without_a_body(profiled: TestClient, path: str) -> None:
    get = profiled.get(path, follow_redirects=False)
    head = profiled.head(path, follow_redirects=False)
    assert head.status_code == get.status_code != 405
    assert dict(head.headers) == dict(get.headers)
    assert head.content == b""


@pytest.mark.parametrize("path", ["/learn", "/about", "/summary/deleted", "/s/" + "A" * 43])
def test_the_app_itself_sends_no_body_for_head(app: FastAPI, path: str) -> None:
    # The test client drops HEAD bodies itself, so look at what the app sends.
    get_status, get_headers, get_body = _asgi(app, "GET", path)
    status, headers, body = _asgi(app, "HEAD", path)
    assert get_body and body == b""
    assert status == get_status
    assert headers["content-length"] == get_headers["content-length"] == str(len(get_body))


def test_405_allow_lists_head_beside_get(client: TestClient) -> None:
    r = client.post("/learn")
    assert r.status_code == 405 and r.headers["allow"] == "GET, HEAD"
    r = client.head("/summary/save")  # POST-only stays POST-only
    assert r.status_code == 405 and r.headers["allow"] == "POST"


# --- deleting a saved summary: POST/redirect/GET -------------------------------------


def test_delete_redirects_to_a_page_that_survives_reload(profiled: TestClient) -> None:
    html = profiled.get("/summary").text
    link = profiled.post("/summary/save", data={"csrf": csrf_of(html)},
                         follow_redirects=False).headers["location"]
    token = link.rsplit("/", 1)[1]
    saved = profiled.get(link).text
    r = profiled.post(link + "/delete", data={"csrf": csrf_of(saved)}, follow_redirects=False)
    assert r.status_code == 303
    target = r.headers["location"]
    assert target == "/summary/deleted" and token not in target
    for _ in range(2):  # the page, then a reload of it
        page = profiled.get(target)
        assert page.status_code == 200 and "has been deleted" in page.text
        assert token not in page.text
    assert profiled.get(link, headers={"accept": "application/json"}).status_code == 404


# --- form messages without the field id ----------------------------------------------


def test_display_errors_drops_only_the_own_field_prefix() -> None:
    errors = {
        "age": "age: -1 is out of range",
        "relapses_12m": "relapses_12m: 3 is greater than relapses_24m (1)",
        "profile": "relapses_12m: kept, it names another field",
        "edss": "not prefixed: edss: stays",
    }
    assert display_errors(errors) == {
        "age": "-1 is out of range",
        "relapses_12m": "3 is greater than relapses_24m (1)",
        "profile": "relapses_12m: kept, it names another field",
        "edss": "not prefixed: edss: stays",
    }
    raw = parse_profile_form({"age": "-1"}).errors
    assert raw["age"].startswith("age: ")  # the parser's own messages keep the field id
    assert display_errors(raw)["age"] == raw["age"].removeprefix("age: ")


def test_about_form_shows_messages_without_the_field_id(client: TestClient) -> None:
    token = csrf_of(client.get("/about").text)
    form = {**EXAMPLE_FORM, "age": "-1", "relapses_12m": "-2", "csrf": token}
    html = client.post("/about", data=form).text
    inline = dict(re.findall(r'<p class="error" id="([a-z0-9_]+)-error">(.*?)</p>', html, re.S))
    assert set(inline) == {"age", "relapses_12m"}
    assert inline["age"].startswith("<strong>Please check:</strong> -1 is out of range")
    assert inline["relapses_12m"].startswith("<strong>Please check:</strong> -2 is out of range")
    assert "age: -1" not in html and "relapses_12m: -2" not in html
    # The summary at the top, away from the fields, names each by its label.
    summary = html.split('id="error-summary"', 1)[1].split("</div>", 1)[0]
    assert '<a href="#age">Age (years): -1 is out of range' in summary
    assert '<a href="#relapses_12m">Relapses in the last 12 months: -2 is out' in summary


def test_api_error_message_still_names_the_field(client: TestClient) -> None:
    r = client.post("/api/assess", json={"age": -1})
    assert r.status_code == 422
    err = r.json()["error"]
    assert err["field"] == "age" and err["message"].startswith("age: -1 is out of range")
