"""The one-page summary as PDF, drawn with fpdf2 (pure Python, no system libraries).

Why fpdf2 and not WeasyPrint: WeasyPrint needs Pango/Cairo system libraries, which
a fresh machine may lack; fpdf2 installs from PyPI alone. It draws from the same
summary document as the HTML page, so both show the same numbers.

The built-in PDF fonts cover Latin-1 only; other characters are spelled out
(``≥`` -> ``>=``) before drawing. The page must stay one page: the layout is drawn
at a base size and, if it runs over, redrawn smaller, then with the longest lists
shortened (saying so), never cut silently.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from fpdf import FPDF

__all__ = ["latin1", "render_summary_pdf"]

_REPLACEMENTS = {
    "≥": ">=", "≤": "<=", "–": "-", "—": "-", "−": "-", "‘": "'", "’": "'", "“": '"',
    "”": '"', "…": "...", "→": "->", "←": "<-", "×": "x", "µ": "u", "⁶": "^6", "⁹": "^9",
    "₂": "2", "•": "-", "≈": "~", "\u00a0": " ", "\u2009": " ", "\u202f": " ", "✓": "v",
    "⚠": "!", "·": "-",
}


def latin1(text: Any) -> str:
    """``text`` with every character the core PDF fonts can draw (others spelled out)."""
    out = []
    for ch in str(text):
        ch = _REPLACEMENTS.get(ch, ch)
        try:
            ch.encode("latin-1")
        except UnicodeEncodeError:
            ch = "?"
        out.append(ch)
    return "".join(out)


class _Doc(FPDF):
    def __init__(self, size: float) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        self.base = size
        self.set_margins(12, 10, 12)
        self.set_auto_page_break(auto=True, margin=10)
        self.set_title("msstem decision summary")
        self.set_creator("msstem")
        self.add_page()

    @property
    def width(self) -> float:
        return float(self.w - self.l_margin - self.r_margin)

    def line_h(self, size: float) -> float:
        return size * 0.42

    def para(self, text: str, size: float | None = None, style: str = "",
             gap: float = 0.0) -> None:
        size = size or self.base
        self.set_font("Helvetica", style, size)
        self.multi_cell(self.width, self.line_h(size), latin1(text), new_x="LMARGIN",
                        new_y="NEXT")
        if gap:
            self.ln(gap)

    def heading(self, text: str) -> None:
        self.ln(self.base * 0.15)
        self.set_text_color(18, 38, 63)
        self.para(text, self.base + 1.5, "B")
        self.set_text_color(0, 0, 0)
        y = self.get_y()
        self.set_draw_color(180, 180, 180)
        self.line(self.l_margin, y, self.w - self.r_margin, y)
        self.ln(0.6)


def _shorten(items: Sequence[Any], limit: int | None) -> tuple[list[Any], int]:
    if limit is None or len(items) <= limit:
        return list(items), 0
    return list(items[:limit]), len(items) - limit


def _draw(doc: Mapping[str, Any], size: float, limit: int | None) -> _Doc:
    pdf = _Doc(size)
    small = size - 1
    pdf.para(doc.get("title", "My decision summary"), size + 5, "B")
    pdf.para(
        f"Made {doc.get('created', '')} with msstem {doc.get('msstem_version', '')}; "
        f"evidence curated on {doc.get('evidence_date', '')}.", small)
    pdf.para(doc.get("disclaimer", ""), small, "I", gap=0.5)

    pdf.heading("About me")
    profile = doc.get("profile", {})
    answered = "; ".join(f"{r['label']}: {r['value']}" for r in profile.get("answered", []))
    pdf.para(answered or "No answers given yet.")
    if profile.get("unknown"):
        pdf.para("Not known: " + ", ".join(profile["unknown"]) + ".", small)

    pdf.heading("Screening against published criteria")
    for row in doc.get("eligibility", []):
        line = f"{row['name']}: {row['verdict_text']}."
        if row.get("reasons"):
            reasons, more = _shorten(row["reasons"], 2 if limit else None)
            line += " " + " ".join(reasons) + (f" (+{more} more)" if more else "")
        pdf.para(line, small)
    if doc.get("hctci"):
        pdf.para(doc["hctci"]["text"], small)

    pdf.heading("The options and their numbers (per 100 people)")
    for option in doc.get("options", []):
        pdf.para(option["title"], size, "B")
        rows, more = _shorten(option.get("rows", []), limit)
        for r in rows:
            pdf.para(f"- {r['text']}", small)
        if more:
            pdf.para(f"- ... {more} more figures on the web summary.", small, "I")
        if option.get("note"):
            pdf.para(option["note"], small, "I")

    pdf.heading("What matters to me")
    priorities = doc.get("priorities", [])
    pdf.para("; ".join(f"{p['label']}: {p['rating_text']}" for p in priorities)
             or "Not answered yet.", small)
    quiz = doc.get("quiz")
    pdf.heading("Check of understanding")
    pdf.para(quiz["text"] if quiz else "Quiz not taken.", small)

    pdf.heading("Questions to ask my neurologist")
    questions, more = _shorten(doc.get("questions", []), limit)
    for i, q in enumerate(questions, 1):
        pdf.para(f"{i}. {q}", small)
    if more:
        pdf.para(f"... {more} more questions on the web summary.", small, "I")

    pdf.heading("Sources")
    sources = [s["label"] for s in doc.get("sources", [])]
    shown, more = _shorten(sources, limit * 4 if limit else None)
    pdf.para("; ".join(shown) + (f"; and {more} more (listed on the web summary)." if more
                                 else "."), small - 0.5)
    return pdf


def render_summary_pdf(doc: Mapping[str, Any]) -> bytes:
    """The summary document as a one-page A4 PDF."""
    attempts = [(9.0, None), (8.0, None), (7.0, None), (7.0, 6), (6.5, 4), (6.0, 2), (5.5, 1)]
    pdf = None
    for size, limit in attempts:
        pdf = _draw(doc, size, limit)
        if pdf.page_no() == 1:
            break
    assert pdf is not None
    return bytes(pdf.output())
