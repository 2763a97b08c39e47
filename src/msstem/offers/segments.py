"""Split offer text into sentences and clauses, keeping character offsets.

Context is judged per sentence and clause, so the splitter must be predictable
rather than clever: lines first (a pasted web page is mostly lines), then
sentence ends inside a line, then clause boundaries inside a sentence. Every
span is a ``(start, end)`` pair into the ORIGINAL text, so a quote can always be
shown exactly as the user pasted it.

Lists matter: a warning page often writes "Warning signs include:" and then the
signs as bullets. A list item therefore shares a *block* with the line that
introduces it (a line ending in ":"), so that the items inherit its context.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

__all__ = [
    "SOFT_WRAP_MIN_CHARS",
    "Sentence",
    "clause_spans",
    "paragraph_spans",
    "split_sentences",
]

# A bullet or list number at the start of a line: "-", "*", "•", "1.", "2)", "a)".
_LIST_MARKER: Final = re.compile(r"[ \t]*(?:[-*•·‣▪◦–—]|\d{1,2}[.)]|[a-zA-Z][)])[ \t]+")
# A sentence ends at . ! ? or … (plus closing quotes/brackets) followed by white space.
_SENTENCE_END: Final = re.compile(r"[.!?…]+[\"'”’)\]]*(?=\s)")
# Tokens after which a full stop does not end a sentence (case-sensitive: "MS." ends one).
_ABBREVIATIONS: Final = frozenset(
    {"Dr", "Mr", "Mrs", "Ms", "Prof", "St", "vs", "e.g", "i.e", "U.S", "No", "approx", "Inc"}
)
_WORD_BEFORE: Final = re.compile(r"([A-Za-z.]+)$")
# Clause boundaries inside a sentence: punctuation, dashes, and contrastive conjunctions.
_CLAUSE_BREAK: Final = re.compile(
    r"[,;:()]|\s[—–-]\s|\s—|—\s|\b(?:but|however|whereas|although|though|unlike|while)\b",
    re.IGNORECASE,
)
# An unbulleted line this short, right after a "...:" line, is read as a list item.
_SHORT_ITEM_CHARS: Final = 60
#: A line at least this long that runs on into the next line is a soft wrap (see _line_spans).
SOFT_WRAP_MIN_CHARS: Final = 40


@dataclass(frozen=True, slots=True)
class Sentence:
    """One sentence (or list item) of the input.

    ``block`` groups a list-introducing line with its items; every other
    sentence has a block of its own.
    """

    start: int
    end: int
    block: int
    list_item: bool
    intro: bool  # ends with ":" and so introduces the list items that follow


def _physical_lines(text: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    pos = 0
    for line in text.splitlines(keepends=True):
        content = line.rstrip("\r\n")
        spans.append((pos, pos + len(content)))
        pos += len(line)
    return spans


def paragraph_spans(text: str) -> list[tuple[int, int]]:
    """Runs of non-blank lines (a quotation never runs across a blank line)."""
    spans: list[tuple[int, int]] = []
    after_blank = True
    for start, end in _physical_lines(text):
        if not text[start:end].strip():
            after_blank = True
            continue
        if after_blank:
            spans.append((start, end))
        else:
            spans[-1] = (spans[-1][0], end)
        after_blank = False
    return spans


def _line_spans(text: str) -> list[tuple[int, int]]:
    """Logical lines: physical lines with soft wraps joined.

    E-mails and copied pages wrap sentences across lines ("be wary of clinics that
    promise\nno side effects"), so a line break is read as a soft wrap when the line
    is long (>= SOFT_WRAP_MIN_CHARS), does not end with ":", and the next line is
    neither blank nor a list item. Headings and list items are short, so they stay
    lines of their own.
    """
    merged: list[tuple[int, int]] = []
    joinable = False
    for start, end in _physical_lines(text):
        content = text[start:end].strip()
        if merged and joinable and content and not _LIST_MARKER.match(text, start, end):
            merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
        joinable = len(content) >= SOFT_WRAP_MIN_CHARS and not content.endswith(":")
    return merged


def _sentence_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Sentence spans inside one line, trimmed of surrounding white space."""
    spans: list[tuple[int, int]] = []
    cursor = start
    for match in _SENTENCE_END.finditer(text, start, end):
        before = _WORD_BEFORE.search(text, cursor, match.start())
        if before and before.group(1).rstrip(".") in _ABBREVIATIONS:
            continue
        spans.append((cursor, match.end()))
        cursor = match.end()
    spans.append((cursor, end))
    trimmed: list[tuple[int, int]] = []
    for s, e in spans:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            trimmed.append((s, e))
    return trimmed


def split_sentences(text: str) -> list[Sentence]:
    """Sentences of ``text`` in order, with list items grouped under their intro line.

    A line is a list item when it starts with a bullet or number, or when it is a
    short unpunctuated line right after an intro or another item. Items share the
    block of the line before them when that line is an intro (ends with ":"), a
    short heading, or another item.
    """
    sentences: list[Sentence] = []
    block = -1
    prev: str | None = None  # "intro" | "heading" | "item" | "text" | None at the start
    after_blank = False  # pasted pages often put blank lines between bullets
    for line_start, line_end in _line_spans(text):
        if not text[line_start:line_end].strip():
            after_blank = True
            continue
        marker = _LIST_MARKER.match(text, line_start, line_end)
        content_start = marker.end() if marker else line_start
        line_text = text[content_start:line_end].strip()
        short = len(line_text) <= _SHORT_ITEM_CHARS and not line_text.endswith((".", "!", "?"))
        is_item = marker is not None or (prev in ("intro", "item") and short and not after_blank)
        if not (is_item and prev in ("intro", "heading", "item")):
            block += 1
        after_blank = False
        line_sentences = _sentence_spans(text, content_start, line_end)
        for index, (s, e) in enumerate(line_sentences):
            if index > 0 and not is_item:
                block += 1
            intro = text[s:e].endswith(":")
            sentences.append(Sentence(s, e, block, is_item, intro))
        if sentences and sentences[-1].intro:
            prev = "intro"
        elif is_item:
            prev = "item"
        elif short and len(line_sentences) == 1:
            prev = "heading"
        else:
            prev = "text"
    return sentences


def clause_spans(text: str, sentence: Sentence) -> list[tuple[int, int]]:
    """Clause spans of one sentence: split at commas, semicolons, dashes, 'but', 'unlike'..."""
    spans: list[tuple[int, int]] = []
    cursor = sentence.start
    for match in _CLAUSE_BREAK.finditer(text, sentence.start, sentence.end):
        if match.start() > cursor:
            spans.append((cursor, match.start()))
        cursor = match.start() if match.group(0)[:1].isalpha() else match.end()
    if sentence.end > cursor:
        spans.append((cursor, sentence.end))
    return spans or [(sentence.start, sentence.end)]
