"""Properties of the evidence models (Hypothesis)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from msstem.evidence import Fact


def _fact(**kw: object) -> Fact:
    base: dict[str, object] = {"id": "f", "statement": "s", "topic": "t", "source_ids": ("x",)}
    return Fact.model_validate(base | kw)


@given(d=st.integers(min_value=1, max_value=100_000), data=st.data())
def test_per_100_of_counts_lies_in_0_100(d: int, data: st.DataObject) -> None:
    n = data.draw(st.integers(min_value=0, max_value=d))
    got = _fact(numerator=n, denominator=d).per_100
    assert got is not None
    assert 0.0 <= got <= 100.0
    assert got == pytest.approx(100 * n / d)
