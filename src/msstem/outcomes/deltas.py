"""Minimum clinically meaningful change ("delta") for each outcome measure.

A change from a reference value ``ref`` counts as worsening or improvement only if it
reaches ``delta(ref)``. Every threshold is a named constant carrying its source id; the
boundary tables in ``tests/outcomes/progression/test_progression_deltas.py`` pin them.

Sources:
- ``montobbio-2024-msprog``: the msprog package (Montobbio et al., Mult Scler 2024), whose
  ``compute_delta`` defines the defaults for EDSS, NHPT, T25FW and SDMT. msstem's defaults
  equal msprog's so that results are comparable with the field's reference implementation.
- ``kalincik-2015-cdw``: Kalincik et al., Brain 2015, as implemented in CRAN MSoutcomes
  ``CDW()``: EDSS +1.5 from 0, +1.0 from 1.0-5.5, +0.5 from 6.0. It agrees with msprog except
  at a reference EDSS of exactly 5.5 (msprog: 0.5; Kalincik: 1.0). :func:`kalincik_edss_delta`
  gives that rule for users who want it (pass it as ``delta_fun``).
"""

from __future__ import annotations

from typing import Final, Literal

import numpy as np
import numpy.typing as npt

__all__ = [
    "DELTA_SOURCE_IDS",
    "EDSS_DELTA_AT_ZERO",
    "EDSS_DELTA_HIGH",
    "EDSS_DELTA_LOW",
    "EDSS_HIGH_ABOVE_KALINCIK",
    "EDSS_HIGH_ABOVE_MSPROG",
    "SDMT_DELTA_CAP",
    "SDMT_MAX",
    "TIMED_TEST_FRACTION",
    "Outcome",
    "compute_delta",
    "kalincik_edss_delta",
    "minimum_change",
]

Outcome = Literal["edss", "nhpt", "t25fw", "sdmt", "custom"]

DELTA_SOURCE_IDS: Final = ("montobbio-2024-msprog", "kalincik-2015-cdw")

#: EDSS: +1.5 needed from a reference of 0 (montobbio-2024-msprog; kalincik-2015-cdw).
EDSS_DELTA_AT_ZERO: Final = 1.5
#: EDSS: +1.0 needed from a low reference (montobbio-2024-msprog; kalincik-2015-cdw).
EDSS_DELTA_LOW: Final = 1.0
#: EDSS: +0.5 needed from a high reference (montobbio-2024-msprog; kalincik-2015-cdw).
EDSS_DELTA_HIGH: Final = 0.5
#: msprog's high range starts above 5.0 (``0.5 if 5 < ref <= 10``) (montobbio-2024-msprog).
EDSS_HIGH_ABOVE_MSPROG: Final = 5.0
#: Kalincik's high range starts at 6.0, i.e. above 5.5 on the grid (kalincik-2015-cdw).
EDSS_HIGH_ABOVE_KALINCIK: Final = 5.5
#: NHPT and T25FW: a 20% change of the reference time (montobbio-2024-msprog).
TIMED_TEST_FRACTION: Final = 0.2
#: SDMT: 20% of the reference, capped at 4 points, as msprog's code does
#: (``min(ref/5, 4)``); its docstring says "3 points or 10%", which the code does not do
#: (montobbio-2024-msprog).
SDMT_DELTA_CAP: Final = 4.0
#: msprog rejects SDMT scores above 110 (montobbio-2024-msprog).
SDMT_MAX: Final = 110.0


def _edss_delta(ref: npt.NDArray[np.float64], high_above: float) -> npt.NDArray[np.float64]:
    return np.where(
        ref == 0.0,
        EDSS_DELTA_AT_ZERO,
        np.where(ref <= high_above, EDSS_DELTA_LOW, EDSS_DELTA_HIGH),
    ).astype(np.float64)


def compute_delta(ref: npt.ArrayLike, outcome: Outcome) -> npt.NDArray[np.float64]:
    """Vectorised minimum change for each reference value (msprog's ``compute_delta``).

    Values must already be validated (in range); ``custom`` has no built-in rule.
    Divisions are written as msprog writes them (``ref / 5``) so that float results are
    bit-identical and boundary comparisons agree.
    """
    arr = np.asarray(ref, dtype=np.float64)
    if outcome == "edss":
        return _edss_delta(arr, EDSS_HIGH_ABOVE_MSPROG)
    if outcome in ("nhpt", "t25fw"):
        # ref / 5 rather than ref * 0.2: the same float as msprog's code.
        return arr / round(1 / TIMED_TEST_FRACTION)
    if outcome == "sdmt":
        return np.minimum(arr / round(1 / TIMED_TEST_FRACTION), SDMT_DELTA_CAP)
    raise ValueError("outcome 'custom' has no built-in minimum change; pass delta_fun")


def minimum_change(ref: float, outcome: Outcome) -> float:
    """Scalar form of :func:`compute_delta`."""
    return float(compute_delta(np.array([ref]), outcome)[0])


def kalincik_edss_delta(ref: float) -> float:
    """EDSS minimum change by Kalincik et al. 2015 (kalincik-2015-cdw): 1.5 / 1.0 / 0.5.

    Differs from the default (msprog) rule only at a reference of 5.5 (1.0 instead of 0.5).
    """
    return float(_edss_delta(np.array([ref], dtype=np.float64), EDSS_HIGH_ABOVE_KALINCIK)[0])
