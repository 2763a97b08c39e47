"""Cohort files (CSV or Parquet) into Arrow tables: visits, relapses, MRI scans, treatments.

One ingestion path for every outcomes table. A file argument must be a readable regular
file (a directory, a FIFO that would block, a device or a missing file is one clear line).
CSV is read with every column as text in one pass: there is no type guessing, so an id
column keeps its spelling (``007`` stays ``007``) and a text id near the end of a numeric
column cannot split a subject; the outcomes engine parses dates and numbers itself and
names the rows it cannot. CSV must be UTF-8 (a byte-order mark is fine). Parquet keeps its
column types (ids are turned into text by the engine). A repeated column name is an error.
"""

from __future__ import annotations

import csv
import io
import stat
from pathlib import Path
from typing import Any

from msstem.errors import DataError
from msstem.outcomes.tables import quote

__all__ = ["PARQUET_SUFFIXES", "check_input_file", "read_table"]

PARQUET_SUFFIXES = frozenset({".parquet", ".pq"})
_PARQUET_MAGIC = b"PAR1"
#: Longest header line read to find the column names (bytes).
MAX_HEADER_BYTES = 1 << 20


def check_input_file(path: str | Path, table: str) -> Path:
    """``path`` if it is a regular file this process can read; else one-line DataError."""
    p = Path(path)
    shown = quote(str(p))
    try:
        info = p.stat()
    except FileNotFoundError:
        raise DataError(f"{table}: file {shown} does not exist", field=table) from None
    except OSError as exc:
        raise DataError(f"{table}: file {shown} cannot be opened ({exc.strerror or exc})",
                        field=table) from None
    if stat.S_ISDIR(info.st_mode):
        raise DataError(f"{table}: {shown} is a directory, not a file", field=table)
    if not stat.S_ISREG(info.st_mode):
        kind = ("a FIFO (named pipe)" if stat.S_ISFIFO(info.st_mode) else
                "a device" if stat.S_ISCHR(info.st_mode) or stat.S_ISBLK(info.st_mode) else
                "a socket" if stat.S_ISSOCK(info.st_mode) else "not a regular file")
        raise DataError(f"{table}: {shown} is {kind}; give a regular CSV or Parquet file",
                        field=table)
    try:
        with p.open("rb") as handle:
            handle.read(0)
    except OSError as exc:
        raise DataError(f"{table}: file {shown} cannot be read ({exc.strerror or exc})",
                        field=table) from None
    return p


def _is_parquet(path: Path) -> bool:
    if path.suffix.lower() in PARQUET_SUFFIXES:
        return True
    with path.open("rb") as handle:
        return handle.read(4) == _PARQUET_MAGIC


def read_table(path: str | Path, table: str, columns: list[str] | None = None) -> Any:
    """The file as a pyarrow Table (``columns``: only these, checked to exist).

    Raises :class:`~msstem.errors.DataError` (one line) for a file that is missing, not a
    regular file, empty, not UTF-8 (CSV), malformed, or that lacks or repeats a column.
    """
    p = check_input_file(path, table)
    if p.stat().st_size == 0:
        raise DataError(f"{table}: file {quote(str(p))} is empty", field=table)
    if _is_parquet(p):
        return _read_parquet(p, table, columns)
    return _read_csv(p, table, columns)


def _check_names(names: list[str], columns: list[str] | None, table: str) -> None:
    from msstem.outcomes.tables import _duplicate_names, _names

    _duplicate_names(names, table)
    if columns is None:
        return
    missing = [c for c in columns if c not in names]
    if missing:
        raise DataError(
            f"{table}: missing column{'s' if len(missing) > 1 else ''} "
            f"{', '.join(quote(c) for c in missing)}; the table has: {_names(names)}",
            field=missing[0])


def _read_parquet(path: Path, table: str, columns: list[str] | None) -> Any:
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        schema = pq.read_schema(path)
        _check_names(list(schema.names), columns, table)
        return pq.read_table(path, columns=columns)
    except DataError:
        raise
    except (OSError, ValueError, pa.ArrowException) as exc:
        raise DataError(f"{table}: file {quote(str(path))} cannot be read as Parquet: "
                        f"{_first_line(exc)}", field=table) from None


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text[:120] + ("…" if len(text) > 120 else "")


def _header(path: Path, table: str) -> list[str]:
    with path.open("rb") as handle:
        raw = handle.readline(MAX_HEADER_BYTES)
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        line = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise DataError(f"{table}: file {quote(str(path))} is not UTF-8 text (header line); "
                        "save it as UTF-8 CSV", field=table) from None
    if "\x00" in line:
        raise DataError(f"{table}: file {quote(str(path))} is not a CSV text file (NUL bytes); "
                        "give a UTF-8 CSV or a Parquet file", field=table)
    if not line.strip():
        raise DataError(f"{table}: file {quote(str(path))} has no header line", field=table)
    return next(csv.reader(io.StringIO(line)))


def _bad_utf8_row(path: Path) -> int | None:
    """1-based data row of the first line that is not UTF-8 (header = row 0)."""
    with path.open("rb") as handle:
        for number, line in enumerate(handle):
            try:
                line.decode("utf-8")
            except UnicodeDecodeError:
                return number
    return None


def _ragged_row(path: Path, width: int) -> tuple[int, int] | None:
    """(1-based data row, field count) of the first row whose width differs from the header."""
    with path.open(newline="", encoding="utf-8-sig", errors="replace") as handle:
        for number, fields in enumerate(csv.reader(handle)):
            if number and fields and len(fields) != width:
                return number, len(fields)
    return None


def _read_csv(path: Path, table: str, columns: list[str] | None) -> Any:
    import pyarrow as pa
    import pyarrow.csv as pcsv

    names = _header(path, table)
    _check_names(names, columns, table)
    convert = pcsv.ConvertOptions(
        column_types={name: pa.string() for name in names},
        include_columns=columns,
        strings_can_be_null=True,
        quoted_strings_can_be_null=False,
        null_values=[""],
    )
    try:
        return pcsv.read_csv(path, read_options=pcsv.ReadOptions(block_size=1 << 24),
                             convert_options=convert)
    except pa.ArrowInvalid as exc:
        text = str(exc)
        if "UTF8" in text or "utf8" in text.lower():
            row = _bad_utf8_row(path)
            where = f" at row {row}" if row else ""
            raise DataError(f"{table}: file {quote(str(path))} is not UTF-8 text{where}; save "
                            "it as UTF-8 CSV", field=table) from None
        if "columns, got" in text:
            found = _ragged_row(path, len(names))
            if found is not None:
                row, count = found
                raise DataError(f"{table}: row {row} has {count} fields but the header has "
                                f"{len(names)}; check the commas and quotes", field=table) from None
        raise DataError(f"{table}: file {quote(str(path))} is not a well-formed CSV: "
                        f"{_first_line(exc)}", field=table) from None
    except (OSError, pa.ArrowException) as exc:
        raise DataError(f"{table}: file {quote(str(path))} cannot be read: {_first_line(exc)}",
                        field=table) from None

