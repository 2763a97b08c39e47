"""Tiny hand-built cohorts: visits as (day, value) pairs from 2020-01-01."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from msstem.outcomes import ProgressionOptions, ProgressionResult, detect_progression

START = pd.Timestamp("2020-01-01")


def day(n: int) -> pd.Timestamp:
    return START + pd.Timedelta(days=n)


def visits_frame(subjects: dict[int | str, Sequence[tuple[int, float]]],
                 value_col: str = "edss") -> pd.DataFrame:
    rows = [(sid, day(d), v) for sid, pts in subjects.items() for d, v in pts]
    return pd.DataFrame(rows, columns=["id", "date", value_col])


def relapses_frame(subjects: dict[int | str, Sequence[int]]) -> pd.DataFrame:
    rows = [(sid, day(d)) for sid, days in subjects.items() for d in days]
    return pd.DataFrame(rows, columns=["id", "date"])


def run(points: Sequence[tuple[int, float]], relapse_days: Sequence[int] = (),
        value_col: str = "edss", **opts: object) -> ProgressionResult:
    """One subject (id 1)."""
    visits = visits_frame({1: points}, value_col)
    relapses = relapses_frame({1: relapse_days}) if relapse_days else None
    return detect_progression(visits, relapses,
                              ProgressionOptions(value_col=value_col, **opts))  # type: ignore[arg-type]


def events(res: ProgressionResult) -> list[tuple[str, str, int, float, int, float, int | None]]:
    """(event_type, cdw_type, onset day, value, baseline day, baseline value, conf day)."""
    out = []
    for r in res.events.itertuples():
        conf = None if pd.isna(r.confirmation_date) else (r.confirmation_date - START).days
        out.append((r.event_type, r.cdw_type, (r.date - START).days, r.value,
                    (r.baseline_date - START).days, r.baseline_value, conf))
    return out
