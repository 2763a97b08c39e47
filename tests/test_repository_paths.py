"""No absolute paths and no private notes in the repository: material outside it is reached
as ``../shared/...`` (tests: through tests/shared_files.py), and code cites source ids."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
#: Absolute paths of a particular machine, and notes that exist only outside the repository.
FORBIDDEN = re.compile(r"(?<![\w.])(/work/|/home/|/root/|/tmp/|/Users/|[A-Z]:\\)|helper-notes")
TEXT_SUFFIXES = {".py", ".md", ".yaml", ".yml", ".json", ".toml", ".j2", ".txt", ".cfg", ".sh",
                 ".js", ".css", ".html", ""}


def _tracked_files() -> list[Path]:
    try:
        out = subprocess.run(["git", "ls-files"], cwd=REPO_ROOT, capture_output=True,
                             text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("not a git checkout")
    return [REPO_ROOT / line for line in out.splitlines()
            if Path(line).suffix in TEXT_SUFFIXES and (REPO_ROOT / line).is_file()]


def offending_lines(text: str) -> list[int]:
    return [n for n, line in enumerate(text.splitlines(), 1) if FORBIDDEN.search(line)]


def test_no_absolute_paths_or_private_notes() -> None:
    me = Path(__file__).resolve()
    bad = []
    for path in _tracked_files():
        if path.resolve() == me:
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        bad += [f"{path.relative_to(REPO_ROOT)}:{n}" for n in offending_lines(text)]
    assert not bad, "absolute paths or private notes (use ../shared/... or a source id):\n" \
        + "\n".join(bad)


@pytest.mark.parametrize("line", [
    'NOTES = Path("/work/shared/evidence-notes.md")',
    "# copied from /work/helper-notes/EVIDENCE-SCHEMA.md",
    "out = '/tmp/x'",
    "C:\\Users\\me",
])
def test_the_check_sees_absolute_paths(line: str) -> None:
    assert offending_lines(line) == [1]


@pytest.mark.parametrize("line", ["../shared/evidence-notes.md", "src/msstem/x.py",
                                  "https://example.org/work/page", "a/tmp/b"])
def test_the_check_allows_relative_paths_and_urls(line: str) -> None:
    assert offending_lines(line) == []
