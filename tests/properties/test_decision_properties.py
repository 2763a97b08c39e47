"""Properties of estimate applicability and the exact interval (Hypothesis)."""

from __future__ import annotations

import math

from decision_factories import make_fact
from hypothesis import given
from hypothesis import strategies as st

from msstem.clinical.edss import EDSS_GRID
from msstem.clinical.profile import parse_profile
from msstem.decision.estimates import Applicability, applicability, clopper_pearson

M, P, N = Applicability.MATCHES, Applicability.PARTLY, Applicability.DOES_NOT_MATCH

# --- Hypothesis: applicability against an independent oracle -----------------------------
edss_values = st.sampled_from(EDSS_GRID)
opt_edss = st.one_of(st.none(), edss_values)


@st.composite
def band(draw: st.DrawFn) -> tuple[float | None, float | None]:
    lo, hi = draw(opt_edss), draw(opt_edss)
    if lo is not None and hi is not None and lo > hi:
        lo, hi = hi, lo
    return lo, hi


@given(edss=opt_edss, band=band(), course=st.sampled_from(["RRMS", "SPMS", "PPMS", "CIS", None]))
def test_applicability_matches_oracle(edss: float | None,
                                      band: tuple[float | None, float | None],
                                      course: str | None) -> None:
    lo, hi = band
    fact = make_fact("f", edss_min=lo, edss_max=hi, courses=["RRMS", "SPMS"])
    verdict, _ = applicability(parse_profile({"ms_course": course, "edss": edss}), fact)
    dims: list[Applicability] = []
    dims.append(P if course is None else M if course in ("RRMS", "SPMS") else N)
    if lo is not None or hi is not None:
        if edss is None:
            dims.append(P)
        else:
            inside = (lo is None or edss >= lo) and (hi is None or edss <= hi)
            dims.append(M if inside else N)
    expected = N if N in dims else P if P in dims else M
    assert verdict is expected


@given(edss=edss_values, band=band())
def test_unknown_edss_is_partly_never_a_guess(
    edss: float, band: tuple[float | None, float | None]
) -> None:
    fact = make_fact("f", edss_min=band[0], edss_max=band[1], courses=["RRMS"])
    before = applicability(parse_profile({"ms_course": "RRMS"}), fact)[0]
    after = applicability(parse_profile({"ms_course": "RRMS", "edss": edss}), fact)[0]
    if band == (None, None):
        assert before is M and after is M
    else:
        assert before is P and after in (M, N)


@given(n=st.integers(1, 400), data=st.data())
def test_clopper_pearson_brackets_the_proportion(n: int, data: st.DataObject) -> None:
    k = data.draw(st.integers(0, n))
    low, high = clopper_pearson(k, n)
    assert 0.0 <= low <= k / n <= high <= 1.0
    assert math.isfinite(low) and math.isfinite(high)
