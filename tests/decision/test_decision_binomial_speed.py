"""The faster exact binomial interval gives the same shown bounds as the reference one.

The reference is the original implementation (three lgamma calls per term, 100 bisection
steps), kept here as the golden: every n/d in the evidence base and a grid around the
small and large counts must round to the same three significant digits, and agree to 1e-9.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import pytest

from msstem.decision.estimates import _sig3, clopper_pearson
from msstem.evidence import load_evidence


def _ref_cdf(k: int, n: int, p: float) -> float:
    if p <= 0.0:
        return 1.0
    if p >= 1.0:
        return 1.0 if k >= n else 0.0
    log_p, log_q = math.log(p), math.log1p(-p)
    total = 0.0
    for i in range(k + 1):
        total += math.exp(math.lgamma(n + 1) - math.lgamma(i + 1) - math.lgamma(n - i + 1)
                          + i * log_p + (n - i) * log_q)
    return min(total, 1.0)


def _ref_solve(fn: Callable[[float], float], target: float) -> float:
    lo, hi = 0.0, 1.0
    for _ in range(100):
        mid = (lo + hi) / 2
        if fn(mid) < target:
            lo = mid
        else:
            hi = mid
    return (lo + hi) / 2


def _reference(k: int, n: int, confidence: float = 0.95) -> tuple[float, float]:
    half = (1.0 - confidence) / 2
    low = 0.0 if k == 0 else _ref_solve(lambda p: 1.0 - _ref_cdf(k - 1, n, p), half)
    high = 1.0 if k == n else _ref_solve(lambda p: 1.0 - _ref_cdf(k, n, p), 1.0 - half)
    return low, high


PAIRS = sorted(
    {(f.numerator, f.denominator) for f in load_evidence().facts.values()
     if f.numerator is not None and f.denominator}
    | {(k, n) for n in (1, 2, 5, 10, 33, 100) for k in range(0, n + 1, max(1, n // 7))}
    | {(0, 1626), (8, 281), (20, 1626), (1600, 1626)}
)


@pytest.mark.parametrize(("k", "n"), PAIRS)
def test_same_bounds_as_the_reference(k: int, n: int) -> None:
    got, ref = clopper_pearson(k, n), _reference(k, n)
    assert got == pytest.approx(ref, abs=1e-9)
    assert [_sig3(100 * x) for x in got] == [_sig3(100 * x) for x in ref]
