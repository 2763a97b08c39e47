"""Visits and relapses: loading, validation and the columnar layout the kernel needs.

Input is a DataFrame, or a CSV or Parquet path. The result is sorted by (subject, date),
dates are int32 day numbers (days since 1970-01-01), and subjects are described by offsets
into the flat arrays: subject ``s`` owns rows ``offsets[s]:offsets[s+1]``.

Nothing is silently changed. Every problem raises :class:`~msstem.errors.DataError` naming
the table, the column and the first offending rows; the two explicit policies
(``duplicate_visits``, ``unknown_relapse_subjects``) add a warning listing what they did.
Same-day visits with the same value are collapsed with a warning under every policy (they
carry no conflicting information); with different values they are an error unless a
policy says which row to keep.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from msstem.clinical.edss import EDSS_MAX, describe_grid
from msstem.errors import DataError
from msstem.outcomes.deltas import SDMT_MAX
from msstem.outcomes.options import ProgressionOptions
from msstem.outcomes.tables import (
    Source,
    first_rows,
    parse_dates,
    read_table,
    require_columns,
)
from msstem.outcomes.tables import example as _example

__all__ = ["CohortArrays", "load_cohort", "unknown_relapses_warning"]

#: msprog warns (does not fail) above these times in seconds (montobbio-2024-msprog).
NHPT_WARN_ABOVE = 300.0
T25FW_WARN_ABOVE = 180.0
#: How many (id, date) pairs a policy warning lists.
MAX_LISTED = 5

IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True)
class CohortArrays:
    """Columnar cohort: visits and relapses sorted by (subject, day)."""

    subject_ids: npt.NDArray[Any]  # one entry per subject, original id values
    visit_offsets: IntArray  # len n_subjects + 1
    visit_days: npt.NDArray[np.int32]
    visit_values: npt.NDArray[np.float64]
    relapse_offsets: IntArray  # len n_subjects + 1 (aligned with subject_ids)
    relapse_days: npt.NDArray[np.int32]
    warnings: tuple[str, ...]
    #: relapse end dates aligned with ``relapse_days`` (``relapse_end_col``), or None
    relapse_ends: npt.NDArray[np.int32] | None = None
    #: per visit: may it confirm an event (``validconf_col``)? None: every visit may
    visit_can_confirm: npt.NDArray[np.bool_] | None = None

    @property
    def n_subjects(self) -> int:
        return len(self.subject_ids)


def _read_columns(source: Source, columns: list[str], table: str,
                  allow_empty: bool = False) -> dict[str, Any]:
    """The named columns as pandas Series or Arrow arrays, reading only those columns."""
    if isinstance(source, str | Path) and Path(source).suffix.lower() in {".parquet", ".pq"}:
        import pyarrow.parquet as pq

        path = Path(source)
        if not path.exists():
            raise DataError(f"{table}: file {str(path)!r} does not exist", field=table)
        try:
            schema = pq.read_schema(path)
        except (OSError, ValueError) as exc:
            first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            raise DataError(f"{table}: file {str(path)!r} cannot be read: {first}") from None
        missing = [c for c in columns if c not in schema.names]
        if missing:
            raise DataError(
                f"{table}: missing column{'s' if len(missing) > 1 else ''} "
                f"{', '.join(repr(c) for c in missing)}; the table has: {', '.join(schema.names)}",
                field=missing[0],
            )
        arrow = pq.read_table(path, columns=columns)
        if arrow.num_rows == 0 and not allow_empty:
            raise DataError(f"{table}: the table has no rows", field=table)
        return {c: arrow.column(c).combine_chunks() for c in columns}
    frame = read_table(source, table, allow_empty=allow_empty)
    require_columns(frame, columns, table)
    return {c: frame[c] for c in columns}


def _days(col: Any, name: str, table: str) -> npt.NDArray[np.int32]:
    """Dates as int32 days since 1970-01-01 (time of day dropped, like msprog's ``.days``)."""
    if not isinstance(col, pd.Series):
        import pyarrow as pa
        import pyarrow.compute as pc

        if pa.types.is_date32(col.type) and col.null_count == 0:
            out: npt.NDArray[np.int32] = pc.cast(col, pa.int32()).to_numpy()
            return out
        col = col.to_pandas()
        col = pd.Series(col) if not isinstance(col, pd.Series) else col
    parsed = parse_dates(pd.DataFrame({name: col}, copy=False), name, table)
    raw = parsed.to_numpy(dtype="datetime64[ns]") if parsed.dt.tz is None else (
        parsed.dt.tz_localize(None).to_numpy(dtype="datetime64[ns]")
    )
    return raw.astype("datetime64[D]").astype(np.int64).astype(np.int32)


def _numbers(col: Any, name: str, table: str) -> npt.NDArray[np.float64]:
    if not isinstance(col, pd.Series):
        import pyarrow as pa

        numeric = pa.types.is_floating(col.type) or pa.types.is_integer(col.type)
        if col.null_count == 0 and numeric:
            fast = np.asarray(col.to_numpy(zero_copy_only=False), dtype=np.float64)
            if bool(np.isfinite(fast).all()):
                return fast
        col = pd.Series(col.to_pandas())
    if not pd.api.types.is_numeric_dtype(col) or pd.api.types.is_bool_dtype(col):
        coerced = pd.to_numeric(col.astype("string"), errors="coerce")
        bad = coerced.isna() & col.notna()
        if bad.any():
            raise DataError(
                f"{table}: column {name!r} must be numbers; not a number at "
                f"{first_rows(bad.to_numpy())} (e.g. {_example(col[bad].iloc[0])})",
                field=name,
            )
        col = coerced
    values: npt.NDArray[np.float64] = col.to_numpy(dtype=np.float64, na_value=np.nan)
    bad_mask = ~np.isfinite(values)
    if bad_mask.any():
        raise DataError(
            f"{table}: column {name!r} has missing or non-finite values at {first_rows(bad_mask)}",
            field=name,
        )
    return values


#: Text accepted as true / false in a ``validconf_col`` (case-insensitive).
_TRUE_WORDS = frozenset({"true", "t", "yes", "y", "1", "1.0"})
_FALSE_WORDS = frozenset({"false", "f", "no", "n", "0", "0.0"})


def _booleans(col: Any, name: str, table: str) -> npt.NDArray[np.bool_]:
    """A boolean-like column (true/false, 1/0, yes/no) as bools; anything else is an error."""
    if not isinstance(col, pd.Series):
        col = pd.Series(col.to_pandas())
    if pd.api.types.is_bool_dtype(col) and not col.isna().any():
        out: npt.NDArray[np.bool_] = col.to_numpy(dtype=bool)
        return out
    text = col.astype("string").str.strip().str.lower()
    true: npt.NDArray[np.bool_] = text.isin(_TRUE_WORDS).fillna(False).to_numpy(dtype=bool)
    false = text.isin(_FALSE_WORDS).fillna(False).to_numpy(dtype=bool)
    bad = ~(true | false)
    if bad.any():
        raise DataError(
            f"{table}: column {name!r} must be true or false (also 1/0, yes/no) for every "
            f"visit; not boolean-like at {first_rows(bad)} (e.g. "
            f"{_example(col[bad].iloc[0])})",
            field=name,
        )
    return true


def _ids(col: Any, name: str, table: str) -> npt.NDArray[Any]:
    if not isinstance(col, pd.Series):
        import pyarrow as pa

        if col.null_count == 0 and pa.types.is_integer(col.type):
            fast: npt.NDArray[np.int64] = np.asarray(col.to_numpy(), dtype=np.int64)
            return fast
        col = pd.Series(col.to_pandas())
    missing = col.isna().to_numpy()
    if missing.any():
        raise DataError(
            f"{table}: column {name!r} has missing ids at {first_rows(missing)}", field=name
        )
    if pd.api.types.is_integer_dtype(col):
        ints: npt.NDArray[np.int64] = col.to_numpy(dtype=np.int64)
        return ints
    if pd.api.types.is_float_dtype(col):
        raise DataError(
            f"{table}: column {name!r} holds decimal numbers; subject ids must be whole numbers "
            "or text",
            field=name,
        )
    objs: npt.NDArray[Any] = col.astype(object).to_numpy()
    return objs


def _codes(ids: npt.NDArray[Any]) -> tuple[IntArray, npt.NDArray[Any]]:
    """Subject codes 0..n-1 in sorted id order (order of appearance if ids are unorderable)."""
    if ids.dtype.kind in "iu" and len(ids) > 1 and bool(np.all(ids[1:] >= ids[:-1])):
        # Fast path for the common case: integer ids already grouped in order.
        change = np.empty(len(ids), dtype=bool)
        change[0] = True
        np.not_equal(ids[1:], ids[:-1], out=change[1:])
        codes = np.cumsum(change, dtype=np.int64) - 1
        return codes, ids[change]
    try:
        codes, uniques = pd.factorize(ids, sort=True)
    except TypeError:  # mixed types: keep order of first appearance
        codes, uniques = pd.factorize(ids, sort=False)
    return codes.astype(np.int64), np.asarray(uniques)


def _sort_order(codes: IntArray, days: npt.NDArray[np.int32]) -> IntArray | None:
    """Stable order by (subject, day), or None when the rows are already in that order."""
    if len(codes) < 2:
        return None
    dc = np.diff(codes)
    if bool(np.all((dc > 0) | ((dc == 0) & (np.diff(days) >= 0)))):
        return None
    key = codes * (1 << 32) + (days.astype(np.int64) - int(days.min()))
    return np.argsort(key, kind="stable").astype(np.int64)


def _offsets(codes: IntArray, n: int) -> IntArray:
    counts = np.bincount(codes, minlength=n)
    out = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(counts, out=out[1:])
    return out


def _pairs(ids: npt.NDArray[Any], days: npt.NDArray[np.int32]) -> str:
    shown = [
        f"{ids[i]!s} on {np.datetime64(int(days[i]), 'D')}"
        for i in range(min(len(ids), MAX_LISTED))
    ]
    more = len(ids) - len(shown)
    return "; ".join(shown) + (f" (and {more} more)" if more else "")


def _check_values(values: npt.NDArray[np.float64], opts: ProgressionOptions, table: str,
                  warnings: list[str]) -> None:
    col, outcome = opts.value_col, opts.outcome
    if outcome == "custom":
        return
    neg = values < 0
    if neg.any():
        raise DataError(
            f"{table}: column {col!r} has negative {outcome.upper()} values at {first_rows(neg)}",
            field=col,
        )
    if outcome == "edss":
        doubled = values * 2
        off = (doubled != np.floor(doubled)) | ((values != 0) & (values < 1)) | (values > EDSS_MAX)
        if off.any():
            raise DataError(
                f"{table}: column {col!r} has EDSS values off the grid at {first_rows(off)} "
                f"(e.g. {_example(values[off][0])}); allowed: {describe_grid()}",
                field=col,
            )
    elif outcome == "sdmt":
        high = values > SDMT_MAX
        if high.any():
            raise DataError(
                f"{table}: column {col!r} has SDMT values above {SDMT_MAX:g} at {first_rows(high)}",
                field=col,
            )
    else:
        limit = NHPT_WARN_ABOVE if outcome == "nhpt" else T25FW_WARN_ABOVE
        high = values > limit
        if high.any():
            warnings.append(
                f"{table}: column {col!r} has {outcome.upper()} times above {limit:g} s at "
                f"{first_rows(high)}; kept as given"
            )


def _dedupe(codes: IntArray, days: npt.NDArray[np.int32], values: npt.NDArray[np.float64],
            uniques: npt.NDArray[Any], opts: ProgressionOptions, table: str,
            warnings: list[str]) -> npt.NDArray[np.bool_] | None:
    """Mask of rows to keep (sorted order), or None when no subject has two visits a day."""
    same = (codes[1:] == codes[:-1]) & (days[1:] == days[:-1])
    if not same.any():
        return None
    first_of_pair = np.flatnonzero(same)  # row i and i+1 share subject and day
    differ = values[first_of_pair] != values[first_of_pair + 1]
    keep = np.ones(len(codes), dtype=bool)
    conflicting = first_of_pair[differ]
    if len(conflicting):
        where = _pairs(uniques[codes[conflicting]], days[conflicting])
        if opts.duplicate_visits == "error":
            raise DataError(
                f"{table}: {len(conflicting)} same-day visit pair(s) with different "
                f"{opts.value_col!r} values (subject {opts.subject_col!r}, date "
                f"{opts.date_col!r}): {where}; fix the data or set duplicate_visits to "
                "'keep_last' or 'keep_first'",
                field=opts.date_col,
            )
        warnings.append(
            f"{table}: {len(conflicting)} same-day visit pair(s) with different values; "
            f"duplicate_visits={opts.duplicate_visits!r} kept the "
            f"{'last' if opts.duplicate_visits == 'keep_last' else 'first'} row in file "
            f"order: {where}"
        )
    identical = first_of_pair[~differ]
    if len(identical):
        warnings.append(
            f"{table}: {len(identical)} same-day visit(s) repeated with the same value were "
            f"collapsed into one: {_pairs(uniques[codes[identical]], days[identical])}"
        )
    if opts.duplicate_visits == "keep_first":
        keep[first_of_pair + 1] = False
    else:  # keep_last, and identical duplicates under "error"
        keep[first_of_pair] = False
    return keep


def load_cohort(visits: Source, relapses: Source | None, opts: ProgressionOptions) -> CohortArrays:
    """Read, validate and lay out visits (and relapses) for the progression kernel."""
    warnings: list[str] = []
    vcols = [opts.subject_col, opts.date_col, opts.value_col]
    if len(set(vcols)) != len(vcols):
        raise DataError(
            f"visits: subject, date and value columns must differ (given {vcols})",
            field=opts.value_col,
        )
    vc = opts.validconf_col
    if vc is not None and vc in vcols:
        raise DataError(f"visits: validconf_col {vc!r} must differ from the subject, date and "
                        "value columns", field=vc)
    raw = _read_columns(visits, vcols + ([vc] if vc else []), "visits")
    ids = _ids(raw[opts.subject_col], opts.subject_col, "visits")
    days = _days(raw[opts.date_col], opts.date_col, "visits")
    values = _numbers(raw[opts.value_col], opts.value_col, "visits")
    can_confirm = None if vc is None else _booleans(raw[vc], vc, "visits")
    del raw
    _check_values(values, opts, "visits", warnings)

    codes, uniques = _codes(ids)
    order = _sort_order(codes, days)
    if order is not None:
        codes, days, values = codes[order], days[order], values[order]
        can_confirm = None if can_confirm is None else can_confirm[order]
    keep = _dedupe(codes, days, values, uniques, opts, "visits", warnings)
    if keep is not None:
        codes, days, values = codes[keep], days[keep], values[keep]
        can_confirm = None if can_confirm is None else can_confirm[keep]
    n = len(uniques)
    visit_offsets = _offsets(codes, n)
    del codes

    rel_ends: npt.NDArray[np.int32] | None = None
    if relapses is None:
        rel_offsets = np.zeros(n + 1, dtype=np.int64)
        rel_days = np.zeros(0, dtype=np.int32)
        if opts.relapse_end_col is not None:
            rel_ends = rel_days
    else:
        rel_offsets, rel_days, rel_ends = _load_relapses(relapses, uniques, opts, warnings)

    return CohortArrays(
        subject_ids=uniques,
        visit_offsets=visit_offsets,
        visit_days=np.ascontiguousarray(days, dtype=np.int32),
        visit_values=np.ascontiguousarray(values, dtype=np.float64),
        relapse_offsets=rel_offsets,
        relapse_days=np.ascontiguousarray(rel_days, dtype=np.int32),
        warnings=tuple(warnings),
        relapse_ends=None if rel_ends is None else np.ascontiguousarray(rel_ends, np.int32),
        visit_can_confirm=can_confirm,
    )


def _load_relapses(source: Source, uniques: npt.NDArray[Any], opts: ProgressionOptions,
                   warnings: list[str],
                   ) -> tuple[IntArray, npt.NDArray[np.int32], npt.NDArray[np.int32] | None]:
    scol, dcol, ecol = opts.relapse_subject_col, opts.relapse_date_col, opts.relapse_end_col
    if scol == dcol:
        raise DataError(f"relapses: subject and date columns must differ (given {scol!r})",
                        field=dcol)
    if ecol is not None and ecol in (scol, dcol):
        raise DataError(f"relapses: relapse_end_col {ecol!r} must differ from the subject and "
                        "onset-date columns", field=ecol)
    # A header with no rows is a cohort without relapses: allowed, and said so.
    raw = _read_columns(source, [scol, dcol] + ([ecol] if ecol else []), "relapses",
                        allow_empty=True)
    if len(raw[scol]) == 0:
        warnings.append("relapses: the table has no rows; every subject is taken as "
                        "relapse-free")
        return (np.zeros(len(uniques) + 1, dtype=np.int64), np.zeros(0, dtype=np.int32),
                None if ecol is None else np.zeros(0, dtype=np.int32))
    rids = _ids(raw[scol], scol, "relapses")
    rdays = _days(raw[dcol], dcol, "relapses")
    rends = None if ecol is None else _days(raw[ecol], ecol, "relapses")
    if rends is not None:
        early = rends < rdays
        if early.any():
            i = int(np.flatnonzero(early)[0])
            raise DataError(
                f"relapses: column {ecol!r} has end dates before the onset ({dcol!r}) at "
                f"{first_rows(early)} (e.g. onset {np.datetime64(int(rdays[i]), 'D')}, end "
                f"{np.datetime64(int(rends[i]), 'D')})",
                field=ecol,
            )
    codes = _lookup(uniques, rids)
    if (codes < 0).any() and (rids.dtype.kind in "iu") != (uniques.dtype.kind in "iu"):
        # e.g. ids read as numbers in one file and as text in the other: compare as text.
        codes = pd.Index(uniques.astype(str)).get_indexer(rids.astype(str))
    unknown = codes < 0
    if unknown.any():
        names = ", ".join(_example(x) for x in pd.unique(rids[unknown])[:MAX_LISTED])
        n_unknown = len(pd.unique(rids[unknown]))
        if opts.unknown_relapse_subjects == "error":
            raise DataError(
                f"relapses: column {scol!r} names {n_unknown} subject(s) with no visits at "
                f"{first_rows(unknown)} (ids {names}); fix the ids or set "
                "unknown_relapse_subjects='drop'",
                field=scol,
            )
        warnings.append(unknown_relapses_warning(rids[unknown]))
        codes, rdays = codes[~unknown], rdays[~unknown]
        rends = None if rends is None else rends[~unknown]
    codes = codes.astype(np.int64)
    order = _sort_order(codes, rdays)
    if order is not None:
        codes, rdays = codes[order], rdays[order]
        rends = None if rends is None else rends[order]
    if rends is not None:
        _check_no_overlap(codes, rdays, rends, uniques, opts)
    return _offsets(codes, len(uniques)), rdays, rends


def _check_no_overlap(codes: IntArray, rdays: npt.NDArray[np.int32],
                      rends: npt.NDArray[np.int32], uniques: npt.NDArray[Any],
                      opts: ProgressionOptions) -> None:
    """Relapses of one subject must not overlap: each starts after the previous one ended."""
    same = codes[1:] == codes[:-1]
    overlap = same & (rdays[1:] <= rends[:-1])
    if overlap.any():
        i = int(np.flatnonzero(overlap)[0])
        raise DataError(
            f"relapses: {int(overlap.sum())} relapse(s) start before the previous relapse of "
            f"the same subject ended ({opts.relapse_date_col!r} vs {opts.relapse_end_col!r}); "
            f"e.g. subject {_example(uniques[codes[i]])}: "
            f"{np.datetime64(int(rdays[i]), 'D')} to {np.datetime64(int(rends[i]), 'D')}, then "
            f"{np.datetime64(int(rdays[i + 1]), 'D')}; merge or correct them",
            field=opts.relapse_end_col or opts.relapse_date_col,
        )


def unknown_relapses_warning(unknown_ids: Any) -> str:
    """The warning for relapses dropped under ``unknown_relapse_subjects='drop'``.

    One wording for the progression engine and the analytics cohort, so the CLI can show it
    once. ``unknown_ids``: the subject id of each dropped relapse, in file order.
    """
    ids = pd.unique(pd.Series(np.asarray(unknown_ids, dtype=object)).map(str).to_numpy())
    shown = ", ".join(ids[:MAX_LISTED]) + (" ..." if len(ids) > MAX_LISTED else "")
    return (f"relapses: dropped {len(unknown_ids)} relapse(s) of {len(ids)} subject(s) with "
            f"no visits (unknown_relapse_subjects='drop'): ids {shown}")


def _lookup(uniques: npt.NDArray[Any], ids: npt.NDArray[Any]) -> IntArray:
    """Position of each id in ``uniques`` (-1 if absent)."""
    # sorted integer ids (the common case): binary search instead of hashing
    if (
        uniques.dtype.kind in "iu"
        and ids.dtype.kind in "iu"
        and len(uniques)
        and (len(uniques) < 2 or bool(np.all(uniques[1:] > uniques[:-1])))
    ):
        pos = np.searchsorted(uniques, ids)
        pos_c = np.minimum(pos, len(uniques) - 1)
        return np.where(uniques[pos_c] == ids, pos_c, -1).astype(np.int64)
    out: IntArray = pd.Index(uniques).get_indexer(ids).astype(np.int64)
    return out
