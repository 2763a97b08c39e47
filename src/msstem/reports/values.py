"""'What matters to you': values clarification, then how each option lines up with it.

A person rates how much each consideration matters to them (0-4, or leaves it). The
alignment then shows, for every consideration they rated, what the evidence says
about each option side by side, most important first. It deliberately does not
score, sum, rank or recommend: weighing is the person's job, with their neurologist.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final, Literal

from msstem.decision import Assessment
from msstem.errors import InputError, quote_input
from msstem.reports.options import DMT_THERAPIES, outcome_groups

__all__ = [
    "NO_RECOMMENDATION",
    "PRIORITIES",
    "SCALE",
    "Priority",
    "build_alignment",
    "check_priorities",
    "describe",
    "parse_priorities",
]

#: Importance scale: value -> words.
SCALE: Final[dict[int, str]] = {
    0: "Not important to me",
    1: "A little important",
    2: "Moderately important",
    3: "Very important",
    4: "Extremely important",
}
NO_RECOMMENDATION: Final = (
    "msstem does not add these up or pick an option for you. People who care about the same "
    "things can still choose differently, and that is fine. Take this page to your neurologist."
)

Basis = Literal["outcomes", "experience", "ongoing", "costs"]


@dataclass(frozen=True, slots=True)
class Priority:
    id: str
    label: str
    help: str
    basis: Basis
    outcomes: frozenset[str] = frozenset()


PRIORITIES: Final[tuple[Priority, ...]] = (
    Priority("avoid_treatment_death", "Avoiding the risk of dying because of the treatment",
             "Every strong treatment has some risk. How much does it matter to you to keep that "
             "risk as low as you can?", "outcomes",
             frozenset({"treatment_related_death", "death", "overall_survival"})),
    Priority("stop_relapses", "Stopping relapses and new MRI activity",
             "No new attacks, and no new spots on your MRI scans.",
             "outcomes",
             frozenset({"neda", "relapse_free", "event_free", "mri_activity_free"})),
    Priority("avoid_worsening", "Keeping my disability from getting worse",
             "Not getting worse on the disability score, or even getting better.", "outcomes",
             frozenset({"progression", "progression_free", "cdw", "cdw_free", "improvement"})),
    Priority("avoid_side_effects", "Avoiding serious side effects and infections",
             "Bad infections, strong side effects, a rare brain infection (PML), low blood "
             "counts, shingles, reactions to a drip.", "outcomes",
             frozenset({"serious_infection", "infection", "febrile_neutropenia",
                        "grade3_adverse_event", "serious_adverse_event", "pml", "herpes_zoster",
                        "lymphopenia", "infusion_reaction", "low_immunoglobulin"})),
    Priority("avoid_autoimmunity", "Avoiding a new autoimmune problem",
             "For example a thyroid problem, or a blood problem (ITP), after treatment.",
             "outcomes",
             frozenset({"secondary_autoimmunity", "thyroid_disease", "itp"})),
    Priority("fertility", "Being able to have children after treatment",
             "Having children, and your periods, after treatment.", "outcomes",
             frozenset({"menses_recovery", "pregnancy"})),
    Priority("short_recovery", "A short time in hospital and a quick recovery",
             "Weeks in hospital and months to get better, or a treatment that fits into daily "
             "life.", "experience"),
    Priority("no_regular_treatment", "Not needing regular infusions, injections or tablets",
             "One treatment, or a medicine you take for years, with its check-ups.",
             "ongoing"),
    Priority("travel_cost", "Travel and cost",
             "Going to a far-away centre, and what the treatment costs.", "costs"),
)
_BY_ID: Final = {p.id: p for p in PRIORITIES}
_SCALE_TEXT: Final = {str(k): k for k in SCALE}


def describe() -> dict[str, Any]:
    """The questions, for ``GET /api/values``."""
    return {
        "scale": {str(k): v for k, v in SCALE.items()},
        "priorities": [{"id": p.id, "label": p.label, "help": p.help} for p in PRIORITIES],
        "no_recommendation": NO_RECOMMENDATION,
    }


def _bad(field: str, given: object) -> InputError:
    return InputError(
        f"{field}: {quote_input(given)} is not allowed; allowed: 0 (not important) to 4 (extremely "
        "important), or leave it out", field=field)


def check_priorities(priorities: Mapping[str, Any]) -> dict[str, int]:
    """Validate ``{priority id: 0-4}``; unknown ids and out-of-range values are errors."""
    out: dict[str, int] = {}
    for key, value in priorities.items():
        if key not in _BY_ID:
            raise InputError(f"priorities: unknown id {quote_input(key, 40)}; allowed: "
                             f"{', '.join(_BY_ID)}",
                             field="priorities")
        if isinstance(value, bool) or not isinstance(value, int) or value not in SCALE:
            raise _bad(key, value)
        out[key] = value
    return out


def parse_priorities(form: Mapping[str, str]) -> dict[str, int]:
    """Read the radio buttons (``p_<id>`` = "0".."4"; missing or "" = not answered)."""
    out: dict[str, int] = {}
    for p in PRIORITIES:
        raw = form.get(f"p_{p.id}", "").strip()
        if raw == "":
            continue
        # Exactly "0".."4": str.isdigit() also accepts "²", "③" ..., which int() refuses.
        if raw not in _SCALE_TEXT:
            raise _bad(p.id, raw)
        out[p.id] = _SCALE_TEXT[raw]
    return out


def _text(text: str, sources: Any) -> dict[str, Any]:
    return {"text": text, "sources": list(sources)}


def _experience(assessment: Assessment) -> dict[str, list[dict[str, Any]]]:
    eb = assessment.evidence
    ahsct = [_text(f"{s.title}: {s.timing}", s.source_ids)
             for s in eb.procedure_steps if s.timing]
    dmt = [_text(f"{d.name}: {d.how_given}", d.source_ids) for d in eb.dmts if d.how_given]
    return {"ahsct": ahsct, "dmt": dmt, "trial": _trial_note(assessment)}


def _ongoing(assessment: Assessment) -> dict[str, list[dict[str, Any]]]:
    eb = assessment.evidence
    therapy = next((t for t in eb.therapies if t.id == "ahsct"), None)
    ahsct = ([_text(therapy.what_it_is_like, therapy.source_ids)]
             if therapy is not None and therapy.what_it_is_like else [])
    dmt = [_text(f"{d.name}: " + " ".join(x for x in (d.how_given, d.monitoring and
                                                       f"Monitoring: {d.monitoring}") if x),
                 d.source_ids)
           for d in eb.dmts if d.how_given or d.monitoring]
    return {"ahsct": ahsct, "dmt": dmt, "trial": _trial_note(assessment)}


def _costs(assessment: Assessment) -> dict[str, list[dict[str, Any]]]:
    eb = assessment.evidence
    dmt_ids = {f for d in eb.dmts for f in d.cost_fact_ids}
    dmt = [_text(eb.facts[f].statement, eb.facts[f].source_ids) for f in sorted(dmt_ids)
           if f in eb.facts]
    # aHSCT costs: cost facts not tied to a DMT or to unproven clinics (those are on the
    # offer page, where they belong).
    ahsct = [_text(f.statement, f.source_ids) for f in eb.facts.values()
             if f.topic.startswith("costs") and f.id not in dmt_ids
             and "clinic" not in f.topic]
    return {"ahsct": ahsct, "dmt": dmt, "trial": [_text(
        "Ask the trial team which costs the trial covers (treatment, travel, stays). "
        "Paying to take part outside a registered trial is a warning sign: see 'Is this offer "
        "legitimate?'.", ())]}


def _trial_note(assessment: Assessment) -> list[dict[str, Any]]:
    return [_text("In a trial you get one of the trial's arms (aHSCT or a DMT), decided by "
                  "chance in a randomised trial, plus the trial's visits and scans.", ())]


def _outcomes(assessment: Assessment, priority: Priority) -> dict[str, list[dict[str, Any]]]:
    def cells(therapies: tuple[str, ...]) -> list[dict[str, Any]]:
        chosen = [e for e in assessment.estimates
                  if e.therapy in therapies and e.outcome in priority.outcomes]
        rows = []
        for kind in ("benefit", "harm"):
            for group in outcome_groups(chosen, kind):
                h = group["headline"]
                who = "" if h["therapy"] == "ahsct" else f"{h['therapy_name']}; "
                rows.append({
                    "text": f"{h['label']}: {h['per_100_text']} ({who}"
                            f"{h['applicability_text']})",
                    "sources": h["sources"], "verified": h["verified"],
                    "more": len(group["others"]),
                })
        return rows

    return {"ahsct": cells(("ahsct",)), "dmt": cells(DMT_THERAPIES),
            "trial": _trial_note(assessment)}


def build_alignment(assessment: Assessment, priorities: Mapping[str, int]) -> dict[str, Any]:
    """How each option lines up with the priorities the person rated: no score, no ranking."""
    chosen = check_priorities(priorities)
    rated = sorted(
        (p for p in PRIORITIES if p.id in chosen),
        key=lambda p: (-chosen[p.id], PRIORITIES.index(p)),
    )
    makers = {"experience": _experience, "ongoing": _ongoing, "costs": _costs}
    rows = []
    for p in rated:
        if chosen[p.id] == 0:
            continue
        cells = _outcomes(assessment, p) if p.basis == "outcomes" else makers[p.basis](assessment)
        rows.append({"id": p.id, "label": p.label, "rating": chosen[p.id],
                     "rating_text": SCALE[chosen[p.id]], "options": cells})
    return {
        "no_recommendation": NO_RECOMMENDATION,
        "option_titles": {"ahsct": "aHSCT", "dmt": "A high-efficacy DMT",
                          "trial": "A registered trial"},
        "rows": rows,
        "not_important": [p.label for p in rated if chosen[p.id] == 0],
        "not_answered": [p.label for p in PRIORITIES if p.id not in chosen],
    }
