"""Properties of the clinical scores (Hypothesis)."""

from __future__ import annotations

from hctci_golden import GOLDEN_WEIGHTS, GRADED
from hypothesis import given
from hypothesis import strategies as st

from msstem.clinical.edss import is_on_grid
from msstem.clinical.hctci import score_hctci

#: Written out by hand (kurtzke-1983-edss, neurostatus-edss): 0, 1.0 to 9.5 in half steps, 10.
GOLDEN_GRID = (
    0.0, 1.0, 1.5, 2.0, 2.5, 3.0, 3.5, 4.0, 4.5, 5.0,
    5.5, 6.0, 6.5, 7.0, 7.5, 8.0, 8.5, 9.0, 9.5, 10.0,
)


@given(st.floats(allow_nan=True, allow_infinity=True))
def test_on_grid_iff_in_grid(value: float) -> None:
    assert is_on_grid(value) is (value in GOLDEN_GRID)


_ALLOWED_SETS = st.lists(
    st.sampled_from(sorted(GOLDEN_WEIGHTS)), unique=True
).filter(lambda xs: not any(a in xs and b in xs for a, b in GRADED))


@given(_ALLOWED_SETS.flatmap(lambda xs: st.tuples(st.just(xs), st.permutations(xs))))
def test_total_is_the_sum_of_weights_in_any_order(pair: tuple[list[str], list[str]]) -> None:
    items, shuffled = pair
    expected = sum(GOLDEN_WEIGHTS[i] for i in items)
    assert score_hctci(items).score == score_hctci(shuffled).score == expected
