"""Properties of the profile model (Hypothesis)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from msstem.clinical import parse_profile


@given(
    r12=st.integers(0, 20), extra24=st.integers(0, 20), extra36=st.integers(0, 20)
)
def test_nested_relapse_windows_are_accepted(r12: int, extra24: int, extra36: int) -> None:
    p = parse_profile(
        {
            "relapses_12m": r12,
            "relapses_24m": r12 + extra24,
            "relapses_36m": r12 + extra24 + extra36,
        }
    )
    assert p.relapses_12m is not None and p.relapses_36m is not None
    assert p.relapses_12m <= p.relapses_36m
