"""Hypothesis properties live in tests/properties/, one file per package they test."""

from __future__ import annotations

import ast
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]


def _uses_given(path: Path) -> bool:
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.FunctionDef):
            for dec in node.decorator_list:
                target = dec.func if isinstance(dec, ast.Call) else dec
                if getattr(target, "id", getattr(target, "attr", None)) == "given":
                    return True
    return False


def test_property_tests_are_in_tests_properties() -> None:
    outside = {p.relative_to(TESTS).as_posix() for p in TESTS.rglob("test_*.py")
               if "properties" not in p.parts and _uses_given(p)}
    assert outside == set(), "move these @given tests to tests/properties/"
