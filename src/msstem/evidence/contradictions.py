"""Find prose that states a threshold the structured criteria contradict.

A guideline's summary and recommendations, a trial's entry criteria and caution,
the screening texts and the eligibility facts that cite the same sources all
repeat numbers that :class:`~msstem.evidence.criteria.Criterion` records hold. If a
curator edits a criterion and not the prose (or the other way round), the two
disagree; :func:`stated_thresholds` reads the limits a sentence states ("under
45", "18 to 55", "2 or more relapses", "EDSS 6.0 or less", "3+ new T2") and what
they are about (from the words next to the number), and :func:`contradictions`
reports every stated limit that no criterion of the same owner and measure has.

Limits about a measure the owner has no criterion for are not judged, and a
sentence about an earlier or superseded version (``OTHER_VERSION_WORDS``) is
skipped: it is meant to differ.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Final

from msstem.evidence.criteria import Criterion

__all__ = ["OTHER_VERSION_WORDS", "StatedLimit", "contradictions", "stated_thresholds"]

#: Sentences with these words describe another version of the criteria, not this one.
OTHER_VERSION_WORDS: Final = re.compile(r"\b(earlier|previous|former|original(ly)?)\b", re.I)

_NUM = r"(\d+(?:\.\d+)?)"
_GUARD = r"(?<![\w.])"  # not part of a name like T2 or a decimal
# (regex, comparison); a range gives two limits.
_WALK: Final = re.compile(r"\bwalk\s+(\d+(?:\.\d+)?)\s*(?:m|metres|meters)\b", re.I)
_PATTERNS: Final[tuple[tuple[re.Pattern[str], str], ...]] = (
    (_WALK, ">="),
    (re.compile(rf"{_GUARD}{_NUM}\s*(?:to|–|-)\s*{_NUM}(?!\w|\.\d)"), "range"),
    (re.compile(rf"(?:≥|>=|\bat least)\s*{_NUM}(?!\w|\.\d)", re.I), ">="),
    (re.compile(rf"(?:≤|<=|\bat most|\bup to)\s*{_NUM}(?!\w|\.\d)", re.I), "<="),
    (re.compile(rf"(?:<|\bunder|\bbelow|\bless than|\byounger than)\s*{_NUM}(?!\w|\.\d)", re.I),
     "<"),
    (re.compile(rf"(?:>|\bover|\babove|\bmore than|\bolder than)\s*{_NUM}(?!\w|\.\d)", re.I), ">"),
    (re.compile(rf"{_GUARD}{_NUM}(?:\s+[A-Za-z]+)?\s+or more\b", re.I), ">="),
    (re.compile(rf"{_GUARD}{_NUM}\+", re.I), ">="),
    (re.compile(rf"{_GUARD}{_NUM}(?:\s+[A-Za-z]+)?\s+or (?:less|fewer|younger)\b", re.I), "<="),
)

# Words that say what a number is about, most specific first. A keyword right after
# the number wins; otherwise the nearest one before it in the same sentence.
_MEASURE_WORDS: Final[tuple[tuple[str, str], ...]] = (
    (r"relapses? or MRI activity", "activity"),
    (r"disabling relapses?", "disabling_relapses"),
    (r"without relapses for|relapse-free", "relapse_free_months"),
    (r"after the start", "months_after_dmt_start"),
    (r"months? of (?:an? )?(?:FDA|oral|DMT|monoclonal)", "months_on_dmt"),
    (r"high-efficacy DMTs?", "failed_he_dmts"),
    (r"episodes?", "episodes"),
    (r"Gd", "gd_lesions"),
    (r"T2", "new_t2_lesions"),
    (r"relapses?", "relapses"),
    (r"EDSS", "edss"),
    (r"walk", "walking_distance"),
    (r"duration|had MS for|disease\b(?! activity)", "disease_duration"),
    (r"\bages?\b|\baged\b|years old|candidates?|people", "age"),
)
_MEASURE_RE: Final = re.compile("|".join(f"(?:{w})" for w, _ in _MEASURE_WORDS), re.I)
_MEASURES: Final = tuple((re.compile(w, re.I), m) for w, m in _MEASURE_WORDS)
_SENTENCE_END: Final = re.compile(r"(?<=[.;!?])\s+|\n")
_CLAUSE_STOP: Final = re.compile(r"[,;:()]")
_AFTER_CHARS: Final = 40


@dataclass(frozen=True, slots=True)
class StatedLimit:
    """A limit written in prose: ``measure comparison value`` and the words it came from."""

    measure: str
    comparison: str
    value: float
    words: str


def _measure_of(match: re.Match[str]) -> str:
    for pattern, measure in _MEASURES:
        if pattern.fullmatch(match.group(0)):
            return measure
    raise AssertionError(match.group(0))  # pragma: no cover - every alternative is listed


def _measure_near(sentence: str, start: int, end: int) -> str | None:
    """The word right before the number ("age 18 to 55"), else the next one in its clause
    ("2 or more relapses"), else the nearest one before it in the sentence."""
    before = list(_MEASURE_RE.finditer(sentence[:start]))
    if before and not sentence[before[-1].end():start].strip(" :"):
        return _measure_of(before[-1])
    after = sentence[end:end + _AFTER_CHARS]
    stop = _CLAUSE_STOP.search(after)
    after = after[: stop.start()] if stop else after
    found = _MEASURE_RE.search(after)
    if found:
        return _measure_of(found)
    return _measure_of(before[-1]) if before else None


def _is_year(number: str) -> bool:
    return number.isdigit() and 1900 <= int(number) <= 2100


def stated_thresholds(text: str) -> Iterator[StatedLimit]:
    """Every limit ``text`` states, with the measure it is about (where one is named)."""
    for sentence in _SENTENCE_END.split(text):
        if OTHER_VERSION_WORDS.search(sentence):
            continue
        taken: list[tuple[int, int]] = []
        for pattern, comparison in _PATTERNS:
            for match in pattern.finditer(sentence):
                span = match.span()
                if any(span[0] < e and s < span[1] for s, e in taken):
                    continue  # already read by a more specific pattern
                taken.append(span)
                measure = (
                    "walking_distance" if pattern is _WALK else _measure_near(sentence, *span)
                )
                if measure is None:
                    continue
                words = match.group(0)
                if all(_is_year(g) for g in match.groups() if g is not None):
                    continue  # "2006–2009", "the 2017 McDonald criteria": dates, not limits
                if comparison == "range":
                    low, high = float(match.group(1)), float(match.group(2))
                    if low >= high:
                        continue  # not a range ("2017-2019" is, "5-3" is not)
                    yield StatedLimit(measure, ">=", low, words)
                    yield StatedLimit(measure, "<=", high, words)
                else:
                    yield StatedLimit(measure, comparison, float(match.group(1)), words)


def contradictions(
    text: str, criteria: Iterable[Criterion]
) -> Iterator[tuple[StatedLimit, tuple[Criterion, ...]]]:
    """Stated limits in ``text`` that no criterion of the same measure matches.

    Yields each such limit with the criteria about that measure (which it contradicts).
    """
    by_measure: dict[str, list[Criterion]] = {}
    for criterion in criteria:
        by_measure.setdefault(criterion.measure, []).append(criterion)
    for stated in stated_thresholds(text):
        about = by_measure.get(stated.measure)
        if not about:
            continue
        if not any(
            c.comparison == stated.comparison and c.value == stated.value for c in about
        ):
            yield stated, tuple(about)
