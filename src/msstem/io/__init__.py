"""Every file msstem reads or writes: profiles and reports (and, as they move here, outcome
tables and results). The layers below take validated, typed records and never touch files."""

from msstem.io.profiles import load_profile
from msstem.io.reports import write_report

__all__ = ["load_profile", "write_report"]
