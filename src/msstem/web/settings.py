"""Web settings: one pydantic-settings definition drives env vars, CLI defaults and docs.

Every setting can be given as an environment variable with the ``MSSTEM_`` prefix
(``MSSTEM_SECRET_KEY``, ``MSSTEM_DATABASE_URL``, ...). ``msstem serve --host --port``
overrides host and port.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from msstem.base import describe_validation_error
from msstem.errors import OptionsError, quote_input

__all__ = ["DEFAULT_MAX_BODY_BYTES", "LOOPBACK_NAMES", "WebSettings", "default_database_url"]

#: Names every server answers to: the loopback addresses and ``localhost``.
LOOPBACK_NAMES = frozenset({"127.0.0.1", "localhost", "[::1]"})
_WILDCARD_ADDRESSES = frozenset({"0.0.0.0", "::", "[::]", ""})

#: Largest request body accepted on any route except the offer checker (which needs
#: room for the offer text limit, percent-encoded). 64 KiB is far above any profile.
DEFAULT_MAX_BODY_BYTES = 64 * 1024


def default_database_url() -> str:
    """SQLite file in the user's data directory (created only when someone saves)."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return f"sqlite:///{Path(base) / 'msstem' / 'saved-summaries.sqlite3'}"


class WebSettings(BaseSettings):
    """Settings for ``msstem serve`` and :func:`msstem.web.create_app`."""

    model_config = SettingsConfigDict(env_prefix="MSSTEM_", extra="ignore", frozen=True)

    def __init__(self, **values: Any) -> None:
        # A bad environment variable is one line naming it (the one translator of
        # validation errors, msstem.base), not a pydantic traceback.
        try:
            super().__init__(**values)
        except ValidationError as exc:
            err = exc.errors()[0]
            secret = bool(err.get("loc")) and err["loc"][0] == "secret_key"
            field, message = describe_validation_error(
                err, WebSettings, given_suffix=False,
                show=(lambda _: "(hidden)") if secret else quote_input,  # never echo the key
            )
            name = f"MSSTEM_{field.upper()}" if field else "MSSTEM_*"
            where = ".".join(str(p) for p in err.get("loc", ()))
            raise OptionsError(f"{name}: {message.removeprefix(f'{where}: ')}",
                               field=field) from None

    host: str = Field("127.0.0.1", description="Address to listen on.")
    port: int = Field(8000, ge=1, le=65535, description="Port to listen on.")
    secret_key: SecretStr | None = Field(
        None,
        description="Key that signs the answers cookie. Unset: a random key per process "
        "(answers are forgotten when the server restarts).",
    )
    database_url: str = Field(
        default_factory=default_database_url,
        description="SQLAlchemy URL for saved summaries (only written when a person clicks Save).",
    )
    max_body_bytes: int = Field(
        DEFAULT_MAX_BODY_BYTES, ge=1024, description="Largest request body accepted, in bytes."
    )
    secure_cookies: bool = Field(
        False, description="Mark cookies Secure (set true when served over HTTPS)."
    )
    access_log: bool = Field(
        True, description="Log one line per request: method, route template, status, time."
    )
    cache_size: int = Field(
        1024, ge=0, description="Assessments and rendered option pages kept in memory."
    )
    request_head_timeout: float = Field(
        10.0, gt=0, le=600,
        description="Seconds a connection may take to send a request line and headers "
        "(from connect, or from the first byte of the next request); then 408 and closed.",
    )
    request_body_timeout: float = Field(
        30.0, gt=0, le=3600,
        description="Seconds a client may take to send a request body after its headers; "
        "then 408 and closed.",
    )
    keep_alive_timeout: float = Field(
        5.0, gt=0, le=600,
        description="Seconds an idle kept-alive connection stays open between requests.",
    )
    max_connections: int = Field(
        256, ge=1, le=100_000,
        description="Open connections per worker; one more gets 503 and is closed at once.",
    )
    pdf_per_minute: int = Field(
        30, ge=1, le=10_000,
        description="PDFs one client address may have drawn per minute (already drawn "
        "summaries come from a cache and do not count); over it: 429.",
    )
    allowed_hosts: str = Field(
        "",
        description="More names the server answers to in the Host header, comma-separated "
        "(127.0.0.1, localhost, [::1] and --host always work; '*' = any, not advised).",
    )

    @field_validator("secret_key")
    @classmethod
    def _long_enough(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and len(value.get_secret_value()) < 16:
            raise ValueError("must be at least 16 characters")
        return value

    def host_names(self) -> frozenset[str] | None:
        """Host header names to answer (lowercase, no port); None means any."""
        extra = {h.strip().lower() for h in self.allowed_hosts.split(",") if h.strip()}
        if "*" in extra:
            return None
        host = self.host.strip().lower()
        if ":" in host and not host.startswith("["):
            host = f"[{host}]"
        if host not in _WILDCARD_ADDRESSES and host != "[::]":
            extra.add(host)
        return LOOPBACK_NAMES | extra

    def signing_key(self) -> bytes:
        """The configured key, or a fresh random one (call once per app)."""
        if self.secret_key is not None:
            return self.secret_key.get_secret_value().encode("utf-8")
        return secrets.token_bytes(32)
