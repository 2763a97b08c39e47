"""The signed answers cookie: round trip, tampering, foreign keys, size."""

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
    payload, sig = token.split(".")
    data = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    data["profile"]["age"] = 99
    forged = base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()
    assert codec.decode(f"{forged}.{sig}") is None


def test_other_key_is_rejected() -> None:
    token = StateCodec(KEY).encode(AnswerState(csrf="abc"))
    assert StateCodec(b"x" * 32).decode(token) is None


def test_garbage_is_rejected() -> None:
    codec = StateCodec(KEY)
    for token in (None, "", "abc", "a.b.c", "!!!.???", "x" * (MAX_COOKIE_BYTES + 1)):
        assert codec.decode(token) is None


def test_signed_but_wrong_shape_is_rejected() -> None:
    codec = StateCodec(KEY)
    for data in ({"v": 2, "csrf": "a"}, {"v": 1}, {"v": 1, "csrf": "a", "profile": [1]},
                 {"v": 1, "csrf": "a", "quiz": {"q": 1}}, [1, 2]):
        payload = base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()
        assert codec.decode(f"{payload}.{codec._sign(payload)}") is None


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

