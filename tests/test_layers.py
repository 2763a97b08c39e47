"""Layers point one way, and the domain layers touch no files and print nothing.

docs/architecture.md explains the layers. Every ``import`` counts wherever it is written:
at module level, inside a function, under ``if TYPE_CHECKING:``, and dynamic imports
through ``importlib.import_module``/``__import__`` with a literal (or f-string) module name.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "msstem"

#: Bottom to top. Packages on one line are siblings: they import neither each other nor
#: anything above them. A package may import from any line below its own.
LAYERS: tuple[tuple[str, ...], ...] = (
    ("clinical",),
    ("evidence",),
    ("eligibility", "outcomes", "offers", "synthesis"),
    ("decision",),
    ("reports",),
    ("io",),
    ("web",),
    ("commands",),
    ("cli",),
)
#: Importable from anywhere, and themselves importing nothing from msstem (see
#: test_anywhere_modules_are_leaves): the package root (``__version__``) and the one
#: exception tree.
ANYWHERE: frozenset[str] = frozenset({"", "errors"})

#: The domain layers: pure functions over typed records. They read no files and print nothing.
DOMAIN: tuple[str, ...] = (
    "clinical", "evidence", "eligibility", "outcomes", "offers", "synthesis", "decision",
)

#: The evidence loader reads the evidence base's own YAML files (the packaged data, or a
#: curator's copy given with ``msstem evidence check --data-dir``): the evidence layer *is*
#: that data; its cache (evidence/cache.py) keeps the validated form of those files in the
#: user's cache folder. This exemption is permanent and documented in docs/architecture.md.
PACKAGED_DATA_READERS: frozenset[str] = frozenset({"evidence/loader.py", "evidence/cache.py"})

#: Outcome table reading and writing (CSV/Parquet) moved to msstem.io (issue 11): empty, and
#: it stays empty. Do not add to it.
OUTCOMES_FILE_READERS_TO_MOVE: frozenset[str] = frozenset()

RANK: dict[str, int] = {pkg: i for i, line in enumerate(LAYERS) for pkg in line}


@dataclass(frozen=True)
class Import:
    target: str  # dotted module name, e.g. "msstem.decision.assess"
    line: int


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _layer_of(module: str) -> str:
    """``msstem.decision.assess`` -> ``decision``; ``msstem`` -> ``""``."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def _literal_prefix(node: ast.expr) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        prefix = ""
        for value in node.values:
            if isinstance(value, ast.Constant) and isinstance(value.value, str):
                prefix += value.value
            else:
                return prefix + "{dynamic}"
        return prefix
    return None


def imports_of(source: str, module: str, is_package: bool) -> Iterator[Import]:
    """Every msstem import in ``source`` (the module ``module``), wherever it is written."""
    package = module if is_package else module.rpartition(".")[0]
    tree = ast.parse(source)
    # Module-level tuples/lists of names (``_MODULES = ("msstem.a", ...)``) that a dynamic
    # import may loop over: their values count as imports too.
    named: dict[str, list[str]] = {}
    for stmt in tree.body:
        target, value = None, None
        if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1:
            target, value = stmt.targets[0], stmt.value
        elif isinstance(stmt, ast.AnnAssign):
            target, value = stmt.target, stmt.value
        if (isinstance(target, ast.Name) and isinstance(value, ast.Tuple | ast.List)
                and all(isinstance(e, ast.Constant) and isinstance(e.value, str)
                        for e in value.elts)):
            named[target.id] = [str(e.value) for e in value.elts if isinstance(e, ast.Constant)]
    for loop in ast.walk(tree):  # ``for name in _MODULES: import_module(name)``
        if (isinstance(loop, ast.For) and isinstance(loop.target, ast.Name)
                and isinstance(loop.iter, ast.Name) and loop.iter.id in named):
            named[loop.target.id] = named[loop.iter.id]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield Import(alias.name, node.lineno)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                target = ".".join([*base, node.module] if node.module else base)
            else:
                target = node.module or ""
            yield Import(target, node.lineno)
            # ``from msstem import decision`` imports the subpackage itself.
            if target == "msstem":
                for alias in node.names:
                    if alias.name in RANK or (SRC / alias.name).is_dir():
                        yield Import(f"msstem.{alias.name}", node.lineno)
        elif isinstance(node, ast.Call) and node.args:
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name in {"import_module", "__import__"}:
                prefix = _literal_prefix(node.args[0])
                arg = node.args[0]
                if prefix is None and isinstance(arg, ast.Name) and arg.id in named:
                    for name_ in named[arg.id]:
                        yield Import(name_, node.lineno)
                elif prefix is None:
                    yield Import("{dynamic}", node.lineno)
                else:
                    yield Import(prefix, node.lineno)


def violations_in(source: str, module: str, is_package: bool = False) -> list[str]:
    """Imports in ``module`` that point up or sideways (empty when it keeps to the layers)."""
    own = _layer_of(module)
    bad = []
    for imp in imports_of(source, module, is_package):
        if imp.target == "{dynamic}" or imp.target.startswith("msstem.{dynamic}"):
            bad.append(f"{module}:{imp.line} imports a module whose name is computed; "
                       "name the package literally")
            continue
        if imp.target != "msstem" and not imp.target.startswith("msstem."):
            continue
        target = _layer_of(imp.target)
        if target == own or target in ANYWHERE:
            continue
        if own in ANYWHERE:
            bad.append(f"{module}:{imp.line} imports {imp.target}, but {module} must import "
                       "nothing from msstem (it is importable from anywhere)")
        elif target not in RANK:
            bad.append(f"{module}:{imp.line} imports {imp.target}: package {target!r} is in "
                       "no layer (add it to LAYERS and docs/architecture.md)")
        elif RANK[target] >= RANK[own]:
            where = "sideways (a sibling)" if RANK[target] == RANK[own] else "up"
            bad.append(f"{module}:{imp.line} imports {imp.target}: {own} -> {target} points "
                       f"{where}")
    return bad


def _sources() -> list[Path]:
    return sorted(SRC.rglob("*.py"))


def test_every_package_has_a_layer() -> None:
    packages = {p.parent.name for p in SRC.glob("*/__init__.py")}
    modules = {p.stem for p in SRC.glob("*.py") if p.stem != "__init__"}
    unplaced = (packages | modules) - set(RANK) - ANYWHERE
    assert not unplaced, f"place these in LAYERS (and docs/architecture.md): {sorted(unplaced)}"


def test_imports_point_down() -> None:
    bad: list[str] = []
    for path in _sources():
        bad += violations_in(path.read_text(encoding="utf-8"), _module_name(path),
                             path.name == "__init__.py")
    assert not bad, "imports against the layers:\n" + "\n".join(bad)


def test_anywhere_modules_are_leaves() -> None:
    for name in ("__init__.py", "errors.py"):
        path = SRC / name
        imported = [i.target for i in imports_of(path.read_text(), _module_name(path),
                                                 name == "__init__.py")
                    if i.target.startswith("msstem")]
        assert imported == [], f"{name} imports {imported}"


@pytest.mark.parametrize(
    ("module", "source"),
    [
        ("msstem.eligibility.criteria", "from msstem.decision import assess\n"),
        ("msstem.eligibility.criteria", "def f():\n    import msstem.decision.assess\n"),
        ("msstem.eligibility.criteria",
         "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n"
         "    from msstem.decision import Assessment\n"),
        ("msstem.eligibility.criteria", "from msstem.outcomes import detect_progression\n"),
        ("msstem.clinical.profile", "from ..evidence import load_evidence\n"),
        ("msstem.clinical.profile",
         "import importlib\nimportlib.import_module('msstem.reports.text')\n"),
        ("msstem.cli", "import importlib\nimportlib.import_module(f'msstem.{name}')\n"),
        ("msstem.decision.assess", "from msstem import io\n"),
        ("msstem.decision.assess", "from msstem.newthing import x\n"),
        ("msstem.decision.assess",
         "import importlib\n_M = ('msstem.web',)\nfor m in _M:\n    importlib.import_module(m)\n"),
        ("msstem.errors", "from msstem.clinical import Profile\n"),
    ],
)
def test_the_checker_catches_imports_that_point_up(module: str, source: str) -> None:
    assert violations_in(source, module)


@pytest.mark.parametrize(
    ("module", "source"),
    [
        ("msstem.decision.assess", "from msstem.eligibility import evaluate_all\n"),
        ("msstem.decision.assess", "from msstem import __version__\n"),
        ("msstem.eligibility.criteria", "from msstem.errors import ProfileError\n"),
        ("msstem.eligibility.criteria", "from .model import Verdict\n"),
        ("msstem.cli", "import importlib\nimportlib.import_module(f'msstem.commands.{n}')\n"),
        ("msstem.web.pages", "import json\nfrom pathlib import Path\n"),
    ],
)
def test_the_checker_allows_imports_that_point_down(module: str, source: str) -> None:
    assert violations_in(source, module) == []


# --- domain layers read no files and print nothing ---------------------------------------

#: Calls that read or list files, print, or prompt. ``to_csv``/``to_parquet`` on results are
#: allowed conveniences (the caller names the file).
_FORBIDDEN_CALLS: frozenset[str] = frozenset({
    "print", "open", "input", "breakpoint",
    "read_text", "read_bytes", "write_text", "write_bytes", "iterdir", "glob", "rglob",
    "listdir", "scandir", "walk", "read_csv", "read_parquet", "read_json", "read_excel",
    "read_table", "read_schema", "read_feather", "read_ipc", "scan_csv", "scan_parquet",
    "load", "loadtxt", "genfromtxt", "fromfile", "safe_load_all", "connect", "echo", "pprint",
})
#: Modules a domain layer must not import: terminals, HTTP, storage.
_FORBIDDEN_MODULES: frozenset[str] = frozenset({
    "typer", "click", "rich", "fastapi", "starlette", "uvicorn", "sqlalchemy", "sqlite3",
    "shutil", "tempfile", "glob", "fileinput", "pprint",
})
_FORBIDDEN_ATTRS: frozenset[str] = frozenset({"stdout", "stderr", "stdin"})


def io_uses_in(source: str) -> list[str]:
    """File access, printing and terminal/HTTP imports in ``source`` (``line: what``)."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name in _FORBIDDEN_CALLS:
                found.append(f"{node.lineno}: calls {name}()")
        elif isinstance(node, ast.Attribute) and node.attr in _FORBIDDEN_ATTRS:
            found.append(f"{node.lineno}: uses .{node.attr}")
        elif isinstance(node, ast.Import | ast.ImportFrom):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                     else [node.module or ""])
            for name in names:
                if name.split(".")[0] in _FORBIDDEN_MODULES:
                    found.append(f"{node.lineno}: imports {name}")
    return found


def _domain_files() -> list[Path]:
    return [p for pkg in DOMAIN if (SRC / pkg).is_dir() for p in sorted((SRC / pkg).rglob("*.py"))]


def test_domain_layers_read_no_files_and_print_nothing() -> None:
    exempt = PACKAGED_DATA_READERS | OUTCOMES_FILE_READERS_TO_MOVE
    bad = []
    for path in _domain_files():
        rel = path.relative_to(SRC).as_posix()
        if rel in exempt:
            continue
        bad += [f"{rel}:{use}" for use in io_uses_in(path.read_text(encoding="utf-8"))]
    assert not bad, "domain code touching files or the terminal (move it to io/ or " \
                    "reports/):\n" + "\n".join(bad)


@pytest.mark.parametrize("rel", sorted(PACKAGED_DATA_READERS | OUTCOMES_FILE_READERS_TO_MOVE))
def test_every_exemption_is_still_needed(rel: str) -> None:
    """An exempt module that no longer reads files leaves the list (so the list empties)."""
    path = SRC / rel
    assert path.is_file(), f"{rel} is gone: remove it from the exemption list"
    assert io_uses_in(path.read_text(encoding="utf-8")), \
        f"{rel} reads no files any more: remove it from the exemption list"


@pytest.mark.parametrize(
    "source",
    [
        "print('hi')\n",
        "from pathlib import Path\nPath('x').read_text()\n",
        "import pandas as pd\npd.read_csv('x.csv')\n",
        "import sys\nsys.stderr.write('x')\n",
        "def f():\n    import typer\n",
        "with open('x') as fh:\n    pass\n",
        "import json\njson.load(fh)\n",
    ],
)
def test_the_io_checker_catches_file_access(source: str) -> None:
    assert io_uses_in(source)


def test_the_io_checker_allows_pure_code_and_result_conveniences() -> None:
    source = (
        "import json\nfrom pathlib import Path\n"
        "def to_csv(self, path):\n    self.frame.to_csv(Path(path), index=False)\n"
        "def f(text):\n    return json.loads(text)\n"
    )
    assert io_uses_in(source) == []
