"""The Kurtzke Expanded Disability Status Scale (EDSS) grid.

Kurtzke, Neurology 1983;33(11):1444-52 (DOI 10.1212/wnl.33.11.1444): 0, then
1.0 to 9.5 in half steps, then 10; there is no 0.5 step (Neurostatus: "20 half
steps from 0 to 10"). Source ids: ``kurtzke-1983-edss``, ``neurostatus-edss``.
"""

from __future__ import annotations

import math
from typing import Final

__all__ = ["EDSS_GRID", "EDSS_MAX", "EDSS_SOURCE_IDS", "describe_grid", "is_on_grid"]

EDSS_SOURCE_IDS: Final = ("kurtzke-1983-edss", "neurostatus-edss")
EDSS_MAX: Final = 10.0
#: The 20 allowed EDSS values.
EDSS_GRID: Final[tuple[float, ...]] = (0.0, *(x / 2 for x in range(2, 20)), 10.0)


def is_on_grid(value: float) -> bool:
    """True if ``value`` is one of the 20 EDSS steps (0, 1.0, 1.5, ... 9.5, 10)."""
    # Range first: huge finite floats would overflow when doubled.
    if not math.isfinite(value) or not (value == 0.0 or 1.0 <= value <= EDSS_MAX):
        return False
    doubled = value * 2
    return doubled == int(doubled)


def describe_grid() -> str:
    """The allowed values, for error messages."""
    return "0, 1.0, 1.5, 2.0, ... 9.5, 10 (half steps; no 0.5)"
