"""The PDF is cheap or refused (issue 12): a summary already drawn comes from the cache;
new drawings are limited per client, with a 429 in the error shape past the limit."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from msstem.web import WebSettings, create_app
from msstem.web.services import RateLimiter

PROFILE = json.loads((Path(__file__).resolve().parents[2] / "examples" / "profile.json")
                     .read_text())


@pytest.fixture()
def limited(tmp_path: Path) -> TestClient:
    app = create_app(WebSettings(database_url=f"sqlite:///{tmp_path / 's.sqlite3'}",
                                 secret_key="test-secret-key-0123456789", pdf_per_minute=2))
    return TestClient(app, base_url="http://127.0.0.1")


def test_same_summary_is_drawn_once_then_cached(limited: TestClient) -> None:
    with limited as c:
        first = c.post("/api/summary.pdf", json={"profile": PROFILE})
        assert first.status_code == 200 and first.content.startswith(b"%PDF")
        for _ in range(5):  # far past the limit of 2: every one from the cache
            again = c.post("/api/summary.pdf", json={"profile": PROFILE})
            assert again.status_code == 200 and again.content == first.content
        assert c.get("/summary.pdf").status_code == 200  # a second drawing: still allowed


def test_new_drawings_past_the_limit_get_429(limited: TestClient) -> None:
    with limited as c:
        for age in (30, 31):
            assert c.post("/api/summary.pdf", json={"profile": {"age": age}}).status_code == 200
        r = c.post("/api/summary.pdf", json={"profile": {"age": 32}})
        assert r.status_code == 429
        err = r.json()["error"]
        assert err["code"] == "rate_limited" and err["message"].startswith("pdf: too many")
        assert 1 <= int(r.headers["retry-after"]) <= 60
        html = c.get("/summary.pdf", headers={"accept": "text/html"})
        assert html.status_code == 429 and "<html" in html.text.lower()
        # The JSON summary (cheap) is not limited.
        assert c.post("/api/summary", json={"profile": {"age": 33}}).status_code == 200


def test_rate_limiter_window_slides_per_client() -> None:
    limiter = RateLimiter(per_minute=2, max_clients=3)
    assert limiter.check("a", now=0) == 0
    assert limiter.check("a", now=10) == 0
    assert limiter.check("a", now=20) == 40  # the first event leaves the window at 60 s
    assert limiter.check("b", now=20) == 0  # other clients are counted apart
    assert limiter.check("a", now=60) == 0
    for client in "cdef":  # more clients than it remembers: the oldest are forgotten
        limiter.check(client, now=61)
    assert len(limiter._events) == 3
