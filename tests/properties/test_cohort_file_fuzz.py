"""Hostile cohort files (Hypothesis): ids, headers, encodings, dates, values and sizes.

Whatever the bytes, ``msstem outcomes`` either succeeds or exits 2 with one line under 300
characters naming the table and the column, row, header or file; it never shows a
traceback, and on failure nothing is written to ``--out`` (no folder, no partial files).
A run that succeeds gives the same events as the engine on the same data parsed
independently (Python's csv module, every cell as text), so ingestion changes nothing.

Two suites: the reading and validation layer alone (many inputs, fast) and the whole
command (fewer inputs: each successful run writes every table and plot). CI runs them
derandomised (tests/conftest.py); ``MSSTEM_FUZZ_EXAMPLES=20000`` runs a longer search
locally. Counts of inputs tried are printed at the end of the run.
"""

from __future__ import annotations

import csv
import io
import os
import shutil
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from msstem.cli import main
from msstem.errors import DataError, MsstemError
from msstem.io import read_table
from msstem.outcomes import ProgressionOptions, detect_progression
from msstem.outcomes.inputs import load_cohort

SCALE = int(os.environ.get("MSSTEM_FUZZ_EXAMPLES", "0")) or None
READER_EXAMPLES = SCALE or 1500
CLI_EXAMPLES = max(1, (SCALE or 1500) // 10)

# --- cells ---------------------------------------------------------------------------------
GOOD_IDS = st.one_of(st.integers(1, 40).map(str), st.sampled_from(["007", "7", "p-1", "P-1"]))
HOSTILE_IDS = st.one_of(
    GOOD_IDS,
    st.sampled_from(["", " ", " 7", "7 ", "NA", "null", "-0", "1e3", "7.0", "０７", "é",
                     "患者1", "a\x07b", "a\tb", "\x00", "x" * 500, '"q"', "a,b", "\u202e1"]),
    st.text(min_size=1, max_size=12),
)
GOOD_DATES = st.dates(min_value=pd.Timestamp("2000-01-01").date(),
                      max_value=pd.Timestamp("2030-12-31").date()).map(str)
HOSTILE_DATES = st.one_of(
    GOOD_DATES,
    st.sampled_from(["", "2020-02-30", "01/02/2020", "2020-13-01", "9999-12-31", "0001-01-01",
                     "2020-01-01T10:00:00+05:00", "2020-01-01T10:00:00-03:00", " 2020-01-01",
                     "2020-01-01 23:59", "yesterday", "2020", "1e10", "NaT"]),
    st.text(max_size=10),
)
GOOD_VALUES = st.sampled_from(["0", "1", "1.5", "2.0", "3", "4.5", "6", "6.5", "10"])
HOSTILE_VALUES = st.one_of(
    GOOD_VALUES,
    st.sampled_from(["", "2.7", "0.5", "-1", "10.5", "nan", "inf", "-inf", "1e309", "9" * 5000,
                     "two", "3,5", "0x10", " 2"]),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
)


@st.composite
def table(draw: Any, columns: list[str], cells: list[Any], hostile: bool) -> bytes:
    """A CSV file as bytes: header (maybe damaged), rows, encoding (maybe not UTF-8)."""
    header = list(columns)
    if hostile and draw(st.integers(0, 5)) == 0:
        header = draw(st.sampled_from([
            [*columns, columns[0]], columns[:-1], [c.upper() for c in columns],
            [*columns, "extra"], [columns[0] + "\x07", *columns[1:]], ["x" * 300, *columns[1:]],
            [c + " " for c in columns],
        ]))
    n = draw(st.integers(0 if hostile else 1, 12))
    rows = [[draw(cell) for cell in cells] for _ in range(n)]
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator=draw(st.sampled_from(["\n", "\r\n"])))
    writer.writerow(header)
    for row in rows:
        if hostile and draw(st.integers(0, 30)) == 0:
            row = [*row, "surplus"]
        writer.writerow(row)
    text = buf.getvalue()
    if hostile and draw(st.integers(0, 20)) == 0:
        text = text.rstrip("\r\n")  # no final newline
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "latin-1", "utf-16"])) \
        if hostile and draw(st.integers(0, 6)) == 0 else "utf-8"
    data = text.encode(encoding, errors="replace")
    if hostile and draw(st.integers(0, 25)) == 0:
        data = draw(st.sampled_from([b"", b"\n", b"\x00\x01\x02", b"PAR1garbage", data[:7]]))
    return data


def cohort(hostile: bool) -> Any:
    ids, dates, values = ((HOSTILE_IDS, HOSTILE_DATES, HOSTILE_VALUES) if hostile
                          else (GOOD_IDS, GOOD_DATES, GOOD_VALUES))
    return st.tuples(table(["id", "date", "edss"], [ids, dates, values], hostile),
                     table(["id", "date"], [ids, dates], hostile))


FILES = st.one_of(cohort(True), cohort(False))


def _write(folder: Path, visits: bytes, relapses: bytes) -> tuple[Path, Path]:
    v, r = folder / "visits.csv", folder / "relapses.csv"
    v.write_bytes(visits)
    r.write_bytes(relapses)
    return v, r


def _oracle_frame(data: bytes, columns: list[str]) -> pd.DataFrame:
    """The file parsed independently: Python's csv module, every cell kept as text."""
    text = data.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    return pd.DataFrame(rows[1:], columns=rows[0]).astype(object)[columns]


def _check_error(message: str) -> None:
    assert "\n" not in message
    assert len(message) < 300, message
    assert message.startswith(("visits", "relapses")), message
    assert any(word in message for word in ("column", "row", "file", "header", "table", "--out",
                                            "subject", "ids")), message


OPTS = ProgressionOptions(event="multiple", baseline="roving", raw_pira=True)


@settings(max_examples=READER_EXAMPLES, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(files=FILES)
def test_reading_hostile_files(fuzz_counts: Counter[str], files: tuple[bytes, bytes]) -> None:
    fuzz_counts["cohort files (reader)"] += 1
    folder = Path(tempfile.mkdtemp(prefix="fuzz-"))
    try:
        v, r = _write(folder, *files)
        try:
            arrays = load_cohort(read_table(v, "visits", ["id", "date", "edss"]),
                                 read_table(r, "relapses", ["id", "date"]), OPTS)
        except DataError as exc:
            _check_error(str(exc))
            return
        # valid: the same subjects as an independent parse, none merged, none split
        frame = _oracle_frame(files[0], ["id", "date", "edss"])
        assert set(arrays.subject_ids) == set(frame["id"])
        assert len(arrays.subject_ids) == frame["id"].nunique()
        assert arrays.visit_offsets[-1] <= len(frame)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _run_cli(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    capsys.readouterr()
    try:
        main(argv)
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 0
    else:  # pragma: no cover - main always exits
        code = 0
    return code, capsys.readouterr().err


@settings(max_examples=CLI_EXAMPLES, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                 HealthCheck.function_scoped_fixture])
@given(files=FILES)
def test_outcomes_command_on_hostile_files(fuzz_counts: Counter[str], files: tuple[bytes, bytes],
                                           capsys: pytest.CaptureFixture[str]) -> None:
    fuzz_counts["cohort files (msstem outcomes)"] += 1
    folder = Path(tempfile.mkdtemp(prefix="fuzz-"))
    try:
        v, r = _write(folder, *files)
        out = folder / "out"
        code, err = _run_cli(["outcomes", "--visits", str(v), "--relapses", str(r), "--out",
                              str(out), "--event", "multiple", "--baseline", "roving",
                              "--raw-pira", "--endpoints", "relapse"], capsys)
        assert "Traceback" not in err
        assert code in (0, 2), err
        if code == 2:
            lines = err.strip().splitlines()
            assert len(lines) == 1, err
            assert lines[0].startswith("msstem: error: ")
            _check_error(lines[0].removeprefix("msstem: error: "))
            assert not out.exists()
            assert sorted(p.name for p in folder.iterdir()) == ["relapses.csv", "visits.csv"]
            return
        events = pd.read_csv(out / "events.csv", dtype=str, keep_default_na=False)
        summary = pd.read_csv(out / "summary.csv", dtype=str, keep_default_na=False)
        visits = _oracle_frame(files[0], ["id", "date", "edss"])
        relapses = _oracle_frame(files[1], ["id", "date"])
        try:
            expected = detect_progression(visits, relapses if len(relapses) else None, OPTS)
        except MsstemError as exc:  # pragma: no cover - the CLI accepted it: so must this
            raise AssertionError(f"the CLI ran, the engine refused: {exc}") from exc
        assert summary["id"].tolist() == list(expected.summary["id"])
        assert events["id"].tolist() == list(expected.events["id"])
        assert events["date"].tolist() == expected.events["date"].dt.strftime(
            "%Y-%m-%d").tolist()
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def test_fuzz_counts_are_reported(fuzz_counts: Counter[str]) -> None:
    # The suites above add to this counter; the run prints it (tests/properties/conftest.py).
    assert isinstance(fuzz_counts, Counter)
