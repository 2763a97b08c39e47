"""A cohort cut at each subject's origin keeps every per-visit and per-relapse column aligned."""

from __future__ import annotations

import numpy as np

from msstem.outcomes.clinical_inputs import _from_baseline
from msstem.outcomes.inputs import CohortArrays


def _arrays() -> CohortArrays:
    # Subject A: visits on days 0, 10, 20, 30; relapses on 5 (ends 8) and 25 (ends 28).
    # Subject B: visits on days 50, 60; no visit at or before its origin: dropped.
    # Subject C: visits on days 0, 40; relapse on 45 (ends 47).
    return CohortArrays(
        subject_ids=np.array(["A", "B", "C"], dtype=object),
        visit_offsets=np.array([0, 4, 6, 8]),
        visit_days=np.array([0, 10, 20, 30, 50, 60, 0, 40], dtype=np.int32),
        visit_values=np.array([1.0, 1.5, 2.0, 2.5, 3.0, 3.5, 4.0, 4.5]),
        relapse_offsets=np.array([0, 2, 2, 3]),
        relapse_days=np.array([5, 25, 45], dtype=np.int32),
        warnings=(),
        subject_numbers=np.array([101, 102, 103]),
        relapse_ends=np.array([8, 28, 47], dtype=np.int32),
        visit_can_confirm=np.array([True, False, True, True, True, True, False, True]),
    )


def test_cut_keeps_the_extra_columns_aligned() -> None:
    origin = np.array(["1970-01-21", "1970-01-02", "1970-01-01"], dtype="datetime64[D]")
    cut, kept = _from_baseline(_arrays(), origin)
    assert list(cut.subject_ids) == ["A", "C"] and list(kept) == [0, 2]
    assert cut.subject_numbers is not None and list(cut.subject_numbers) == [101, 103]
    # A from its day-20 visit (the last at or before day 20); C from day 0.
    assert list(cut.visit_days) == [20, 30, 0, 40]
    assert cut.visit_can_confirm is not None
    assert list(cut.visit_can_confirm) == [True, True, False, True]
    # Relapses stay with their subjects, and each keeps its own end date.
    assert list(cut.relapse_days) == [5, 25, 45]
    assert cut.relapse_ends is not None and list(cut.relapse_ends) == [8, 28, 47]


def test_cut_without_extras_stays_without() -> None:
    a = _arrays()
    plain = CohortArrays(a.subject_ids, a.visit_offsets, a.visit_days, a.visit_values,
                         a.relapse_offsets, a.relapse_days, a.warnings)
    cut, _ = _from_baseline(plain, np.array(["1970-01-21"] * 3, dtype="datetime64[D]"))
    assert cut.subject_numbers is None and cut.relapse_ends is None
    assert cut.visit_can_confirm is None
