"""Minimum-change thresholds: boundary tables (value at, just inside, just outside each edge).

Expected values come from msprog's ``compute_delta`` (montobbio-2024-msprog; pymsprog 1.0.7's
documented behaviour) and from Kalincik 2015 (kalincik-2015-cdw).
"""

from __future__ import annotations

import pytest

from msstem.outcomes import cited_source_ids, compute_delta, kalincik_edss_delta
from msstem.outcomes.deltas import minimum_change

from .helpers import events, run


@pytest.mark.parametrize(("ref", "delta"), [
    (0.0, 1.5), (1.0, 1.0), (4.5, 1.0), (5.0, 1.0), (5.5, 0.5), (6.0, 0.5), (9.5, 0.5),
    (10.0, 0.5),
])
def test_edss_delta_table(ref: float, delta: float) -> None:
    assert minimum_change(ref, "edss") == delta


@pytest.mark.parametrize(("ref", "delta"), [(0.0, 1.5), (5.0, 1.0), (5.5, 1.0), (6.0, 0.5)])
def test_kalincik_edss_delta_table(ref: float, delta: float) -> None:
    assert kalincik_edss_delta(ref) == delta


@pytest.mark.parametrize(("outcome", "ref", "delta"), [
    ("nhpt", 20.0, 4.0), ("nhpt", 25.0, 5.0), ("t25fw", 6.0, 1.2), ("t25fw", 0.0, 0.0),
    ("sdmt", 10.0, 2.0), ("sdmt", 19.0, 3.8), ("sdmt", 20.0, 4.0), ("sdmt", 21.0, 4.0),
    ("sdmt", 60.0, 4.0),
])
def test_other_outcomes_delta_table(outcome: str, ref: float, delta: float) -> None:
    assert minimum_change(ref, outcome) == pytest.approx(delta)  # type: ignore[arg-type]


def test_vectorised_equals_scalar() -> None:
    refs = [0.0, 1.0, 5.0, 5.5, 10.0]
    assert list(compute_delta(refs, "edss")) == [minimum_change(r, "edss") for r in refs]


def test_custom_has_no_builtin_rule() -> None:
    with pytest.raises(ValueError, match="delta_fun"):
        compute_delta([1.0], "custom")


# Event boundaries checked through the whole pipeline (msprog's worked examples).
@pytest.mark.parametrize(("start", "to", "kind"), [
    (0.0, 1.0, None),  # +1.0 from 0 is below 1.5
    (0.0, 1.5, "CDW"),
    (5.0, 5.5, None),  # +0.5 from 5.0 is below 1.0
    (5.0, 6.0, "CDW"),
    (5.5, 6.0, "CDW"),  # from 5.5 msprog needs only 0.5
    (6.0, 5.5, "CDI"),
    (1.0, 0.0, "CDI"),
    (2.0, 1.5, None),
])
def test_edss_event_boundaries(start: float, to: float, kind: str | None) -> None:
    res = run([(0, start), (100, to), (200, to)], event="first")
    assert [e[0] for e in events(res)] == ([kind] if kind else [])


def test_kalincik_rule_through_delta_fun() -> None:
    # from 5.5 Kalincik needs +1.0, so 5.5 -> 6.0 is not a worsening under that rule
    from msstem.outcomes import ProgressionOptions, detect_progression

    from .helpers import visits_frame

    visits = visits_frame({1: [(0, 5.5), (100, 6.0), (200, 6.0)]})
    res = detect_progression(visits, None, ProgressionOptions(), delta_fun=kalincik_edss_delta)
    assert res.events.empty


def test_cited_source_ids() -> None:
    assert cited_source_ids() == ("kalincik-2015-cdw", "montobbio-2024-msprog")
