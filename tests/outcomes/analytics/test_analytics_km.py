"""Kaplan-Meier curves and at-risk tables against hand computation."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from analytics_factories import make_cohort, make_mri

from msstem.errors import DataError, OptionsError
from msstem.outcomes.activity import assess_neda
from msstem.outcomes.analytics_options import SurvivalOptions
from msstem.outcomes.clinical_inputs import IndexedCohort
from msstem.outcomes.survival import (
    TimesParts,
    endpoint_times,
    kaplan_meier,
    survival_curves,
)


def five_subjects(group: str = "g") -> pd.DataFrame:
    # Durations 1, 2, 3, 4, 5 years; events at 1, 3, 4; censored at 2 and 5.
    return pd.DataFrame({
        "id": list("abcde"), "group": group,
        "origin_date": pd.Timestamp("2020-01-01"), "stop_date": pd.NaT,
        "duration_years": [1.0, 2.0, 3.0, 4.0, 5.0],
        "event": [True, False, True, True, False],
    })


# Hand computation (product-limit; Greenwood sum V = sum d / (n (n - d));
# log(-log) band: S ** exp(+-z * sqrt(V) / |log S|), z = 1.95996):
#   t=1: n=5 d=1  S = 4/5             = 0.8000  V = 1/20         = 0.05000  band [0.2038, 0.9692]
#   t=2: censored (n 4 -> 3)
#   t=3: n=3 d=1  S = 0.8 * 2/3       = 0.5333  V = 0.05 + 1/6   = 0.21667  band [0.0683, 0.8631]
#   t=4: n=2 d=1  S = 0.5333 * 1/2    = 0.2667  V = 0.21667 + 1/2 = 0.71667 band [0.0097, 0.6861]
#   t=5: censored
HAND = {
    1.0: (0.8, 0.2038, 0.9692, 5),
    2.0: (0.8, 0.2038, 0.9692, 4),
    3.0: (0.5333, 0.0683, 0.8631, 3),
    4.0: (0.2667, 0.0097, 0.6861, 2),
    5.0: (0.2667, 0.0097, 0.6861, 1),
}


def test_five_subject_curve_matches_hand_computation() -> None:
    km = kaplan_meier(five_subjects(), "cdw")
    curve = km.curve.set_index("time_years")
    assert list(curve.index) == [0.0, 1.0, 2.0, 3.0, 4.0, 5.0]
    assert (curve.loc[0.0, "survival"], curve.loc[0.0, "at_risk"]) == (1.0, 5)
    for t, (s, lo, hi, at_risk) in HAND.items():
        assert curve.loc[t, "survival"] == pytest.approx(s, abs=1e-4), t
        assert curve.loc[t, "ci_low"] == pytest.approx(lo, abs=1e-4), t
        assert curve.loc[t, "ci_high"] == pytest.approx(hi, abs=1e-4), t
        assert curve.loc[t, "at_risk"] == at_risk, t
    assert list(curve["events"]) == [0, 1, 0, 1, 1, 0]
    assert list(curve["censored"]) == [0, 0, 1, 0, 0, 1]


def test_yearly_at_risk_table() -> None:
    table = kaplan_meier(five_subjects(), "cdw").at_risk
    assert list(table["time_years"]) == [0.0, 1.0, 2.0, 3.0, 4.0, 5.0]
    assert list(table["at_risk"]) == [5, 5, 4, 3, 2, 1]  # still under observation at t
    assert list(table["events"]) == [0, 1, 1, 2, 3, 3]  # cumulative, up to and including t
    assert list(table["censored"]) == [0, 0, 1, 1, 1, 2]
    assert table["survival"].tolist() == pytest.approx([1, 0.8, 0.8, 0.5333, 0.2667, 0.2667],
                                                       abs=1e-4)
    two_yearly = kaplan_meier(five_subjects(), "cdw", SurvivalOptions(at_risk_step_years=2))
    assert list(two_yearly.at_risk["time_years"]) == [0.0, 2.0, 4.0]


def test_summary_reads_the_curve() -> None:
    km = kaplan_meier(five_subjects(), "cdw", SurvivalOptions(horizons_years=(1, 2, 5, 6)))
    row = km.summary.iloc[0]
    assert (row["subjects"], row["events"]) == (5, 3)
    assert row["median_years"] == 4.0  # first time S <= 0.5
    assert row["survival_1y"] == pytest.approx(0.8)
    assert row["survival_5y"] == pytest.approx(0.2667, abs=1e-4)
    assert math.isnan(row["survival_6y"])  # beyond the last observation: not extrapolated


def test_groups_are_fitted_separately() -> None:
    times = pd.concat([five_subjects("aHSCT"), five_subjects("DMT").assign(event=False)])
    km = kaplan_meier(times, "relapse", SurvivalOptions(alpha=0.1))
    assert set(km.curve["group"]) == {"aHSCT", "DMT"}
    assert km.curve.loc[km.curve["group"] == "DMT", "survival"].eq(1.0).all()
    summary = km.summary.set_index("group")
    assert math.isnan(summary.loc["DMT", "median_years"])
    # A 90% band is narrower than the 95% one.
    at3 = km.curve[(km.curve["group"] == "aHSCT") & (km.curve["time_years"] == 3.0)].iloc[0]
    assert at3["ci_low"] > 0.0683 and at3["ci_high"] < 0.8631


def test_no_subjects_is_an_error() -> None:
    with pytest.raises(DataError, match="no subject"):
        kaplan_meier(five_subjects().iloc[0:0], "cdw")


BL, INDEX = "2019-12-01", "2020-01-01"
ORIGINS = [(p, INDEX, "aHSCT") for p in ("P1", "P2", "P3", "P4", "P5", "R", "T")]
ORIGINS.append(("Q", None, ""))
VISITS = {
    "P1": [BL, "2021-01-01"], "P2": [BL, "2022-01-01"], "P3": [BL, "2021-01-01"],
    "P4": [BL, "2021-01-01"], "P5": [BL, "2021-01-01"],
    "R": ["2020-02-01", "2021-01-01"],  # no visit at or before the origin
    "T": [BL],  # nothing after the origin
    "Q": [BL, "2021-01-01"],  # no index date
}
EVENTS = [
    ("P1", "2020-07-01", "CDW", "undefined"),
    ("P3", "2019-12-15", "CDW", "RAW"),  # before the origin: ignored
    ("P4", "2020-03-01", "CDW", "PIRA"),
    ("P5", "2020-03-01", "CDW", "RAW"),
    ("P5", "2020-09-01", "CDI", ""),
]
RELAPSES = [("P1", "2019-06-01"), ("P1", "2020-02-01"), ("R", "2020-12-31")]


def cohort() -> IndexedCohort:
    return make_cohort(ORIGINS, VISITS, RELAPSES, EVENTS)


def durations(endpoint: str) -> dict[str, tuple[float, bool]]:
    times, _ = endpoint_times(cohort(), endpoint)
    return {r.id: (round(r.duration_years * 365.25), bool(r.event)) for r in times.itertuples()}


def test_cdw_times_from_origin() -> None:
    # P1 event 2020-07-01 = 182 days; P2 censored at 2022-01-01 = 731; P3's pre-origin CDW
    # ignored -> censored at 366; P4, P5 CDW on 2020-03-01 = 60 days; T no follow-up -> 0.
    assert durations("cdw") == {
        "P1": (182, True), "P2": (731, False), "P3": (366, False),
        "P4": (60, True), "P5": (60, True), "T": (0, False)}
    _, excluded = endpoint_times(cohort(), "cdw")
    reasons = dict(zip(excluded["id"], excluded["reason"], strict=True))
    assert reasons["R"] == "no EDSS visit at or before the origin"
    assert reasons["Q"].startswith("no index date")


def test_pira_counts_only_pira() -> None:
    got = durations("pira")
    assert got["P4"] == (60, True) and got["P5"] == (366, False) and got["P1"] == (366, False)


def test_relapse_times() -> None:
    got = durations("relapse")
    # P1: first relapse after the origin 2020-02-01 = 31 days (the 2019 one is before).
    assert got["P1"] == (31, True)
    # R needs no baseline EDSS for relapses: 2020-12-31 = 365 days.
    assert got["R"] == (365, True)
    assert got["P2"] == (731, False)
    assert "Q" not in got


def test_activity_endpoint_uses_neda() -> None:
    c = cohort()
    with pytest.raises(OptionsError, match="activity"):
        endpoint_times(c, "activity")
    mri = make_mri([(p, "2021-01-01", 0, 0) for p in ("P1", "P2", "P3", "P4", "P5", "R")])
    neda = assess_neda(c, mri)
    km = survival_curves(c, SurvivalOptions(endpoints=("activity", "cdw")), neda)
    assert list(km) == ["activity", "cdw"]
    times = km["activity"].times.set_index("id")
    # P1: first activity = relapse 2020-02-01 (31 days) before its CDW (182 days).
    assert round(times.loc["P1", "duration_years"] * 365.25) == 31
    assert bool(times.loc["P1", "event"])
    # R (no baseline) and Q (no index) are left out, with reasons.
    assert set(km["activity"].excluded["id"]) == {"R", "Q"}


def test_survival_options_validation() -> None:
    with pytest.raises(OptionsError, match="endpoints"):
        SurvivalOptions(endpoints=("cdw", "death"))
    with pytest.raises(OptionsError, match="horizons_years"):
        SurvivalOptions(horizons_years=(0,))
    assert SurvivalOptions(endpoints=("cdw", "cdw")).endpoints == ("cdw",)


# --- the Kaplan-Meier table equals lifelines' (an independent implementation) -------------

@pytest.mark.parametrize("case", ["ties", "all_events", "all_censored", "zeros", "one"])
@pytest.mark.parametrize("alpha", [0.05, 0.1])
def test_km_table_matches_lifelines(case: str, alpha: float) -> None:
    from lifelines import KaplanMeierFitter

    from msstem.outcomes.survival import km_table

    rng = np.random.default_rng(7)
    n = {"one": 1}.get(case, 400)
    durations = np.round(rng.exponential(3.0, n) * 4) / 4  # many ties
    observed = rng.random(n) < 0.6
    if case == "all_events":
        observed[:] = True
    elif case == "all_censored":
        observed[:] = False
    elif case == "zeros":
        durations[:50] = 0.0
    kmf = KaplanMeierFitter(alpha=alpha).fit(durations, event_observed=observed)
    got = km_table(durations, observed, alpha, "g")
    sf = kmf.survival_function_.iloc[:, 0]
    np.testing.assert_allclose(got["time_years"], sf.index.to_numpy(dtype=float))
    np.testing.assert_allclose(got["survival"], sf.to_numpy(), rtol=1e-12, atol=1e-15)
    ci = kmf.confidence_interval_
    np.testing.assert_allclose(got["ci_low"], ci.iloc[:, 0].to_numpy(), rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(got["ci_high"], ci.iloc[:, 1].to_numpy(), rtol=1e-9, atol=1e-12)
    table = kmf.event_table
    assert got["at_risk"].tolist() == table["at_risk"].astype(int).tolist()
    assert got["events"].tolist() == table["observed"].astype(int).tolist()
    assert got["censored"].tolist() == table["censored"].astype(int).tolist()


def test_times_collected_in_parts_give_the_same_curves() -> None:
    """The chunked run keeps each part's times compact (TimesParts): the curves, at-risk
    tables and summaries equal the ones fitted to the whole table."""
    rng = np.random.default_rng(7)
    n = 600
    whole = pd.DataFrame({
        "id": [f"s{i}" for i in range(n)],
        "group": rng.choice(["b", "a", "c"], size=n).astype(object),
        "origin_date": pd.Timestamp("2020-01-01"), "stop_date": pd.NaT,
        "duration_years": rng.integers(0, 4000, size=n) / 365.25,
        "event": rng.random(n) < 0.4,
    })
    whole.loc[500:, "duration_years"] = rng.random(100) * 9.0  # not whole days: kept as years
    whole.loc[0:40, "group"] = "c"  # the first part sees one group only
    parts = TimesParts()
    for lo, hi in ((0, 41), (41, 41), (41, 300), (300, 500), (500, n)):
        parts.add(whole.iloc[lo:hi].drop(columns=["id"]))
    combined = parts.frame()
    pd.testing.assert_series_equal(combined["duration_years"], whole["duration_years"],
                                   check_exact=True)
    assert list(combined["group"]) == list(whole["group"])
    assert combined["duration_years"].dtype == np.float64
    a, b = kaplan_meier(whole, "cdw"), kaplan_meier(combined, "cdw")
    for name in ("curve", "at_risk", "summary"):
        pd.testing.assert_frame_equal(getattr(a, name), getattr(b, name), check_exact=True,
                                      obj=name)
    assert len(b.summary) == 3
