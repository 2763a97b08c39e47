"""Reading and checking input tables (CSV, Parquet or DataFrame) for the outcomes engine.

Every problem raises :class:`~msstem.errors.DataError` naming the table, the
column and the first offending rows; nothing is silently dropped or changed.
"""

from __future__ import annotations

import contextlib
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

import numpy as np
import numpy.typing as npt
import pandas as pd

from msstem.errors import DataError

__all__ = [
    "FrameLike",
    "Source",
    "example",
    "first_rows",
    "parse_dates",
    "read_table",
    "require_columns",
]

#: How many offending rows an error message lists.
MAX_ROWS_IN_MESSAGE = 5


def first_rows(mask: pd.Series[bool] | npt.NDArray[np.bool_],
               positions: npt.NDArray[np.int64] | None = None) -> str:
    """'rows 3, 7, 9' (1-based data rows, header excluded) for the first offending rows.

    ``positions`` maps the mask's order back to the rows of the table as given (for masks
    over data that was sorted first).
    """
    idx = np.flatnonzero(np.asarray(mask))
    if positions is not None:
        idx = np.sort(positions[idx])
    shown = [str(int(i) + 1) for i in idx[:MAX_ROWS_IN_MESSAGE]]
    more = len(idx) - len(shown)
    text = ", ".join(shown)
    return f"row{'s' if len(idx) > 1 else ''} {text}" + (f" (and {more} more)" if more else "")


def example(value: object) -> str:
    """An offending value as the user wrote it: ``3.25``, ``'2020-13-01'`` (not numpy reprs)."""
    item = getattr(value, "item", None)
    if callable(item):
        with contextlib.suppress(TypeError, ValueError):
            value = item()
    return repr(value)


class FrameLike(Protocol):
    """A table that converts itself to pandas: a polars DataFrame, a pyarrow Table."""

    def to_pandas(self) -> pd.DataFrame: ...


#: What every outcomes reader accepts: a CSV or Parquet path, or a table in memory.
Source = str | Path | pd.DataFrame | FrameLike


def read_table(source: Source, table: str, *, allow_empty: bool = False) -> pd.DataFrame:
    """Read a CSV or Parquet file (by suffix), or take a DataFrame as is (not copied).

    A polars DataFrame (or anything else with ``to_pandas()``) is converted to pandas.

    ``table`` names the input in messages (``visits``, ``relapses``, ``mri``...). A table
    with a header and no rows is an error unless ``allow_empty`` (relapses: a cohort with
    no relapses); a file with no header at all is always an error.
    """
    if isinstance(source, pd.DataFrame):
        frame = source
    elif not isinstance(source, str | Path):
        frame = _from_frame_like(source, table)
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
    if len(frame) == 0 and not allow_empty:
        raise DataError(f"{table}: the table has no rows", field=table)
    return frame


def _from_frame_like(source: object, table: str) -> pd.DataFrame:
    convert = getattr(source, "to_pandas", None)
    if not callable(convert):
        raise DataError(f"{table}: expected a CSV or Parquet path or a pandas or polars "
                        f"DataFrame, got {type(source).__name__}", field=table)
    frame = convert()
    if not isinstance(frame, pd.DataFrame):
        raise DataError(f"{table}: {type(source).__name__}.to_pandas() did not return a pandas "
                        "DataFrame", field=table)
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
        with warnings.catch_warnings():
            # pandas warns (and returns objects) for mixed UTC offsets: an error below
            warnings.simplefilter("ignore", FutureWarning)
            parsed = pd.to_datetime(raw.astype("string"), errors="coerce", format="ISO8601")
        if not pd.api.types.is_datetime64_any_dtype(parsed):
            raise DataError(
                f"{table}: column {column!r} mixes time zones (UTC offsets); give plain dates "
                "(YYYY-MM-DD)",
                field=column,
            )
    if getattr(parsed.dt, "tz", None) is not None:
        # A visit happens on a local calendar day: keep the wall-clock date, drop the zone
        # (comparing zoned with plain dates from another table would otherwise fail).
        parsed = parsed.dt.tz_localize(None)
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
