"""Shared formatting for every renderer (text, HTML, web): numbers, labels, links.

Pure helpers: data in, string out. Numbers are rounded for display only; the
figure itself always comes from an evidence fact.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Final
from urllib.parse import quote

from msstem.clinical.labels import (
    APPLICABILITY_LABELS,
    CRITERION_STATUS_LABELS,
    VERDICT_LABELS,
)

__all__ = [
    "APPLICABILITY_TEXT",
    "CRITERION_STATUS_TEXT",
    "VERDICT_TEXT",
    "format_rate",
    "format_value",
    "interval_text",
    "per_100_text",
    "source_links",
]

#: Display words, from the one labels module (msstem.clinical.labels).
VERDICT_TEXT: Final = VERDICT_LABELS
CRITERION_STATUS_TEXT: Final = CRITERION_STATUS_LABELS
APPLICABILITY_TEXT: Final = APPLICABILITY_LABELS

def format_rate(x: float) -> str:
    """A rate per 100 for display: one decimal from 1 up, three significant digits below 1."""
    if x >= 1 or x == 0:
        return f"{round(x, 1):g}"
    return f"{x:.3g}"


def per_100_text(x: float) -> str:
    """``"83 in 100 people"``; rates under one in 100 say so in words too."""
    text = f"{format_rate(x)} in 100 people"
    if 0 < x < 1:
        text += " (fewer than 1 in 100)"
    return text


def interval_text(interval: Mapping[str, Any] | None) -> str:
    """``"95% CI 1.3 to 3.4"``, or ``"interval not reported"``.

    A parenthesised note in the kind (msstem's computed intervals) goes after the numbers.
    """
    if not interval:
        return "interval not reported"
    low, high = format_rate(float(interval["low"])), format_rate(float(interval["high"]))
    kind, _, note = str(interval["kind"]).partition(" (")
    return f"{kind} {low} to {high}" + (f" ({note}" if note else "")


def format_value(value: Any) -> str:
    """A profile or criterion value for display (``None`` is "unknown")."""
    if value is None:
        return "unknown"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, list | tuple):
        return ", ".join(format_value(v) for v in value) if value else "none"
    if isinstance(value, Mapping):
        return "; ".join(f"{k} {format_value(v)}" for k, v in value.items()) or "none"
    return str(value)


def _http(url: str) -> str | None:
    url = url.strip()
    if "\u2026" in url or "..." in url:
        return None  # an abbreviated address (the notes elide parts with an ellipsis)
    if url.startswith(("https://", "http://")):
        return url
    if "://" in url or url.startswith(("/", "#")) or " " in url or "." not in url.split("/")[0]:
        return None  # not a web address we can link to safely
    return "https://" + url


def source_links(source: Mapping[str, Any]) -> list[tuple[str, str]]:
    """(text, href) pairs for a source's DOI, PMID, registry ids and URL, in that order."""
    links: list[tuple[str, str]] = []
    if source.get("doi"):
        links.append((f"DOI {source['doi']}", "https://doi.org/" + quote(source["doi"], safe="/")))
    if source.get("pmid"):
        links.append(
            (f"PMID {source['pmid']}", f"https://pubmed.ncbi.nlm.nih.gov/{source['pmid']}/")
        )
    for reg in _strings(source.get("registry_ids")):
        if reg.upper().startswith("NCT"):
            links.append((reg, f"https://clinicaltrials.gov/study/{quote(reg)}"))
    if source.get("url"):
        href = _http(str(source["url"]))
        if href is not None:
            links.append((str(source["url"]), href))
    return links


def _strings(values: Iterable[Any] | None) -> list[str]:
    return [str(v) for v in values or ()]
