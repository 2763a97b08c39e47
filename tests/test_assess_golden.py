"""``msstem assess --format json`` for examples/profile.json keeps every key and value it had.

The golden file is the command's output before the layer refactor (issue 7). New keys may be
added; no key may disappear and no value may change. A deliberate change of output is a
change of this file, in the same commit, regenerated with::

    .venv/bin/msstem assess examples/profile.json --format json \\
        > tests/golden/assess_example_profile.json
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from msstem.cli import app

GOLDEN = Path(__file__).parent / "golden" / "assess_example_profile.json"


def differences(golden: Any, actual: Any, where: str = "$") -> list[str]:
    """Where ``actual`` lost or changed what ``golden`` holds (extra dict keys are fine)."""
    if isinstance(golden, dict):
        if not isinstance(actual, dict):
            return [f"{where}: expected an object, got {type(actual).__name__}"]
        out = []
        for key, value in golden.items():
            if key not in actual:
                out.append(f"{where}.{key}: missing")
            else:
                out += differences(value, actual[key], f"{where}.{key}")
        return out
    if isinstance(golden, list):
        if not isinstance(actual, list) or len(actual) != len(golden):
            return [f"{where}: expected a list of {len(golden)}, got {actual!r:.80}"]
        return [d for i, (g, a) in enumerate(zip(golden, actual, strict=True))
                for d in differences(g, a, f"{where}[{i}]")]
    if golden != actual or type(golden) is not type(actual):
        return [f"{where}: expected {golden!r:.80}, got {actual!r:.80}"]
    return []


def test_assess_json_keeps_every_golden_key_and_value(repo_root: Path) -> None:
    result = CliRunner().invoke(
        app, ["assess", str(repo_root / "examples" / "profile.json"), "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    diffs = differences(json.loads(GOLDEN.read_text(encoding="utf-8")), json.loads(result.stdout))
    assert not diffs, "\n".join(diffs[:20])


@pytest.mark.parametrize(
    ("golden", "actual"),
    [
        ({"a": 1}, {}),
        ({"a": 1}, {"a": 2}),
        ({"a": [1, 2]}, {"a": [1]}),
        ({"a": {"b": None}}, {"a": {"b": 0}}),
        ({"a": 1}, {"a": 1.0}),
        ([{"id": "x"}], [{"id": "y"}]),
    ],
)
def test_the_comparator_sees_lost_or_changed_values(golden: Any, actual: Any) -> None:
    assert differences(golden, actual)


def test_the_comparator_allows_new_keys() -> None:
    assert differences({"a": {"b": 1}}, {"a": {"b": 1, "c": 2}, "d": 3}) == []
