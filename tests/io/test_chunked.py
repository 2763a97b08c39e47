"""Cohorts larger than memory: ``msstem outcomes --chunk-subjects N`` streams the visits in
chunks of whole subjects and writes the same files as the in-memory run.

A small cohort with a tiny chunk size (many chunks, subjects cut at every boundary) must
give byte-identical tables; out-of-order files and the options that need the whole cohort
are one-line errors.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from msstem.cli import main

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
import progression_bench as B

TABLES = ["events", "summary", "arr_subjects", "arr_groups", "km_cdw", "km_cdw_at_risk",
          "km_pira", "km_pira_at_risk", "km_relapse", "km_relapse_at_risk", "km_summary"]


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    with pytest.raises(SystemExit) as exc:
        main(argv)
    code = exc.value.code
    return (code if isinstance(code, int) else 0), capsys.readouterr().err


@pytest.fixture(scope="module")
def cohort(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("chunked")
    visits, relapses = B.generate_cohort(300, seed=11)
    # a few subjects that share days between chunks and text-sorted ids would break: keep
    # whole-number ids in file order (sorted), as registries export them
    v, r = folder / "visits.parquet", folder / "relapses.parquet"
    visits.to_parquet(v, index=False)
    relapses.to_parquet(r, index=False)
    visits.to_csv(folder / "visits.csv", index=False, date_format="%Y-%m-%d")
    return v, r



def _two_runs(v: Path, r: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
              flags: list[str], chunk: int) -> tuple[Path, Path]:
    """The same job in memory and in chunks of ``chunk`` subjects: (whole, parts) folders."""
    whole, parts = tmp_path / "whole", tmp_path / "parts"
    code, err = run(["outcomes", "--visits", str(v), "--relapses", str(r), "--out", str(whole),
                     *flags], capsys)
    assert code == 0, err
    code, err = run(["outcomes", "--visits", str(v), "--relapses", str(r), "--out", str(parts),
                     *flags, "--chunk-subjects", str(chunk)], capsys)
    assert code == 0, err
    return whole, parts


@pytest.mark.parametrize(("chunk", "fmt", "source"), [
    (7, "csv", "parquet"), (1, "csv", "parquet"), (50, "parquet", "parquet"), (13, "csv", "csv"),
])
def test_chunked_run_equals_in_memory_run(cohort: tuple[Path, Path], tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str], chunk: int,
                                          fmt: str, source: str) -> None:
    v, r = cohort
    if source == "csv":
        v = v.with_suffix(".csv")
    flags = ["--event", "multiple", "--baseline", "roving", "--raw-pira", "--format", fmt]
    whole, parts = _two_runs(v, r, tmp_path, capsys, flags, chunk)
    for name in TABLES:
        a, b = whole / f"{name}.{fmt}", parts / f"{name}.{fmt}"
        if fmt == "csv":
            assert a.read_bytes() == b.read_bytes(), name
        else:
            pd.testing.assert_frame_equal(pd.read_parquet(a), pd.read_parquet(b), obj=name)
    meta_a = json.loads((whole / "run.json").read_text())
    meta_b = json.loads((parts / "run.json").read_text())
    assert meta_a["subjects"] == meta_b["subjects"] == 300
    assert meta_a["rows"] == {k: v for k, v in meta_b["rows"].items()}
    assert meta_b["options"]["chunk_subjects"] == chunk
    assert {p.name for p in parts.iterdir()} == set(meta_b["files"])


def test_unsorted_file_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    v = tmp_path / "v.csv"
    v.write_text("id,date,edss\n1,2020-01-01,2.0\n2,2020-01-01,2.0\n1,2020-06-01,3.0\n")
    r = tmp_path / "r.csv"
    r.write_text("id,date\n")
    code, err = run(["outcomes", "--visits", str(v), "--relapses", str(r), "--out",
                     str(tmp_path / "out"), "--chunk-subjects", "1"], capsys)
    assert code == 2
    assert "sorted by 'id'" in err and "row 3" in err and len(err.strip().splitlines()) == 1
    assert not (tmp_path / "out").exists()


def test_bad_rows_are_named_by_their_row_in_the_file(tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    lines = ["id,date,edss"] + [f"{i},2020-0{m}-01,2.0" for i in range(1, 6) for m in (1, 6)]
    lines[9] = "5,2020-01-01,2.7"  # data row 9: subject 5, off the EDSS grid
    v = tmp_path / "v.csv"
    v.write_text("\n".join(lines) + "\n")
    r = tmp_path / "r.csv"
    r.write_text("id,date\n")
    code, err = run(["outcomes", "--visits", str(v), "--relapses", str(r), "--out",
                     str(tmp_path / "out"), "--chunk-subjects", "2"], capsys)
    assert code == 2 and "row 9" in err, err


def test_unknown_relapse_subjects_in_chunks(cohort: tuple[Path, Path], tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    v, r = cohort
    rel = pd.read_parquet(r)
    extra = pd.DataFrame({"id": [99_999], "date": [rel["date"].iloc[0]]})
    bad = tmp_path / "r.parquet"
    pd.concat([rel, extra], ignore_index=True).to_parquet(bad, index=False)
    base = ["outcomes", "--visits", str(v), "--relapses", str(bad), "--chunk-subjects", "40"]
    code, err = run([*base, "--out", str(tmp_path / "a")], capsys)
    assert code == 2 and "'99999'" in err and f"row {len(rel) + 1}" in err, err
    code, err = run([*base, "--out", str(tmp_path / "b"), "--unknown-relapse-subjects", "drop"],
                    capsys)
    assert code == 0 and "dropped 1 relapse" in err, err


@pytest.mark.parametrize("extra", [["--mri", "x.csv", "--treatments", "y.csv"],
                                   ["--id-match", "numeric"], ["--chunk-subjects", "0"]])
def test_what_needs_the_whole_cohort_is_one_line(cohort: tuple[Path, Path], tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str],
                                                extra: list[str]) -> None:
    v, r = cohort
    argv = ["outcomes", "--visits", str(v), "--relapses", str(r), "--out", str(tmp_path / "o"),
            "--chunk-subjects", "10", *extra]
    code, err = run(argv, capsys)
    assert code == 2 and len(err.strip().splitlines()) == 1, err
    assert not (tmp_path / "o").exists()


def test_memory_is_bounded_by_the_chunk(tmp_path: Path) -> None:
    # The chunk iterator never holds more than one chunk plus one batch of rows.
    from msstem.io.cohort_tables import iter_subject_chunks

    ids = np.repeat(np.arange(1, 2001), 5)
    frame = pd.DataFrame({"id": ids, "date": "2020-01-01", "edss": 2.0})
    path = tmp_path / "v.csv"
    frame.to_csv(path, index=False)
    sizes = [t.num_rows for t in iter_subject_chunks(path, "visits", ["id", "date", "edss"],
                                                     "id", 100, batch_rows=64)]
    assert sum(sizes) == len(frame)
    assert max(sizes) <= 101 * 5 + 64


def _compare_runs(v: Path, r: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                  flags: list[str], chunk: int) -> None:
    whole, parts = _two_runs(v, r, tmp_path, capsys, flags, chunk)
    for name in TABLES:
        assert (whole / f"{name}.csv").read_bytes() == (parts / f"{name}.csv").read_bytes(), name
    meta_a = json.loads((whole / "run.json").read_text())
    meta_b = json.loads((parts / "run.json").read_text())
    assert meta_a["rows"] == meta_b["rows"]
    assert meta_a["inputs"]["relapses"]["rows"] == meta_b["inputs"]["relapses"]["rows"]
    assert meta_a["warnings"] == meta_b["warnings"]


def test_text_ids_in_chunks(cohort: tuple[Path, Path], tmp_path: Path,
                            capsys: pytest.CaptureFixture[str]) -> None:
    # Text ids (text order): each chunk's relapses are found by text, not by number.
    v, r = cohort
    visits, relapses = pd.read_parquet(v), pd.read_parquet(r)
    visits["id"] = visits["id"].map(lambda i: f"P{i:05d}")
    relapses["id"] = relapses["id"].map(lambda i: f"P{i:05d}")
    assert relapses["id"].isin(visits["id"]).all() and len(relapses) > 50
    tv, tr = tmp_path / "v.parquet", tmp_path / "r.parquet"
    visits.to_parquet(tv, index=False)
    relapses.sample(frac=1.0, random_state=3).to_parquet(tr, index=False)  # any row order
    _compare_runs(tv, tr, tmp_path, capsys,
                  ["--event", "multiple", "--baseline", "roving", "--raw-pira"], 17)


def test_relapse_end_dates_in_chunks(cohort: tuple[Path, Path], tmp_path: Path,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    v, r = cohort
    relapses = pd.read_parquet(r).sort_values(["id", "date"], ignore_index=True)
    relapses["date"] = pd.to_datetime(relapses["date"])
    nxt = relapses.groupby("id")["date"].shift(-1)
    end = relapses["date"] + pd.Timedelta(days=60)
    relapses["end"] = end.where(nxt.isna() | (end < nxt), nxt - pd.Timedelta(days=1))
    assert (relapses["end"] >= relapses["date"]).all()
    tr = tmp_path / "r.parquet"
    relapses.to_parquet(tr, index=False)
    _compare_runs(v, tr, tmp_path, capsys, ["--event", "multiple", "--baseline", "roving",
                                            "--raw-pira", "--relapse-end-col", "end"], 23)


def test_ids_that_match_only_as_numbers_stop_in_chunks(cohort: tuple[Path, Path], tmp_path: Path,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    # CSV visits (text ids) and a relapse id written "0012": not subject 12, as in memory.
    v, r = cohort
    rel = pd.read_parquet(r)
    rel["id"] = rel["id"].astype(str)
    rel.loc[0, "id"] = "00" + rel.loc[0, "id"]
    bad = tmp_path / "r.parquet"
    rel.to_parquet(bad, index=False)
    base = ["outcomes", "--visits", str(v.with_suffix(".csv")), "--relapses", str(bad)]
    code, whole = run([*base, "--out", str(tmp_path / "a")], capsys)
    assert code == 2 and "only as numbers" in whole, whole
    code, parts = run([*base, "--out", str(tmp_path / "b"), "--chunk-subjects", "9"], capsys)
    assert code == 2 and parts == whole, parts
