"""Writing an outcomes job's results: all into a temporary folder, moved into place at the end.

:class:`OutputFolder` creates a hidden folder beside ``--out``; every file goes there; only
when the whole job succeeded is it renamed to ``--out`` (replacing a previous msstem run
there, which is removed only after the new one is in place). A failed run removes its
temporary folder and leaves the previous results untouched. A folder that holds anything
other than an msstem run (no ``run.json``) is never replaced.

Tables are written with Arrow's CSV writer (dates as YYYY-MM-DD, empty cells for missing
values) or as Parquet (``--format parquet``).
"""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd

from msstem.errors import DataError
from msstem.outcomes.tables import quote

__all__ = ["OutputFolder", "OutputFormat", "result_tables", "write_table"]

OutputFormat = Literal["csv", "parquet"]
#: The file every msstem outcomes run writes last; its presence marks a folder as one.
RUN_FILE = "run.json"


class OutputFolder:
    """A temporary folder beside ``out`` that becomes ``out`` on :meth:`commit`."""

    def __init__(self, out: str | Path) -> None:
        self.out = Path(out)
        shown = quote(str(self.out))
        if self.out.exists() and not self.out.is_dir():
            raise DataError(f"--out: {shown} exists and is not a folder", field="out")
        if self.out.is_dir() and any(self.out.iterdir()) and not (self.out / RUN_FILE).is_file():
            raise DataError(f"--out: folder {shown} holds files that are not an msstem run (no "
                            f"{RUN_FILE}); give a new or empty folder", field="out")
        parent = self.out.absolute().parent
        try:
            parent.mkdir(parents=True, exist_ok=True)
            self.tmp = Path(tempfile.mkdtemp(prefix=f".{self.out.name}.partial-", dir=parent))
        except OSError as exc:
            raise DataError(f"--out: cannot create a folder in {quote(str(parent))} "
                            f"({exc.strerror or exc})", field="out") from None
        self.files: list[str] = []
        self.committed = False

    def path(self, name: str) -> Path:
        """Where to write ``name`` (recorded for run.json)."""
        if name not in self.files:
            self.files.append(name)
        return self.tmp / name

    def write_json(self, name: str, data: dict[str, Any]) -> None:
        self.path(name).write_text(json.dumps(data, indent=2, default=str) + "\n")

    def commit(self) -> None:
        """Move the finished folder into place (atomic rename; the old run goes after)."""
        old: Path | None = None
        if self.out.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{self.out.name}.old-", dir=self.tmp.parent))
            os.rmdir(old)
            os.rename(self.out, old)
        try:
            os.rename(self.tmp, self.out)
        except OSError:
            if old is not None:
                os.rename(old, self.out)
            raise
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
        self.committed = True

    def discard(self) -> None:
        shutil.rmtree(self.tmp, ignore_errors=True)

    def __enter__(self) -> OutputFolder:
        return self

    def __exit__(self, *exc: object) -> None:
        if not self.committed:
            self.discard()


def _arrow(frame: Any) -> Any:
    """An Arrow table for writing: dates at midnight as date32, categoricals as text."""
    import pyarrow as pa

    if isinstance(frame, pa.Table):
        return frame
    columns = {}
    for name in frame.columns:
        col = frame[name]
        if isinstance(col.dtype, pd.CategoricalDtype):
            col = col.astype(object)
        if pd.api.types.is_datetime64_any_dtype(col):
            values = col.dt.tz_localize(None) if getattr(col.dt, "tz", None) else col
            raw = values.to_numpy(dtype="datetime64[ns]")
            days = raw.astype("datetime64[D]")
            mask = np.isnat(raw)
            if bool((raw[~mask] == days[~mask]).all()):
                columns[name] = pa.array(days, mask=mask, type=pa.date32())
                continue
        columns[name] = pa.Array.from_pandas(col)
    return pa.table(columns)


def write_table(frame: Any, path: Path, fmt: OutputFormat = "csv") -> None:
    """Write a pandas DataFrame or Arrow table as CSV (Arrow's writer) or Parquet."""
    table = _arrow(frame)
    if fmt == "parquet":
        import pyarrow.parquet as pq

        pq.write_table(table, path)
        return
    import pyarrow.csv as pcsv

    pcsv.write_csv(table, path, write_options=pcsv.WriteOptions(quoting_style="needed"))


def result_tables(result: Any) -> Iterator[tuple[str, Any]]:
    """(name, table) for every table a result exposes, so new tables need no writer change.

    A result's ``tables()`` method wins; else every DataFrame field of a dataclass result.
    """
    tables = getattr(result, "tables", None)
    if callable(tables):
        yield from dict(tables()).items()
        return
    if dataclasses.is_dataclass(result):
        for f in dataclasses.fields(result):
            value = getattr(result, f.name)
            if isinstance(value, pd.DataFrame):
                yield f.name, value
