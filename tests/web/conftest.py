"""Fixtures for the web tests: one app per test module with a temporary database."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI

with warnings.catch_warnings():
    # Starlette >= 1.x prefers the httpx2 package for its TestClient and warns (at import)
    # when only httpx is installed; both work. Scoped to this one import.
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

from web_helpers import EXAMPLE_FORM, csrf_of

from msstem.web import WebSettings, create_app


@pytest.fixture(scope="module")
def db_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    path: Path = tmp_path_factory.mktemp("web") / "saved.sqlite3"
    return f"sqlite:///{path}"


@pytest.fixture(scope="module")
def app(db_url: str) -> FastAPI:
    return create_app(WebSettings(database_url=db_url, secret_key="test-secret-key-0123456789"))


@pytest.fixture()
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app, base_url="http://127.0.0.1") as c:
        yield c


@pytest.fixture()
def profiled(client: TestClient) -> TestClient:
    """A client that has submitted the example profile."""
    page = client.get("/about")
    r = client.post("/about", data={**EXAMPLE_FORM, "csrf": csrf_of(page.text)},
                    follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/options"
    return client
