"""Properties of the signed answers cookie (Hypothesis)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from msstem.web.state import AnswerState, StateCodec

KEY = b"k" * 32


@given(st.dictionaries(st.sampled_from(["a", "b", "c"]), st.integers(0, 4)),
       st.dictionaries(st.text(min_size=1, max_size=5), st.text(max_size=5), max_size=3))
def test_round_trip_property(priorities: dict[str, int], quiz: dict[str, str]) -> None:
    codec = StateCodec(KEY)
    state = AnswerState(csrf="t", priorities=priorities, quiz=quiz)
    assert codec.decode(codec.encode(state)) == state


@given(st.text(max_size=200))
def test_any_text_decodes_to_none_or_a_state(token: str) -> None:
    """Non-ASCII, control characters, anything: never an exception (issue 12)."""
    assert StateCodec(KEY).decode(token) is None
    assert StateCodec(KEY).decode("2." + token) is None
