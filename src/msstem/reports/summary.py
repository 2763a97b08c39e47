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
from msstem.reports import quiz as quiz_mod
from msstem.reports import values as values_mod
from msstem.reports.formatting import VERDICT_TEXT, format_value
from msstem.reports.options import DMT_THERAPIES, outcome_groups

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
    "Which of these options would you consider for me, and what would each mean for me?",
    "How do the figures in this summary apply to someone like me?",
    "If aHSCT were an option, which experienced centre would do it, and with which "
    "conditioning regimen?",
    "Is there a registered trial I could join, and how would I be referred?",
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


def _option_rows(assessment: Assessment, therapies: tuple[str, ...]) -> list[dict[str, Any]]:
    estimates = [e for e in assessment.estimates if e.therapy in therapies]
    rows = []
    for kind in ("benefit", "harm"):
        for group in outcome_groups(estimates, kind):
            h = group["headline"]
            label = h["label"] if len(therapies) == 1 else f"{h['therapy_name']}: {h['label']}"
            unverified = "" if h["verified"] else " (unverified)"
            sources = ", ".join(assessment.evidence.source(s).label for s in h["sources"]
                                if s in assessment.evidence.sources)
            rows.append({
                "kind": kind, "fact_id": h["fact_id"], "per_100": h["per_100"],
                "sources": h["sources"],
                # The uncertainty goes with every rate, on paper too.
                "text": f"{label}: {h['per_100_text']} ({h['interval_text']}){unverified}; "
                        f"{h['applicability_text']} [{sources}]",
            })
    return rows


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
    cited: list[str] = []
    options: list[dict[str, Any]] = [
        {"id": "ahsct", "title": "aHSCT", "rows": _option_rows(assessment, ("ahsct",)),
         "note": None},
        {"id": "dmt", "title": "A high-efficacy DMT",
         "rows": _option_rows(assessment, DMT_THERAPIES), "note": None},
    ]
    trial_rows = [r for r in _eligibility(assessment) if r["kind"] == "trial"]
    could = [r for r in trial_rows if r["verdict"] != "does_not_meet"]
    options.append({
        "id": "trial", "title": "A registered trial",
        "rows": [{"kind": "trial", "text": f"{r['name']}: {r['verdict_text']}"
                  + (f" ({r['note']})" if r["note"] else ""), "sources": r["sources"]}
                 for r in could],
        "note": "Trial arms give aHSCT or a DMT; the figures above apply to them."
                if could else "No trial in msstem's list fits the answers given.",
    })
    for option in options:
        for row in option["rows"]:
            cited.extend(row.get("sources", []))
    eligibility = _eligibility(assessment)
    for row in eligibility:
        cited.extend(row["sources"])
    cited_ids = [s for s in dict.fromkeys(cited) if s in evidence.sources]
    return {
        "title": "My stem cell therapy decision summary",
        "created": (today or date.today()).isoformat(),
        "msstem_version": assessment.msstem_version,
        "evidence_date": assessment.evidence_date.isoformat(),
        "disclaimer": " ".join(assessment.disclaimers[:3]),
        "has_profile": has_profile,
        "profile": {"answered": answered, "unknown": unknown},
        "eligibility": eligibility,
        "hctci": hctci,
        "options": options,
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
        "sources": [{"id": s, "label": evidence.source(s).label,
                     "reference": evidence.source(s).reference()} for s in cited_ids],
    }
