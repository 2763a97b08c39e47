"""Hostile and odd input on the command line (issue 12): one line, exit 2, never a
traceback or a hang; valid input in a new form (a BOM, standard input) gives the
same result as before."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from msstem.cli import main

REPO = Path(__file__).resolve().parents[1]
EXAMPLE = REPO / "examples" / "profile.json"
CLI = [sys.executable, "-c", "from msstem.cli import main; main()"]


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exc:
        main(argv)
    out, err = capsys.readouterr()
    code = exc.value.code
    return (code if isinstance(code, int) else 0), out, err


def one_line(code: int, err: str, *fragments: str) -> str:
    assert code == 2, err
    lines = err.splitlines()
    assert len(lines) == 1, err
    line = lines[0]
    assert line.startswith("msstem: error: ") and len(line) < 300, line
    assert "Traceback" not in err and "╭" not in err
    for fragment in fragments:
        assert fragment in line, line
    return line


def _sub(args: list[str], **kwargs: Any) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([*CLI, *args], capture_output=True, timeout=120, check=False,
                          cwd=REPO, **kwargs)


def write(tmp_path: Path, content: bytes | str, name: str = "p.json") -> str:
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    return str(path)


# --- sizes, depth, lengths -----------------------------------------------------------


@pytest.mark.parametrize(("content", "fragments"), [
    ('{"age": ' + "9" * 4301 + "}", ("age:", "4,301 characters", "limit is 100")),
    ("[" * 980 + "]" * 980, ("profile:", "levels deep")),
    ('{"a": ' * 990 + "1" + "}" * 990, ("levels deep",)),
    ('{"' + "k" * 10_000 + '": 1}', ("field name 10,000 characters", "…")),
    ('{"age\\u0000": 1}', ("U+0000 NUL",)),
    ('{"current_dmt": "' + "x" * 4000 + '"}', ("current_dmt:", "4,000 characters")),
    ('{"current_dmt": "' + "x" * 200 + '"}', ("current_dmt:", "…", "at most 100")),
    ('{"hctci_items": ["' + "y" * 900 + '"]}', ("hctci_items:", "…", "17 in all")),
    ("{" + ",".join(f'"k{i}": {i}' for i in range(500)) + "}", ("more than 100 fields",)),
    ('{"edss": 3.0, "edss": 7.0}', ("edss: given twice",)),
    ('{"age": 30, "ag\\u0065": 31}', ("age: given twice",)),
])
def test_unbounded_json_is_one_short_line(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                          content: str, fragments: tuple[str, ...]) -> None:
    code, out, err = run(["assess", write(tmp_path, content)], capsys)
    one_line(code, err, *fragments)
    assert out == ""


def test_file_over_the_size_limit(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["assess", write(tmp_path, " " * 70_000 + "{}")], capsys)
    one_line(code, err, "larger than 65,536 bytes")


# --- files that are not files --------------------------------------------------------


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero")
def test_dev_zero_is_refused_at_once(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["assess", "/dev/zero"], capsys)
    one_line(code, err, "'/dev/zero' is a device, not a regular file")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_fifo_is_refused_without_hanging(tmp_path: Path) -> None:
    fifo = tmp_path / "profile.json"
    os.mkfifo(fifo)
    for command in (["assess", str(fifo)], ["check-offer", str(fifo)]):
        done = _sub(command)  # the timeout fails the test if it hangs
        assert done.returncode == 2
        assert done.stderr.decode().count("\n") == 1 and b"FIFO" in done.stderr


def test_folder_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["assess", str(tmp_path)], capsys)
    one_line(code, err, "is a folder, not a file")


# --- the same result from a BOM and from standard input ------------------------------


def test_bom_and_stdin_give_the_same_report(tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    code, plain, _ = run(["assess", str(EXAMPLE), "--format", "json"], capsys)
    assert code == 0
    bom = write(tmp_path, b"\xef\xbb\xbf" + EXAMPLE.read_bytes())
    code, with_bom, err = run(["assess", bom, "--format", "json"], capsys)
    assert code == 0, err
    piped = _sub(["assess", "-", "--format", "json"], input=EXAMPLE.read_bytes())
    assert piped.returncode == 0, piped.stderr
    drop = ("created",)
    docs = [{k: v for k, v in json.loads(t).items() if k not in drop}
            for t in (plain, with_bom, piped.stdout.decode())]
    assert docs[0] == docs[1] == docs[2]


# --- output that cannot be written ---------------------------------------------------


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full")
@pytest.mark.parametrize("command", [
    ["assess", str(EXAMPLE)],
    ["assess", str(EXAMPLE), "--format", "json"],
    ["check-offer", str(REPO / "README.md")],
    ["evidence", "sources"],
])
def test_full_device_on_stdout_is_one_line(command: list[str]) -> None:
    with open("/dev/full", "wb") as full:
        done = subprocess.run([*CLI, *command], stdout=full, stderr=subprocess.PIPE,
                              timeout=120, check=False, cwd=REPO)
    err = done.stderr.decode()
    assert done.returncode == 2, err
    assert err == "msstem: error: output: cannot write to standard output: No space left on " \
                  "device\n"


# --- usage errors --------------------------------------------------------------------


@pytest.mark.parametrize(("argv", "fragments"), [
    (["assess"], ("Missing argument 'PROFILE.json'", "msstem assess --help")),
    (["assess", str(EXAMPLE), "--nope"], ("No such option", "--nope")),
    (["assess", str(EXAMPLE), "--format"], ("'--format' requires an argument",)),
    (["check-offer", str(EXAMPLE), "--format", "xml"], ("'--format'", "xml")),
    (["nope"], ("No such command 'nope'",)),
    (["outcomes", "--visits"], ("--visits", "requires an argument")),
    (["serve", "--port", "0"], ("--port",)),
    (["assess", "\x1b[31m" + "z" * 50], ("does not exist", "U+001B ESC")),
])
def test_usage_errors_are_one_line(argv: list[str], fragments: tuple[str, ...],
                                   capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(argv, capsys)
    line = one_line(code, err, *fragments)
    assert "\x1b" not in line


def test_bad_server_setting_is_one_line(monkeypatch: pytest.MonkeyPatch,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("MSSTEM_MAX_CONNECTIONS", "0")
    code, _, err = run(["serve"], capsys)
    one_line(code, err, "MSSTEM_MAX_CONNECTIONS:", "greater than or equal to 1")


def test_no_arguments_still_prints_help(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run([], capsys)
    assert code == 0 and "assess" in out and "Usage" in out


# --- control characters never reach the terminal -------------------------------------


def test_escape_sequences_in_current_dmt_are_not_printed(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    profile = {"age": 34, "current_dmt": "nat\x1b[2J\x1b]0;pwned\x07al\u202eizumab\x9b"}
    code, out, err = run(["assess", write(tmp_path, json.dumps(profile))], capsys)
    assert code == 0, err
    assert "natalizumab" in out
    assert not any(ch in out for ch in "\x1b\x07\u202e\x9b")
    code, out, _ = run(["assess", write(tmp_path, json.dumps(profile)), "--format", "json"],
                       capsys)
    assert json.loads(out)  # JSON keeps the value as given (escaped), for programs
