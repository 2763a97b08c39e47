"""Every renderer, shared by the CLI and the web: text, JSON and self-contained HTML reports,
the web pages' documents (options, values, quiz, the one-page summary), the summary PDF,
outcome plots, icon arrays and formatting helpers. Pure: data in, string, bytes or axes out.

The HTML, summary, PDF and plot names are imported on first use (PEP 562), so a text or JSON
report does not pay for Jinja2, the web pages' documents, fpdf2 and matplotlib.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from msstem.base import lazy_exports
from msstem.reports.formatting import format_rate, interval_text, per_100_text, source_links
from msstem.reports.icons import filled_icons, icon_array_svg, person_symbol_defs
from msstem.reports.json_report import render_json
from msstem.reports.text import render_text

if TYPE_CHECKING:
    from msstem.reports.html import render_html, template_environment
    from msstem.reports.pdf import render_summary_pdf
    from msstem.reports.plots import plot_km, plot_neda, save_png
    from msstem.reports.summary import build_summary

__all__ = [
    "build_summary",
    "filled_icons",
    "format_rate",
    "icon_array_svg",
    "interval_text",
    "per_100_text",
    "person_symbol_defs",
    "plot_km",
    "plot_neda",
    "render_html",
    "render_json",
    "render_summary_pdf",
    "render_text",
    "save_png",
    "source_links",
    "template_environment",
]

# public name -> module that defines it (imported lazily)
_LAZY = {
    "render_html": "html",
    "template_environment": "html",
    "build_summary": "summary",
    "render_summary_pdf": "pdf",
    "plot_km": "plots",
    "plot_neda": "plots",
    "save_png": "plots",
}


__getattr__, __dir__ = lazy_exports(
    _LAZY, globals(), lambda sub: importlib.import_module(f"msstem.reports.{sub}"))
