"""Saved summaries' database, hardened (issue 12): private file, secure delete, the first
save under concurrency and after a failure, and a corrupt file as one clear error."""

from __future__ import annotations

import multiprocessing
import sqlite3
import stat
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import event, text
from sqlalchemy.engine import Engine
from web_helpers import EXAMPLE_FORM, csrf_of

from msstem.errors import NotFoundError, StorageError
from msstem.web import WebSettings, create_app
from msstem.web.storage import SummaryStore

DOC = {"title": "My decision summary", "profile": {"answered": []}}


def test_database_file_and_folder_are_private(tmp_path: Path) -> None:
    path = tmp_path / "new" / "saved.sqlite3"
    store = SummaryStore(f"sqlite:///{path}")
    token = store.save(DOC)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert store.load(token)[0] == DOC


def test_secure_delete_is_on_for_every_connection(tmp_path: Path) -> None:
    store = SummaryStore(f"sqlite:///{tmp_path / 's.sqlite3'}")
    token = store.save({"secret": "natalizumab-" + "x" * 500})
    engine = store._get_engine(create=False)
    assert engine is not None
    with engine.connect() as conn:
        assert conn.execute(text("PRAGMA secure_delete")).scalar() == 1
    store.delete(token)
    engine.dispose()
    assert b"natalizumab" not in (tmp_path / "s.sqlite3").read_bytes()


def _first_save(args: tuple[str, Any]) -> str:
    url, barrier = args
    store = SummaryStore(url)
    barrier.wait()
    try:
        store.save(DOC)
    except Exception as exc:  # report, do not hide, what went wrong
        return f"{exc.__class__.__name__}: {exc}"
    return "ok"


def test_two_processes_making_the_first_save_at_once(tmp_path: Path) -> None:
    ctx = multiprocessing.get_context("fork")
    results = []
    for round_ in range(6):
        url = f"sqlite:///{tmp_path / f'race{round_}.sqlite3'}"
        with ctx.Manager() as manager:
            barrier = manager.Barrier(3)
            with ctx.Pool(3) as pool:
                results += pool.map(_first_save, [(url, barrier)] * 3)
    assert results == ["ok"] * 18


def test_table_created_by_another_process_between_check_and_create(tmp_path: Path) -> None:
    """The race, made deterministic: another process makes the table just before we do."""
    path = tmp_path / "s.sqlite3"
    store = SummaryStore(f"sqlite:///{path}")

    def other_process_wins(conn: Any, cursor: Any, statement: str, *_: Any) -> None:
        if statement.lstrip().upper().startswith("CREATE TABLE"):
            with sqlite3.connect(path) as other:
                other.execute("CREATE TABLE IF NOT EXISTS saved_summaries (token_sha256 "
                              "VARCHAR(64) PRIMARY KEY, created_at DATETIME, document TEXT)")

    event.listen(Engine, "before_cursor_execute", other_process_wins)
    try:
        token = store.save(DOC)
    finally:
        event.remove(Engine, "before_cursor_execute", other_process_wins)
    assert store.load(token)[0] == DOC


def test_first_save_fails_then_later_saves_work(tmp_path: Path) -> None:
    store = SummaryStore(f"sqlite:///{tmp_path / 's.sqlite3'}")
    failures = [0]

    def disk_full_once(conn: Any, cursor: Any, statement: str, *_: Any) -> None:
        if statement.lstrip().upper().startswith("CREATE TABLE") and failures[0] == 0:
            failures[0] += 1
            raise sqlite3.OperationalError("database or disk is full")

    event.listen(Engine, "before_cursor_execute", disk_full_once)
    try:
        with pytest.raises(StorageError, match=r"^saved summaries: cannot save this summary: "
                                               r"database or disk is full"):
            store.save(DOC)
        token = store.save(DOC)
    finally:
        event.remove(Engine, "before_cursor_execute", disk_full_once)
    assert failures == [1]
    assert store.load(token)[0] == DOC


def test_reading_before_any_save_creates_nothing(tmp_path: Path) -> None:
    path = tmp_path / "none" / "s.sqlite3"
    with pytest.raises(NotFoundError):
        SummaryStore(f"sqlite:///{path}").load("A" * 43)
    assert not path.parent.exists()


@pytest.fixture()
def corrupt_client(tmp_path: Path) -> TestClient:
    path = tmp_path / "corrupt.sqlite3"
    path.write_bytes(b"this is not a database, just bytes " * 200)
    app = create_app(WebSettings(database_url=f"sqlite:///{path}",
                                 secret_key="test-secret-key-0123456789"))
    return TestClient(app, base_url="http://127.0.0.1", raise_server_exceptions=False)


def test_corrupt_database_is_one_clear_error(corrupt_client: TestClient) -> None:
    with corrupt_client as c:
        page = c.get("/about")
        c.post("/about", data={**EXAMPLE_FORM, "csrf": csrf_of(page.text)})
        token = csrf_of(c.get("/summary").text)
        for r in (c.post("/summary/save", data={"csrf": token}, follow_redirects=False),
                  c.get("/s/" + "A" * 43),
                  c.post("/s/" + "A" * 43 + "/delete", data={"csrf": token})):
            assert r.status_code == 503, r.text[:300]
            err = r.json()["error"]
            assert err["code"] == "storage_unavailable"
            assert err["message"].startswith("saved summaries: cannot ")
            assert "file is not a database" in err["message"]
            assert "Traceback" not in r.text and "\n" not in err["message"]
        html = c.get("/s/" + "A" * 43, headers={"accept": "text/html"})
        assert html.status_code == 503 and "<html" in html.text.lower()
