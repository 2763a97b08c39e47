"""Subject ids: labels kept as written, compared as text, in one order everywhere.

Ids are read as text in one pass (no per-chunk type guessing): ``007`` and ``7`` are two
subjects, an integer column ``7`` is the id ``"7"``. Every table (visits, relapses, MRI,
treatments) goes through :func:`id_text`, so the same id is spelled the same way in all of
them and in every output.

Subjects are ordered by :func:`natural_order`: numerically when every id is a canonical
whole number (``2`` before ``10``), else by text. The order never depends on row order.

A relapse or MRI table whose ids match the visits only after a change of type (``7`` vs
``007``, ``7.0`` vs ``7``, `` 7`` vs ``7``) is not matched silently: :func:`match_ids`
raises naming examples, unless the caller chose ``id_match='numeric'`` (documented in
docs/outcomes.md), which matches ids that denote the same whole number and says so.
"""

from __future__ import annotations

import re
from typing import Any, Literal

import numpy as np
import numpy.typing as npt
import pandas as pd

from msstem.errors import DataError
from msstem.outcomes.tables import first_rows, quote

__all__ = [
    "IdMatch",
    "id_text",
    "match_ids",
    "natural_order",
    "subject_codes",
]

IdMatch = Literal["exact", "numeric"]
IntArray = npt.NDArray[np.int64]
#: How many examples a message about ids shows.
MAX_EXAMPLES = 3

_CANONICAL_INT = re.compile(r"^(?:0|-?[1-9][0-9]{0,17})$")
_NUMERIC = re.compile(r"^\s*[+-]?[0-9]+(?:\.0*)?\s*$")


def _arrow_ids(col: Any, name: str, table: str) -> npt.NDArray[Any] | None:
    """Ids from an Arrow array as a numpy array (ints kept as int64 for speed), or None."""
    import pyarrow as pa
    import pyarrow.compute as pc

    typ = col.type
    if pa.types.is_dictionary(typ):
        col = col.cast(typ.value_type)
        typ = col.type
    if col.null_count:
        missing = col.is_null().to_numpy(zero_copy_only=False)
        raise DataError(f"{table}: column {quote(name)} has missing ids at {first_rows(missing)}",
                        field=name)
    if pa.types.is_integer(typ):
        ints: npt.NDArray[np.int64] = np.asarray(col.to_numpy(), dtype=np.int64)
        return ints
    if pa.types.is_string(typ) or pa.types.is_large_string(typ):
        empty = pc.equal(pc.utf8_length(pc.utf8_trim_whitespace(col)), 0)
        if pc.any(empty).as_py():
            raise DataError(f"{table}: column {quote(name)} has empty ids at "
                            f"{first_rows(empty.to_numpy(zero_copy_only=False))}", field=name)
        return np.asarray(col.to_numpy(zero_copy_only=False), dtype=object)
    if pa.types.is_floating(typ) or pa.types.is_decimal(typ):
        raise DataError(f"{table}: column {quote(name)} holds decimal numbers; subject ids must "
                        "be text or whole numbers", field=name)
    raise DataError(f"{table}: column {quote(name)} holds {_type_word(typ)} values; subject ids "
                    "must be text or whole numbers", field=name)


def _type_word(typ: Any) -> str:
    import pyarrow as pa

    for test, word in ((pa.types.is_struct, "struct"), (pa.types.is_list, "list"),
                       (pa.types.is_large_list, "list"), (pa.types.is_map, "map"),
                       (pa.types.is_boolean, "true/false"), (pa.types.is_temporal, "date/time"),
                       (pa.types.is_binary, "binary"), (pa.types.is_large_binary, "binary")):
        if test(typ):
            return word
    return str(typ)[:40]


def _pandas_ids(col: pd.Series[Any], name: str, table: str) -> npt.NDArray[Any]:
    missing = col.isna().to_numpy()
    if missing.any():
        raise DataError(f"{table}: column {quote(name)} has missing ids at {first_rows(missing)}",
                        field=name)
    if pd.api.types.is_bool_dtype(col):
        raise DataError(f"{table}: column {quote(name)} holds true/false values; subject ids "
                        "must be text or whole numbers", field=name)
    if pd.api.types.is_integer_dtype(col):
        ints: npt.NDArray[np.int64] = col.to_numpy(dtype=np.int64)
        return ints
    if pd.api.types.is_float_dtype(col):
        raise DataError(f"{table}: column {quote(name)} holds decimal numbers; subject ids must "
                        "be text or whole numbers", field=name)
    if isinstance(col.dtype, pd.CategoricalDtype):
        col = col.astype(object)
    values = col.to_numpy(dtype=object)
    if pd.api.types.infer_dtype(values, skipna=False) != "string":
        values = np.array([_one_id(v, i, name, table) for i, v in enumerate(values)],
                          dtype=object)
    empty = (pd.Series(values, dtype=object).str.strip().str.len() == 0).to_numpy()
    if empty.any():
        raise DataError(f"{table}: column {quote(name)} has empty ids at {first_rows(empty)}",
                        field=name)
    return values


def _one_id(value: Any, row: int, name: str, table: str) -> str:
    """One id of a mixed (object) column as text: ints and text as written, nothing else."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool | np.bool_):
        kind = "true/false"
    elif isinstance(value, int | np.integer):
        return str(int(value))
    elif isinstance(value, float | np.floating):
        kind = "decimal number"
    else:
        kind = type(value).__name__
    raise DataError(f"{table}: column {quote(name)} has a {kind} id at row {row + 1}; subject "
                    "ids must be text or whole numbers", field=name)


def raw_ids(col: Any, name: str, table: str) -> npt.NDArray[Any]:
    """The ids of a column: int64 (whole numbers, not yet text) or text objects."""
    if isinstance(col, pd.Series):
        return _pandas_ids(col, name, table)
    out = _arrow_ids(col, name, table)
    assert out is not None
    return out


def id_text(col: Any, name: str, table: str) -> npt.NDArray[Any]:
    """Every id of a pandas Series or Arrow array as text (object array), checked."""
    ids = raw_ids(col, name, table)
    if ids.dtype.kind in "iu":
        return ids.astype(str).astype(object)
    return ids


def natural_order(uniques: npt.NDArray[Any]) -> IntArray:
    """Order of distinct ids: numeric when all are canonical whole numbers, else by text."""
    if uniques.dtype.kind in "iu":
        return np.argsort(uniques, kind="stable").astype(np.int64)
    if len(uniques) and all(_CANONICAL_INT.match(u) for u in uniques):
        return np.argsort(uniques.astype(np.int64), kind="stable").astype(np.int64)
    return np.argsort(uniques.astype(str), kind="stable").astype(np.int64)


def subject_codes(ids: npt.NDArray[Any]) -> tuple[IntArray, npt.NDArray[Any]]:
    """(code of each row, distinct ids as text in natural order): codes 0..n-1 follow that order.

    ``ids``: from :func:`raw_ids` (int64 or text objects).
    """
    if ids.dtype.kind in "iu":
        if len(ids) > 1 and bool(np.all(ids[1:] >= ids[:-1])):
            change = np.empty(len(ids), dtype=bool)
            change[0] = True
            np.not_equal(ids[1:], ids[:-1], out=change[1:])
            codes = np.cumsum(change, dtype=np.int64) - 1
            return codes, ids[change].astype(str).astype(object)
        codes, uniq = pd.factorize(ids, sort=True)
        return codes.astype(np.int64), np.asarray(uniq).astype(str).astype(object)
    codes, uniq = pd.factorize(ids, sort=False)
    uniq = np.asarray(uniq, dtype=object)
    order = natural_order(uniq)
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order), dtype=np.int64)
    return rank[codes], uniq[order]


def _numeric_key(value: str) -> int | None:
    if not _NUMERIC.match(value):
        return None
    try:
        return int(float(value.strip())) if "." in value else int(value.strip())
    except (ValueError, OverflowError):
        return None


def match_ids(known: npt.NDArray[Any], ids: npt.NDArray[Any], table: str, column: str,
              policy: IdMatch, warnings: list[str]) -> IntArray:
    """Position of each id (text) in ``known`` (text, distinct), -1 where absent.

    Ids absent as text that equal a known id as a whole number (``7`` and ``007``) stop
    with a :class:`DataError` naming examples, unless ``policy='numeric'``, which matches
    them (each number must name one known id) and adds a warning.
    """
    index = pd.Index(known)
    codes: IntArray = index.get_indexer(ids).astype(np.int64)
    absent = codes < 0
    if not absent.any():
        return codes
    by_number: dict[int, list[int]] = {}
    for pos, value in enumerate(known):
        key = _numeric_key(value)
        if key is not None:
            by_number.setdefault(key, []).append(pos)
    if not by_number:
        return codes
    cand = np.full(len(ids), -1, dtype=np.int64)
    pairs: list[str] = []
    ambiguous: list[str] = []
    for row in np.flatnonzero(absent):
        key = _numeric_key(ids[row])
        hits = by_number.get(key, []) if key is not None else []
        if len(hits) == 1:
            cand[row] = hits[0]
            if len(pairs) < MAX_EXAMPLES:
                pairs.append(f"{quote(ids[row])} vs visits {quote(known[hits[0]])}")
        elif len(hits) > 1 and len(ambiguous) < MAX_EXAMPLES:
            ambiguous.append(quote(ids[row]))
    matched = cand >= 0
    if not matched.any():
        return codes
    n = int(matched.sum())
    if policy == "exact":
        raise DataError(
            f"{table}: column {quote(column)} has {n} id(s) that match visits only as numbers "
            f"(e.g. {'; '.join(pairs)}); ids are compared as text: fix the ids or set "
            "id_match='numeric'", field=column)
    if ambiguous:
        raise DataError(f"{table}: column {quote(column)} ids {', '.join(ambiguous)} match "
                        "several visits ids as numbers; fix the ids", field=column)
    codes[matched] = cand[matched]
    warnings.append(f"{table}: {n} row(s) matched to visits by number (id_match='numeric'), "
                    f"e.g. {'; '.join(pairs)}")
    return codes
