"""The JSON assessment report: the ``Assessment.to_dict()`` document, validated by
``docs/assess-schema.json``."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from msstem.reports.document import Renderable, as_document

__all__ = ["render_json"]


def render_json(report: Renderable | Mapping[str, Any], *, indent: int | None = 2) -> str:
    """The JSON document as text (UTF-8 characters kept, keys in document order)."""
    return json.dumps(as_document(report), indent=indent, ensure_ascii=False) + "\n"
