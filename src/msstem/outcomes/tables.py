"""Input tables in memory (pandas, polars or Arrow) for the outcomes engine: columns and checks.

The outcomes engine never reads files: :mod:`msstem.io.cohort_tables` reads CSV and Parquet
(ids as text, in one pass) and hands over an Arrow table; Python callers may pass a pandas or
polars DataFrame or a pyarrow Table directly. Every problem raises
:class:`~msstem.errors.DataError` naming the table, the column and the first offending rows;
nothing is silently dropped or changed.
"""

from __future__ import annotations

import contextlib
import warnings
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt
import pandas as pd

from msstem.errors import DataError

__all__ = [
    "MAX_QUOTED",
    "FrameLike",
    "Source",
    "as_frame",
    "columns_of",
    "example",
    "first_rows",
    "parse_dates",
    "quote",
    "require_columns",
]

#: How many offending rows an error message lists.
MAX_ROWS_IN_MESSAGE = 5
#: How many characters of a user's value a message quotes (then an ellipsis).
MAX_QUOTED = 60


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


def quote(value: object, limit: int = MAX_QUOTED) -> str:
    """A user's value for a message: repr-quoted, at most ``limit`` characters, with an
    ellipsis when cut, and control characters named (``'a\\x07b' (control character)``)."""
    item = getattr(value, "item", None)
    if callable(item) and not isinstance(value, str):
        with contextlib.suppress(TypeError, ValueError):
            value = item()
    if isinstance(value, int) and not isinstance(value, bool):
        digits = int(value.bit_length() * 0.30103) + 1
        text = str(value) if value.bit_length() < 200 else f"<a number of about {digits} digits>"
        return text if len(text) <= limit else text[:limit] + "…"
    raw = value if isinstance(value, str) else repr(value)
    control = any(ord(c) < 32 or 127 <= ord(c) < 160 for c in raw)
    cut = raw[:limit]
    text = repr(cut) if isinstance(value, str) else cut
    if len(raw) > limit:
        text += "…"
    return text + (" (control character)" if control else "")


def example(value: object) -> str:
    """An offending value as the user wrote it: ``3.25``, ``'2020-13-01'`` (not numpy reprs)."""
    return quote(value)


class FrameLike(Protocol):
    """A table that converts itself to pandas: a polars DataFrame, a pyarrow Table."""

    def to_pandas(self) -> pd.DataFrame: ...


#: What every outcomes function accepts: a table in memory (pandas, polars or Arrow).
#: Files are read by :func:`msstem.io.read_table` (which returns an Arrow table).
Source = pd.DataFrame | FrameLike


def _no_paths(source: object, table: str) -> None:
    if isinstance(source, str | Path):
        raise DataError(f"{table}: got a file path ({quote(str(source))}); read files with "
                        "msstem.io.read_table(path) and pass the table", field=table)


def _duplicate_names(names: Sequence[object], table: str) -> None:
    counts = Counter(str(n) for n in names)
    dup = [n for n, c in counts.items() if c > 1]
    if dup:
        raise DataError(f"{table}: column {quote(dup[0])} appears {counts[dup[0]]} times in the "
                        "header; give each column one name", field=dup[0])


def _arrow_of(source: object, table: str) -> Any | None:
    """An Arrow table for pyarrow and polars input, None for pandas."""
    if isinstance(source, pd.DataFrame):
        return None
    import pyarrow as pa

    if isinstance(source, pa.Table):
        return source
    to_arrow = getattr(source, "to_arrow", None)
    if callable(to_arrow):
        out = to_arrow()
        if isinstance(out, pa.Table):
            return out
    return None


def as_frame(source: Source, table: str, *, allow_empty: bool = False) -> pd.DataFrame:
    """A pandas view of an in-memory table (pandas as is, not copied; Arrow/polars converted).

    ``table`` names the input in messages (``visits``, ``relapses``, ``mri``...). A table
    with no rows is an error unless ``allow_empty`` (relapses: a cohort with no relapses).
    Subject-id columns keep their spelling: convert them with
    :func:`msstem.outcomes.ids.id_text`, never by type guessing.
    """
    _no_paths(source, table)
    if isinstance(source, pd.DataFrame):
        frame = source
    else:
        arrow = _arrow_of(source, table)
        if arrow is not None:
            _duplicate_names(arrow.column_names, table)
            frame = arrow.to_pandas(types_mapper=_string_mapper, date_as_object=False)
        else:
            frame = _from_frame_like(source, table)
    _duplicate_names(list(frame.columns), table)
    if len(frame) == 0 and not allow_empty:
        raise DataError(f"{table}: the table has no rows", field=table)
    return frame


def _string_mapper(typ: Any) -> Any:
    import pyarrow as pa

    if pa.types.is_string(typ) or pa.types.is_large_string(typ):
        return pd.StringDtype()
    return None


def columns_of(source: Source, columns: list[str], table: str,
               allow_empty: bool = False) -> dict[str, Any]:
    """The named columns as Arrow (chunked) arrays, or pandas Series for pandas input."""
    _no_paths(source, table)
    arrow = _arrow_of(source, table)
    if arrow is None:
        frame = as_frame(source, table, allow_empty=allow_empty)
        require_columns(frame, columns, table)
        return {c: frame[c] for c in columns}
    _duplicate_names(arrow.column_names, table)
    missing = [c for c in columns if c not in arrow.column_names]
    if missing:
        raise DataError(
            f"{table}: missing column{'s' if len(missing) > 1 else ''} "
            f"{', '.join(quote(c) for c in missing)}; the table has: "
            f"{_names(arrow.column_names)}", field=missing[0])
    if arrow.num_rows == 0 and not allow_empty:
        raise DataError(f"{table}: the table has no rows", field=table)
    # Chunked arrays as they are: each is turned into one numpy array once, downstream.
    return {c: arrow.column(c) for c in columns}


def _names(names: Sequence[object]) -> str:
    shown = ", ".join(quote(str(n), 30).strip("'") for n in list(names)[:12])
    return shown + (f" (and {len(names) - 12} more)" if len(names) > 12 else "")


def _from_frame_like(source: object, table: str) -> pd.DataFrame:
    convert = getattr(source, "to_pandas", None)
    if not callable(convert):
        raise DataError(f"{table}: expected a pandas or polars DataFrame or a pyarrow Table, "
                        f"got {type(source).__name__}", field=table)
    frame = convert()
    if not isinstance(frame, pd.DataFrame):
        raise DataError(f"{table}: {type(source).__name__}.to_pandas() did not return a pandas "
                        "DataFrame", field=table)
    return frame


def require_columns(frame: pd.DataFrame, columns: Sequence[str], table: str) -> None:
    """Raise if any of ``columns`` is missing, listing the columns that are there."""
    _duplicate_names(list(frame.columns), table)
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise DataError(
            f"{table}: missing column{'s' if len(missing) > 1 else ''} "
            f"{', '.join(quote(c) for c in missing)}; the table has: {_names(list(frame.columns))}",
            field=missing[0],
        )


def parse_dates(frame: pd.DataFrame, column: str, table: str) -> pd.Series[pd.Timestamp]:
    """The column as datetime64 (day precision); unparseable or empty dates raise."""
    raw = frame[column]
    if pd.api.types.is_datetime64_any_dtype(raw):
        parsed = raw
    else:
        text = raw.astype("string")
        with warnings.catch_warnings():
            # pandas warns (and returns objects) for mixed UTC offsets: an error below
            warnings.simplefilter("ignore", FutureWarning)
            warnings.simplefilter("ignore", UserWarning)
            try:
                parsed = pd.to_datetime(text, errors="coerce", format="ISO8601")
            except (ValueError, OverflowError, TypeError):
                parsed = pd.to_datetime(text.where(text.str.len() <= 40), errors="coerce",
                                        format="ISO8601")
        if not pd.api.types.is_datetime64_any_dtype(parsed):
            raise DataError(
                f"{table}: column {quote(column)} mixes time zones (UTC offsets); give plain "
                "dates (YYYY-MM-DD)",
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
            f"{table}: column {quote(column)} has missing or unparseable dates at "
            f"{first_rows(bad)} (e.g. {example(first)}); use YYYY-MM-DD",
            field=column,
        )
    normalized: pd.Series[pd.Timestamp] = parsed.dt.normalize()
    return normalized
