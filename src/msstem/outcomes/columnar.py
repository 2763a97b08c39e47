"""Result tables defined once as typed columns, turned into pandas or straight into Arrow.

The progression engine's tables (events, summary, unconfirmed) are computed as numpy
columns: subject ids and labels as integer codes into their distinct texts, dates as day
numbers, a mask where a value is missing. :func:`to_pandas` makes the DataFrames the
library returns (ids and labels as text, dates as ``datetime64[ns]``, missing as NaN, NaT
or ``<NA>``); :func:`to_arrow` makes the Arrow table the command writes, without a Python
object per row. Both come from the same columns, and the Arrow table equals the one
:func:`msstem.io.outcome_outputs.write_table` makes from the DataFrame (the same types,
nulls where the DataFrame has NaN/NaT/NA), so the files are the same either way
(tests/outcomes/progression/test_progression_columnar.py).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import numpy.typing as npt
import pandas as pd

__all__ = ["Col", "id_dictionary", "to_arrow", "to_pandas"]

ColKind = Literal["id", "label", "day", "float", "int", "bool"]


@dataclass(frozen=True)
class Col:
    """One column: ``kind``, its values, where it is missing (True) and, for labels, texts.

    ``id``: codes into the cohort's subject ids; ``label``: codes into ``labels``; ``day``:
    days since 1970-01-01; ``float``, ``int``, ``bool``: the values. ``mask`` is None when
    nothing is missing (a ``float`` column is also missing where it is NaN).
    """

    kind: ColKind
    data: npt.NDArray[Any]
    mask: npt.NDArray[np.bool_] | None = None
    labels: npt.NDArray[Any] | None = None


def _ns_dates(days: npt.NDArray[Any], mask: npt.NDArray[np.bool_] | None) -> Any:
    out = days.astype("datetime64[D]").astype("datetime64[ns]")
    if mask is not None:
        out[mask] = np.datetime64("NaT")
    return out


def _pandas_column(col: Col, subject_ids: npt.NDArray[Any]) -> Any:
    if col.kind == "id":
        return subject_ids[col.data]
    if col.kind == "label":
        assert col.labels is not None
        return col.labels[col.data]
    if col.kind == "day":
        return _ns_dates(col.data, col.mask)
    if col.kind == "float":
        if col.mask is None:
            return col.data
        return np.where(col.mask, np.nan, col.data)
    if col.kind == "int" and col.mask is not None:
        return pd.arrays.IntegerArray(col.data.astype(np.int64), col.mask.copy())
    return col.data


def to_pandas(columns: Mapping[str, Col], subject_ids: npt.NDArray[Any]) -> pd.DataFrame:
    """The DataFrame of ``columns`` (ids as the text in ``subject_ids``)."""
    return pd.DataFrame({name: _pandas_column(col, subject_ids) for name, col in
                         columns.items()}, columns=list(columns))


def id_dictionary(subject_ids: npt.NDArray[Any],
                  numbers: npt.NDArray[np.int64] | None = None) -> Any:
    """The subject ids as an Arrow string array (from the numbers when the ids are whole
    numbers: their canonical text, without a Python string each)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if numbers is not None and len(numbers) == len(subject_ids):
        return pc.cast(pa.array(numbers, type=pa.int64()), pa.string())
    return pa.array(subject_ids, type=pa.string())


def _arrow_column(col: Col, ids: Any) -> Any:
    import pyarrow as pa

    if col.kind == "id":
        return ids.take(pa.array(col.data))
    if col.kind == "label":
        assert col.labels is not None
        texts = pa.array([str(x) for x in col.labels], type=pa.string())
        return texts.take(pa.array(col.data))
    if col.kind == "day":
        days = pa.array(np.ascontiguousarray(col.data, dtype=np.int32), type=pa.int32(),
                        mask=col.mask)
        return days.view(pa.date32())
    if col.kind == "float":
        values = np.ascontiguousarray(col.data, dtype=np.float64)
        missing = np.isnan(values) if col.mask is None else (col.mask | np.isnan(values))
        return pa.array(values, type=pa.float64(), mask=missing if missing.any() else None)
    if col.kind == "int":
        return pa.array(np.ascontiguousarray(col.data, dtype=np.int64), type=pa.int64(),
                        mask=col.mask)
    return pa.array(np.ascontiguousarray(col.data, dtype=np.bool_), type=pa.bool_())


def to_arrow(columns: Mapping[str, Col], ids: Any) -> Any:
    """The Arrow table of ``columns``; ``ids``: :func:`id_dictionary` of the cohort."""
    import pyarrow as pa

    return pa.table({name: _arrow_column(col, ids) for name, col in columns.items()})
