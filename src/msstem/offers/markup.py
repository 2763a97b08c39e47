"""HTML pasted as an offer: recognise it and reduce it to its visible text (stdlib only).

People paste a page's source as often as its text. The checker reads sentences, so markup is
reduced first with :class:`html.parser.HTMLParser`: the text of ``script``, ``style``,
``template``, ``noscript``, ``svg`` and ``head`` is dropped, block elements (paragraphs,
headings, list items, table cells, ``br``) become line breaks so that sentences and lists keep
their shape, list items get a "- " bullet, and character references are decoded. Nothing is
fetched and no attribute is read.
"""

from __future__ import annotations

import itertools
import re
from html.parser import HTMLParser
from typing import Final

__all__ = ["html_to_text", "looks_like_html"]

# A text is read as HTML when it has at least this many tags of the kinds pages are made of.
_MIN_TAGS: Final = 2
_TAG: Final = re.compile(
    r"<\s*/?\s*(?:!doctype|html|head|body|div|p|br|span|a|li|ul|ol|h[1-6]|table|tr|td|th|img"
    r"|section|article|header|footer|nav|main|strong|em|b|i|script|style|meta|link|title"
    r"|button|form|input|label|blockquote|figure|small)\b[^>]*>",
    re.IGNORECASE,
)
_SKIP: Final = frozenset({"script", "style", "template", "noscript", "svg", "head", "title"})
_BLOCK: Final = frozenset(
    {
        "p", "div", "section", "article", "header", "footer", "main", "nav", "aside", "h1",
        "h2", "h3", "h4", "h5", "h6", "ul", "ol", "table", "tr", "blockquote", "figure",
        "figcaption", "form", "dl", "dt", "dd", "pre", "address", "hr",
    }
)
_CELL: Final = frozenset({"td", "th"})
_VOID_BREAK: Final = frozenset({"br", "hr"})


def looks_like_html(text: str) -> bool:
    """True if ``text`` contains at least two common HTML tags."""
    return len(list(itertools.islice(_TAG.finditer(text), _MIN_TAGS))) >= _MIN_TAGS


class _TextOnly(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP:
            self._skip += 1
        elif tag in _VOID_BREAK or tag in _BLOCK:
            self.parts.append("\n")
        elif tag == "li":
            self.parts.append("\n- ")
        elif tag in _CELL:
            self.parts.append(" ")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _VOID_BREAK:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            self._skip = max(0, self._skip - 1)
        elif tag in _BLOCK:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def html_to_text(text: str) -> str:
    """The visible text of an HTML document or fragment, with blocks on their own lines."""
    parser = _TextOnly()
    parser.feed(text)
    parser.close()
    raw = "".join(parser.parts).replace("\xa0", " ")
    lines = [" ".join(line.split()) for line in raw.splitlines()]
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line)
    return "\n".join(out).strip()
