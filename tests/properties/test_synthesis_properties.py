"""Properties of the meta-analysis (Hypothesis)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from msstem.synthesis import meta_analysis
from synthesis.tables import TABLE


@settings(max_examples=40)
@given(st.permutations(range(4)))
def test_row_order_does_not_change_the_result(order: list[int]) -> None:
    base = meta_analysis(TABLE, method="REML")
    shuffled = meta_analysis(TABLE.iloc[list(order)], method="REML")
    assert base.pooled is not None and shuffled.pooled is not None
    assert shuffled.pooled.estimate == pytest.approx(base.pooled.estimate, rel=1e-9, abs=1e-12)
    assert shuffled.tau2 == pytest.approx(base.tau2, rel=1e-6, abs=1e-10)
