"""The one input every renderer takes: the assessment as its JSON-ready document.

Renderers work from ``Assessment.to_dict()`` so the text, HTML and JSON reports show
exactly the same numbers, each with the source ids that document carries.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

__all__ = ["Renderable", "as_document", "estimate_groups", "source_index"]


class Renderable(Protocol):
    def to_dict(self) -> dict[str, Any]: ...


def as_document(report: Renderable | Mapping[str, Any]) -> Mapping[str, Any]:
    """The assessment document, from an ``Assessment`` or an already-built mapping."""
    if isinstance(report, Mapping):
        return report
    return report.to_dict()


def source_index(doc: Mapping[str, Any]) -> dict[str, Mapping[str, Any]]:
    """Sources by id."""
    return {s["id"]: s for s in doc.get("sources", [])}


def estimate_groups(
    doc: Mapping[str, Any],
) -> list[tuple[str, str, list[tuple[str, list[Mapping[str, Any]]]]]]:
    """Estimates as [(therapy id, therapy name, [(kind, [estimate, ...]), ...]), ...].

    Keeps the document's order (therapy, then benefits before harms).
    """
    groups: dict[str, tuple[str, dict[str, list[Mapping[str, Any]]]]] = {}
    for e in doc.get("estimates", []):
        _, kinds = groups.setdefault(e["therapy"], (e["therapy_name"], {}))
        kinds.setdefault(e["kind"], []).append(e)
    return [
        (therapy, name, list(kinds.items())) for therapy, (name, kinds) in groups.items()
    ]
