"""Estimate selection and applicability on a hand-built evidence base.

Golden cases on the shipped evidence base live in test_decision_assess.py.
"""

from __future__ import annotations

from typing import Any

import pytest
from decision_factories import make_evidence, make_fact

from msstem.clinical.profile import parse_profile
from msstem.decision.estimates import (
    COMPUTED_INTERVAL_KIND,
    Applicability,
    EstimateOptions,
    applicability,
    clopper_pearson,
    select_estimates,
)
from msstem.errors import OptionsError

M, P, N = Applicability.MATCHES, Applicability.PARTLY, Applicability.DOES_NOT_MATCH


# --- EDSS band: at, just inside and just outside each end (HALT-MS-like 3.0-5.5) --------
@pytest.mark.parametrize(
    ("edss", "expected"),
    [(2.5, N), (3.0, M), (3.5, M), (5.0, M), (5.5, M), (6.0, N), (None, P)],
)
def test_edss_band_boundaries(edss: float | None,
                              expected: Applicability) -> None:
    fact = make_fact("f", edss_min=3.0, edss_max=5.5)
    verdict, reasons = applicability(parse_profile({"ms_course": "RRMS", "edss": edss}), fact)
    assert verdict is expected
    edss_reason = next(r for r in reasons if "EDSS" in r)
    assert "3 to 5.5" in edss_reason
    if edss is None:
        assert "unknown" in edss_reason


@pytest.mark.parametrize(
    ("age", "expected"), [(17, N), (18, M), (19, M), (59, M), (60, M), (61, N), (None, P)]
)
def test_age_range_boundaries(age: int | None,
                              expected: Applicability) -> None:
    fact = make_fact("f", age_min=18, age_max=60)
    verdict, reasons = applicability(parse_profile({"ms_course": "RRMS", "age": age}), fact)
    assert verdict is expected
    assert any("18 to 60 years" in r for r in reasons)


@pytest.mark.parametrize(
    ("course", "courses", "expected", "fragment"),
    [
        ("RRMS", ["RRMS"], M, "had RRMS, like you"),
        ("SPMS", ["RRMS"], N, "not SPMS"),
        ("PPMS", ["RRMS", "SPMS", "PPMS"], M,
         "a mix of RRMS, SPMS, PPMS, including your course (PPMS)"),
        ("CIS", ["RRMS"], N, "CIS (a first episode, not yet MS) was not studied"),
        (None, ["RRMS"], P, "your MS course is unknown"),
        ("RRMS", [], P, "not stated"),
    ],
)
def test_course(course: str | None, courses: list[str],
                expected: Applicability, fragment: str) -> None:
    verdict, reasons = applicability(
        parse_profile({"ms_course": course}), make_fact("f", courses=courses)
    )
    assert verdict is expected
    assert fragment in reasons[0]


def test_unstated_ranges_do_not_count_against_the_person() -> None:
    verdict, reasons = applicability(parse_profile({"ms_course": "RRMS"}), make_fact("f"))
    assert verdict is M
    assert "the study's EDSS range is not stated" in reasons


def test_intensity_is_named() -> None:
    _, reasons = applicability(parse_profile({}), make_fact("f", intensity="low"))
    assert "this figure is for low-intensity conditioning regimens" in reasons


def test_worst_check_wins() -> None:
    fact = make_fact("f", edss_min=3.0, edss_max=5.5, age_min=18, age_max=60)
    profile = parse_profile({"ms_course": "RRMS", "edss": 6.5})  # age unknown -> partly
    assert applicability(profile, fact)[0] is N


# --- selection ---------------------------------------------------------------------------
def test_course_subgroups_keep_the_persons_own() -> None:
    eb = make_evidence(
        make_fact("pfs-all", outcome="progression_free", courses=[], value=74),
        make_fact("pfs-rrms", outcome="progression_free", courses=["RRMS"], value=81),
        make_fact("pfs-spms", outcome="progression_free", courses=["SPMS"], value=60),
        make_fact("pfs-ppms", outcome="progression_free", courses=["PPMS"], value=78),
    )
    ids = lambda p: [e.fact_id for e in select_estimates(parse_profile(p), eb)]  # noqa: E731
    # The pooled figure (course not stated) stays, as a partial match.
    assert ids({"ms_course": "RRMS"}) == ["pfs-rrms", "pfs-all"]
    assert ids({"ms_course": "SPMS"}) == ["pfs-spms", "pfs-all"]
    # Unknown course: every subgroup shown, each only partly matching.
    unknown = select_estimates(parse_profile({}), eb)
    assert sorted(e.fact_id for e in unknown) == ["pfs-all", "pfs-ppms", "pfs-rrms", "pfs-spms"]
    assert {e.applicability for e in unknown} == {P}
    # CIS is in no subgroup: nothing is dropped, and none of them matches.
    cis = select_estimates(parse_profile({"ms_course": "CIS"}), eb)
    assert len(cis) == 4
    assert {e.fact_id for e in cis if e.applicability is N} == {"pfs-rrms", "pfs-spms", "pfs-ppms"}


def test_selection_order_and_filters() -> None:
    eb = make_evidence(
        make_fact("ocr-neda", therapy="ocrelizumab", value=47.7),
        make_fact("trm", outcome="treatment_related_death", kind="harm", value=2.1),
        make_fact("neda-5y", years=5, value=67),
        make_fact("neda-2y", years=2, value=83),
        make_fact("placebo-neda", therapy="placebo", value=7),
        make_fact("rate", unit="per 100 patient-years", value=None),  # not a proportion
        make_fact("unverified", outcome="overall_survival", verified=False,
                     caution="from memory"),
    )
    got = [e.fact_id for e in select_estimates(parse_profile({"ms_course": "RRMS"}), eb)]
    assert got == ["neda-2y", "neda-5y", "unverified", "trm", "ocr-neda"]
    verified_only = select_estimates(parse_profile({}), eb,
                                     EstimateOptions(include_unverified=False))
    assert "unverified" not in [e.fact_id for e in verified_only]
    only_placebo = select_estimates(parse_profile({}), eb, EstimateOptions(therapies=("placebo",)))
    assert [e.fact_id for e in only_placebo] == ["placebo-neda"]


def test_unknown_therapy_option_is_rejected() -> None:
    with pytest.raises(OptionsError, match="therapies: unknown 'aspirin'; allowed: ahsct"):
        EstimateOptions(therapies=("aspirin",))


def test_estimate_carries_fact_figures_unchanged() -> None:
    interval = {"low": 1.3, "high": 3.4, "kind": "95% CI"}
    eb = make_evidence(make_fact("trm", outcome="treatment_related_death", kind="harm",
                                       value=2.1, interval=interval, years=2))
    (e,) = select_estimates(parse_profile({}), eb)
    assert (e.fact_id, e.therapy, e.outcome, e.kind, e.years) == (
        "trm", "ahsct", "treatment_related_death", "harm", 2)
    assert e.per_100 == 2.1
    assert e.interval is not None
    assert (e.interval.low, e.interval.high, e.interval.kind) == (1.3, 3.4, "95% CI")
    assert not e.interval.computed
    assert e.label == "Died because of the treatment (treatment-related death) at 2 years"
    assert e.to_dict()["interval_note"] is None


def test_per_1000_is_converted_to_per_100() -> None:
    eb = make_evidence(make_fact(
        "pml", therapy="natalizumab", outcome="pml", kind="harm", value=4.14,
        unit="per 1,000 patients", interval={"low": 3.89, "high": 4.49, "kind": "95% CI"},
    ))
    (e,) = select_estimates(parse_profile({}), eb)
    assert e.per_100 == pytest.approx(0.414)
    assert e.interval is not None
    assert (e.interval.low, e.interval.high) == (pytest.approx(0.389), pytest.approx(0.449))


def test_n_of_d_without_interval_gets_a_labelled_exact_ci(

) -> None:
    eb = make_evidence(make_fact(
        "menses", outcome="menses_recovery", value=70, numerator=30, denominator=43,
    ))
    (e,) = select_estimates(parse_profile({}), eb)
    assert e.interval is not None and e.interval.computed
    assert e.interval.kind == COMPUTED_INTERVAL_KIND
    assert "computed by msstem from n/d" in e.interval_text
    # Independent: scipy's beta quantiles give 53.9% to 82.8% for 30/43.
    assert (e.interval.low, e.interval.high) == (53.9, 82.8)


def test_no_interval_and_no_counts_says_not_reported(

) -> None:
    (e,) = select_estimates(parse_profile({}), make_evidence(make_fact("x")))
    assert e.interval is None
    assert e.interval_text == "interval not reported"
    assert e.to_dict()["interval_note"] == "interval not reported"


# --- Clopper-Pearson ---------------------------------------------------------------------
@pytest.mark.parametrize("n", [1, 5, 10, 69, 281])
def test_clopper_pearson_closed_forms(n: int) -> None:
    # k = 0: upper = 1 - (alpha/2)^(1/n); k = n: lower = (alpha/2)^(1/n).
    low, high = clopper_pearson(0, n)
    assert low == 0.0 and high == pytest.approx(1 - 0.025 ** (1 / n), abs=1e-12)
    low, high = clopper_pearson(n, n)
    assert high == 1.0 and low == pytest.approx(0.025 ** (1 / n), abs=1e-12)


@pytest.mark.parametrize(("k", "n"), [(8, 281), (48, 69), (30, 43), (220, 600), (1, 507)])
def test_clopper_pearson_matches_scipy(k: int, n: int) -> None:
    stats: Any = pytest.importorskip("scipy.stats")
    low, high = clopper_pearson(k, n)
    assert low == pytest.approx(stats.beta.ppf(0.025, k, n - k + 1), abs=1e-9)
    assert high == pytest.approx(stats.beta.ppf(0.975, k + 1, n - k), abs=1e-9)


@pytest.mark.parametrize(("k", "n"), [(-1, 10), (11, 10), (0, 0)])
def test_clopper_pearson_rejects_bad_counts(k: int, n: int) -> None:
    with pytest.raises(ValueError, match="numerator"):
        clopper_pearson(k, n)


def test_trial_horizons_in_weeks_are_labelled_as_the_study_reported_them() -> None:
    # OPERA's 96 weeks is tagged 1.85 years; "at 1.85 years" would be msstem's wording, not the
    # study's, so the label uses the fact's own follow-up text.
    from msstem.decision import assess, parse_profile

    labels = {e.fact_id: e.label for e in assess(parse_profile({})).estimates}
    assert labels["opera-neda-ocrelizumab"] == (
        "No evidence of disease activity (NEDA) at 96 weeks"
    )
    assert labels["sormani-2017-neda-2y"].endswith("at 2 years")
    assert not any("1.85" in label for label in labels.values())
