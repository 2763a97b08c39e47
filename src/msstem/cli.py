"""The msstem command line: a thin layer that parses, calls the library, renders.

Every :class:`~msstem.errors.MsstemError` becomes one line on stderr and exit
code 2; no user ever sees a traceback. So do usage errors (click's own multi-line
box is replaced by one line naming the option or argument and pointing at
``--help``) and a standard output that cannot be written (a full disk,
``/dev/full``, a closed pipe): one line on stderr, exit 2.
"""

from __future__ import annotations

import contextlib
import errno
import os
import sys
from collections.abc import Sequence

# The command line is its own process: pydantic's plugin discovery (a scan of every installed
# package's entry points) only slows each start. A caller who sets the variable keeps theirs.
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")

import typer

from msstem import __version__
from msstem.errors import MsstemError, strip_control

#: The longest error line msstem prints (the message is cut with an ellipsis after it).
MAX_ERROR_CHARS = 300


def _click_class(name: str) -> type[Exception]:
    # typer >= 0.2x vendors click (typer._click); older ones use click itself. Either way the
    # classes are BadParameter's bases, and NoArgsIsHelpError sits in the same module.
    for cls in typer.BadParameter.__mro__:
        if cls.__name__ == name:
            return cls
    module = sys.modules[typer.BadParameter.__module__]
    found: type[Exception] = getattr(module, name, _Never)
    return found


class _Never(Exception):
    """Stands in for a click class this click version does not have."""


_UsageError = _click_class("UsageError")
_ClickException = _click_class("ClickException")
_NoArgsIsHelpError = _click_class("NoArgsIsHelpError")

_app = typer.Typer(
    name="msstem",
    help="Evidence-based decision support and outcome analytics for stem cell therapy in MS. "
    "msstem supports decisions; it does not make them.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def one_line(message: str) -> str:
    """``msstem: error: <message>`` on one line: whitespace collapsed, control characters
    dropped, at most :data:`MAX_ERROR_CHARS` characters."""
    text = "msstem: error: " + " ".join(strip_control(str(message)).split())
    return text if len(text) <= MAX_ERROR_CHARS else text[: MAX_ERROR_CHARS - 1] + "…"


def fail(message: str) -> typer.Exit:
    """Print one line to stderr and return the exit to raise (code 2)."""
    typer.echo(one_line(message), err=True)
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
    "synthesize": "synthesize",
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


def _usage_line(exc: Exception) -> str:
    ctx = getattr(exc, "ctx", None)
    where = ctx.command_path if ctx is not None else "msstem"
    message = exc.format_message() if hasattr(exc, "format_message") else str(exc)
    # A value checked by an options model carries pydantic's "Value error, " prefix.
    message = message.replace(": Value error, ", ": ")
    return one_line(f"{message} (see '{where} --help')")


def _output_failed(exc: OSError) -> int:
    """Standard output cannot be written: say so once, keep Python's exit-time flush quiet."""
    with contextlib.suppress(OSError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    if exc.errno != errno.EPIPE:  # a closed pipe (| head) is the reader's choice, not an error
        reason = exc.strerror or exc.__class__.__name__
        with contextlib.suppress(OSError):
            sys.stderr.write(one_line(f"output: cannot write to standard output: {reason}")
                             + "\n")
            sys.stderr.flush()
    return 2


def main(argv: Sequence[str] | None = None) -> None:
    """Console entry point."""
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        code = _register_commands(_commands_for(args))(
            args=args, prog_name="msstem", standalone_mode=False)
        sys.stdout.flush()
    except _NoArgsIsHelpError as exc:
        ctx = getattr(exc, "ctx", None)
        typer.echo(ctx.get_help() if ctx is not None else "msstem --help")
        code = 0
    except _UsageError as exc:  # unknown option, missing argument, bad value
        typer.echo(_usage_line(exc), err=True)
        code = 2
    except _ClickException as exc:
        typer.echo(one_line(getattr(exc, "format_message", exc.__str__)()), err=True)
        code = getattr(exc, "exit_code", 1)
    except typer.Abort:
        typer.echo(one_line("aborted"), err=True)
        code = 130
    except MsstemError as exc:
        typer.echo(one_line(str(exc)), err=True)
        code = 2
    except OSError as exc:
        code = _output_failed(exc)
    sys.exit(code if isinstance(code, int) else 0)


if __name__ == "__main__":  # pragma: no cover
    main()
