"""``msstem assess PROFILE.json``: the personal, cited assessment as text, JSON or HTML."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, Final

import typer

from msstem.errors import OptionsError

__all__ = ["FORMATS", "register", "write_report"]


def _renderer(fmt: str) -> Callable[[Any], str]:
    """The renderer for ``fmt``, importing only that one (HTML pulls in Jinja2)."""
    if fmt == "html":
        from msstem.reports.html import render_html

        return render_html
    if fmt == "json":
        from msstem.reports.json_report import render_json

        return render_json
    from msstem.reports.text import render_text

    return render_text


#: The allowed ``--format`` values (text is the default).
FORMATS: Final = ("text", "json", "html")


def write_report(text: str, out: Path) -> Path:
    """Write ``text`` to ``out`` (creating parent folders); one-line error if it cannot."""
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text, encoding="utf-8")
    except OSError as exc:
        reason = exc.strerror or exc.__class__.__name__
        raise OptionsError(f"--out: cannot write {str(out)!r}: {reason}", field="out") from None
    return out


def assess_command(
    profile: Annotated[
        str, typer.Argument(metavar="PROFILE.json", help="Profile JSON file.", show_default=False)
    ],
    fmt: Annotated[
        str, typer.Option("--format", "-f", metavar="text|json|html", help="Report format.")
    ] = "text",
    out: Annotated[
        Path | None,
        typer.Option("--out", "-o", help="Write the report to this file instead of printing it."),
    ] = None,
) -> None:
    """Assess a profile: eligibility, HCT-CI, and published benefit and harm rates, cited.

    msstem supports decisions; it does not make them.
    """
    if fmt not in FORMATS:
        raise OptionsError(f"--format: {fmt!r} is not allowed; allowed: {', '.join(FORMATS)}",
                           field="format")
    from msstem.decision.assess import assess
    from msstem.io import load_profile

    report = _renderer(fmt)(assess(load_profile(profile)))
    if out is None:
        typer.echo(report, nl=False)
        return
    written = write_report(report, out)
    typer.echo(f"{fmt} report written to {written.resolve()}")


def register(app: typer.Typer) -> None:
    app.command("assess")(assess_command)
