"""The msstem command line: a thin layer that parses, calls the library, renders.

Every :class:`~msstem.errors.MsstemError` becomes one line on stderr and exit
code 2; no user ever sees a traceback.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

import typer

from msstem import __version__
from msstem.errors import MsstemError

app = typer.Typer(
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


@app.callback(invoke_without_command=True)
def _root(
    version: bool = typer.Option(False, "--version", help="Print the msstem version and exit."),
) -> None:
    if version:
        typer.echo(f"msstem {__version__}")
        raise typer.Exit()


# Each capability keeps its commands in its own module under msstem.commands, with a
# `register(app)` function; add the module here when adding a capability.
_COMMAND_MODULES = ("evidence", "assess", "serve", "outcomes", "check_offer", "synthesize")


def _register_commands() -> None:
    import importlib

    for name in _COMMAND_MODULES:
        importlib.import_module(f"msstem.commands.{name}").register(app)


_register_commands()


def main(argv: Sequence[str] | None = None) -> None:
    """Console entry point."""
    try:
        app(args=list(argv) if argv is not None else None, standalone_mode=True)
    except MsstemError as exc:
        typer.echo(f"msstem: error: {exc}", err=True)
        sys.exit(2)


if __name__ == "__main__":  # pragma: no cover
    main()
