"""Answers carried between pages in one signed cookie, never stored on the server.

The cookie holds the CSRF token, the profile a person entered, their stated
priorities and quiz answers, as compact JSON, base64url-encoded and signed with
HMAC-SHA256. It is HttpOnly and SameSite=Strict, so pages read it back without
any profile data in a URL, a log line or a server-side store. A cookie that does
not verify (tampered, or signed by a previous process's random key) is treated as
absent: the person starts again rather than seeing an error.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import secrets
from dataclasses import dataclass, field, replace
from typing import Any

__all__ = ["COOKIE_NAME", "MAX_COOKIE_BYTES", "AnswerState", "StateCodec"]

COOKIE_NAME = "msstem_answers"
#: Browsers keep cookies up to 4096 bytes; stay well below.
MAX_COOKIE_BYTES = 3800
_VERSION = 1


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


class StateCodec:
    """Signs and verifies :class:`AnswerState` cookies with one key."""

    def __init__(self, key: bytes) -> None:
        self._key = key

    def _sign(self, payload: str) -> str:
        return _b64(hmac.new(self._key, payload.encode("ascii"), hashlib.sha256).digest())

    def encode(self, state: AnswerState) -> str:
        raw = json.dumps(state.to_json(), separators=(",", ":"), sort_keys=True)
        payload = _b64(raw.encode("utf-8"))
        token = f"{payload}.{self._sign(payload)}"
        if len(token) > MAX_COOKIE_BYTES:
            # Inputs are bounded (profile fields, fixed priority and quiz ids), so this is a bug.
            raise ValueError(f"answers cookie would be {len(token)} bytes")
        return token

    def decode(self, token: str | None) -> AnswerState | None:
        """The state in ``token``, or None if it is missing, malformed or not ours."""
        if not token or len(token) > MAX_COOKIE_BYTES or token.count(".") != 1:
            return None
        payload, signature = token.split(".")
        if not hmac.compare_digest(signature, self._sign(payload)):
            return None
        try:
            data = json.loads(_unb64(payload))
        except (binascii.Error, ValueError):
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
