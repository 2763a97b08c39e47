"""Every file msstem reads or writes: profiles, cohort tables (visits, relapses, MRI,
treatments) and the outcomes results. The layers below take validated, typed records (or
tables in memory) and never touch files.

Cohort files become Arrow tables with subject ids as text, read in one pass
(:func:`read_table`); an outcomes run writes into a temporary folder moved into place only
when the whole job succeeded (:mod:`msstem.io.outcome_outputs`). The cohort readers are
imported on first use, so reading a profile does not load pandas or Arrow.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from msstem.io.profiles import load_profile

if TYPE_CHECKING:
    from msstem.io.cohort_tables import check_input_file, read_table

__all__ = ["check_input_file", "load_profile", "read_table"]


def __getattr__(name: str) -> Any:
    if name in ("check_input_file", "read_table"):
        from msstem.io import cohort_tables

        value = getattr(cohort_tables, name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'msstem.io' has no attribute {name!r}")
