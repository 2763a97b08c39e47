"""The command writes the progression tables straight from the kernel's output into Arrow;
the files must be byte for byte those written from the library's DataFrames."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow.parquet as pq
import pytest
from parity.cohorts import make_cohort  # tests/outcomes is on sys.path (rootdir-relative)

from msstem.io.outcome_outputs import write_table
from msstem.outcomes.inputs import load_cohort
from msstem.outcomes.options import ProgressionOptions
from msstem.outcomes.progression import run_on_arrays

VISITS, RELAPSES = make_cohort(300, seed=5)


@pytest.mark.parametrize("settings", [
    {"event": "multiple", "baseline": "roving", "raw_pira": True},
    {"event": "multiple"},  # RAW/PIRA not classified: empty cdw_type, <NA> counts
    {"event": "firstCDW", "raw_pira": True, "impute_last_visit": 1},
])
@pytest.mark.parametrize("ids", ["int", "text"])
def test_arrow_tables_write_the_same_files_as_the_dataframes(
        tmp_path: Path, settings: dict[str, Any], ids: str) -> None:
    visits = VISITS[["id", "date", "edss"]].copy()
    relapses = RELAPSES.copy()
    if ids == "text":
        visits["id"] = "s" + visits["id"].astype(str)
        relapses["id"] = "s" + relapses["id"].astype(str)
    opts = ProgressionOptions(**settings)
    run = run_on_arrays(load_cohort(visits, relapses, opts), opts)
    frames, tables = run.result().tables(), run.arrow_tables()
    assert list(frames) == list(tables) == ["events", "summary", "unconfirmed"]
    assert len(frames["unconfirmed"]) and len(frames["events"])
    for name in frames:
        for fmt in ("csv", "parquet"):
            a, b = tmp_path / f"{name}_pandas.{fmt}", tmp_path / f"{name}_arrow.{fmt}"
            write_table(frames[name], a, fmt)
            write_table(tables[name], b, fmt)
            if fmt == "csv":
                assert a.read_bytes() == b.read_bytes(), name
            else:
                assert pq.read_table(a).equals(pq.read_table(b)), name


def test_tables_without_rows_have_the_same_header(tmp_path: Path) -> None:
    visits = pd.DataFrame({"id": [1, 1], "date": pd.to_datetime(["2020-01-01", "2021-01-01"]),
                           "edss": [2.0, 2.0]})
    opts = ProgressionOptions(event="multiple", raw_pira=True)
    run = run_on_arrays(load_cohort(visits, None, opts), opts)
    frames, tables = run.result().tables(), run.arrow_tables()
    assert len(frames["events"]) == 0 and tables["events"].num_rows == 0
    for name in frames:
        a, b = tmp_path / f"{name}_pandas.csv", tmp_path / f"{name}_arrow.csv"
        write_table(frames[name], a)
        write_table(tables[name], b)
        assert a.read_bytes() == b.read_bytes(), name
