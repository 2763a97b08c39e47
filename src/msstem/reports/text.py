"""The plain-text assessment report, readable in an 80-column terminal.

Every figure printed comes from the assessment document with its source label and id.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable, Mapping
from typing import Any, Final

from msstem.reports.document import Renderable, as_document, estimate_groups, source_index
from msstem.reports.formatting import (
    APPLICABILITY_TEXT,
    CRITERION_STATUS_TEXT,
    VERDICT_TEXT,
    format_value,
    interval_text,
    per_100_text,
)

__all__ = ["render_text"]

WIDTH: Final = 80
_KIND_TITLE: Final = {"benefit": "Benefits", "harm": "Harms"}


def _wrap(text: str, indent: int = 0, hang: int = 0, width: int = WIDTH) -> list[str]:
    return textwrap.wrap(
        " ".join(str(text).split()),
        width=width,
        initial_indent=" " * indent,
        subsequent_indent=" " * (indent + hang),
        break_long_words=True,
        break_on_hyphens=False,
    ) or [""]


def _heading(title: str) -> list[str]:
    return ["", title.upper(), "-" * min(len(title), WIDTH)]


def _cite(ids: Iterable[str], sources: Mapping[str, Mapping[str, Any]]) -> str:
    parts = []
    for sid in ids:
        label = sources.get(sid, {}).get("label")
        parts.append(f"{label} [{sid}]" if label else f"[{sid}]")
    return "; ".join(parts)


def _profile(doc: Mapping[str, Any]) -> list[str]:
    lines = _heading("Your profile")
    known = doc["profile"]["known"]
    if not known:
        lines.append("  Nothing entered.")
    for name, value in known.items():
        lines.extend(_wrap(f"{name}: {format_value(value)}", indent=2, hang=4))
    unknown = doc["profile"]["unknown"]
    text = ", ".join(unknown) if unknown else "none"
    lines.extend(_wrap(f"Unknown (not entered): {text}", indent=2, hang=4))
    return lines


def _eligibility(doc: Mapping[str, Any], sources: Mapping[str, Mapping[str, Any]]) -> list[str]:
    lines = _heading("Eligibility screening against published criteria")
    for rid, result in doc["eligibility"].items():
        name = result.get("name", rid)
        kind = result.get("kind", "")
        verdict = VERDICT_TEXT.get(result["verdict"], result["verdict"])
        lines.append("")
        lines.extend(_wrap(f"{name} ({kind} {rid}): {verdict.upper()}", indent=2, hang=4))
        for c in result["criteria"]:
            status = CRITERION_STATUS_TEXT.get(c["status"], c["status"])
            hard = "" if c.get("hard", True) else " (soft)"
            lines.extend(_wrap(f"[{status}] {c.get('description', c.get('id'))}{hard}",
                               indent=4, hang=4))
            detail = (
                f"your value: {format_value(c.get('value_used'))}; "
                f"threshold: {c.get('threshold') or 'none stated'}; "
                f"source: {_cite([c['source_id']], sources) if c.get('source_id') else 'none'}"
            )
            lines.extend(_wrap(detail, indent=8, hang=2))
            if c.get("reason"):
                lines.extend(_wrap(c["reason"], indent=8, hang=2))
        for caution in result.get("cautions", []):
            lines.extend(_wrap(f"Caution: {caution}", indent=4, hang=4))
        if result.get("note"):
            lines.extend(_wrap(f"Note: {result['note']}", indent=4, hang=4))
    return lines


def _hctci(doc: Mapping[str, Any], sources: Mapping[str, Mapping[str, Any]]) -> list[str]:
    lines = _heading("Transplant comorbidity index (HCT-CI)")
    h = doc.get("hctci")
    if h is None:
        lines.extend(_wrap("Not scored: hctci_items was not given (unknown).", indent=2))
        return lines
    items = ", ".join(f"{i['label']} ({i['weight']})" for i in h["items"]) or "none listed"
    lines.extend(_wrap(f"Score: {h['score']}. Items: {items}.", indent=2, hang=2))
    lines.extend(_wrap(f"Source: {_cite([h['source']], sources)}", indent=2, hang=2))
    if h.get("note"):
        lines.extend(_wrap(h["note"], indent=2, hang=2))
    for f in h.get("facts", []):
        lines.extend(_wrap(f"- {f['statement']} ({_cite(f['sources'], sources)})", indent=2,
                           hang=2))
    return lines


def _estimate(e: Mapping[str, Any], sources: Mapping[str, Mapping[str, Any]]) -> list[str]:
    lines = _wrap(f"* {e['label']}", indent=4, hang=2)
    figure = f"{per_100_text(e['per_100'])}; {interval_text(e['interval'])}"
    lines.extend(_wrap(figure, indent=6, hang=2))
    # The study's own words: tells same-label figures apart (e.g. 3- vs 6-month confirmed
    # worsening) and shows the published figure as written, next to the rounded display.
    lines.extend(_wrap(f"Reported: {e['statement']}", indent=6, hang=2))
    if e.get("follow_up"):
        lines.extend(_wrap(f"Follow-up: {e['follow_up']}", indent=6, hang=2))
    if e.get("population"):
        lines.extend(_wrap(f"People studied: {e['population']}", indent=6, hang=2))
    if e.get("intensity") and e["intensity"] != "any":
        lines.extend(_wrap(f"Regimen intensity: {e['intensity']}", indent=6, hang=2))
    fit = APPLICABILITY_TEXT.get(e["applicability"], e["applicability"])
    reasons = "; ".join(e.get("applicability_reasons", []))
    lines.extend(_wrap(f"Fit: {fit} ({reasons})", indent=6, hang=2))
    lines.extend(_wrap(f"Source: {_cite(e['sources'], sources)} [fact {e['fact_id']}]",
                       indent=6, hang=2))
    if not e["verified"]:
        lines.extend(_wrap("UNVERIFIED: the evidence notes could not confirm this figure.",
                           indent=6, hang=2))
    if e.get("caution"):
        lines.extend(_wrap(f"Caution: {e['caution']}", indent=6, hang=2))
    return lines


def _estimates(doc: Mapping[str, Any], sources: Mapping[str, Mapping[str, Any]]) -> list[str]:
    lines = _heading("Benefits and harms, per 100 people")
    groups = estimate_groups(doc)
    if not groups:
        lines.extend(_wrap("No published event rates apply.", indent=2))
    for _, name, kinds in groups:
        lines.append("")
        lines.extend(_wrap(name, indent=2, hang=2))
        for kind, estimates in kinds:
            lines.extend(_wrap(_KIND_TITLE.get(kind, kind), indent=3))
            for e in estimates:
                lines.extend(_estimate(e, sources))
    return lines


def _sources(doc: Mapping[str, Any]) -> list[str]:
    lines = _heading("Sources")
    for s in doc["sources"]:
        lines.extend(_wrap(f"[{s['id']}] {s['reference']}", indent=2, hang=4))
        if s.get("caution"):
            lines.extend(_wrap(f"Caution: {s['caution']}", indent=6, hang=2))
    return lines


def render_text(report: Renderable | Mapping[str, Any]) -> str:
    """The terminal report for an ``Assessment`` (or its ``to_dict()`` document)."""
    doc = as_document(report)
    sources = source_index(doc)
    title = (
        f"msstem assessment (msstem {doc['msstem_version']}, evidence curated "
        f"{doc['evidence_date']})"
    )
    lines = [*_wrap(title), "=" * min(len(title), WIDTH)]
    for notice in doc["disclaimers"]:
        lines.extend(_wrap(notice, hang=2))
    lines += _profile(doc)
    lines += _eligibility(doc, sources)
    lines += _hctci(doc, sources)
    lines += _estimates(doc, sources)
    lines += _sources(doc)
    lines += ["", *_wrap(
        f"Evidence curated {doc['evidence_date']}; msstem {doc['msstem_version']}. "
        f"{doc['disclaimer']}"
    )]
    return "\n".join(line.rstrip() for line in lines) + "\n"
