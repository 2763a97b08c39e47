"""Answers carried between pages in one encrypted cookie, never stored on the server.

The cookie holds the CSRF token, the profile a person entered, their stated
priorities and quiz answers, as compact JSON sealed with AES-256-GCM (the
``cryptography`` package): encrypted, so its bytes say nothing about the person to
anyone who sees them (browsers send cookies for ``127.0.0.1`` to every local port,
so any other local service receives it), and authenticated, so a changed byte makes
it invalid. The AES key is derived with HKDF-SHA256 from the one configured key
(``MSSTEM_SECRET_KEY``, or a random key per server run). It is HttpOnly and
SameSite=Strict, so pages read it back without any profile data in a URL, a log
line or a server-side store. A cookie that does not open (tampered, not ASCII, an
older format, or sealed by a previous process's random key) is treated as absent:
the person starts again rather than seeing an error.

Token: ``"2." + base64url(nonce[12] + ciphertext + tag[16])``; the associated data
binds it to this cookie name and format version.
"""

from __future__ import annotations

import base64
import binascii
import json
import secrets
from dataclasses import dataclass, field, replace
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

__all__ = ["COOKIE_NAME", "MAX_COOKIE_BYTES", "AnswerState", "StateCodec"]

COOKIE_NAME = "msstem_answers"
#: Browsers keep cookies up to 4096 bytes; stay well below.
MAX_COOKIE_BYTES = 3800
_VERSION = 1
_FORMAT = "2"
_AAD = b"msstem_answers/2"
_NONCE_BYTES = 12


@dataclass(frozen=True, slots=True)
class AnswerState:
    """What a person has told the aid so far. ``profile`` holds only known fields."""

    csrf: str
    profile: dict[str, Any] | None = None
    priorities: dict[str, int] = field(default_factory=dict)
    quiz: dict[str, str] = field(default_factory=dict)
    #: Decision readiness: SURE answers at start and end, stage, role, the offer verdict.
    readiness: dict[str, str] = field(default_factory=dict)

    @classmethod
    def fresh(cls) -> AnswerState:
        return cls(csrf=secrets.token_urlsafe(24))

    def with_(self, **changes: Any) -> AnswerState:
        return replace(self, **changes)

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"v": _VERSION, "csrf": self.csrf}
        if self.profile is not None:
            data["profile"] = self.profile
        if self.priorities:
            data["priorities"] = self.priorities
        if self.quiz:
            data["quiz"] = self.quiz
        if self.readiness:
            data["readiness"] = self.readiness
        return data


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def derive_cookie_key(key: bytes) -> bytes:
    """The AES-256 key for the cookie, derived from the configured key (HKDF-SHA256)."""
    return HKDF(
        algorithm=hashes.SHA256(), length=32, salt=b"msstem web", info=b"answers cookie v2"
    ).derive(key)


class StateCodec:
    """Seals and opens :class:`AnswerState` cookies with one key."""

    def __init__(self, key: bytes) -> None:
        self._aead = AESGCM(derive_cookie_key(key))

    def encode(self, state: AnswerState) -> str:
        raw = json.dumps(state.to_json(), separators=(",", ":"), sort_keys=True)
        nonce = secrets.token_bytes(_NONCE_BYTES)
        sealed = self._aead.encrypt(nonce, raw.encode("utf-8"), _AAD)
        token = f"{_FORMAT}.{_b64(nonce + sealed)}"
        if len(token) > MAX_COOKIE_BYTES:
            # Inputs are bounded (profile fields, fixed priority and quiz ids), so this is a bug.
            raise ValueError(f"answers cookie would be {len(token)} bytes")
        return token

    def decode(self, token: str | None) -> AnswerState | None:
        """The state in ``token``, or None if it is missing, malformed or not ours.

        Never raises: a cookie is whatever a browser (or another local page) sent.
        """
        if (
            not token
            or len(token) > MAX_COOKIE_BYTES
            or not token.isascii()
            or not token.startswith(f"{_FORMAT}.")
        ):
            return None
        try:
            blob = _unb64(token[len(_FORMAT) + 1:])
        except (binascii.Error, ValueError):
            return None
        if len(blob) <= _NONCE_BYTES + 16:
            return None
        try:
            raw = self._aead.decrypt(blob[:_NONCE_BYTES], blob[_NONCE_BYTES:], _AAD)
            data = json.loads(raw)
        except (InvalidTag, ValueError, RecursionError):
            return None
        return _from_json(data)


def _from_json(data: Any) -> AnswerState | None:
    if not isinstance(data, dict) or data.get("v") != _VERSION:
        return None
    csrf = data.get("csrf")
    profile = data.get("profile")
    priorities = data.get("priorities", {})
    quiz = data.get("quiz", {})
    readiness = data.get("readiness", {})
    if not isinstance(csrf, str) or not csrf:
        return None
    if profile is not None and not isinstance(profile, dict):
        return None
    if not isinstance(priorities, dict) or not all(
        isinstance(k, str) and isinstance(v, int) for k, v in priorities.items()
    ):
        return None
    if not isinstance(quiz, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in quiz.items()
    ):
        return None
    if not isinstance(readiness, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in readiness.items()
    ):
        return None
    return AnswerState(csrf=csrf, profile=profile, priorities=priorities, quiz=quiz,
                       readiness=readiness)
