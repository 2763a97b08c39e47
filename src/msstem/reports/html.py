"""The self-contained HTML assessment report: one file, inline CSS and SVG, no scripts,
no external requests. Rendered with Jinja2 (autoescape on) from the assessment document.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import Any, Literal

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from msstem.reports.document import Renderable, as_document, estimate_groups, source_index
from msstem.reports.formatting import (
    APPLICABILITY_TEXT,
    CRITERION_STATUS_TEXT,
    VERDICT_TEXT,
    format_value,
    interval_text,
    per_100_text,
    source_links,
)
from msstem.reports.icons import icon_array_svg, person_symbol_defs

__all__ = ["render_html", "template_environment"]


def _icon_array(estimate: Mapping[str, Any]) -> Markup:
    kind: Literal["benefit", "harm", "other"] = (
        "benefit" if estimate["kind"] == "benefit" else "harm" if estimate["kind"] == "harm"
        else "other"
    )
    svg = icon_array_svg(float(estimate["per_100"]), label=str(estimate["label"]), kind=kind)
    return Markup(svg)  # built from escaped parts


def _split_reference(source: Mapping[str, Any]) -> tuple[str, str]:
    """(label, the rest of the reference), so the label is not printed twice."""
    reference, label = str(source["reference"]), str(source["label"]).rstrip(".")
    if reference.startswith(label):
        return label, reference[len(label):]
    return label, ". " + reference


@cache
def template_environment() -> Environment:
    """The Jinja2 environment for msstem's report templates (autoescape always on)."""
    env = Environment(
        loader=PackageLoader("msstem.reports", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(
        per_100_text=per_100_text,
        interval_text=interval_text,
        format_value=format_value,
        icon_array=_icon_array,
        source_links=source_links,
        split_reference=_split_reference,
    )
    env.globals.update(
        VERDICT_TEXT=VERDICT_TEXT,
        CRITERION_STATUS_TEXT=CRITERION_STATUS_TEXT,
        APPLICABILITY_TEXT=APPLICABILITY_TEXT,
        person_symbol_defs=lambda: Markup(person_symbol_defs()),
    )
    return env


def render_html(report: Renderable | Mapping[str, Any]) -> str:
    """The HTML report for an ``Assessment`` (or its ``to_dict()`` document)."""
    doc = as_document(report)
    template = template_environment().get_template("report.html.j2")
    return template.render(
        doc=doc,
        sources=source_index(doc),
        estimate_groups=estimate_groups(doc),
    )
