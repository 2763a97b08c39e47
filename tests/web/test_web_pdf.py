"""The one-page PDF: always one page, Latin-1 safe, shortened lists say so."""

from __future__ import annotations

import re
from typing import Any

from msstem.reports.pdf import latin1, render_summary_pdf


def _pages(data: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page\b(?!s)", data))


def _doc(n: int) -> dict[str, Any]:
    return {
        "title": "My decision summary", "created": "2026-01-01", "msstem_version": "0.1.0",
        "evidence_date": "2026-11-22", "disclaimer": "msstem supports decisions ≥ — “quoted”.",
        "profile": {"answered": [{"label": "Age", "value": "34"}], "unknown": ["EDSS"]},
        "eligibility": [{"name": f"Rule set {i}", "verdict_text": "not enough information",
                         "reasons": [f"criterion {j} unknown" for j in range(5)]}
                        for i in range(n)],
        "hctci": {"text": "HCT-CI score 1"},
        "options": [{"title": f"Option {k}",
                     "rows": [{"text": f"Outcome {i}: 83 in 100 people at 2 years [Sormani]"}
                              for i in range(n)], "note": "note"} for k in range(3)],
        "priorities": [{"label": "Stopping relapses", "rating_text": "very important"}],
        "quiz": {"text": "3 of 5 right"},
        "questions": [f"Question {i}?" for i in range(n)],
        "sources": [{"label": f"Source {i} et al. 2017"} for i in range(n * 3)],
    }


def test_small_document_is_one_page_pdf() -> None:
    data = render_summary_pdf(_doc(3))
    assert data.startswith(b"%PDF") and _pages(data) == 1


def test_huge_document_still_one_page() -> None:
    data = render_summary_pdf(_doc(60))
    assert data.startswith(b"%PDF") and _pages(data) == 1


def test_latin1_spells_out_symbols() -> None:
    assert latin1("EDSS ≥ 6.0 – 2×") == "EDSS >= 6.0 - 2x"
    assert latin1("漢") == "?"
    latin1("é").encode("latin-1")
