"""'Your summary': one page for the neurologist (HTML, print and PDF share this document).

Pure: the assessment, the stated priorities and quiz answers in; a JSON-ready dict
out. Questions for the neurologist are made from what is unknown or undecided in
the person's own answers; msstem adds none that would steer towards an option.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any, Final

from msstem.clinical.labels import COURSE_LABELS, PROFILE_FIELD_LABELS
from msstem.decision import Assessment
from msstem.evidence import EvidenceBase
from msstem.reports import options as options_mod
from msstem.reports import quiz as quiz_mod
from msstem.reports import readiness as readiness_mod
from msstem.reports import values as values_mod
from msstem.reports.citations import Notes
from msstem.reports.formatting import VERDICT_TEXT, format_value

__all__ = ["FIELD_QUESTIONS", "GENERAL_QUESTIONS", "build_summary"]

#: A question to ask when a profile field is unknown.
FIELD_QUESTIONS: Final[Mapping[str, str]] = {
    "ms_course": "Which type of MS do I have (relapsing-remitting, secondary or primary "
                 "progressive)?",
    "disease_duration_years": "How long ago did my first MS symptoms start, as my records "
                              "show it?",
    "edss": "What is my current EDSS score?",
    "relapses_12m": "How many relapses have I had in the last 12, 24 and 36 months?",
    "gd_lesions_12m": "Did my MRI scans in the last 12 months show enhancing (Gd+) lesions, "
                      "and how many?",
    "new_t2_lesions_12m": "Did my MRI scans in the last 12 months show new or enlarging T2 "
                          "lesions, and how many?",
    "activity_on_dmt": "Did my relapses or MRI activity happen while I was on a DMT?",
    "failed_high_efficacy_dmt": "Does my treatment history count as activity despite a "
                                "high-efficacy DMT?",
    "hctci_items": "Do any of my other health conditions raise the risk of a transplant "
                   "(HCT-CI)?",
}
#: Questions every person can ask (none favours an option).
GENERAL_QUESTIONS: Final = (
    "Which of these options would you consider for me, and why?",
    "How well do these figures fit someone like me?",
    "If aHSCT is an option, which experienced centre would do it, and with which "
    "chemotherapy?",
    "Is there a trial I could join, and how would I be referred?",
)
_PRIORITY_QUESTIONS: Final[Mapping[str, str]] = {
    "avoid_treatment_death": "What is the risk of dying from each treatment at the centre "
                             "you would send me to?",
    "stop_relapses": "How likely is each option to stop my relapses and new MRI activity?",
    "avoid_worsening": "How likely is each option to keep my disability from getting worse?",
    "avoid_side_effects": "Which serious side effects and infections should I expect with each "
                          "option, and how are they monitored?",
    "avoid_autoimmunity": "What is the risk of a new autoimmune problem with each option?",
    "fertility": "How would each option affect my fertility, and can it be protected "
                 "(for example by storing eggs or sperm)?",
    "short_recovery": "How long would I be in hospital, and how long until I am back to "
                      "everyday life?",
    "no_regular_treatment": "How often would I need infusions, injections, tablets or blood "
                            "tests with each option?",
    "travel_cost": "What would each option cost me, and how far would I need to travel?",
}


def _profile_rows(assessment: Assessment) -> tuple[list[dict[str, str]], list[str]]:
    known = assessment.profile.known_fields()
    labels = PROFILE_FIELD_LABELS
    answered = []
    for name, value in known.items():
        if name == "ms_course":
            text = COURSE_LABELS.get(value, value)
        elif name == "hctci_items":
            text = format_value(value) if value else "none"
        else:
            text = format_value(value)
        answered.append({"name": name, "label": labels.get(name, name), "value": text})
    unknown = [labels.get(n, n) for n in assessment.unknown_fields]
    return answered, unknown


def _eligibility(assessment: Assessment) -> list[dict[str, Any]]:
    rows = []
    for result in assessment.eligibility.values():
        reasons = [c.reason for c in result.criteria
                   if c.hard and c.status.value != "met"]
        rows.append({
            "id": result.ruleset_id, "name": result.name, "kind": result.kind,
            "verdict": result.verdict.value,
            "verdict_text": VERDICT_TEXT.get(result.verdict.value, result.verdict.value),
            "reasons": reasons, "note": _bare(result.note), "sources": list(result.source_ids),
        })
    return rows


def _bare(text: str | None) -> str | None:
    """Text without its final full stop, for use inside a sentence or brackets."""
    return text.rstrip().rstrip(".") if text else text


#: Which grid rows answer each priority on "What matters to you".
PRIORITY_ROWS: Final[Mapping[str, tuple[str, ...]]] = {
    "avoid_treatment_death": ("treatment_related_death",),
    "stop_relapses": ("neda", "relapse_free"),
    "avoid_worsening": ("progression", "progression_free"),
    "avoid_side_effects": ("serious_infection", "infection", "pml"),
    "avoid_autoimmunity": ("secondary_autoimmunity",),
    "fertility": ("menses_recovery",),
    "short_recovery": ("recovery_time",),
    "no_regular_treatment": (),
    "travel_cost": ("cost",),
}


def _cell_text(cell: Mapping[str, Any] | None) -> str:
    if cell is None:
        return "no figure"
    fit = str(cell["fit"]).removesuffix(" you")
    text = f"{cell['figure']} ({cell['interval']}; {cell['certainty']}; {fit})"
    if cell.get("who"):
        text = f"{cell['who']}: {text}"
    return text


def _grid(page: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The grid as table rows: the row label and time frame, each option's figure, notes."""
    out = []
    for row in (*page["benefit_rows"], *page["harm_rows"]):
        cells = {oid: _cell_text(c) for oid, c in row["cells"].items()}
        short = {oid: (c["figure"] if c else "no figure") for oid, c in row["cells"].items()}
        notes = sorted({n for c in row["cells"].values() if c for n in c["refs"]["n"]})
        horizon = row["horizon"]
        when = f"at {horizon}" if horizon[:1].isdigit() else horizon
        out.append({"outcome": row["outcome"], "kind": row["kind"], "label": row["label"],
                    "when": when, "cells": cells, "short": short, "notes": notes})
    return out


def _alignment(grid: list[dict[str, Any]], priorities: Mapping[str, int]) -> list[dict[str, Any]]:
    """Each rated priority beside what each option offers for it: no score, no ranking."""
    rows = []
    rated = sorted((p for p in values_mod.PRIORITIES if priorities.get(p.id, 0) > 0),
                   key=lambda p: (-priorities[p.id], values_mod.PRIORITIES.index(p)))
    for p in rated:
        wanted = PRIORITY_ROWS.get(p.id, ())
        found = [g for g in grid if g["outcome"] in wanted]
        rows.append({"id": p.id, "label": p.label,
                     "rating_text": values_mod.SCALE[priorities[p.id]],
                     "rows": [{"label": g["label"], "when": g["when"], "cells": g["short"]}
                              for g in found]})
    return rows


def _reference(s: Mapping[str, Any]) -> str:
    """A source as a person reads it: its short label, then the journal reference."""
    citation = str(s["citation"]).replace(" (seed document)", "")
    text = citation if s["label"] in citation else f"{s['label']}. {citation}"
    if s["year"] and str(s["year"]) not in text:
        text += f" ({s['year']})"
    return text


def _questions(assessment: Assessment, priorities: Mapping[str, int]) -> list[str]:
    questions: list[str] = []
    unknown = set(assessment.unknown_fields)
    for name, question in FIELD_QUESTIONS.items():
        if name in unknown:
            questions.append(question)
    for pid, rating in sorted(priorities.items(), key=lambda kv: -kv[1]):
        if rating >= 3 and pid in _PRIORITY_QUESTIONS:
            questions.append(_PRIORITY_QUESTIONS[pid])
    questions.extend(GENERAL_QUESTIONS)
    return list(dict.fromkeys(questions))


def build_summary(
    assessment: Assessment,
    evidence: EvidenceBase,
    *,
    priorities: Mapping[str, int] | None = None,
    quiz_answers: Mapping[str, str] | None = None,
    has_profile: bool = True,
    today: date | None = None,
    readiness: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """The one-page summary document."""
    priorities = values_mod.check_priorities(priorities or {})
    answered, unknown = _profile_rows(assessment)
    questions = quiz_mod.build_quiz(evidence)
    answers = quiz_mod.check_answers(questions, quiz_answers or {})
    graded = quiz_mod.grade(questions, answers) if answers else None
    hctci = None
    if assessment.hctci is not None:
        score = assessment.hctci.to_dict().get("score")
        hctci = {"score": score, "text": f"HCT-CI comorbidity score: {score} (a transplant "
                 "risk score built for transplants in general, not for MS)."}
    page = options_mod.build_page(assessment)
    notes: Notes = page["notes"]
    grid = _grid(page)
    eligibility = _eligibility(assessment)
    for row in eligibility:
        row["notes"] = notes.ref(row["sources"])["n"]
    direct = [{"name": d["name"], "design": d["design"], "text": d["effects"][0]["text"],
               "interval": d["effects"][0]["interval"], "notes": d["effects"][0]["refs"]["n"]}
              for d in page["direct"]]
    ready = readiness_mod.readiness_view(readiness or {})
    ready["notes"] = notes.ref(ready["sources"])["n"]
    return {
        "title": "My stem cell therapy decision summary",
        "created": (today or date.today()).isoformat(),
        "msstem_version": assessment.msstem_version,
        "evidence_date": assessment.evidence_date.isoformat(),
        "disclaimer": " ".join(assessment.disclaimers[:2]),
        "has_profile": has_profile,
        "profile": {"answered": answered, "unknown": unknown},
        "eligibility": eligibility,
        "hctci": hctci,
        "answer": page["answer"]["sentences"],
        "option_names": {o["id"]: o["name"] for o in page["shown_options"]},
        "option_notes": [n for o in page["options"] for n in o["notes"]],
        "grid": grid,
        "same_scale": page["same_scale"],
        "direct": direct,
        "trials_open": [{"name": t["short_name"], "verdict_text": t["verdict_shown"],
                         "registry_ids": t["registry_ids"]} for t in page["trials_open"]],
        "alignment": _alignment(grid, priorities),
        "readiness": ready,
        "priorities": [
            {"id": p.id, "label": p.label, "rating": priorities[p.id],
             "rating_text": values_mod.SCALE[priorities[p.id]]}
            for p in sorted((p for p in values_mod.PRIORITIES if p.id in priorities),
                            key=lambda p: -priorities[p.id])
        ],
        "quiz": None if graded is None else {
            "answered": graded["answered"], "correct": graded["correct"],
            "total": graded["total"], "text": graded["text"],
        },
        "questions": _questions(assessment, priorities),
        "sources": [{"n": s["n"], "id": s["id"], "label": s["label"],
                     "reference": _reference(s), "links": s["links"]}
                    for s in notes.listing()],
    }
