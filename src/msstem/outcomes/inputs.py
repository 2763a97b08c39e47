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

import contextlib
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from msstem.clinical.edss import EDSS_MAX, describe_grid
from msstem.errors import DataError
from msstem.outcomes.deltas import SDMT_MAX
from msstem.outcomes.ids import match_ids, raw_ids, subject_codes
from msstem.outcomes.options import ProgressionOptions
from msstem.outcomes.tables import Source, columns_of, first_rows, parse_dates, quote
from msstem.outcomes.tables import example as _example

__all__ = ["CohortArrays", "load_cohort", "lookup_ids", "unknown_relapses_warning"]

#: msprog warns (does not fail) above these times in seconds (montobbio-2024-msprog).
NHPT_WARN_ABOVE = 300.0
T25FW_WARN_ABOVE = 180.0
#: How many (id, date) pairs a policy warning lists.
MAX_LISTED = 5

IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True)
class CohortArrays:
    """Columnar cohort: visits and relapses sorted by (subject, day)."""

    subject_ids: npt.NDArray[Any]  # one entry per subject: the id as text, in natural order
    visit_offsets: IntArray  # len n_subjects + 1
    visit_days: npt.NDArray[np.int32]
    visit_values: npt.NDArray[np.float64]
    relapse_offsets: IntArray  # len n_subjects + 1 (aligned with subject_ids)
    relapse_days: npt.NDArray[np.int32]
    warnings: tuple[str, ...]
    #: The ids as numbers when the visits' ids were whole numbers (else None): for lookups.
    subject_numbers: IntArray | None = None
    #: relapse end dates aligned with ``relapse_days`` (``relapse_end_col``), or None
    relapse_ends: npt.NDArray[np.int32] | None = None
    #: per visit: may it confirm an event (``validconf_col``)? None: every visit may
    visit_can_confirm: npt.NDArray[np.bool_] | None = None

    @property
    def n_subjects(self) -> int:
        return len(self.subject_ids)


def _days(col: Any, name: str, table: str) -> npt.NDArray[np.int32]:
    """Dates as int32 days since 1970-01-01 (time of day dropped, like msprog's ``.days``)."""
    if not isinstance(col, pd.Series):
        import pyarrow as pa
        import pyarrow.compute as pc

        if pa.types.is_date32(col.type) and col.null_count == 0:
            out: npt.NDArray[np.int32] = pc.cast(col, pa.int32()).to_numpy()
            return out
        if (pa.types.is_string(col.type) or pa.types.is_large_string(col.type)) \
                and col.null_count == 0:
            try:  # plain YYYY-MM-DD text (CSV): Arrow parses it without pandas
                dates = pc.cast(col, pa.date32())
            except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
                pass
            else:
                fast: npt.NDArray[np.int32] = pc.cast(dates, pa.int32()).to_numpy()
                return fast
        col = col.to_pandas()
        col = pd.Series(col) if not isinstance(col, pd.Series) else col
    parsed = parse_dates(pd.DataFrame({name: col}, copy=False), name, table)
    raw = parsed.to_numpy(dtype="datetime64[ns]") if parsed.dt.tz is None else (
        parsed.dt.tz_localize(None).to_numpy(dtype="datetime64[ns]")
    )
    return raw.astype("datetime64[D]").astype(np.int64).astype(np.int32)


#: Dates msstem can hold (pandas' nanosecond range, whole days).
MIN_DAY = int(np.datetime64("1677-09-22", "D").astype(np.int64))
MAX_DAY = int(np.datetime64("2262-04-10", "D").astype(np.int64))


def _check_day_range(days: npt.NDArray[np.int32], name: str, table: str) -> None:
    out = (days < MIN_DAY) | (days > MAX_DAY)
    if out.any():
        raise DataError(f"{table}: column {quote(name)} has dates outside 1677-09-22..2262-04-10 "
                        f"at {first_rows(out)} (e.g. {np.datetime64(int(days[out][0]), 'D')})",
                        field=name)


def _numbers(col: Any, name: str, table: str) -> npt.NDArray[np.float64]:
    if not isinstance(col, pd.Series):
        import pyarrow as pa

        if (pa.types.is_string(col.type) or pa.types.is_large_string(col.type)) \
                and col.null_count == 0:
            import pyarrow.compute as pc

            with contextlib.suppress(pa.ArrowInvalid, pa.ArrowNotImplementedError):
                col = pc.cast(col, pa.float64())  # numbers written as text (CSV)
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
    raw = columns_of(visits, vcols + ([vc] if vc else []), "visits")
    ids = raw_ids(raw[opts.subject_col], opts.subject_col, "visits")
    days = _days(raw[opts.date_col], opts.date_col, "visits")
    values = _numbers(raw[opts.value_col], opts.value_col, "visits")
    can_confirm = None if vc is None else _booleans(raw[vc], vc, "visits")
    del raw
    _check_values(values, opts, "visits", warnings)
    _check_day_range(days, opts.date_col, "visits")

    codes, uniques, numbers = subject_codes(ids)
    del ids
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
        rel_offsets, rel_days, rel_ends = _load_relapses(relapses, uniques, opts, warnings,
                                                         numbers)

    return CohortArrays(
        subject_ids=uniques,
        visit_offsets=visit_offsets,
        visit_days=np.ascontiguousarray(days, dtype=np.int32),
        visit_values=np.ascontiguousarray(values, dtype=np.float64),
        relapse_offsets=rel_offsets,
        relapse_days=np.ascontiguousarray(rel_days, dtype=np.int32),
        warnings=tuple(warnings),
        subject_numbers=numbers,
        relapse_ends=None if rel_ends is None else np.ascontiguousarray(rel_ends, np.int32),
        visit_can_confirm=can_confirm,
    )


def _load_relapses(source: Source, uniques: npt.NDArray[Any], opts: ProgressionOptions,
                   warnings: list[str], numbers: IntArray | None = None,
                   ) -> tuple[IntArray, npt.NDArray[np.int32], npt.NDArray[np.int32] | None]:
    scol, dcol, ecol = opts.relapse_subject_col, opts.relapse_date_col, opts.relapse_end_col
    if scol == dcol:
        raise DataError(f"relapses: subject and date columns must differ (given {scol!r})",
                        field=dcol)
    if ecol is not None and ecol in (scol, dcol):
        raise DataError(f"relapses: relapse_end_col {ecol!r} must differ from the subject and "
                        "onset-date columns", field=ecol)
    # A header with no rows is a cohort without relapses: allowed, and said so.
    raw = columns_of(source, [scol, dcol] + ([ecol] if ecol else []), "relapses",
                     allow_empty=True)
    if len(raw[scol]) == 0:
        warnings.append("relapses: the table has no rows; every subject is taken as "
                        "relapse-free")
        return (np.zeros(len(uniques) + 1, dtype=np.int64), np.zeros(0, dtype=np.int32),
                None if ecol is None else np.zeros(0, dtype=np.int32))
    rids = raw_ids(raw[scol], scol, "relapses")
    rdays = _days(raw[dcol], dcol, "relapses")
    _check_day_range(rdays, dcol, "relapses")
    rends = None if ecol is None else _days(raw[ecol], ecol, "relapses")
    if rends is not None:
        _check_day_range(rends, ecol or dcol, "relapses")
        early = rends < rdays
        if early.any():
            i = int(np.flatnonzero(early)[0])
            raise DataError(
                f"relapses: column {ecol!r} has end dates before the onset ({dcol!r}) at "
                f"{first_rows(early)} (e.g. onset {np.datetime64(int(rdays[i]), 'D')}, end "
                f"{np.datetime64(int(rends[i]), 'D')})",
                field=ecol,
            )
    codes = lookup_ids(uniques, rids, "relapses", scol, opts.id_match, warnings, numbers)
    unknown = codes < 0
    if unknown.any():
        names = ", ".join(_example(str(x)) for x in pd.unique(rids[unknown])[:MAX_LISTED])
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
    rows = np.flatnonzero(~unknown) if unknown.any() else np.arange(len(codes), dtype=np.int64)
    order = _sort_order(codes, rdays)
    if order is not None:
        codes, rdays, rows = codes[order], rdays[order], rows[order]
        rends = None if rends is None else rends[order]
    same = (codes[1:] == codes[:-1]) & (rdays[1:] == rdays[:-1])
    if same.any():
        kept = np.ones(len(codes), dtype=bool)
        kept[np.flatnonzero(same) + 1] = False  # the copies _duplicate_relapses drops
        codes, rdays = _duplicate_relapses(codes, rdays, rows, same, uniques, opts, warnings)
        rends = None if rends is None else rends[kept]
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
            f"e.g. subject {_example(str(uniques[codes[i]]))}: "
            f"{np.datetime64(int(rdays[i]), 'D')} to {np.datetime64(int(rends[i]), 'D')}, then "
            f"{np.datetime64(int(rdays[i + 1]), 'D')}; merge or correct them",
            field=opts.relapse_end_col or opts.relapse_date_col,
        )


def _duplicate_relapses(codes: IntArray, rdays: npt.NDArray[np.int32], rows: IntArray,
                        same: npt.NDArray[np.bool_], uniques: npt.NDArray[Any],
                        opts: ProgressionOptions,
                        warnings: list[str]) -> tuple[IntArray, npt.NDArray[np.int32]]:
    """Same-subject same-day relapse rows: an error, or collapsed with a warning."""
    second = np.flatnonzero(same) + 1
    where = _pairs(uniques[codes[second]], rdays[second])
    if opts.duplicate_relapses == "error":
        mask = np.zeros(int(rows.max()) + 1, dtype=bool)
        mask[rows[second]] = True
        raise DataError(
            f"relapses: {len(second)} relapse row(s) repeat a subject's onset date at "
            f"{first_rows(mask)} ({where}); a relapse counts once: remove the copies or set "
            "duplicate_relapses='collapse'", field=opts.relapse_date_col)
    warnings.append(f"relapses: {len(second)} repeated relapse row(s) (same subject and onset "
                    f"date) were counted once (duplicate_relapses='collapse'): {where}")
    keep = np.ones(len(codes), dtype=bool)
    keep[second] = False
    return codes[keep], rdays[keep]


def unknown_relapses_warning(unknown_ids: Any) -> str:
    """The warning for relapses dropped under ``unknown_relapse_subjects='drop'``.

    One wording for the progression engine and the analytics cohort, so the CLI can show it
    once. ``unknown_ids``: the subject id of each dropped relapse, in file order.
    """
    ids = pd.unique(pd.Series(np.asarray(unknown_ids, dtype=object)).map(str).to_numpy())
    shown = ", ".join(ids[:MAX_LISTED]) + (" ..." if len(ids) > MAX_LISTED else "")
    return (f"relapses: dropped {len(unknown_ids)} relapse(s) of {len(ids)} subject(s) with "
            f"no visits (unknown_relapse_subjects='drop'): ids {shown}")


def lookup_ids(uniques: npt.NDArray[Any], ids: npt.NDArray[Any], table: str, column: str,
               policy: Any, warnings: list[str], numbers: IntArray | None = None) -> IntArray:
    """Position of each id (from :func:`~msstem.outcomes.ids.raw_ids`) among the visits'
    subjects (text, natural order), -1 if absent; type-change matches per ``policy``.

    ``numbers``: the visits' ids as numbers, when they were whole numbers (sorted): whole
    numbers on both sides are compared as numbers (the same as their canonical text).
    """
    if ids.dtype.kind in "iu" and numbers is not None and len(numbers):
        pos = np.minimum(np.searchsorted(numbers, ids), len(numbers) - 1)
        found = np.where(numbers[pos] == ids, pos, -1).astype(np.int64)
        if bool((found >= 0).all()):
            return found
    text = ids.astype(str).astype(object) if ids.dtype.kind in "iu" else ids
    return match_ids(uniques, text, table, column, policy, warnings)
