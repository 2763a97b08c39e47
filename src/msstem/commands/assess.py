"""``msstem assess PROFILE.json``: the personal, cited assessment as text, JSON, HTML, or the
one-page PDF summary."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, Final

import typer

from msstem.errors import OptionsError, strip_control

__all__ = ["FORMATS", "register"]


def _render_pdf(assessment: Any) -> bytes:
    """The one-page summary (the web's "Your summary" page, without priorities or quiz)."""
    from msstem.reports.pdf import render_summary_pdf
    from msstem.reports.summary import build_summary

    return render_summary_pdf(build_summary(assessment, assessment.evidence))


def _renderer(fmt: str) -> Callable[[Any], str | bytes]:
    """The renderer for ``fmt``, importing only that one (HTML pulls in Jinja2, PDF fpdf2)."""
    if fmt == "pdf":
        return _render_pdf
    if fmt == "html":
        from msstem.reports.html import render_html

        return render_html
    if fmt == "json":
        from msstem.reports.json_report import render_json

        return render_json
    from msstem.reports.text import render_text

    return render_text


#: The allowed ``--format`` values (text is the default).
FORMATS: Final = ("text", "json", "html", "pdf")


def assess_command(
    profile: Annotated[
        str, typer.Argument(metavar="PROFILE.json", help="Profile JSON file ('-' reads standard "
                            "input).", show_default=False)
    ],
    fmt: Annotated[
        str, typer.Option("--format", "-f", metavar="text|json|html|pdf",
                          help="Report format (pdf: the one-page summary; needs --out).")
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
    if fmt == "pdf" and out is None:
        raise OptionsError("--format pdf: give --out FILE.pdf (a PDF is not printed to the "
                           "terminal)", field="out")
    from msstem.decision.assess import assess
    from msstem.io import load_profile, write_report

    report = _renderer(fmt)(assess(load_profile(profile)))
    if fmt == "text":
        assert isinstance(report, str)
        # A terminal must not run escape sequences that came in a profile (current_dmt).
        report = strip_control(report)
    if out is None:
        assert isinstance(report, str)
        typer.echo(report, nl=False)
        return
    written = write_report(report, out)
    typer.echo(f"{fmt} report written to {written.resolve()}")


def register(app: typer.Typer) -> None:
    app.command("assess")(assess_command)
