"""What the evidence base attributes to a seed document is really in that seed."""

from __future__ import annotations

import re
from collections.abc import Iterator

from msstem.evidence import EvidenceBase


def _norm(text: str) -> str:
    # Seeds mix en dashes, curly quotes and odd spacing; compare on a normal form.
    text = text.replace("–", "-").replace("—", "-").replace("’", "'").replace("“", '"')
    return " ".join(text.replace("”", '"').split())


def _seed_files(eb: EvidenceBase, source_ids: tuple[str, ...]) -> list[str]:
    return [eb.sources[s].seed_file or "" for s in source_ids
            if s in eb.sources and eb.sources[s].kind == "seed"]


def _quotes(eb: EvidenceBase) -> Iterator[tuple[str, str, tuple[str, ...]]]:
    for fact in eb.facts.values():
        if fact.quote:
            yield fact.id, fact.quote, fact.source_ids
    for cell in eb.cell_types:
        for claim in (*cell.origin, *cell.can_become, *cell.role_in_ms, *cell.risks):
            if claim.quote:
                yield cell.id, claim.quote, claim.source_ids


def test_quotes_appear_in_a_cited_seed(eb: EvidenceBase, seed_texts: dict[str, str]) -> None:
    checked = 0
    for where, quote, source_ids in _quotes(eb):
        files = _seed_files(eb, source_ids)
        assert files, f"{where}: a quote needs a seed source"
        assert any(_norm(quote) in _norm(seed_texts[f]) for f in files), (where, quote)
        checked += 1
    assert checked >= 30


def _numbers(x: float) -> set[str]:
    forms = {f"{x:g}"}
    if x == int(x):
        forms |= {f"{int(x):,}", str(int(x))}
    return forms


def test_seed_only_numbers_appear_in_the_seed(
    eb: EvidenceBase, seed_texts: dict[str, str]
) -> None:
    checked = 0
    for fact in eb.facts.values():
        sources = [eb.sources[s] for s in fact.source_ids]
        if not sources or any(s.kind != "seed" for s in sources):
            continue
        text = _norm(" ".join(seed_texts[s.seed_file or ""] for s in sources))
        numbers = [fact.value] if fact.value is not None else []
        if fact.interval is not None:
            numbers += [fact.interval.low, fact.interval.high]
        for number in numbers:
            found = any(re.search(rf"(?<![\d.]){re.escape(form)}(?![\d])", text)
                        for form in _numbers(number))
            assert found, (fact.id, number)
            checked += 1
    assert checked >= 15


def test_every_seed_file_exists(eb: EvidenceBase, seed_texts: dict[str, str]) -> None:
    for source in eb.sources.values():
        if source.kind == "seed":
            assert source.seed_file in seed_texts


def test_faq_numbers_trace_to_cited_facts_or_seeds(
    eb: EvidenceBase, seed_texts: dict[str, str]
) -> None:
    for entry in eb.faq:
        allowed = _norm(" ".join(
            [eb.facts[f].statement for f in entry.fact_ids]
            # a fact's own interval may be quoted with it ("2.1% (likely 1.3 to 3.4%)")
            + [f"{i.low:g} {i.high:g}" for f in entry.fact_ids
               if (i := eb.facts[f].interval) is not None]
            + [seed_texts[f] for f in _seed_files(eb, entry.source_ids)]
            + [eb.sources[s].reference() for s in entry.source_ids]  # years, trial names
        ))
        for number in re.findall(r"\d[\d,.]*\d|\d", entry.answer):
            assert number.rstrip(".,") in allowed, (entry.id, number)
