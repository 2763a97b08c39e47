"""The summary PDF: at most two pages, text 11 pt or more, Latin-1 safe, lists shortened
with a note, the options grid as a table."""

from __future__ import annotations

import re
import zlib
from typing import Any

from msstem.reports.pdf import latin1, render_summary_pdf


def _pages(data: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page\b(?!s)", data))


def _font_sizes(data: bytes) -> set[float]:
    sizes: set[float] = set()
    for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", data, re.S):
        try:
            text = zlib.decompress(stream)
        except zlib.error:
            text = stream
        sizes |= {float(x) for x in re.findall(rb"/F\d+\s+([\d.]+)\s+Tf", text)}
    return sizes


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
    sizes = _font_sizes(data)
    assert sizes and min(sizes) >= 11


def test_huge_document_at_most_two_pages_never_below_11_pt() -> None:
    data = render_summary_pdf(_doc(60))
    assert data.startswith(b"%PDF") and 1 <= _pages(data) <= 2
    assert min(_font_sizes(data)) >= 11


def test_example_summary_pdf_has_the_grid_as_a_table() -> None:
    import json
    from pathlib import Path

    from msstem.decision import assess, parse_profile
    from msstem.evidence import load_evidence
    from msstem.reports.summary import build_summary

    example = Path(__file__).resolve().parents[2] / "examples" / "profile.json"
    doc = build_summary(assess(parse_profile(json.loads(example.read_text()))), load_evidence(),
                        priorities={"avoid_treatment_death": 4, "fertility": 3})
    data = render_summary_pdf(doc)
    assert _pages(data) <= 2 and min(_font_sizes(data)) >= 11
    text = b"".join(zlib.decompress(s) for s in re.findall(
        rb"stream\r?\n(.*?)\r?\nendstream", data, re.S) if s[:1] == b"x")
    assert b"Outcome" in text and b"Stem cell transplant" in text  # the table header


def test_latin1_spells_out_symbols() -> None:
    assert latin1("EDSS ≥ 6.0 – 2×") == "EDSS >= 6.0 - 2x"
    assert latin1("漢") == "?"
    latin1("é").encode("latin-1")
