"""Reading and checking input tables (CSV, Parquet or DataFrame) for the outcomes engine.

Every problem raises :class:`~msstem.errors.DataError` naming the table, the
column and the first offending rows; nothing is silently dropped or changed.
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from msstem.errors import DataError

__all__ = ["example", "first_rows", "parse_dates", "read_table", "require_columns"]

#: How many offending rows an error message lists.
MAX_ROWS_IN_MESSAGE = 5


def first_rows(mask: pd.Series[bool]) -> str:
    """'rows 3, 7, 9' (1-based data rows, header excluded) for the first offending rows."""
    idx = [int(i) + 1 for i in mask.to_numpy().nonzero()[0][:MAX_ROWS_IN_MESSAGE]]
    more = int(mask.sum()) - len(idx)
    text = ", ".join(str(i) for i in idx)
    return f"row{'s' if len(idx) > 1 else ''} {text}" + (f" (and {more} more)" if more else "")


def example(value: object) -> str:
    """An offending value as the user wrote it: ``3.25``, ``'2020-13-01'`` (not numpy reprs)."""
    item = getattr(value, "item", None)
    if callable(item):
        with contextlib.suppress(TypeError, ValueError):
            value = item()
    return repr(value)


def read_table(source: str | Path | pd.DataFrame, table: str) -> pd.DataFrame:
    """Read a CSV or Parquet file (by suffix), or take a DataFrame as is (not copied).

    ``table`` names the input in messages (``visits``, ``relapses``, ``mri``...).
    """
    if isinstance(source, pd.DataFrame):
        frame = source
    else:
        path = Path(source)
        if not path.exists():
            raise DataError(f"{table}: file {str(path)!r} does not exist", field=table)
        try:
            if path.suffix.lower() in {".parquet", ".pq"}:
                frame = pd.read_parquet(path)
            else:
                frame = pd.read_csv(path, dtype_backend="numpy_nullable", keep_default_na=True)
        except pd.errors.EmptyDataError:
            raise DataError(f"{table}: file {str(path)!r} is empty", field=table) from None
        except (OSError, ValueError, pd.errors.ParserError) as exc:
            first = str(exc).splitlines()[0] if str(exc) else exc.__class__.__name__
            raise DataError(
                f"{table}: file {str(path)!r} cannot be read: {first}", field=table
            ) from None
    if len(frame) == 0:
        raise DataError(f"{table}: the table has no rows", field=table)
    return frame


def require_columns(frame: pd.DataFrame, columns: Sequence[str], table: str) -> None:
    """Raise if any of ``columns`` is missing, listing the columns that are there."""
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        have = ", ".join(map(str, frame.columns))
        raise DataError(
            f"{table}: missing column{'s' if len(missing) > 1 else ''} "
            f"{', '.join(repr(c) for c in missing)}; the table has: {have}",
            field=missing[0],
        )


def parse_dates(frame: pd.DataFrame, column: str, table: str) -> pd.Series[pd.Timestamp]:
    """The column as datetime64 (day precision); unparseable or empty dates raise."""
    raw = frame[column]
    if pd.api.types.is_datetime64_any_dtype(raw):
        parsed = raw
    else:
        parsed = pd.to_datetime(raw.astype("string"), errors="coerce", format="ISO8601")
    bad = parsed.isna()
    if bad.any():
        first = raw[bad].iloc[0]
        raise DataError(
            f"{table}: column {column!r} has missing or unparseable dates at {first_rows(bad)} "
            f"(e.g. {example(first)}); use YYYY-MM-DD",
            field=column,
        )
    normalized: pd.Series[pd.Timestamp] = parsed.dt.normalize()
    return normalized
