"""Issue 12's outcomes-file cases: no silent change of data, one line for every bad file.

Each test here failed on the code before the fix (the id split, ``007`` merged into ``7``,
duplicate relapses counted twice, a repeated header ignored, partial output left behind,
the service-account crash) and passes after.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from msstem.cli import main
from msstem.errors import DataError
from msstem.io import check_input_file, read_table
from msstem.outcomes import ProgressionOptions, detect_progression

VISITS = ("id,date,edss\n"
          "1,2019-12-01,2.0\n1,2020-04-01,2.0\n1,2020-07-01,3.5\n1,2020-10-01,3.5\n"
          "2,2019-11-01,4.0\n2,2020-06-01,4.0\n2,2021-01-10,4.0\n")
RELAPSES = "id,date\n2,2020-09-01\n"


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exc:
        main(argv)
    out, err = capsys.readouterr()
    code = exc.value.code
    return (code if isinstance(code, int) else 0), out, err


def write(path: Path, text: str) -> str:
    path.write_text(text)
    return str(path)


def one_line(code: int, err: str, *fragments: str) -> str:
    assert code == 2, err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("msstem: error: ") and len(lines[0]) < 300, lines[0]
    for fragment in fragments:
        assert fragment in lines[0], lines[0]
    return lines[0]


def outcomes(tmp_path: Path, visits: str, relapses: str, *extra: str,
             out: str = "out") -> list[str]:
    return ["outcomes", "--visits", visits, "--relapses", relapses,
            "--out", str(tmp_path / out), *extra]


# --- ids are text, read in one pass ------------------------------------------------------

def test_300k_row_csv_with_a_late_text_id_does_not_split_a_subject(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # pandas guessed types chunk by chunk: numeric ids in early chunks, text in the chunk
    # with "X-1"; the subject whose rows straddled that boundary became two subjects.
    n_subjects, per = 20_000, 15
    ids = np.repeat(np.arange(1, n_subjects + 1), per).astype(object)
    ids[-per:] = "X-1"  # the last subject has a text id
    days = np.tile(np.arange(per) * 120, n_subjects)
    dates = (np.datetime64("2015-01-01") + days).astype(str)
    edss = np.tile(np.r_[[2.0, 2.0], np.full(per - 2, 3.0)], n_subjects)
    frame = pd.DataFrame({"id": ids, "date": dates, "edss": edss})
    assert len(frame) == 300_000
    visits = tmp_path / "v.csv"
    frame.to_csv(visits, index=False)
    rel = write(tmp_path / "r.csv", "id,date\n")
    code, _, err = run(outcomes(tmp_path, str(visits), rel), capsys)
    assert code == 0, err
    summary = pd.read_csv(tmp_path / "out" / "summary.csv", dtype={"id": str})
    meta = json.loads((tmp_path / "out" / "run.json").read_text())
    assert len(summary) == meta["subjects"] == n_subjects
    assert summary["id"].is_unique
    assert set(summary["CDW"]) == {1}  # every subject: one confirmed worsening, not split
    assert meta["rows"]["summary.csv"] == len(summary)
    assert meta["rows"]["events.csv"] == len(pd.read_csv(tmp_path / "out" / "events.csv"))


@pytest.mark.parametrize("kind", ["csv", "pandas", "polars", "parquet"])
def test_007_and_7_are_two_subjects(tmp_path: Path, kind: str) -> None:
    frame = pd.DataFrame({"id": ["007", "007", "7", "7"],
                          "date": pd.to_datetime(["2020-01-01", "2020-06-01"] * 2),
                          "edss": [2.0, 2.0, 3.0, 3.0]})
    source: object = frame
    if kind == "csv":
        frame.to_csv(tmp_path / "v.csv", index=False, date_format="%Y-%m-%d")
        source = read_table(tmp_path / "v.csv", "visits")
    elif kind == "parquet":
        frame.to_parquet(tmp_path / "v.parquet")
        source = read_table(tmp_path / "v.parquet", "visits")
    elif kind == "polars":
        polars = pytest.importorskip("polars")
        source = polars.from_pandas(frame)
    res = detect_progression(source)  # type: ignore[arg-type]
    assert res.summary["id"].tolist() == ["007", "7"]


def test_integer_ids_are_spelled_as_text_everywhere() -> None:
    frame = pd.DataFrame({"id": [10, 10, 2, 2], "date": pd.to_datetime(["2020-01-01",
                          "2020-06-01"] * 2), "edss": [2.0, 2.0, 3.0, 3.0]})
    res = detect_progression(frame)
    assert res.summary["id"].tolist() == ["2", "10"]  # numeric order when all are numbers


def test_relapse_ids_that_match_only_as_numbers_stop(tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    visits = write(tmp_path / "v.csv", VISITS.replace("\n1,", "\n007,").replace("\n2,", "\n008,"))
    pq.write_table(pa.table({"id": pa.array([8], pa.int64()),
                             "date": pa.array(np.array(["2020-09-01"], dtype="datetime64[D]"))}),
                   tmp_path / "r.parquet")
    code, _, err = run(outcomes(tmp_path, visits, str(tmp_path / "r.parquet")), capsys)
    one_line(code, err, "relapses: column 'id'", "match visits only as numbers",
             "'8' vs visits '008'", "id_match='numeric'")
    assert not (tmp_path / "out").exists()
    code, _, err = run(outcomes(tmp_path, visits, str(tmp_path / "r.parquet"), "--id-match",
                                "numeric"), capsys)
    assert code == 0, err
    assert "matched to visits by number" in err
    arr = pd.read_csv(tmp_path / "out" / "arr_subjects.csv", dtype={"id": str})
    assert arr.set_index("id").loc["008", "relapses"] == 1


def test_mri_ids_that_match_only_as_numbers_stop() -> None:
    from msstem.outcomes import load_mri

    mri = pd.DataFrame({"id": ["7"], "date": ["2020-01-01"], "new_t2": [0], "gd": [0]})
    with pytest.raises(DataError, match="match visits only as numbers"):
        load_mri(mri, known=["007"])
    warnings: list[str] = []
    got = load_mri(mri, known=["007"], id_match="numeric", warnings=warnings)
    assert got["id"].tolist() == ["007"] and warnings


# --- duplicates ---------------------------------------------------------------------------

def test_duplicate_relapse_rows_are_an_error_or_counted_once(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    visits = write(tmp_path / "v.csv", VISITS)
    rel = write(tmp_path / "r.csv", "id,date\n2,2020-09-01\n2,2020-09-01\n")
    code, _, err = run(outcomes(tmp_path, visits, rel), capsys)
    one_line(code, err, "relapses:", "repeat a subject's onset date at row 2",
             "duplicate_relapses='collapse'")
    code, _, err = run(outcomes(tmp_path, visits, rel, "--duplicate-relapses", "collapse"),
                       capsys)
    assert code == 0, err
    assert "counted once" in err
    arr = pd.read_csv(tmp_path / "out" / "arr_subjects.csv", dtype={"id": str})
    assert arr.set_index("id").loc["2", "relapses"] == 1  # not 2


@pytest.mark.parametrize("header", ["id,date,edss,edss", "id,id,date,edss"])
def test_duplicate_column_names_are_an_error(tmp_path: Path, header: str,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    body = VISITS.split("\n", 1)[1].replace("\n", ",1\n").replace(",1\n", "\n", 0)
    lines = [ln + ",9" for ln in body.strip().splitlines()]
    visits = write(tmp_path / "v.csv", header + "\n" + "\n".join(lines) + "\n")
    rel = write(tmp_path / "r.csv", RELAPSES)
    code, _, err = run(outcomes(tmp_path, visits, rel), capsys)
    name = "edss" if header.count("edss") > 1 else "id"
    one_line(code, err, f"visits: column '{name}' appears 2 times in the header")


def test_duplicate_column_names_in_memory() -> None:
    frame = pd.DataFrame([["1", "2020-01-01", 2.0, 3.0]], columns=["id", "date", "edss", "edss"])
    with pytest.raises(DataError, match="'edss' appears 2 times"):
        detect_progression(frame)


def test_a_duplicated_relapse_header_is_not_reported_as_unknown_subjects(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    visits = write(tmp_path / "v.csv", VISITS)
    rel = write(tmp_path / "r.csv", "id,date,id\n2,2020-09-01,2\n")
    code, _, err = run(outcomes(tmp_path, visits, rel), capsys)
    line = one_line(code, err, "relapses: column 'id' appears 2 times")
    assert "no visits" not in line


def test_parquet_struct_ids_are_one_line(tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    ids = pa.array([{"a": 1}, {"a": 1}], pa.struct([("a", pa.int64())]))
    pq.write_table(pa.table({"id": ids, "date": pa.array(["2020-01-01", "2020-06-01"]),
                             "edss": pa.array([2.0, 3.0])}), tmp_path / "v.parquet")
    rel = write(tmp_path / "r.csv", "id,date\n")
    code, _, err = run(outcomes(tmp_path, str(tmp_path / "v.parquet"), rel), capsys)
    one_line(code, err, "visits: column 'id' holds struct values")


# --- file arguments ------------------------------------------------------------------------

@pytest.mark.parametrize("flag", ["--visits", "--relapses", "--mri", "--treatments"])
@pytest.mark.parametrize("kind", ["directory", "fifo", "missing", "device"])
def test_file_arguments_must_be_readable_regular_files(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], flag: str, kind: str) -> None:
    files = {"--visits": write(tmp_path / "v.csv", VISITS),
             "--relapses": write(tmp_path / "r.csv", RELAPSES),
             "--mri": write(tmp_path / "m.csv", "id,date,new_t2,gd\n1,2020-01-01,0,0\n"),
             "--treatments": write(tmp_path / "t.csv", "id,start,therapy\n1,2020-01-01,x\n")}
    bad = tmp_path / "bad"
    if kind == "directory":
        bad.mkdir()
    elif kind == "fifo":
        os.mkfifo(bad)  # opening it for reading would block until a writer comes
    elif kind == "device":
        bad = Path("/dev/zero")  # reads forever
    files[flag] = str(bad)
    argv = ["outcomes", "--out", str(tmp_path / "out")]
    for name, path in files.items():
        argv += [name, path]
    result: dict[str, tuple[int, str, str]] = {}
    worker = threading.Thread(target=lambda: result.setdefault("r", run(argv, capsys)),
                              daemon=True)
    worker.start()
    worker.join(timeout=60)
    assert not worker.is_alive(), "the command hung on a FIFO"
    code, _, err = result["r"]
    word = {"directory": "is a directory", "fifo": "is a FIFO", "missing": "does not exist",
            "device": "is a device"}[kind]
    one_line(code, err, flag[2:] + ":", word)
    assert not (tmp_path / "out").exists()


def test_check_input_file_accepts_a_regular_file(tmp_path: Path) -> None:
    path = tmp_path / "v.csv"
    path.write_text(VISITS)
    assert check_input_file(path, "visits") == path


def test_not_utf8_names_the_row(tmp_path: Path) -> None:
    path = tmp_path / "v.csv"
    path.write_bytes(b"id,date,edss\n1,2020-01-01,2.0\n\xe9,2020-02-01,2.0\n")
    with pytest.raises(DataError, match="not UTF-8 text at row 2"):
        read_table(path, "visits")


def test_ragged_rows_name_the_row(tmp_path: Path) -> None:
    path = tmp_path / "v.csv"
    path.write_text("id,date,edss\n1,2020-01-01,2.0\n1,2020-02-01,2.0,7\n")
    with pytest.raises(DataError, match="row 2 has 4 fields but the header has 3"):
        read_table(path, "visits")


# --- output: a temporary folder, moved into place on success --------------------------------

def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


@pytest.mark.parametrize("late_failure", [
    ["--index-therapy", "nope"],  # fails after the events were computed (cohort stage)
    ["--relapses-bad"],  # fails while reading
])
def test_a_failed_run_leaves_previous_results_untouched(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], late_failure: list[str]) -> None:
    visits = write(tmp_path / "v.csv", VISITS)
    rel = write(tmp_path / "r.csv", RELAPSES)
    trt = write(tmp_path / "t.csv", "id,start,therapy\n1,2020-01-01,aHSCT\n2,2020-01-01,aHSCT\n")
    code, _, err = run(outcomes(tmp_path, visits, rel, "--treatments", trt), capsys)
    assert code == 0, err
    before = _snapshot(tmp_path / "out")
    if late_failure == ["--relapses-bad"]:
        argv = outcomes(tmp_path, visits, write(tmp_path / "r2.csv", "id,date\n2,someday\n"),
                        "--treatments", trt)
    else:
        argv = outcomes(tmp_path, visits, rel, "--treatments", trt, *late_failure)
    code, _, err = run(argv, capsys)
    one_line(code, err, "--out left as it was")
    assert _snapshot(tmp_path / "out") == before  # old run.json still describes old files
    leftovers = [p.name for p in tmp_path.iterdir() if p.name.startswith(".out.")]
    assert leftovers == []


def test_a_rerun_replaces_the_previous_run_whole(tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    visits = write(tmp_path / "v.csv", VISITS)
    rel = write(tmp_path / "r.csv", RELAPSES)
    trt = write(tmp_path / "t.csv", "id,start,therapy\n1,2020-01-01,aHSCT\n")
    mri = write(tmp_path / "m.csv", "id,date,new_t2,gd\n1,2020-01-01,0,0\n")
    assert run(outcomes(tmp_path, visits, rel, "--treatments", trt, "--mri", mri), capsys)[0] == 0
    assert (tmp_path / "out" / "neda.csv").exists()
    assert run(outcomes(tmp_path, visits, rel), capsys)[0] == 0
    names = {p.name for p in (tmp_path / "out").iterdir()}
    meta = json.loads((tmp_path / "out" / "run.json").read_text())
    assert names == set(meta["files"])  # no stale neda.csv from the earlier run
    for name, rows in meta["rows"].items():
        assert len(pd.read_csv(tmp_path / "out" / name)) == rows, name


def test_a_folder_with_other_files_is_never_replaced(tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "thesis.docx").write_text("precious")
    code, _, err = run(outcomes(tmp_path, write(tmp_path / "v.csv", VISITS),
                                write(tmp_path / "r.csv", RELAPSES)), capsys)
    one_line(code, err, "--out:", "not an msstem run")
    assert (out / "thesis.docx").read_text() == "precious"


def test_parquet_output_format(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(outcomes(tmp_path, write(tmp_path / "v.csv", VISITS),
                                write(tmp_path / "r.csv", RELAPSES), "--format", "parquet"),
                       capsys)
    assert code == 0, err
    out = tmp_path / "out"
    events = pd.read_parquet(out / "events.parquet")
    csv_run = tmp_path / "csv"
    assert run(outcomes(tmp_path, str(tmp_path / "v.csv"), str(tmp_path / "r.csv"),
                        out="csv"), capsys)[0] == 0
    again = pd.read_csv(csv_run / "events.csv", dtype={"id": str},
                        parse_dates=["date", "baseline_date", "confirmation_date"])
    assert events["id"].tolist() == again["id"].tolist()
    assert events["date"].astype("datetime64[ns]").tolist() == again["date"].tolist()
    assert not list(out.glob("*.csv"))


# --- numba's cache is optional: a service account ------------------------------------------

SERVICE_ACCOUNT = r"""
# A service account: the install is read-only and HOME is not writable, NUMBA_CACHE_DIR is
# unset. As root (CI) permissions cannot be dropped on the install, so writes into the
# package tree fail here as they would for such an account; HOME points below a file.
import builtins, os, sys, tempfile
import msstem
PKG = os.path.dirname(msstem.__file__)
def _guard(path):
    p = os.path.abspath(os.fspath(path))
    if p.startswith(PKG):
        raise PermissionError(13, "Permission denied (read-only install)", p)
_mkstemp, _tf = tempfile.mkstemp, tempfile.TemporaryFile
_makedirs, _open = os.makedirs, builtins.open
def mkstemp(*a, dir=None, **k):
    if dir is not None: _guard(dir)
    return _mkstemp(*a, dir=dir, **k)
def TemporaryFile(*a, dir=None, **k):
    if dir is not None: _guard(dir)
    return _tf(*a, dir=dir, **k)
def makedirs(name, *a, **k):
    _guard(name); return _makedirs(name, *a, **k)
def open_(file, mode="r", *a, **k):
    if isinstance(file, (str, bytes, os.PathLike)) and any(c in mode for c in "wax+"):
        _guard(file)
    return _open(file, mode, *a, **k)
tempfile.mkstemp, tempfile.TemporaryFile = mkstemp, TemporaryFile
os.makedirs, builtins.open = makedirs, open_
sys.argv = ["msstem", *sys.argv[1:]]
from msstem.cli import main
main()
"""


def _service_env(tmp_path: Path) -> dict[str, str]:
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("")
    env = {k: v for k, v in os.environ.items() if not k.startswith("NUMBA_")}
    env["HOME"] = str(blocker / "home")  # below a file: nobody can create it
    env.pop("XDG_CACHE_HOME", None)
    return env


def test_version_and_outcomes_work_for_a_service_account(tmp_path: Path) -> None:
    env = _service_env(tmp_path)
    version = subprocess.run([sys.executable, "-c", SERVICE_ACCOUNT, "--version"], env=env,
                             capture_output=True, text=True, timeout=120)
    assert version.returncode == 0, version.stderr
    assert version.stdout.startswith("msstem ")
    assert version.stderr == ""
    visits = write(tmp_path / "v.csv", VISITS)
    rel = write(tmp_path / "r.csv", RELAPSES)
    job = subprocess.run([sys.executable, "-c", SERVICE_ACCOUNT, "outcomes", "--visits", visits,
                          "--relapses", rel, "--out", str(tmp_path / "out"), "--event",
                          "multiple"], env=env, capture_output=True, text=True, timeout=1200)
    assert job.returncode == 0, job.stderr
    assert "Traceback" not in job.stderr
    assert len(pd.read_csv(tmp_path / "out" / "summary.csv")) == 2


def test_commands_that_need_no_kernel_do_not_import_numba() -> None:
    probe = ("import sys; from msstem.cli import app; import msstem.commands.outcomes; "
             "print(sorted(m for m in ('numba', 'scipy', 'matplotlib', 'lifelines') "
             "if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                         timeout=120, check=True)
    assert out.stdout.strip() == "[]"


def test_a_configured_cache_dir_is_used(tmp_path: Path) -> None:
    env = {**_service_env(tmp_path), "NUMBA_CACHE_DIR": str(tmp_path / "cache")}
    probe = ("import pandas as pd; from msstem.outcomes import detect_progression; "
             "from msstem.outcomes._jit import CACHE_STATE; "
             "detect_progression(pd.DataFrame({'id': [1, 1], 'date': ['2020-01-01', "
             "'2020-06-01'], 'edss': [2.0, 3.0]})); print(CACHE_STATE['state'])")
    out = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True,
                         text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "on"
    assert any((tmp_path / "cache").rglob("*.nbi"))


def test_options_accept_the_new_policies() -> None:
    opts = ProgressionOptions(duplicate_relapses="collapse", id_match="numeric")
    assert (opts.duplicate_relapses, opts.id_match) == ("collapse", "numeric")
