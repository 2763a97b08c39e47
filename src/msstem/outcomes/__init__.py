"""Longitudinal outcome analytics: progression events, NEDA-3, relapse rates, survival.

Progression (``detect_progression``) is msprog's algorithm (montobbio-2024-msprog) over a
compiled columnar kernel; see docs/outcomes-progression.md.
"""

from __future__ import annotations

from msstem.outcomes.deltas import DELTA_SOURCE_IDS, compute_delta, kalincik_edss_delta
from msstem.outcomes.options import OPTIONS_SOURCE_IDS, ProgressionOptions, RelapseIndep
from msstem.outcomes.progression import ProgressionResult, detect_progression

__all__ = [
    "ProgressionOptions",
    "ProgressionResult",
    "RelapseIndep",
    "cited_source_ids",
    "compute_delta",
    "detect_progression",
    "kalincik_edss_delta",
]


def cited_source_ids() -> tuple[str, ...]:
    """The evidence source ids that the outcomes constants cite (sorted, unique)."""
    return tuple(sorted({*DELTA_SOURCE_IDS, *OPTIONS_SOURCE_IDS}))
