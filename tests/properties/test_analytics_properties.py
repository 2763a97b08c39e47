"""Properties of the outcome analytics: relapse-rate intervals, NEDA-3 (Hypothesis)."""

from __future__ import annotations

import pandas as pd
import pytest
from analytics_factories import make_cohort, make_mri
from hypothesis import given, settings
from hypothesis import strategies as st
from neda_cases import BL, EVENTS, INDEX, MRI, ORIGINS, RELAPSES, VISITS, run
from scipy.optimize import brentq
from scipy.stats import poisson

from msstem.outcomes import garwood_interval
from msstem.outcomes.activity import assess_neda


@settings(max_examples=40, deadline=None)
@given(st.integers(min_value=0, max_value=60),
       st.floats(min_value=0.05, max_value=200.0),
       st.sampled_from([0.01, 0.05, 0.1]))
def test_garwood_equals_poisson_tail_inversion(k: int, py: float, alpha: float) -> None:
    # Independent route: solve the Poisson tail equations for the mean directly.
    # Upper mu: P(X <= k | mu) = alpha/2; lower mu (k > 0): P(X >= k | mu) = alpha/2.
    upper = brentq(lambda mu: poisson.cdf(k, mu) - alpha / 2, 1e-12, 500.0, xtol=1e-12)
    lower = 0.0 if k == 0 else brentq(
        lambda mu: poisson.sf(k - 1, mu) - alpha / 2, 1e-12, 500.0, xtol=1e-12)
    lo, hi = garwood_interval(k, py, alpha)
    assert lo[0] == pytest.approx(lower / py, rel=1e-6, abs=1e-12)
    assert hi[0] == pytest.approx(upper / py, rel=1e-6)
    assert lo[0] <= k / py <= hi[0]


@settings(max_examples=25, deadline=None)
@given(st.permutations(range(len(MRI))), st.integers(min_value=0, max_value=400))
def test_row_order_and_unrelated_subjects_do_not_matter(order: list[int], offset: int) -> None:
    base = run().sort_index()
    extra_day = (pd.Timestamp("2020-01-01") + pd.Timedelta(days=offset)).strftime("%Y-%m-%d")
    origins = [*ORIGINS, ("Z", INDEX, "aHSCT")]
    visits = {**VISITS, "Z": [BL, extra_day]}
    mri = [MRI[i] for i in order] + [("Z", extra_day, 3, 1)]
    relapses = [*reversed(RELAPSES), ("Z", extra_day)]
    cohort = make_cohort(origins, visits, relapses, EVENTS)
    other = assess_neda(cohort, make_mri(mri)).to_frame().set_index("id").drop(index="Z")
    pd.testing.assert_frame_equal(other.sort_index(), base)
