"""The summary as PDF (at most two A4 pages, text 11 pt or larger), drawn with fpdf2.

Why fpdf2 and not WeasyPrint: WeasyPrint needs Pango/Cairo system libraries, which
a fresh machine may lack; fpdf2 installs from PyPI alone. It draws from the same
summary document as the HTML page, so both show the same numbers.

The built-in PDF fonts cover Latin-1 only; other characters are spelled out
(``≥`` -> ``>=``) before drawing. The options grid is a table. The document must fit on
two pages: it is drawn at 12 pt, then 11 pt, then with the longest lists shortened
(saying so), never cut silently and never smaller than 11 pt.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Final

from fpdf import FPDF

__all__ = ["MAX_PAGES", "MIN_PT", "latin1", "render_summary_pdf"]

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


#: Text is never smaller than this (print guidance for people with low vision or fatigue).
MIN_PT: Final = 11.0
#: The summary fits on at most this many A4 pages.
MAX_PAGES: Final = 2


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
        size = max(size or self.base, MIN_PT)
        self.set_font("Helvetica", style, size)
        self.multi_cell(self.width, self.line_h(size), latin1(text), new_x="LMARGIN",
                        new_y="NEXT")
        if gap:
            self.ln(gap)

    def heading(self, text: str) -> None:
        self.ln(self.base * 0.2)
        self.set_text_color(18, 38, 63)
        self.para(text, self.base + 2, "B")
        self.set_text_color(0, 0, 0)
        y = self.get_y()
        self.set_draw_color(180, 180, 180)
        self.line(self.l_margin, y, self.w - self.r_margin, y)
        self.ln(0.8)

    def grid(self, names: Mapping[str, str], rows: Sequence[Mapping[str, Any]]) -> None:
        """The options grid as a table: outcome, then one column per option."""
        self.set_font("Helvetica", "", self.base)
        n = len(names)
        widths = (0.28, *([0.72 / n] * n)) if n else (1.0,)
        with self.table(col_widths=tuple(w * 100 for w in widths), text_align="LEFT",
                        line_height=self.line_h(self.base), first_row_as_headings=True,
                        padding=0.8) as table:
            head = table.row()
            head.cell(latin1("Outcome"))
            for name in names.values():
                head.cell(latin1(name))
            for r in rows:
                row = table.row()
                notes = r.get("notes") or []
                mark = f" [{','.join(str(x) for x in notes)}]" if notes else ""
                row.cell(latin1(f"{r['label']}, {r['when']}{mark}"))
                for oid in names:
                    row.cell(latin1(r["cells"].get(oid, "no figure")))


def _shorten(items: Sequence[Any], limit: int | None) -> tuple[list[Any], int]:
    if limit is None or len(items) <= limit:
        return list(items), 0
    return list(items[:limit]), len(items) - limit


def _draw(doc: Mapping[str, Any], size: float, limit: int | None) -> _Doc:
    pdf = _Doc(size)
    pdf.para(doc.get("title", "My decision summary"), size + 5, "B")
    pdf.para(f"Made {doc.get('created', '')}; evidence checked {doc.get('evidence_date', '')}. "
             + str(doc.get("disclaimer", "")), size, "I", gap=0.5)

    pdf.heading("About me")
    profile = doc.get("profile", {})
    answered = "; ".join(f"{r['label']}: {r['value']}" for r in profile.get("answered", []))
    pdf.para(answered or "No answers given yet.")
    if profile.get("unknown"):
        pdf.para("Not known: " + ", ".join(profile["unknown"]) + ".")

    pdf.heading("My answer in short")
    for line in doc.get("answer", []):
        pdf.para(line)
    if not doc.get("answer"):
        rows, more = _shorten(doc.get("eligibility", []), limit)
        for row in rows:
            pdf.para(f"{row['name']}: {row['verdict_text']}.")
        if more:
            pdf.para(f"... and {more} more rule sets on the web summary.", style="I")
    if doc.get("hctci"):
        pdf.para(doc["hctci"]["text"])

    if doc.get("grid"):
        pdf.heading("The options, on the same scale")
        pdf.grid(doc.get("option_names", {}), doc["grid"])
    for option in doc.get("options", []):  # summaries saved by earlier versions
        pdf.para(option["title"], style="B")
        rows, more = _shorten(option.get("rows", []), limit)
        for r in rows:
            pdf.para(f"- {r['text']}")
        if more:
            pdf.para(f"- ... {more} more figures on the web summary.", style="I")

    if doc.get("direct"):
        pdf.heading("Direct comparisons")
        direct, more = _shorten(doc["direct"], limit)
        for d in direct:
            pdf.para(f"- {d['name']}: {d['text']} ({d['interval']})")
        if more:
            pdf.para(f"... {more} more on the web summary.", style="I")

    pdf.heading("What matters to me")
    alignment = doc.get("alignment")
    if alignment:
        for a in alignment:
            names = ", ".join(f"'{r['label']}'" for r in a["rows"]) or "no figures; ask"
            pdf.para(f"{a['label']} ({a['rating_text'].lower()}): see {names} in the table.")
    else:
        priorities = doc.get("priorities", [])
        pdf.para("; ".join(f"{p['label']}: {p['rating_text']}" for p in priorities)
                 or "Not answered yet.")
    ready = doc.get("readiness")
    if ready:
        pdf.heading("How ready I feel")
        pdf.para(f"Stage: {ready.get('stage') or 'not answered'}. Who should decide: "
                 f"{ready.get('role') or 'not answered'}.")
        pdf.para(f"SURE test at the start: {ready.get('sure_start_text') or 'not answered'} "
                 f"Now: {ready.get('sure_end_text') or 'not answered'}")
        if ready.get("offer"):
            pdf.para(f"Offer I checked: {ready['offer']}.")
    quiz = doc.get("quiz")
    pdf.para("Check of understanding: " + (quiz["text"] if quiz else "not taken."))

    pdf.heading("Questions for my neurologist")
    questions, more = _shorten(doc.get("questions", []), limit)
    for i, q in enumerate(questions, 1):
        pdf.para(f"{i}. {q}")
    if more:
        pdf.para(f"... {more} more questions on the web summary.", style="I")

    pdf.heading("Sources")
    sources = doc.get("sources", [])
    shown, more = _shorten(sources, limit * 3 if limit else None)
    text = "; ".join(f"[{s['n']}] {s['label']}" if "n" in s else s["label"] for s in shown)
    pdf.para(text + (f"; and {more} more (listed on the web summary)." if more else "."))
    return pdf


def render_summary_pdf(doc: Mapping[str, Any]) -> bytes:
    """The summary document as an A4 PDF of at most two pages, text 11 pt or larger."""
    attempts = [(12.0, None), (11.0, None), (11.0, 12), (11.0, 8), (11.0, 5), (11.0, 3),
                (11.0, 1)]
    pdf = None
    for size, limit in attempts:
        pdf = _draw(doc, size, limit)
        if pdf.page_no() <= MAX_PAGES:
            break
    assert pdf is not None
    return bytes(pdf.output())
