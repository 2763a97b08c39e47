"""Hand-built cohorts for the NEDA-3, relapse-rate and survival tests.

The pure functions take an :class:`IndexedCohort`; these helpers build one directly from
small literal tables, so each test's arithmetic can be checked by hand.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from msstem.outcomes.analytics_options import NO_INDEX_GROUP
from msstem.outcomes.clinical_inputs import IndexedCohort


def ts(text: str | None) -> Any:
    return pd.NaT if text is None else pd.Timestamp(text)


def make_cohort(
    origins: Sequence[tuple[str, str | None, str]],
    visits: Mapping[str, Sequence[str]],
    relapses: Sequence[tuple[str, str]] = (),
    events: Sequence[tuple[str, str, str, str]] = (),
    *,
    kind: str = "index",
    index_therapy: str | None = None,
) -> IndexedCohort:
    """origins: (id, origin date or None, group); events: (id, onset, event_type, cdw_type)."""
    vis = pd.DataFrame(
        [(sid, ts(d)) for sid, dates in visits.items() for d in dates], columns=["id", "date"]
    ).astype({"id": object, "date": "datetime64[ns]"})
    origin = pd.DataFrame(
        {
            "id": [o[0] for o in origins],
            "origin_date": pd.to_datetime([ts(o[1]) for o in origins]),
            "group": [o[2] if o[1] is not None else NO_INDEX_GROUP for o in origins],
            "reason": ["" if o[1] is not None else "no index date: no row in the treatments table"
                       for o in origins],
        }
    )
    first_visit = vis.groupby("id")["date"].min()
    origin["has_baseline"] = [
        o[1] is not None and o[0] in first_visit.index and first_visit[o[0]] <= ts(o[1])
        for o in origins
    ]
    rel = pd.DataFrame([(i, ts(d)) for i, d in relapses], columns=["id", "date"]).astype(
        {"id": object, "date": "datetime64[ns]"}
    )
    ev = pd.DataFrame(
        [(i, ts(d), t, c) for i, d, t, c in events],
        columns=["id", "date", "event_type", "cdw_type"],
    ).astype({"id": object, "date": "datetime64[ns]"})
    return IndexedCohort(origin=origin, visits=vis, relapses=rel,
                         origin_kind=kind,  # type: ignore[arg-type]
                         events=ev, index_therapy=index_therapy)


def make_mri(rows: Sequence[tuple[str, str, int, int]]) -> pd.DataFrame:
    """(id, date, new_t2, gd) -> the frame load_mri returns."""
    frame = pd.DataFrame(rows, columns=["id", "date", "new_t2", "gd"])
    frame["date"] = pd.to_datetime(frame["date"])
    frame["active"] = (frame["new_t2"] > 0) | (frame["gd"] > 0)
    return frame
