"""Saved summaries: written only when a person clicks "Save", found only by their link.

A saved summary is the summary document (JSON) under an unguessable token from
``secrets.token_urlsafe(32)`` (256 bits). The database keeps only the SHA-256 of
the token, so a copy of the database does not reveal the links. SQLite is the
default (embedded, no server); any SQLAlchemy URL works (e.g. PostgreSQL). The
database file is created on the first save, never by reading.

Hardening (issue 12):

* the SQLite file is created ``0600`` (its folder ``0700`` when msstem makes it), so other
  accounts on the machine cannot read saved summaries;
* every SQLite connection runs ``PRAGMA secure_delete=ON``, so a deleted summary is
  overwritten with zeros rather than left in free pages, whatever the system SQLite's
  compile-time default;
* the table is made with ``CREATE TABLE IF NOT EXISTS`` (two processes making their first
  save at once both succeed), and only marked ready once that worked: a first save that
  fails (disk full) is retried by the next one;
* any database failure (a corrupt file, a full disk, a locked or unreadable file) becomes
  one :class:`~msstem.errors.StorageError` line, never a traceback.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import secrets
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import DateTime, String, Table, Text, create_engine, delete, event, select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column
from sqlalchemy.schema import CreateTable

from msstem.errors import NotFoundError, StorageError

__all__ = ["TOKEN_PATTERN", "SavedSummary", "SummaryStore", "new_token"]

#: What ``secrets.token_urlsafe(32)`` produces: 43 URL-safe base64 characters.
TOKEN_PATTERN = re.compile(r"^[A-Za-z0-9_-]{43}$")


class _Base(DeclarativeBase):
    pass


class SavedSummary(_Base):
    __tablename__ = "saved_summaries"

    token_sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    document: Mapped[str] = mapped_column(Text)


_TABLE: Table = SavedSummary.__table__  # type: ignore[assignment]


def new_token() -> str:
    return secrets.token_urlsafe(32)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("ascii")).hexdigest()


def _not_found() -> NotFoundError:
    return NotFoundError("summary: no saved summary at this link (it may have been deleted)")


def _reason(exc: SQLAlchemyError) -> str:
    """The database's own short reason ("database disk image is malformed"), one line."""
    orig = getattr(exc, "orig", None)
    text = str(orig if orig is not None else exc.__class__.__name__)
    text = " ".join(text.split())
    return text[:80] + ("…" if len(text) > 80 else "")


@contextlib.contextmanager
def _storage_errors(action: str) -> Iterator[None]:
    try:
        yield
    except SQLAlchemyError as exc:
        raise StorageError(
            f"saved summaries: cannot {action}: {_reason(exc)}; nothing was changed"
        ) from None
    except OSError as exc:
        raise StorageError(
            f"saved summaries: cannot {action}: {exc.strerror or exc.__class__.__name__}; "
            "nothing was changed"
        ) from None


def _on_sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA secure_delete=ON")
    finally:
        cursor.close()


def _create_private_file(path: Path) -> None:
    """Make the SQLite file (and its folder) readable by this account only."""
    if not path.parent.exists():
        path.parent.mkdir(parents=True, mode=0o700, exist_ok=True)
    try:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except FileExistsError:
        return
    os.close(fd)
    os.chmod(path, 0o600)  # whatever the umask


class SummaryStore:
    """Saves, reads and deletes summary documents by token."""

    def __init__(self, url: str) -> None:
        self.url = url
        self._engine: Engine | None = None
        self._ready = False
        self._lock = threading.Lock()

    def _sqlite_path(self) -> Path | None:
        prefix = "sqlite:///"
        if self.url.startswith(prefix) and self.url != prefix and ":memory:" not in self.url:
            return Path(self.url[len(prefix):].split("?", 1)[0])
        return None

    def _get_engine(self, create: bool) -> Engine | None:
        """The engine with the table in place; None when reading and nothing was saved."""
        with self._lock:
            if self._ready and self._engine is not None:
                return self._engine
            path = self._sqlite_path()
            if path is not None:
                if not create and not path.exists():
                    return None
                _create_private_file(path)
            if self._engine is None:
                engine = create_engine(self.url)
                if engine.dialect.name == "sqlite":
                    event.listen(engine, "connect", _on_sqlite_connect)
                self._engine = engine
            # IF NOT EXISTS: another process may be making the same first save right now.
            # Marked ready only once this worked, so a failed first save is retried.
            with self._engine.begin() as conn:
                conn.execute(CreateTable(_TABLE, if_not_exists=True))
            self._ready = True
            return self._engine

    def save(self, document: dict[str, Any]) -> str:
        """Store ``document``; return the token for its link."""
        token = new_token()
        with _storage_errors("save this summary"):
            engine = self._get_engine(create=True)
            assert engine is not None
            with Session(engine) as session, session.begin():
                session.add(SavedSummary(
                    token_sha256=_digest(token),
                    created_at=datetime.now(UTC),
                    document=json.dumps(document, separators=(",", ":")),
                ))
        return token

    def load(self, token: str) -> tuple[dict[str, Any], datetime]:
        """The document and when it was saved. Unknown or malformed token: NotFoundError."""
        if not TOKEN_PATTERN.match(token):
            raise _not_found()
        with _storage_errors("read saved summaries"):
            engine = self._get_engine(create=False)
            if engine is None:
                raise _not_found()
            with Session(engine) as session:
                row = session.execute(
                    select(SavedSummary).where(SavedSummary.token_sha256 == _digest(token))
                ).scalar_one_or_none()
                if row is None:
                    raise _not_found()
                document: dict[str, Any] = json.loads(row.document)
                return document, row.created_at

    def delete(self, token: str) -> None:
        if not TOKEN_PATTERN.match(token):
            raise _not_found()
        with _storage_errors("delete this summary"):
            engine = self._get_engine(create=False)
            if engine is None:
                raise _not_found()
            with Session(engine) as session, session.begin():
                result = session.execute(
                    delete(SavedSummary).where(SavedSummary.token_sha256 == _digest(token))
                )
                if getattr(result, "rowcount", 0) == 0:
                    raise _not_found()
