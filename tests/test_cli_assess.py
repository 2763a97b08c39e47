"""``msstem assess``: formats, --out, and every kind of bad input (exit 2, one line)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from msstem.cli import main

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "profile.json"


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exc:
        main(argv)
    out, err = capsys.readouterr()
    code = exc.value.code
    return (code if isinstance(code, int) else 0), out, err


def write(tmp_path: Path, data: Any, name: str = "p.json") -> str:
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return str(path)


def assert_one_line_error(code: int, err: str, *fragments: str) -> None:
    assert code == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("msstem: error: ")
    assert "Traceback" not in err
    for fragment in fragments:
        assert fragment in lines[0]


BAD_PROFILES: list[tuple[str, Any, tuple[str, ...]]] = [
    ("unknown field", {"edds": 3.5}, ("unknown field 'edds'", "allowed fields: age, ms_course")),
    ("wrong type edss", {"edss": "3.5"}, ("edss", "is not a number")),
    ("wrong type age", {"age": 34.5}, ("age", "not a whole number")),
    ("wrong type bool", {"pregnant": 1}, ("pregnant", "true or false")),
    ("wrong type list", {"hctci_items": "psychiatric"}, ("hctci_items",)),
    ("edss 5.25", {"edss": 5.25}, ("edss", "not on the EDSS grid", "no 0.5")),
    ("edss 0.5", {"edss": 0.5}, ("edss", "not on the EDSS grid")),
    ("negative age", {"age": -1}, ("age", "out of range")),
    ("negative count", {"relapses_12m": -2}, ("relapses_12m", "out of range")),
    ("negative lesions", {"gd_lesions_12m": -1}, ("gd_lesions_12m", "out of range")),
    ("relapse windows", {"relapses_12m": 3, "relapses_24m": 2},
     ("relapses_12m", "greater than relapses_24m")),
    ("unknown course", {"ms_course": "relapsing"},
     ("ms_course", '"relapsing"', "RRMS, SPMS, PPMS, CIS")),
    # Values are echoed as written in JSON, not as Python reprs.
    ("bool for a number", {"age": True}, ("age: true is not a whole number",)),
    ("text for a number", {"age": "40"}, ('age: "40" is not a whole number',)),
    ("null profile", None, ("profile: expected a JSON object, got null",)),
    ("empty text", {"current_dmt": ""}, ('current_dmt: "" is not allowed',)),
    ("unknown hctci item", {"hctci_items": ["gout"]}, ("hctci_items", "unknown item 'gout'")),
    ("not an object", [1, 2], ("profile", "expected a JSON object")),
]


@pytest.mark.parametrize(
    ("case", "data", "fragments"), BAD_PROFILES, ids=[c[0] for c in BAD_PROFILES]
)
def test_bad_profile_exits_2_with_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], case: str, data: Any,
    fragments: tuple[str, ...],
) -> None:
    code, out, err = run(["assess", write(tmp_path, data)], capsys)
    assert_one_line_error(code, err, *fragments)
    assert out == ""


def test_malformed_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["assess", write(tmp_path, '{"age": 34,')], capsys)
    assert_one_line_error(code, err, "is not valid JSON", "line 1")


@pytest.mark.parametrize(
    ("text", "fragments"),
    [
        ('{"edss": 3.0, "edss": 7.0}', ("edss: given twice",)),
        ('{"disease_duration_years": NaN}',
         ("disease_duration_years: NaN is not a finite number",)),
        ('{"disease_duration_years": Infinity}', ("disease_duration_years", "not a finite number")),
        ('{"edss": NaN}', ("edss: NaN is not on the EDSS grid",)),
    ],
)
def test_json_that_parses_but_must_not_pass(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, fragments: tuple[str, ...]
) -> None:
    code, out, err = run(["assess", write(tmp_path, text)], capsys)
    assert_one_line_error(code, err, *fragments)
    assert out == ""


def test_missing_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["assess", str(tmp_path / "nope.json")], capsys)
    assert_one_line_error(code, err, "nope.json", "does not exist")


def test_directory_is_unreadable(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["assess", str(tmp_path)], capsys)
    assert_one_line_error(code, err, "is a folder, not a file")


def test_not_utf8(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "latin1.json"
    path.write_bytes(b'{"current_dmt": "\xe9"}')
    code, _, err = run(["assess", str(path)], capsys)
    assert_one_line_error(code, err, "latin1.json", "is not UTF-8 text (byte 17 is 0xe9)")


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root can read anything")
def test_unreadable_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = Path(write(tmp_path, {}))
    path.chmod(0)
    code, _, err = run(["assess", str(path)], capsys)
    assert_one_line_error(code, err, "cannot be read")


def test_unknown_format(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(["assess", str(EXAMPLE), "--format", "pdf"], capsys)
    assert_one_line_error(code, err, "--format", "'pdf'", "text, json, html")
    assert out == ""


def test_out_not_writable(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    code, _, err = run(["assess", str(EXAMPLE), "--out", str(blocker / "r.txt")], capsys)
    assert_one_line_error(code, err, "--out", "cannot write")


# --- happy paths -------------------------------------------------------------------------
def test_text_is_the_default_and_fits_80_columns(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(["assess", str(EXAMPLE)], capsys)
    assert (code, err) == (0, "")
    assert "msstem supports decisions; it does not make them." in out
    assert max(len(line) for line in out.splitlines()) <= 80


def test_json_to_stdout(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["assess", str(EXAMPLE), "--format", "json"], capsys)
    assert code == 0
    doc = json.loads(out)
    assert set(doc) >= {"eligibility", "hctci", "estimates", "sources", "msstem_version",
                        "evidence_date"}
    assert doc["hctci"]["score"] == 1  # psychiatric, weight 1 (Sorror 2005)


@pytest.mark.parametrize(("fmt", "marker"), [("html", "<!doctype html>"), ("json", '"eligibility"'),
                                              ("text", "ELIGIBILITY SCREENING")])
def test_out_writes_file_and_creates_folders(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], fmt: str, marker: str
) -> None:
    target = tmp_path / "deep" / "er" / f"report.{fmt}"
    code, out, err = run(["assess", str(EXAMPLE), "--format", fmt, "--out", str(target)], capsys)
    assert (code, err) == (0, "")
    assert marker in target.read_text(encoding="utf-8")
    assert out.strip() == f"{fmt} report written to {target.resolve()}"


def test_console_script_subprocess(tmp_path: Path) -> None:
    """The real entry point, in a fresh process: exit code and stderr as users see them."""
    bad = write(tmp_path, {"edss": 5.25})
    proc = subprocess.run(
        [sys.executable, "-c", "from msstem.cli import main; main()", "assess", bad],
        capture_output=True, text=True, check=False,
    )
    assert_one_line_error(proc.returncode, proc.stderr, "edss", "5.25")
    ok = subprocess.run(
        [sys.executable, "-c", "from msstem.cli import main; main()", "assess", str(EXAMPLE),
         "--format", "json"],
        capture_output=True, text=True, check=False,
    )
    assert ok.returncode == 0, ok.stderr
    assert json.loads(ok.stdout)["profile"]["known"]["edss"] == 3.5
