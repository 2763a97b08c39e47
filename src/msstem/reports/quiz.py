"""'Check your understanding': a short knowledge quiz built from the evidence base.

Each question is made from evidence records (a cell type's evidence stage, the first
aHSCT procedure step, a pooled treatment-related mortality and NEDA figure, the
warning signs), so its right answer and its feedback carry the same sources as the
Learn and Options pages. A question whose records are missing is left out rather
than written by hand. Wrong choices for the number questions are round numbers
well away from the published figure; they are labelled wrong, never shown as facts.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Final

from msstem.clinical.labels import EVIDENCE_STAGE_LABELS
from msstem.errors import InputError, quote_input
from msstem.evidence import EvidenceBase
from msstem.evidence.models import Fact
from msstem.reports.formatting import format_rate

__all__ = [
    "PREFERRED_FACTS",
    "Choice",
    "Question",
    "build_quiz",
    "check_answers",
    "grade",
    "parse_answers",
]

#: Which figure a number question uses, in order of preference (the pooled analyses the
#: Learn and Options pages also show); falls back to any verified meta-analysis figure.
PREFERRED_FACTS: Final[Mapping[str, tuple[str, ...]]] = {
    "treatment_related_death": ("sormani-2017-trm",),
    "neda": ("sormani-2017-neda-2y",),
}
_STAGE_TEXT: Final = EVIDENCE_STAGE_LABELS


@dataclass(frozen=True, slots=True)
class Choice:
    id: str
    text: str


@dataclass(frozen=True, slots=True)
class Question:
    id: str
    text: str
    choices: tuple[Choice, ...]
    correct: str
    explanation: str
    source_ids: tuple[str, ...]

    def public_dict(self) -> dict[str, Any]:
        """The question without its answer."""
        return {"id": self.id, "text": self.text,
                "choices": [{"id": c.id, "text": c.text} for c in self.choices]}

    def to_dict(self) -> dict[str, Any]:
        return {**self.public_dict(), "correct": self.correct, "explanation": self.explanation,
                "sources": list(self.source_ids)}


def _ordered(qid: str, choices: list[Choice]) -> tuple[Choice, ...]:
    """A fixed, question-specific order, so the right answer is not always first."""
    return tuple(sorted(choices, key=lambda c: hashlib.sha256(f"{qid}:{c.id}".encode())
                        .hexdigest()))


def _q_cell_in_use(eb: EvidenceBase) -> Question | None:
    in_use = [c for c in eb.cell_types if c.evidence_stage == "in-use"]
    if len(in_use) != 1 or len(eb.cell_types) < 3:
        return None
    right = in_use[0]
    choices = [Choice(c.id, f"{c.name} ({c.short_name})") for c in eb.cell_types]
    why = right.role_in_ms[0] if right.role_in_ms else None
    return Question(
        id="cell-type-in-use",
        text="Which kind of stem cell is used in MS treatment today?",
        choices=_ordered("cell-type-in-use", choices),
        correct=right.id,
        explanation=why.text if why else f"{right.name} are the type in use.",
        source_ids=tuple(why.source_ids if why else right.source_ids),
    )


def _q_msc_stage(eb: EvidenceBase) -> Question | None:
    msc = next((c for c in eb.cell_types if c.id == "msc"), None)
    if msc is None:
        return None
    # "Experimental" and "in clinical trials" overlap (a therapy in trials is experimental),
    # so only one of them is offered: the correct stage, and stages that exclude it.
    overlapping = {"clinical-trials": "experimental", "experimental": "clinical-trials"}
    dropped = overlapping.get(msc.evidence_stage)
    choices = [Choice(stage, text) for stage, text in _STAGE_TEXT.items() if stage != dropped]
    why = msc.role_in_ms
    return Question(
        id="msc-stage",
        text=f"Where do {msc.name.lower()} ({msc.short_name}) stand as an MS treatment?",
        choices=_ordered("msc-stage", choices),
        correct=msc.evidence_stage,
        explanation=" ".join(c.text for c in why) or _STAGE_TEXT[msc.evidence_stage],
        source_ids=tuple(dict.fromkeys(s for c in why for s in c.source_ids)) or msc.source_ids,
    )


def _q_first_step(eb: EvidenceBase) -> Question | None:
    steps = list(eb.procedure_steps)
    if len(steps) < 4:
        return None
    first = steps[0]
    picks = [first, steps[len(steps) // 2], steps[-2], steps[-1]]
    seen: dict[str, Choice] = {}
    for s in picks:
        seen.setdefault(s.id, Choice(s.id, s.title))
    return Question(
        id="ahsct-first-step",
        text="Which of these comes first in aHSCT?",
        choices=_ordered("ahsct-first-step", list(seen.values())),
        correct=first.id,
        explanation=f"{first.title}: {first.description}",
        source_ids=tuple(first.source_ids),
    )


def _pick_fact(eb: EvidenceBase, outcome: str) -> Fact | None:
    for fid in PREFERRED_FACTS.get(outcome, ()):
        fact = eb.facts.get(fid)
        if fact is not None and fact.per_100 is not None:
            return fact
    for fact in eb.facts.values():
        tag = fact.estimate
        if (tag is not None and tag.therapy == "ahsct" and tag.outcome == outcome
                and tag.design == "meta-analysis" and fact.verified and fact.per_100 is not None):
            return fact
    return None


def _number_choices(value: float, candidates: list[tuple[str, float]]) -> list[Choice]:
    def text(x: float) -> str:
        return "None of them" if x == 0 else (
            "All of them" if x >= 100 else f"About {format_rate(x)} in 100")

    choices = [Choice("published", text(value))]
    used = {text(value)}
    for cid, x in candidates:
        t = text(x)
        if t not in used and abs(x - value) >= max(1.5, value * 0.15):
            used.add(t)
            choices.append(Choice(cid, t))
    return choices


def _q_rate(eb: EvidenceBase, outcome: str, qid: str,
            make_text: Callable[[Fact], str], candidates: Callable[[float], list[tuple[str, float]]]
            ) -> Question | None:
    fact = _pick_fact(eb, outcome)
    if fact is None or fact.per_100 is None:
        return None
    value = fact.per_100 if fact.per_100 < 1 else round(fact.per_100)
    choices = _number_choices(value, candidates(value))
    if len(choices) < 3:
        return None
    return Question(id=qid, text=make_text(fact), choices=_ordered(qid, choices),
                    correct="published", explanation=fact.statement,
                    source_ids=tuple(fact.source_ids))


def _q_trm(eb: EvidenceBase) -> Question | None:
    return _q_rate(
        eb, "treatment_related_death", "ahsct-trm",
        lambda f: "In the pooled analysis of published aHSCT studies "
                  f"({f.population or 'people with MS'}), about how many in 100 people died "
                  "because of the treatment?",
        lambda v: [("none", 0.0), ("ten-times", min(100.0, round(v * 10))), ("half", 50.0)],
    )


def _q_neda(eb: EvidenceBase) -> Question | None:
    return _q_rate(
        eb, "neda", "ahsct-neda",
        lambda f: "In the pooled analysis of aHSCT studies, about how many in 100 people had "
                  "no evidence of disease activity (no relapses, no new MRI activity, no "
                  f"worsening) {_horizon(f)}after treatment?",
        lambda v: [("all", 100.0), ("half-of", float(round(v / 2))),
                   ("quarter-of", float(round(v / 4)))],
    )


def _horizon(fact: Fact) -> str:
    years = fact.estimate.years if fact.estimate else None
    if years is None:
        return ""
    return f"{format_rate(years)} year{'s' if years != 1 else ''} "


def _q_warning_sign(eb: EvidenceBase) -> Question | None:
    signs = [s for s in eb.warning_signs if s.verified]
    sign = next((s for s in signs if s.id == "testimonials"), signs[0] if signs else None)
    if sign is None:
        return None
    # The other choices are the opposite of warning signs from the same sources.
    good = [
        Choice("registered-trial", "The treatment is part of a registered trial with a "
               "published protocol"),
        Choice("risks-explained", "The team explains the risks and side effects in writing"),
        Choice("cells-documented", "The source of the cells and how they are processed is "
               "documented"),
    ]
    return Question(
        id="offer-warning-sign",
        text="Which of these is a warning sign that a stem cell clinic may be unproven?",
        choices=_ordered("offer-warning-sign", [Choice(sign.id, sign.title), *good]),
        correct=sign.id,
        explanation=sign.description,
        source_ids=tuple(sign.source_ids),
    )


def _q_figures_are_groups(eb: EvidenceBase) -> Question:
    return Question(
        id="figures-meaning",
        text="What do the '… in 100 people' figures in this aid tell you?",
        choices=_ordered("figures-meaning", [
            Choice("groups", "What happened to groups of people in published studies, "
                   "which may differ from me"),
            Choice("prediction", "Exactly what will happen to me"),
            Choice("head-to-head", "A head-to-head comparison of every option in the same people"),
        ]),
        correct="groups",
        explanation="The figures are what happened to groups of people in published studies, "
                    "not a prediction for you; figures for different treatments come from "
                    "different studies and are not a head-to-head comparison.",
        source_ids=(),
    )


_BUILDERS: Final = (_q_cell_in_use, _q_first_step, _q_trm, _q_neda, _q_msc_stage,
                    _q_warning_sign)


def build_quiz(evidence: EvidenceBase) -> tuple[Question, ...]:
    """The quiz questions, in order (only those the evidence base can support)."""
    questions = [q for make in _BUILDERS if (q := make(evidence)) is not None]
    questions.append(_q_figures_are_groups(evidence))
    return tuple(questions)


def check_answers(
    questions: tuple[Question, ...], answers: Mapping[str, Any], field: str = "quiz_answers"
) -> dict[str, str]:
    """Validate ``{question id: choice id}``; unknown ids are errors naming the question.

    ``field`` is the request key the answers came in (``answers`` for POST /api/quiz,
    ``quiz_answers`` for the summary), so the error names what the client sent."""
    by_id = {q.id: q for q in questions}
    out: dict[str, str] = {}
    for qid, choice in answers.items():
        question = by_id.get(qid)
        if question is None:
            raise InputError(f"{field}: unknown question {quote_input(qid, 40)}; allowed: "
                             f"{', '.join(by_id)}", field=field)
        allowed = [c.id for c in question.choices]
        if choice not in allowed:
            raise InputError(f"{qid}: {quote_input(choice)} is not one of the choices; allowed: "
                             f"{', '.join(allowed)}", field=qid)
        out[qid] = choice
    return out


def parse_answers(questions: tuple[Question, ...], form: Mapping[str, str]) -> dict[str, str]:
    """Read the radio buttons (``q_<id>``); unanswered or unknown choices are left out."""
    out: dict[str, str] = {}
    for q in questions:
        value = form.get(f"q_{q.id}", "")
        if value in {c.id for c in q.choices}:
            out[q.id] = value
    return out


def grade(questions: tuple[Question, ...], answers: Mapping[str, str]) -> dict[str, Any]:
    """Feedback for each question and the score (right out of answered, and out of all)."""
    items = []
    for q in questions:
        given = answers.get(q.id)
        texts = {c.id: c.text for c in q.choices}
        items.append({
            **q.to_dict(),
            "given": given,
            "given_text": texts.get(given) if given else None,
            "correct_text": texts[q.correct],
            "is_correct": given == q.correct if given else None,
        })
    answered = sum(1 for i in items if i["given"] is not None)
    right = sum(1 for i in items if i["is_correct"])
    return {"items": items, "answered": answered, "correct": right, "total": len(questions),
            "text": f"{right} of {len(questions)} answered correctly"
                    + (f" ({len(questions) - answered} not answered)" if answered < len(questions)
                       else "") + "."}
