"""``msstem check-offer FILE``: the warning signs in the text of a clinic's offer."""

from __future__ import annotations

import json
from enum import StrEnum
from typing import Annotated

import typer

from msstem.errors import InputError, MsstemError, quote_input, strip_control
from msstem.offers import MAX_OFFER_CHARS, check_offer
from msstem.offers.checker import MAX_HTML_CHARS

__all__ = ["register"]

# UTF-8 needs at most 4 bytes a character, so more bytes than this is surely over the limit
# (HTML may be longer than plain text: its markup is reduced before checking).
_MAX_BYTES = 4 * MAX_HTML_CHARS


class OutputFormat(StrEnum):
    text = "text"
    json = "json"


def _read(file: str) -> str:
    """The text of FILE ("-" = standard input), read no further than the size limit allows;
    a folder, FIFO or device is refused by its type (one line, no hang)."""
    from msstem.io.profiles import read_bounded

    try:
        raw = read_bounded(file, _MAX_BYTES, what="offer", field="FILE",
                           name=f"FILE: cannot read {quote_input(file, 80)}:")
    except InputError as exc:
        if "larger than" not in str(exc):
            raise
        raise InputError(
            f"text: more than {MAX_HTML_CHARS:,} characters; the limit is {MAX_OFFER_CHARS:,} "
            f"for text and {MAX_HTML_CHARS:,} for HTML",
            field="text",
        ) from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"FILE: {file} is not UTF-8 text (byte {exc.start})", field="FILE"
        ) from exc


def _error(message: str) -> typer.Exit:
    # Same one-line shape and exit code as msstem.cli.fail; kept local so that this module
    # does not import msstem.cli (which imports every command module).
    text = "msstem: error: " + " ".join(strip_control(message).split())
    typer.echo(text if len(text) <= 300 else text[:299] + "…", err=True)
    return typer.Exit(code=2)


def register(app: typer.Typer) -> None:
    @app.command("check-offer")
    def check_offer_command(
        file: Annotated[
            str,
            typer.Argument(help="Text file with the offer ('-' reads standard input)."),
        ],
        output: Annotated[
            OutputFormat, typer.Option("--format", help="Output format: text or json.")
        ] = OutputFormat.text,
    ) -> None:
        """Look for warning signs of an unproven treatment in a stem cell clinic's offer.

        Reads English and Spanish text or HTML; gives a one-line verdict, then each sign
        with the phrase behind it, why it matters and what to ask. Finding no sign does
        not make an offer legitimate.
        """
        try:
            result = check_offer(_read(file))
        except MsstemError as exc:
            raise _error(str(exc)) from exc
        if output is OutputFormat.json:
            typer.echo(json.dumps(result.to_dict(), indent=2, ensure_ascii=False))
        else:
            # Quotes come from the pasted text: no terminal escape sequences on the way out.
            typer.echo(strip_control(result.to_text()), nl=False)
