"""``msstem outcomes --progress``: the phases on stderr, never on stdout nor in --out."""

from __future__ import annotations

from pathlib import Path

import pytest

from msstem.cli import main

VISITS = ("id,date,edss\n1,2019-12-01,2.0\n1,2020-04-01,2.0\n1,2020-07-01,3.5\n"
          "1,2020-10-01,3.5\n1,2021-06-01,3.5\n2,2019-11-01,4.0\n2,2020-06-01,4.0\n"
          "2,2021-01-10,4.0\n")
RELAPSES = "id,date\n2,2020-09-01\n"


def _run(tmp_path: Path, capsys: pytest.CaptureFixture[str], *flags: str,
         out_name: str = "out") -> tuple[str, str, Path]:
    (tmp_path / "v.csv").write_text(VISITS)
    (tmp_path / "r.csv").write_text(RELAPSES)
    out = tmp_path / out_name
    with pytest.raises(SystemExit) as exc:
        main(["outcomes", "--visits", str(tmp_path / "v.csv"), "--relapses",
              str(tmp_path / "r.csv"), "--out", str(out), "--event", "multiple", *flags])
    assert exc.value.code in (0, None)
    stdout, stderr = capsys.readouterr()
    return stdout, stderr, out


def _contents(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.name != "run.json"}


def test_progress_lines_appear_on_stderr_only_with_the_flag(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    stdout, stderr, quiet = _run(tmp_path, capsys, out_name="quiet")
    assert stdout == "" and stderr == ""  # stderr is not a terminal here: nothing by default
    stdout, stderr, shown = _run(tmp_path, capsys, "--progress", out_name="shown")
    assert stdout == ""
    lines = stderr.splitlines()
    assert lines[0].startswith("msstem outcomes: [1/") and "reading files" in lines[0]
    assert any("progression events" in line for line in lines)
    assert lines[-1].startswith("msstem outcomes: [") and lines[-1].split("] ")[1].startswith(
        "done")
    # the outputs are the same with and without progress, and name no phase
    assert _contents(shown) == _contents(quiet)
    for data in _contents(shown).values():
        assert b"msstem outcomes: [" not in data
    _, stderr, _ = _run(tmp_path, capsys, "--no-progress", out_name="off")
    assert stderr == ""
