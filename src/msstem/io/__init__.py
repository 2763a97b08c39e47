"""Every file reader and writer: profiles, cohort tables (visits, relapses, MRI, treatments)
and the outcomes results.

Domain packages never touch files: they take tables in memory and return result objects;
this layer turns files into tables (subject ids as text, in one pass) and results into
files (written into a temporary folder and moved into place only when the whole job
succeeded).
"""

from __future__ import annotations

from msstem.io.cohort_tables import check_input_file, read_table

__all__ = ["check_input_file", "read_table"]
