"""Saved summaries: written only when a person clicks "Save", found only by their link.

A saved summary is the summary document (JSON) under an unguessable token from
``secrets.token_urlsafe(32)`` (256 bits). The database keeps only the SHA-256 of
the token, so a copy of the database does not reveal the links. SQLite is the
default (embedded, no server); any SQLAlchemy URL works (e.g. PostgreSQL). The
database file is created on the first save, never by reading.
"""

from __future__ import annotations

import hashlib
import json
import re
import secrets
import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import DateTime, String, Text, create_engine, delete, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

from msstem.errors import NotFoundError

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


def new_token() -> str:
    return secrets.token_urlsafe(32)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("ascii")).hexdigest()


def _not_found() -> NotFoundError:
    return NotFoundError("summary: no saved summary at this link (it may have been deleted)")


class SummaryStore:
    """Saves, reads and deletes summary documents by token."""

    def __init__(self, url: str) -> None:
        self.url = url
        self._engine: Engine | None = None
        self._lock = threading.Lock()

    def _sqlite_path(self) -> Path | None:
        prefix = "sqlite:///"
        if self.url.startswith(prefix) and self.url != prefix and ":memory:" not in self.url:
            return Path(self.url[len(prefix):])
        return None

    def _get_engine(self, create: bool) -> Engine | None:
        with self._lock:
            if self._engine is None:
                path = self._sqlite_path()
                if path is not None:
                    if not create and not path.exists():
                        return None
                    path.parent.mkdir(parents=True, exist_ok=True)
                self._engine = create_engine(self.url)
                _Base.metadata.create_all(self._engine)
            return self._engine

    def save(self, document: dict[str, Any]) -> str:
        """Store ``document``; return the token for its link."""
        engine = self._get_engine(create=True)
        assert engine is not None
        token = new_token()
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
        engine = self._get_engine(create=False)
        if engine is None:
            raise _not_found()
        with Session(engine) as session, session.begin():
            result = session.execute(
                delete(SavedSummary).where(SavedSummary.token_sha256 == _digest(token))
            )
            if getattr(result, "rowcount", 0) == 0:
                raise _not_found()
