"""Every file msstem reads or writes: profiles, cohort tables (visits, relapses, MRI,
treatments) and the outcomes results. The layers below take validated, typed records (or
tables in memory) and never touch files.

Cohort files become Arrow tables with subject ids as text, read in one pass
(:func:`read_table`); an outcomes run writes into a temporary folder moved into place only
when the whole job succeeded (:mod:`msstem.io.outcome_outputs`).
"""

from msstem.io.cohort_tables import check_input_file, read_table
from msstem.io.profiles import load_profile

__all__ = ["check_input_file", "load_profile", "read_table"]
