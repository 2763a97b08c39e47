"""Seeded synthetic cohorts that stress the progression rules.

Visit gaps cluster on the rule boundaries (77 and 814 days around the 84-day window, 30 and
90 days around relapses, 168 for a second window), EDSS moves on its grid with plateaus,
improvements, returns and jumps of every size, and relapses fall on, just before and just
after visits, including before the first visit.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

EDSS_STEPS = np.array([0.0, *(x / 2 for x in range(2, 21))])
GAPS = np.array([1, 7, 29, 30, 31, 60, 76, 77, 78, 84, 90, 91, 120, 161, 168, 175, 180, 270,
                 365, 813, 814, 815])
GAP_P = np.array([1, 1, 1, 1, 1, 2, 2, 3, 2, 4, 3, 3, 4, 2, 3, 2, 6, 3, 3, 1, 1, 1], dtype=float)
REL_OFFSETS = np.array([0, 0, -1, 1, -29, -30, -31, 29, 30, 31, -89, -90, -91, 89, 90, 91, -50,
                        -120, 45])


def make_cohort(n_subjects: int, seed: int, first_id: int = 1) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Visits (id, date, edss, sdmt) and relapses (id, date), both sorted by id and date."""
    rng = np.random.default_rng(seed)
    vrows: list[tuple[int, np.datetime64, float, float]] = []
    rrows: list[tuple[int, np.datetime64]] = []
    p = GAP_P / GAP_P.sum()
    for k in range(n_subjects):
        sid = first_id + k
        n = int(rng.integers(1, 22))
        start = np.datetime64("2015-01-01") + int(rng.integers(0, 2000))
        gaps = rng.choice(GAPS, size=max(n - 1, 0), p=p)
        days = np.concatenate([[0], np.cumsum(gaps)]).astype(int)
        # EDSS: a walk on grid positions with plateaus, small and large moves, reversals
        pos = int(rng.integers(0, 14))
        edss = []
        for _ in range(n):
            edss.append(EDSS_STEPS[pos])
            move = rng.choice([0, 0, 0, 1, -1, 2, -2, 3, 1, -1, 4], p=None)
            pos = int(np.clip(pos + move, 0, len(EDSS_STEPS) - 1))
        # SDMT: integers 0..110 with plateaus and 1-10 point moves
        s = int(rng.integers(15, 80))
        sdmt = []
        for _ in range(n):
            sdmt.append(float(s))
            s = int(np.clip(s + rng.choice([0, 0, 0, -1, 1, -3, 3, -4, 4, -6, 6, -10, 10]), 0, 110))
        for d, e, sd in zip(days, edss, sdmt, strict=True):
            vrows.append((sid, start + int(d), float(e), sd))
        n_rel = int(rng.choice([0, 0, 1, 1, 2, 3, 4]))
        for _ in range(n_rel):
            anchor = int(days[int(rng.integers(0, n))])
            rrows.append((sid, start + anchor + int(rng.choice(REL_OFFSETS))))
    visits = pd.DataFrame(vrows, columns=["id", "date", "edss", "sdmt"])
    relapses = pd.DataFrame(rrows, columns=["id", "date"]).drop_duplicates()
    visits["date"] = pd.to_datetime(visits["date"])
    relapses["date"] = pd.to_datetime(relapses["date"])
    return (
        visits.sort_values(["id", "date"], kind="stable").reset_index(drop=True),
        relapses.sort_values(["id", "date"], kind="stable").reset_index(drop=True),
    )
