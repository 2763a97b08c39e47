"""Properties of progression detection that must hold whatever the data.

- row order of the input does not change any event;
- adding an unrelated subject does not change another subject's events;
- relabelling subject ids does not change events (beyond the label).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from msstem.outcomes import ProgressionOptions, detect_progression

EDSS = [0.0, *(x / 2 for x in range(2, 21))]
GAPS = [7, 30, 77, 84, 90, 120, 180, 365, 800]
START = np.datetime64("2018-01-01")

subject = st.tuples(
    st.lists(st.tuples(st.sampled_from(GAPS), st.integers(0, len(EDSS) - 1)),
             min_size=1, max_size=14),
    st.lists(st.integers(-120, 3000), max_size=3),
)
options = st.fixed_dictionaries({
    "event": st.sampled_from(["firstCDW", "first", "firstPIRA", "multiple"]),
    "baseline": st.sampled_from(["fixed", "roving", "roving_wors"]),
    "raw_pira": st.booleans(),
    "conf_days": st.sampled_from([(84,), (84, 168)]),
    "sub_threshold_rebl": st.sampled_from(["none", "event"]),
    "relapse_rebl": st.booleans(),
    "pymsprog_compat": st.booleans(),
})

SETTINGS = settings(max_examples=40, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])


def _frames(subjects: list[Any], ids: list[Any]) -> tuple[pd.DataFrame, pd.DataFrame]:
    vrows, rrows = [], []
    for sid, (pts, rels) in zip(ids, subjects, strict=True):
        d = 0
        for gap, level in pts:
            vrows.append((sid, START + d, EDSS[level]))
            d += gap
        rrows += [(sid, START + r) for r in rels]
    visits = pd.DataFrame(vrows, columns=["id", "date", "edss"])
    relapses = pd.DataFrame(rrows, columns=["id", "date"]).astype({"date": "datetime64[ns]"})
    visits["date"] = visits["date"].astype("datetime64[ns]")
    return visits, relapses


def _run(visits: pd.DataFrame, relapses: pd.DataFrame, opts: dict[str, Any]) -> pd.DataFrame:
    # two relapses drawn on one day are one relapse (the policy is tested elsewhere)
    res = detect_progression(visits, relapses if len(relapses) else None,
                             ProgressionOptions(**opts, duplicate_relapses="collapse"))
    return res.events


@SETTINGS
@given(st.lists(subject, min_size=1, max_size=6), options, st.randoms(use_true_random=False))
def test_row_order_does_not_matter(subjects: list[Any], opts: dict[str, Any],
                                   rnd: Any) -> None:
    visits, relapses = _frames(subjects, list(range(len(subjects))))
    expected = _run(visits, relapses, opts)
    perm = list(range(len(visits)))
    rnd.shuffle(perm)
    rperm = list(range(len(relapses)))
    rnd.shuffle(rperm)
    got = _run(visits.iloc[perm], relapses.iloc[rperm], opts)
    pd.testing.assert_frame_equal(got.reset_index(drop=True), expected.reset_index(drop=True))


@SETTINGS
@given(st.lists(subject, min_size=1, max_size=5), subject, options)
def test_unrelated_subject_changes_nothing(subjects: list[Any], extra: Any,
                                           opts: dict[str, Any]) -> None:
    ids = list(range(1, len(subjects) + 1))
    visits, relapses = _frames(subjects, ids)
    before = _run(visits, relapses, opts)
    v2, r2 = _frames([*subjects, extra], [*ids, 0])  # the newcomer sorts first
    after = _run(v2, r2, opts)
    after = after[after["id"] != "0"].reset_index(drop=True)
    pd.testing.assert_frame_equal(after, before.reset_index(drop=True))


@SETTINGS
@given(st.lists(subject, min_size=1, max_size=6), options, st.randoms(use_true_random=False))
def test_relabelling_ids(subjects: list[Any], opts: dict[str, Any], rnd: Any) -> None:
    n = len(subjects)
    visits, relapses = _frames(subjects, list(range(n)))
    expected = _run(visits, relapses, opts)
    labels = [f"pt-{rnd.randrange(10**6):06d}-{i}" for i in range(n)]
    v2, r2 = _frames(subjects, labels)
    got = _run(v2, r2, opts)
    back = {lab: str(i) for i, lab in enumerate(labels)}
    got["id"] = got["id"].map(back).astype(expected["id"].dtype)
    got = got.sort_values(["id", "event_index"], kind="stable").reset_index(drop=True)
    pd.testing.assert_frame_equal(got, expected.reset_index(drop=True))
