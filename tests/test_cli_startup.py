"""Fast start: ``msstem assess`` imports only what it needs (issue 7 item 7).

No timing is asserted here (bench/startup_bench.py measures it); these tests pin the
mechanisms: each command registers alone, and an assessment's process never imports
the outcomes stack, Jinja2 or the plotting and PDF libraries.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from msstem import cli

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "profile.json"


def test_command_map_matches_what_the_modules_register() -> None:
    app = cli.__getattr__("app")
    names = {c.name for c in app.registered_commands} | {
        g.name for g in app.registered_groups
    }
    assert names == set(cli._COMMAND_MODULES)


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["assess", "p.json"], ["assess"]),
        (["evidence", "check"], ["evidence"]),
        (["--help"], None),
        (["--version"], None),
        ([], None),
        (["asess", "p.json"], None),  # a typo gets the full command list in its error
        (["--format", "json", "assess"], None),
    ],
)
def test_commands_for(argv: list[str], expected: list[str] | None) -> None:
    assert cli._commands_for(argv) == expected


def test_assess_imports_only_what_it_needs(tmp_path: Path) -> None:
    out = tmp_path / "report.json"
    code = (
        "import sys\n"
        "from msstem.cli import main\n"
        f"sys.argv = ['msstem', 'assess', {str(EXAMPLE)!r}, '--format', 'json', "
        f"'--out', {str(out)!r}]\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "heavy = ['pandas', 'numba', 'numpy', 'jinja2', 'matplotlib', 'fpdf', "
        "'msstem.outcomes', 'msstem.web', 'fastapi']\n"
        "print(sorted(m for m in heavy if m in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True, timeout=300)
    assert done.stdout.strip().splitlines()[-1] == "[]", done.stdout
    assert json.loads(out.read_text(encoding="utf-8"))["eligibility"]
