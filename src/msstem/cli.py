"""The msstem command line: a thin layer that parses, calls the library, renders.

Every :class:`~msstem.errors.MsstemError` becomes one line on stderr and exit
code 2; no user ever sees a traceback.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence

# The command line is its own process: pydantic's plugin discovery (a scan of every installed
# package's entry points) only slows each start. A caller who sets the variable keeps theirs.
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")

import typer

from msstem import __version__
from msstem.errors import MsstemError

_app = typer.Typer(
    name="msstem",
    help="Evidence-based decision support and outcome analytics for stem cell therapy in MS. "
    "msstem supports decisions; it does not make them.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def fail(message: str) -> typer.Exit:
    """Print one line to stderr and return the exit to raise (code 2)."""
    typer.echo(f"msstem: error: {' '.join(message.split())}", err=True)
    return typer.Exit(code=2)


@_app.callback(invoke_without_command=True)
def _root(
    version: bool = typer.Option(False, "--version", help="Print the msstem version and exit."),
) -> None:
    if version:
        typer.echo(f"msstem {__version__}")
        raise typer.Exit()


# Each capability keeps its commands in its own module under msstem.commands, with a
# `register(app)` function; add the module here when adding a capability, under the
# top-level name(s) it registers (tests/test_cli_startup.py checks this map).
_COMMAND_MODULES: dict[str, str] = {
    "evidence": "evidence",
    "assess": "assess",
    "serve": "serve",
    "outcomes": "outcomes",
    "check-offer": "check_offer",
}
_registered: set[str] = set()


def _register_commands(names: Sequence[str] | None = None) -> typer.Typer:
    """Register the commands ``names`` (all by default); each module is imported once.

    A command pays only for its own imports: ``msstem assess`` does not import the
    outcomes stack (pandas, numba) that ``msstem outcomes`` needs.
    """
    import importlib

    for name in _COMMAND_MODULES if names is None else names:
        module = _COMMAND_MODULES[name]
        if module not in _registered:
            importlib.import_module(f"msstem.commands.{module}").register(_app)
            _registered.add(module)
    return _app


def _commands_for(argv: Sequence[str]) -> list[str] | None:
    """The one command ``argv`` runs, or None (help, --version, a typo: register all)."""
    first = next((a for a in argv if not a.startswith("-")), None)
    if first is None or first not in _COMMAND_MODULES or argv[0] != first:
        return None
    return [first]


def __getattr__(name: str) -> typer.Typer:
    # ``from msstem.cli import app``: the whole command line, every command registered.
    if name == "app":
        return _register_commands()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def main(argv: Sequence[str] | None = None) -> None:
    """Console entry point."""
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        _register_commands(_commands_for(args))(args=args, standalone_mode=True)
    except MsstemError as exc:
        typer.echo(f"msstem: error: {exc}", err=True)
        sys.exit(2)


if __name__ == "__main__":  # pragma: no cover
    main()
