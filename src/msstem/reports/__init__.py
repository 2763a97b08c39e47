"""Renderers shared by the CLI and the web: text, JSON and self-contained HTML reports,
icon arrays and formatting helpers. Pure: data in, string out."""

from msstem.reports.formatting import format_rate, interval_text, per_100_text, source_links
from msstem.reports.html import render_html, template_environment
from msstem.reports.icons import filled_icons, icon_array_svg, person_symbol_defs
from msstem.reports.json_report import render_json
from msstem.reports.text import render_text

__all__ = [
    "filled_icons",
    "format_rate",
    "icon_array_svg",
    "interval_text",
    "per_100_text",
    "person_symbol_defs",
    "render_html",
    "render_json",
    "render_text",
    "source_links",
    "template_environment",
]
