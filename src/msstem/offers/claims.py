"""Detectors for the signs real clinic pages show: own results, cure claims, drug-free, cells
and routes with no approved use in MS, entry criteria, tourism packaging, pressure, isolation
and trial numbers (issue 10). One small pure function per sign, like :mod:`.detect`.

Where a match counts:

* every match must be the writer's own statement (:meth:`TextContext.is_claim`: not in a
  sentence that warns, advises, reports, negates or hedges, unless in the writer's own voice);
* the *treatment* claims (own results, cure, drug-free, cells, routes) count only in a text
  that reads as an offer, or in a sentence in the writer's own voice ("we", "our"); a
  registry entry or a news report that describes mesenchymal cells is not selling them;
* a cell type or route counts only in a sentence that speaks of giving or using cells
  (``lexicon.USE_CONTEXT``); an entry criterion only in a sentence, or list, about who may
  be treated (``lexicon.ELIGIBILITY``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from msstem.offers import lexicon, patterns
from msstem.offers.context import TextContext
from msstem.offers.detect import Hit, claimed
from msstem.offers.limits import EntryLimit

__all__ = [
    "EntryContext",
    "find_cells",
    "find_cure",
    "find_drug_free",
    "find_entry_criteria",
    "find_isolation",
    "find_own_results",
    "find_pressure",
    "find_routes",
    "find_tourism",
    "find_trial_numbers",
]


def _voiced(ctx: TextContext, hit: Hit) -> bool:
    """The sentence is in the writer's own voice ("we", "our"), or is the page's headline."""
    sentence = ctx.sentence_at(hit.start)
    if sentence is None:
        return False
    if ctx.is_headline(sentence):
        return True
    return patterns.OWN_VOICE.search(ctx.text, sentence.start, sentence.end) is not None


def _quoted(ctx: TextContext, hit: Hit) -> bool:
    return any(qs <= hit.start and hit.end <= qe for qs, qe in ctx.quotes)


def _treatment_claims(ctx: TextContext, hits: Iterable[Hit], *, is_offer: bool) -> list[Hit]:
    """Hits that are not inside quotation marks, in an offer or in the writer's own voice."""
    return [h for h in hits if not _quoted(ctx, h) and (is_offer or _voiced(ctx, h))]


def _block_text(ctx: TextContext, pos: int) -> str:
    """The sentence at ``pos`` plus, for a list item, the block it belongs to."""
    sentence = ctx.sentence_at(pos)
    if sentence is None:
        return ""
    if not sentence.list_item:
        return ctx.text[sentence.start : sentence.end]
    return " ".join(
        ctx.text[s.start : s.end] for s in ctx.sentences if s.block == sentence.block
    )


def _in_use_context(ctx: TextContext, pos: int) -> bool:
    return lexicon.USE_CONTEXT.search(_block_text(ctx, pos)) is not None


def find_own_results(ctx: TextContext, *, is_offer: bool) -> list[Hit]:
    # The wording is specific to a provider's own patients, so it counts in any text.
    hits = claimed(
        ctx, lexicon.OWN_RESULTS,
        "The text cites improvements in the clinic's own patients, not a published trial.",
    )
    return _treatment_claims(ctx, hits, is_offer=True)


def find_cure(ctx: TextContext, *, is_offer: bool) -> list[Hit]:
    hits = claimed(
        ctx, lexicon.CURE,
        "The text promises to cure, repair, regenerate or reverse.",
    )
    return _treatment_claims(ctx, hits, is_offer=is_offer)


def find_drug_free(ctx: TextContext, *, is_offer: bool) -> list[Hit]:
    hits = claimed(
        ctx, lexicon.DRUG_FREE,
        "The text sets the cell treatment against MS medicines.",
    )
    return _treatment_claims(ctx, hits, is_offer=is_offer)


def _and(names: Sequence[str]) -> str:
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def _named(
    ctx: TextContext, table: Sequence[tuple[str, re.Pattern[str]]], template: str, *,
    is_offer: bool,
) -> list[Hit]:
    """Hits for each named pattern; every hit's reason names all the kinds found."""
    found: list[tuple[Hit, str]] = []
    for name, pattern in table:
        for hit in claimed(ctx, pattern, ""):
            if _in_use_context(ctx, hit.start):
                found.append((hit, name))
    kept = {id(h) for h in _treatment_claims(ctx, (h for h, _ in found), is_offer=is_offer)}
    found = sorted(((h, n) for h, n in found if id(h) in kept), key=lambda x: x[0].start)
    names = list(dict.fromkeys(n for _, n in found))
    if not names:
        return []
    reason = template.format(_and(names))
    return [Hit(h.start, h.end, reason) for h, _ in found]


def find_cells(ctx: TextContext, *, is_offer: bool) -> list[Hit]:
    return _named(ctx, lexicon.CELL_TYPES,
                  "The text offers {}, with no approved use in MS.", is_offer=is_offer)


def find_routes(ctx: TextContext, *, is_offer: bool) -> list[Hit]:
    return _named(ctx, lexicon.ROUTES,
                  "The text gives cells {}, a way no MS trial supports.", is_offer=is_offer)


def find_tourism(ctx: TextContext, *, is_offer: bool) -> list[Hit]:
    if not is_offer:
        return []
    return claimed(
        ctx, lexicon.MEDICAL_TOURISM,
        "The treatment is sold with travel, a stay, deposits or refund terms.",
        negation_gap=0,
    )


def find_pressure(ctx: TextContext) -> list[Hit]:
    return claimed(ctx, lexicon.PRESSURE, "The text pushes you to decide quickly.")


def find_isolation(ctx: TextContext) -> list[Hit]:
    return claimed(
        ctx, lexicon.ISOLATION,
        "The text sets the treatment apart from your own doctors and health system.",
        negation_gap=0,
    )


def find_trial_numbers(ctx: TextContext, known_ids: Iterable[str]) -> list[Hit]:
    """Registry numbers the evidence base does not hold, and numbers in no registry format."""
    known = {re.sub(r"\W", "", k).upper() for k in known_ids}
    hits: list[Hit] = []
    for m in lexicon.REGISTRY_IDS.finditer(ctx.text):
        number = m.group(0)
        digits = re.sub(r"^EudraCT\s*(?:number|no\.?|#)?\s*:?\s*", "", number, flags=re.I)
        if re.sub(r"\W", "", digits).upper() in known:
            continue
        hits.append(Hit(m.start(), m.end(),
                        f"msstem's evidence base does not hold {' '.join(number.split())}: "
                        "look it up in the registry yourself."))
    for m in lexicon.TRIAL_NUMBER_LOOSE.finditer(ctx.text):
        if any(h.start <= m.start() < h.end for h in hits) or lexicon.REGISTRY_IDS.search(
            m.group(0)
        ):
            continue
        hits.append(Hit(m.start(), m.end(),
                        "This number is not in the format of any trial registry."))
    return sorted(hits, key=lambda h: h.start)


# --- entry criteria -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class EntryContext:
    """The limits an offer's criteria are compared with (from :func:`limits.entry_limits`)."""

    limits: tuple[EntryLimit, ...]
    course_rules: tuple[tuple[str, str, tuple[str, ...]], ...]

    def of(self, quantity: str, kind: str) -> list[EntryLimit]:
        return sorted(
            (x for x in self.limits if x.quantity == quantity and x.kind == kind),
            key=lambda x: (-x.upper, x.name),
        )

    @property
    def source_ids(self) -> tuple[str, ...]:
        ids = [s for x in self.limits for s in x.source_ids]
        ids += [s for _, _, src in self.course_rules for s in src]
        return tuple(dict.fromkeys(ids))


def _heading_before(ctx: TextContext, pos: int) -> str:
    """The sentence before ``pos`` when it is a heading or question ("Who can have HSCT?")."""
    sentence = ctx.sentence_at(pos)
    if sentence is None:
        return ""
    index = ctx.sentences.index(sentence)
    if index == 0:
        return ""
    before = ctx.sentences[index - 1]
    text = ctx.text[before.start : before.end]
    return text if text.endswith(("?", ":")) else ""


def _eligible_here(ctx: TextContext, pos: int) -> bool:
    """The sentence (its list, or the heading just before it) says who may be treated, and
    the sentence itself does not exclude."""
    sentence = ctx.sentence_at(pos)
    if sentence is None:
        return False
    own = ctx.text[sentence.start : sentence.end]
    if lexicon.EXCLUDED.search(own):
        return False
    around = f"{_block_text(ctx, pos)} {_heading_before(ctx, pos)}"
    return lexicon.ELIGIBILITY.search(around) is not None


def _number(text: str) -> float:
    return float(text.replace(",", "."))


def _joined(limits: Sequence[EntryLimit]) -> str:
    return ", ".join(x.text() for x in limits)


def _age_reason(stated: str, entry: EntryContext) -> str | None:
    trials = entry.of("age", "trial")
    if not trials:
        return None
    guides = entry.of("age", "guideline")
    top = trials[0].upper
    text = (
        f"The text accepts {stated}; every trial in msstem's evidence base stops at age "
        f"{top:g} or younger ({_joined(trials)})"
    )
    if guides:
        text += f", and the guidelines name younger candidates ({_joined(guides)})"
    return text + "."


def _edss_reason(stated: float, entry: EntryContext) -> str | None:
    trials = entry.of("edss", "trial")
    if not trials:
        return None
    guides = entry.of("edss", "guideline")
    text = (
        f"The text accepts an EDSS up to {stated:.1f}; every trial in msstem's evidence base "
        f"stops at {trials[0].upper:.1f} or lower ({_joined(trials)})"
    )
    if guides:
        text += f", and the guidelines set the ideal lower ({_joined(guides)})"
    return text + "."


def _course_reason(entry: EntryContext) -> str:
    rules = "; ".join(f"{name}: {text.rstrip('.')}" for name, text, _ in entry.course_rules)
    return (
        "The text accepts every course of MS, progressive MS without inflammatory activity "
        f"included; the guidelines and trials limit progressive MS to active disease ({rules})."
    )


def find_entry_criteria(ctx: TextContext, entry: EntryContext) -> list[Hit]:
    """Stated age limits, EDSS limits and MS courses beyond every guideline and trial."""
    found: list[tuple[Hit, str]] = []  # (span, what it states: "age:N", "age:any", "edss:N"...)
    age_trials = entry.of("age", "trial")
    max_age = age_trials[0].upper if age_trials else None
    for m in lexicon.AGE_RANGE.finditer(ctx.text):
        upper = next((g for g in reversed(m.groups()) if g), None)
        if upper is None or max_age is None or not 40 <= int(upper) <= 120:
            continue
        if int(upper) > max_age and _eligible_here(ctx, m.start()) and ctx.is_claim(
            m.start(), m.end()
        ):
            found.append((Hit(m.start(), m.end(), ""), f"age:{int(upper)}"))
    for m in lexicon.NO_AGE_LIMIT.finditer(ctx.text):
        if max_age is not None and ctx.in_one_sentence(m.start(), m.end()) and ctx.is_claim(
            m.start(), m.end(), negation_gap=0
        ):
            found.append((Hit(m.start(), m.end(), ""), "age:any"))
    edss_trials = entry.of("edss", "trial")
    max_edss = edss_trials[0].upper if edss_trials else None
    for m in lexicon.EDSS_UPPER.finditer(ctx.text):
        value = next((g for g in m.groups() if g), None)
        if value is None or max_edss is None:
            continue
        stated = _number(value)
        if 0 < stated <= 10 and stated > max_edss and _eligible_here(ctx, m.start()) and (
            ctx.is_claim(m.start(), m.end())
        ):
            found.append((Hit(m.start(), m.end(), ""), f"edss:{stated}"))
    if entry.course_rules:
        for pattern in (lexicon.COURSE_ALL, lexicon.COURSE_PROGRESSIVE):
            for m in pattern.finditer(ctx.text):
                sentence = ctx.sentence_at(m.start())
                own = ctx.text[sentence.start : sentence.end] if sentence else ""
                if pattern is lexicon.COURSE_PROGRESSIVE and lexicon.INFLAMMATORY_ACTIVITY.search(
                    own
                ):
                    continue
                if not _eligible_here(ctx, m.start()):
                    continue
                if ctx.in_one_sentence(m.start(), m.end()) and ctx.is_claim(m.start(), m.end()):
                    found.append((Hit(m.start(), m.end(), ""), "course"))
    if not found:
        return []
    # One explanation for the whole sign: the highest age and EDSS stated, and the course.
    reasons: list[str] = []
    kinds = [what for _, what in found]
    ages = [what.split(":")[1] for what in kinds if what.startswith("age:")]
    if ages:
        stated_age = (
            "people of any age (no age limit)" if "any" in ages
            else f"ages up to {max(int(a) for a in ages)}"
        )
        reasons.append(_age_reason(stated_age, entry) or "")
    edss = [float(what.split(":")[1]) for what in kinds if what.startswith("edss:")]
    if edss:
        reasons.append(_edss_reason(max(edss), entry) or "")
    if "course" in kinds:
        reasons.append(_course_reason(entry))
    reason = " ".join(r for r in reasons if r)
    return [Hit(h.start, h.end, reason) for h, _ in sorted(found, key=lambda x: x[0].start)]
