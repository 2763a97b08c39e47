"""Tests must be able to fail: no assert whose outcome is fixed by its own form.

Catches ``assert (a, b) is not None`` (a tuple is never None), ``assert [x] is not None``,
``assert True`` and ``assert "text"``; ruff already refuses ``assert (a, b)``.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent
#: Expressions whose truth (and not-None-ness) is fixed by their form.
_LITERALS = (ast.Tuple, ast.List, ast.Dict, ast.Set, ast.ListComp, ast.DictComp, ast.SetComp,
             ast.Constant, ast.JoinedStr, ast.Lambda)


def vacuous_asserts(source: str) -> list[int]:
    bad = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Assert):
            continue
        test = node.test
        literal = (  # always truthy by its form (a comprehension may be empty: not here)
            (isinstance(test, ast.Tuple | ast.List | ast.Set) and bool(test.elts))
            or (isinstance(test, ast.Dict) and bool(test.keys))
            or (isinstance(test, ast.Constant) and bool(test.value))
            or isinstance(test, ast.Lambda)
        )
        none_check = (isinstance(test, ast.Compare) and len(test.ops) == 1
                      and isinstance(test.ops[0], ast.Is | ast.IsNot)
                      and isinstance(test.comparators[0], ast.Constant)
                      and test.comparators[0].value is None
                      and isinstance(test.left, _LITERALS))
        if literal or none_check:
            bad.append(node.lineno)
    return bad


def test_no_vacuous_asserts_in_the_suite() -> None:
    bad = [f"{p.relative_to(TESTS)}:{line}" for p in sorted(TESTS.rglob("*.py"))
           for line in vacuous_asserts(p.read_text(encoding="utf-8"))]
    assert not bad, "asserts that cannot fail:\n" + "\n".join(bad)


@pytest.mark.parametrize("source", [
    "assert (a, b) is not None\n", "assert [x] is not None\n", "assert True\n",
    "assert 'always'\n", "assert {'k': v}\n",
])
def test_the_check_sees_vacuous_asserts(source: str) -> None:
    assert vacuous_asserts(source) == [1]


def test_the_check_allows_real_asserts() -> None:
    source = ("assert x is not None\nassert (a, b) == (1, 2)\nassert f()\n"
              "assert [x for x in xs if x]\n")
    assert vacuous_asserts(source) == []
