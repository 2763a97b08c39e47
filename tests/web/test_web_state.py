"""The encrypted answers cookie: round trip, tampering, foreign keys, size, privacy."""

from __future__ import annotations

import base64
import json

from msstem.web.state import MAX_COOKIE_BYTES, AnswerState, StateCodec

KEY = b"k" * 32


def test_round_trip_keeps_every_part() -> None:
    codec = StateCodec(KEY)
    state = AnswerState(csrf="abc", profile={"age": 34, "edss": 3.5},
                        priorities={"stop_relapses": 4}, quiz={"q1": "b"})
    assert codec.decode(codec.encode(state)) == state


def test_fresh_states_have_distinct_csrf_tokens() -> None:
    assert AnswerState.fresh().csrf != AnswerState.fresh().csrf


def test_tampered_payload_is_rejected() -> None:
    codec = StateCodec(KEY)
    token = codec.encode(AnswerState(csrf="abc", profile={"age": 34}))
    blob = bytearray(base64.urlsafe_b64decode(token[2:] + "=" * (-len(token[2:]) % 4)))
    for i in (0, 12, len(blob) // 2, len(blob) - 1):  # nonce, ciphertext, tag
        forged = bytearray(blob)
        forged[i] ^= 0x01
        text = base64.urlsafe_b64encode(bytes(forged)).rstrip(b"=").decode()
        assert codec.decode(f"2.{text}") is None


def test_cookie_does_not_reveal_the_profile() -> None:
    """Any local service that receives the cookie sees no health data in it (issue 12)."""
    codec = StateCodec(KEY)
    profile = {"age": 34, "ms_course": "RRMS", "current_dmt": "natalizumab"}
    token = codec.encode(AnswerState(csrf="abc", profile=profile))
    blob = base64.urlsafe_b64decode(token[2:] + "=" * (-len(token[2:]) % 4))
    for needle in (b"natalizumab", b"RRMS", b"age", b"profile", b"csrf"):
        assert needle not in blob and needle.decode() not in token
    # The same state twice gives two different cookies (a random nonce each time).
    assert codec.encode(AnswerState(csrf="abc", profile=profile)) != token


def test_signed_only_cookie_of_the_old_format_is_ignored() -> None:
    data = {"v": 1, "csrf": "abc", "profile": {"age": 34}}
    payload = base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()
    assert StateCodec(KEY).decode(f"{payload}.c2lnbmF0dXJl") is None


def test_other_key_is_rejected() -> None:
    token = StateCodec(KEY).encode(AnswerState(csrf="abc"))
    assert StateCodec(b"x" * 32).decode(token) is None


def test_garbage_is_rejected() -> None:
    codec = StateCodec(KEY)
    for token in (None, "", "abc", "a.b.c", "!!!.???", "x" * (MAX_COOKIE_BYTES + 1), "2.",
                  "2.é", "2.\x00\x1b[31m", "2." + "A" * 40, "2.Zm9v", "ü" * 10):
        assert codec.decode(token) is None


def test_sealed_but_wrong_shape_is_rejected() -> None:
    codec = StateCodec(KEY)
    for data in ({"v": 2, "csrf": "a"}, {"v": 1}, {"v": 1, "csrf": "a", "profile": [1]},
                 {"v": 1, "csrf": "a", "quiz": {"q": 1}}, [1, 2]):
        sealed = codec._aead.encrypt(b"n" * 12, json.dumps(data).encode(), b"msstem_answers/2")
        text = base64.urlsafe_b64encode(b"n" * 12 + sealed).rstrip(b"=").decode()
        assert codec.decode(f"2.{text}") is None


def test_largest_realistic_state_fits_in_a_cookie() -> None:
    from msstem.clinical.hctci import HCTCI_ITEMS

    profile = {
        "age": 120, "ms_course": "RRMS", "disease_duration_years": 119.5, "edss": 9.5,
        "relapses_12m": 1000, "relapses_24m": 1000, "relapses_36m": 1000,
        "gd_lesions_12m": 1000, "new_t2_lesions_12m": 1000, "activity_on_dmt": True,
        "failed_high_efficacy_dmt": True, "current_dmt": "\U0001f600" * 100,
        "hctci_items": list(HCTCI_ITEMS), "pregnant": False,
    }
    state = AnswerState(csrf="x" * 32, profile=profile,
                        priorities={f"priority_{i:02d}": 4 for i in range(12)},
                        quiz={f"question-{i:02d}": "choice-x" for i in range(12)})
    token = StateCodec(KEY).encode(state)
    assert len(token) <= MAX_COOKIE_BYTES

