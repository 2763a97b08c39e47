"""docs/cli.md says what each command's ``--help`` says: the same commands, the same flags.

The flags are read from the click commands that ``--help`` renders; the docs are split into
one section per ``## `msstem COMMAND` `` heading. A flag added to a command without a line in
its section, or a documented flag that no longer exists, fails here.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import typer.main
from typer.testing import CliRunner

from msstem.cli import app

CLI_MD = Path(__file__).resolve().parents[1] / "docs" / "cli.md"
FLAG = re.compile(r"(?<![\w-])--[a-z][a-z0-9-]*")


def _commands() -> dict[str, Any]:
    root = typer.main.get_command(app)
    return dict(root.commands)  # type: ignore[attr-defined]


def _flags(command: Any) -> set[str]:
    subs = getattr(command, "commands", None)
    if subs:
        return set().union(*(_flags(c) for c in subs.values()))
    return {o for p in command.params for o in (*p.opts, *p.secondary_opts)
            if o.startswith("--")} - {"--help"}


def sections(text: str) -> dict[str, str]:
    parts = re.split(r"^## `msstem ([a-z-]+)`\s*$", text, flags=re.M)
    return {parts[i]: parts[i + 1] for i in range(1, len(parts), 2)}


def test_every_command_has_a_section_and_every_section_a_command() -> None:
    assert set(sections(CLI_MD.read_text(encoding="utf-8"))) == set(_commands())


@pytest.mark.parametrize("name", sorted(_commands()))
def test_section_lists_exactly_the_commands_flags(name: str) -> None:
    section = sections(CLI_MD.read_text(encoding="utf-8")).get(name, "")
    documented = set(FLAG.findall(section))
    actual = _flags(_commands()[name])
    missing, gone = sorted(actual - documented), sorted(documented - actual)
    assert not missing, f"msstem {name}: flags not in docs/cli.md: {missing}"
    assert not gone, f"msstem {name}: documented flags that no longer exist: {gone}"


@pytest.mark.parametrize("name", sorted(_commands()))
def test_help_shows_the_same_flags(name: str) -> None:
    """The rendered --help (not only the click objects) names every flag."""
    result = CliRunner().invoke(app, [name, "--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    command = _commands()[name]
    shown = set(FLAG.findall(result.output)) - {"--help"}
    if getattr(command, "commands", None):  # a group: its --help lists subcommands
        for sub in command.commands:
            assert sub in result.output
            sub_help = CliRunner().invoke(app, [name, sub, "--help"], env={"COLUMNS": "200"})
            shown |= set(FLAG.findall(sub_help.output)) - {"--help"}
    assert shown == _flags(command)


def test_the_section_split_sees_a_missing_flag() -> None:
    text = "## `msstem assess`\nUse `--format`.\n## `msstem serve`\n`--host`\n"
    assert set(FLAG.findall(sections(text)["assess"])) == {"--format"}
