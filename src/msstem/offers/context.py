"""Whose claim is it? Per-sentence and per-clause context for a matched phrase.

A phrase such as "no side effects" is the writer's own claim in an offer, but not in
"be wary of clinics that promise no side effects". The rule, applied to each match:

1. If its sentence has no context cue (warning, advice, reporting, negated evidence,
   hedging: ``patterns.ADVISORY_CUES``), and the sentence is not a list item under
   an intro that has one, the match is the writer's own claim.
2. Otherwise, if its own clause has a cue, or it sits inside quotation marks, it is
   warned about or reported, not claimed.
3. Otherwise, a clause in the writer's own voice ("our cells are 100% safe") is
   still a claim, even after "Unlike unproven clinics, ..."; any other clause
   shares the sentence's warning context.

Just before a match, a negation ("not risk-free", "no treatment is 100% safe")
also cancels it (``patterns.local_negation``).
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass

from msstem.offers import patterns
from msstem.offers.segments import Sentence, clause_spans, paragraph_spans, split_sentences

__all__ = ["TextContext", "quote_spans"]

# Characters before a match searched for a negation (a negation word plus a few words).
_NEGATION_WINDOW = 120


def quote_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Spans of text inside quotation marks (the marks excluded), paired left to right."""
    spans: list[tuple[int, int]] = []
    pos = start
    while pos < end:
        best: tuple[int, str] | None = None
        for opening, closing in patterns.QUOTE_PAIRS:
            found = text.find(opening, pos, end)
            if found != -1 and (best is None or found < best[0]):
                best = (found, closing)
        if best is None:
            break
        open_at, closing = best
        close_at = text.find(closing, open_at + 1, end)
        if close_at == -1:
            break
        spans.append((open_at + 1, close_at))
        pos = close_at + 1
    return spans


@dataclass(frozen=True, slots=True)
class _SentenceContext:
    sentence: Sentence
    warned: bool  # the sentence (or its list intro) has a context cue
    clauses: tuple[tuple[int, int], ...]
    clause_cues: tuple[bool, ...]
    clause_starts: tuple[int, ...]


class TextContext:
    """Sentences of one text with their context, and the "is this the writer's claim?" test."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.sentences = split_sentences(text)
        self._starts = [s.start for s in self.sentences]
        cues = [self._has_cue(s.start, s.end) for s in self.sentences]
        intro_cue: dict[int, bool] = {}
        for sentence, cue in zip(self.sentences, cues, strict=True):
            if not sentence.list_item:
                intro_cue[sentence.block] = intro_cue.get(sentence.block, False) or cue
        contexts: list[_SentenceContext] = []
        for sentence, cue in zip(self.sentences, cues, strict=True):
            warned = cue or (sentence.list_item and intro_cue.get(sentence.block, False))
            clauses = tuple(clause_spans(text, sentence)) if warned else ()
            contexts.append(
                _SentenceContext(
                    sentence=sentence,
                    warned=warned,
                    clauses=clauses,
                    clause_cues=tuple(self._has_strong_cue(s, e) for s, e in clauses),
                    clause_starts=tuple(s for s, _ in clauses),
                )
            )
        self._contexts = tuple(contexts)
        #: Quotations (inside the marks), paired within each paragraph.
        self.quotes: tuple[tuple[int, int], ...] = tuple(
            q for ps, pe in paragraph_spans(text) for q in quote_spans(text, ps, pe)
        )
        self._quote_starts = [qs for qs, _ in self.quotes]

    def _has_cue(self, start: int, end: int) -> bool:
        # Search a slice, not with pos/endpos, so that "^" in a cue means the clause start.
        piece = self.text[start:end]
        return (
            patterns.ADVISORY_CUES.search(piece) is not None
            or patterns.RESEARCH_CUES.search(piece) is not None
        )

    def _has_strong_cue(self, start: int, end: int) -> bool:
        return patterns.ADVISORY_CUES.search(self.text[start:end]) is not None

    @staticmethod
    def _cue_in(text: str) -> bool:
        return bool(patterns.ADVISORY_CUES.search(text) or patterns.RESEARCH_CUES.search(text))

    @property
    def warned_sentence_count(self) -> int:
        return sum(1 for c in self._contexts if c.warned)

    @property
    def reads_as_report(self) -> bool:
        """True if at least ``patterns.REPORT_SHARE_MIN`` of the sentences have a context cue."""
        return self.report_share >= patterns.REPORT_SHARE_MIN

    @property
    def report_share(self) -> float:
        """The share of sentences with a context cue (question headings left out)."""
        if not self._contexts:
            return 0.0
        # A question heading ("How does it work?") asks, but does not make a page a report.
        cued = sum(
            1 for c in self._contexts
            if c.warned and self._cue_in(
                self.text[c.sentence.start : c.sentence.end].rstrip("? ").replace("¿", " ")
            )
        )
        return cued / len(self._contexts)

    def sentence_at(self, pos: int) -> Sentence | None:
        index = bisect.bisect_right(self._starts, pos) - 1
        if index < 0:
            return None
        sentence = self.sentences[index]
        return sentence if pos < sentence.end else None

    def _context_at(self, pos: int) -> _SentenceContext | None:
        index = bisect.bisect_right(self._starts, pos) - 1
        if index < 0 or pos >= self.sentences[index].end:
            return None
        return self._contexts[index]

    def in_one_sentence(self, start: int, end: int) -> bool:
        """True if ``start:end`` lies inside one sentence (a phrase never spans two)."""
        ctx = self._context_at(start)
        return ctx is not None and end <= ctx.sentence.end

    def is_claim(
        self, start: int, end: int, *, negation_gap: int = patterns.NEGATION_GAP_WORDS
    ) -> bool:
        """True if the text at ``start:end`` is the writer's own statement (see module doc).

        ``negation_gap``: how many words may sit between a negation and the match.
        """
        ctx = self._context_at(start)
        if ctx is None:
            return False
        # A negation sits a few words before the match: look at a short window only, so
        # that a 20,000-character sentence does not cost a scan per match.
        before = self.text[max(ctx.sentence.start, start - _NEGATION_WINDOW) : start]
        if patterns.local_negation(negation_gap).search(before):
            return False
        if not ctx.warned:
            return True
        q = bisect.bisect_right(self._quote_starts, start) - 1
        if q >= 0 and end <= self.quotes[q][1]:
            return False
        c = bisect.bisect_right(ctx.clause_starts, start) - 1
        if c < 0 or start >= ctx.clauses[c][1]:
            return False
        if ctx.clause_cues[c]:
            return False
        if self.is_headline(ctx.sentence) and not self._has_strong_cue(
            ctx.sentence.start, ctx.sentence.end
        ):
            return True  # a headline is the publisher's own voice (research words aside)
        cs, ce = ctx.clauses[c]
        return patterns.OWN_VOICE.search(self.text, cs, ce) is not None

    def is_headline(self, sentence: Sentence) -> bool:
        """The text's first sentence, when it is a short line of its own (a title)."""
        if len(self.sentences) < 2 or sentence is not self.sentences[0]:
            return False  # a title needs a text under it
        if sentence.end - sentence.start > patterns.HEADLINE_MAX_CHARS:
            return False
        line_end = self.text.find("\n", sentence.start)
        return line_end == -1 or line_end >= sentence.end

    def block_spans(self) -> list[tuple[int, int]]:
        """(start, end) of each block, in text order."""
        spans: dict[int, tuple[int, int]] = {}
        for s in self.sentences:
            first = spans.get(s.block, (s.start, s.end))
            spans[s.block] = (first[0], s.end)
        return [spans[b] for b in sorted(spans)]
