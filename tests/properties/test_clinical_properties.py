"""Properties of the clinical scores (Hypothesis)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from msstem.clinical.edss import is_on_grid

#: Written out by hand (kurtzke-1983-edss, neurostatus-edss): 0, 1.0 to 9.5 in half steps, 10.
GOLDEN_GRID = (
    0.0, 1.0, 1.5, 2.0, 2.5, 3.0, 3.5, 4.0, 4.5, 5.0,
    5.5, 6.0, 6.5, 7.0, 7.5, 8.0, 8.5, 9.0, 9.5, 10.0,
)


@given(st.floats(allow_nan=True, allow_infinity=True))
def test_on_grid_iff_in_grid(value: float) -> None:
    assert is_on_grid(value) is (value in GOLDEN_GRID)
