"""The "Your options" page: aHSCT, a high-efficacy DMT and a registered trial, side by side.

Pure: an :class:`~msstem.decision.Assessment` in, a JSON-ready dict out (the page
renders it and ``POST /api/options`` returns it). Each column has the same parts in
the same order (what it is, benefits, harms, what it is like, how sure the evidence
is), and every figure is an estimate from the assessment, per 100 people, with its
follow-up, population, applicability and sources. Nothing here ranks the options.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Final, Literal

from msstem.clinical.labels import DESIGN_LABELS
from msstem.decision import Assessment
from msstem.decision.comparison import build_comparison
from msstem.decision.estimates import OUTCOME_LABELS, THERAPY_NAMES, Estimate
from msstem.reports.citations import Notes
from msstem.reports.formatting import (
    APPLICABILITY_TEXT,
    CRITERION_STATUS_TEXT,
    VERDICT_TEXT,
    format_rate,
    format_value,
    per_100_text,
)
from msstem.reports.icons import compact_icon_array_svg

__all__ = [
    "DESIGN_TEXT",
    "DMT_THERAPIES",
    "FIT_TEXT",
    "build_options",
    "build_page",
    "eligibility_rows",
    "estimate_row",
    "outcome_groups",
    "recruitment",
]

#: The therapies shown in the high-efficacy DMT column.
DMT_THERAPIES: Final = ("ocrelizumab", "natalizumab", "alemtuzumab", "ofatumumab", "cladribine",
                        "dmt-mixed")
#: Plain words for the evidence schema's study designs (msstem.clinical.labels).
DESIGN_TEXT: Final = DESIGN_LABELS
#: Other figures shown under a row's "Details" (the rest stay in /api/options).
OTHERS_SHOWN: Final = 3
_RANK: Final = {"matches": 0, "partly": 1, "does_not_match": 2}
#: Which design leads when figures match the person equally well (stronger designs first).
_DESIGN_RANK: Final = {"rct": 0, "meta-analysis": 1, "registry": 2, "cohort": 3, "post-hoc": 4,
                       "extension": 5, "single-arm": 6}


def _interval_text(e: Estimate) -> str:
    if e.interval is None:
        return "interval not reported"
    low, high = format_rate(e.interval.low), format_rate(e.interval.high)
    return f"{e.interval.kind}: {low} to {high} in 100"


def estimate_row(e: Estimate) -> dict[str, Any]:
    """One figure, ready to show: the estimate plus its display texts."""
    row = e.to_dict()
    row.update(
        outcome_label=OUTCOME_LABELS.get(e.outcome, e.outcome),
        per_100_text=per_100_text(e.per_100),
        interval_text=_interval_text(e),
        applicability_text=APPLICABILITY_TEXT[str(e.applicability)],
        design_text=DESIGN_TEXT.get(e.design, e.design),
    )
    return row


def _headline_first(estimates: Sequence[Estimate]) -> list[Estimate]:
    """The headline figure first: best match to the person, then verified, then the
    stronger design, then without a caution. The rest keep the assessment's order."""
    ranked = sorted(
        estimates,
        key=lambda e: (_RANK[str(e.applicability)], not e.verified,
                       _DESIGN_RANK.get(e.design, len(_DESIGN_RANK)), e.caution is not None),
    )
    head = ranked[0]
    return [head, *[e for e in estimates if e is not head]]


def outcome_groups(estimates: Iterable[Estimate], kind: str) -> list[dict[str, Any]]:
    """Figures of one kind grouped by outcome: a headline (shown as an icon array) + others."""
    by_outcome: dict[str, list[Estimate]] = {}
    for e in estimates:
        if e.kind == kind:
            by_outcome.setdefault(e.outcome, []).append(e)
    groups = []
    for outcome, items in by_outcome.items():
        ordered = _headline_first(items)
        groups.append({
            "outcome": outcome,
            "label": OUTCOME_LABELS.get(outcome, outcome),
            "kind": kind,
            "headline": estimate_row(ordered[0]),
            "others": [estimate_row(e) for e in ordered[1:]],
        })
    return groups


def _how_sure(estimates: Sequence[Estimate]) -> list[str]:
    if not estimates:
        return ["The evidence base has no figures for this option that fit the format "
                "'N in 100 people'."]
    designs = Counter(e.design for e in estimates)
    parts = [f"{n} from a {DESIGN_TEXT.get(d, d)}" if n == 1 else
             f"{n} from {DESIGN_TEXT.get(d, d).replace('study', 'studies')}"
             for d, n in designs.most_common()]
    lines = [f"{len(estimates)} figures: " + "; ".join(parts) + "."]
    fits = Counter(str(e.applicability) for e in estimates)
    lines.append(
        f"How well the people studied match you: {fits.get('matches', 0)} match, "
        f"{fits.get('partly', 0)} partly match, {fits.get('does_not_match', 0)} do not match."
    )
    no_interval = sum(1 for e in estimates if e.interval is None)
    if no_interval:
        lines.append(f"{no_interval} figures have no reported uncertainty range.")
    unverified = sum(1 for e in estimates if not e.verified)
    if unverified:
        lines.append(f"{unverified} figures are marked unverified: the source could not be "
                     "checked, so treat them with extra caution.")
    return lines


def eligibility_rows(assessment: Assessment) -> list[dict[str, Any]]:
    """Each rule set's verdict with every criterion and its reason."""
    rows = []
    for result in assessment.eligibility.values():
        d = result.to_dict()
        d["verdict_text"] = VERDICT_TEXT.get(str(d["verdict"]), str(d["verdict"]))
        d["criteria"] = [
            {**c, "status_text": CRITERION_STATUS_TEXT.get(str(c["status"]), str(c["status"])),
             "value_text": format_value(c["value_used"])}
            for c in (c.to_dict() for c in result.criteria)
        ]
        rows.append(d)
    return rows


def _bare(text: str | None) -> str | None:
    """Text without its final full stop, for use inside a sentence or brackets."""
    return text.rstrip().rstrip(".") if text else text


def _claim(text: str | None, source_ids: Iterable[str]) -> dict[str, Any] | None:
    return {"text": text, "sources": list(source_ids)} if text else None


def _ahsct_column(assessment: Assessment) -> dict[str, Any]:
    eb = assessment.evidence
    therapy = next((t for t in eb.therapies if t.id == "ahsct"), None)
    estimates = [e for e in assessment.estimates if e.therapy == "ahsct"]
    like: list[dict[str, Any]] = []
    if therapy is not None and therapy.what_it_is_like:
        like.append({"text": therapy.what_it_is_like, "sources": list(therapy.source_ids)})
    for step in eb.procedure_steps:
        text = f"{step.title}: {step.description}"
        if step.timing:
            text += f" ({step.timing})"
        like.append({"text": text, "sources": list(step.source_ids)})
    hctci = None
    if assessment.hctci is not None:
        hctci = {
            "score": assessment.hctci.to_dict().get("score"),
            "facts": [{"text": f.statement, "sources": list(f.source_ids)}
                      for f in assessment.hctci_facts],
        }
    return {
        "id": "ahsct",
        "title": "aHSCT",
        "subtitle": therapy.name if therapy else "Autologous haematopoietic stem cell "
                    "transplantation",
        "what_it_is": [c for c in (
            _claim(therapy.summary, therapy.source_ids) if therapy else None,
            _claim(therapy.status.text, therapy.status.source_ids) if therapy else None,
        ) if c],
        "benefits": outcome_groups(estimates, "benefit"),
        "harms": outcome_groups(estimates, "harm"),
        "what_it_is_like": like,
        "how_sure": _how_sure(estimates),
        "hctci": hctci,
    }


def _dmt_column(assessment: Assessment) -> dict[str, Any]:
    eb = assessment.evidence
    estimates = [e for e in assessment.estimates if e.therapy in DMT_THERAPIES]
    what, like = [], []
    for dmt in eb.dmts:
        trials = f" Pivotal trials: {', '.join(dmt.pivotal_trials)}." if dmt.pivotal_trials else ""
        what.append({"text": f"{dmt.name}.{trials}", "sources": list(dmt.source_ids)})
        parts = [p for p in (dmt.how_given, dmt.monitoring and f"Monitoring: {dmt.monitoring}")
                 if p]
        if parts:
            like.append({"text": f"{dmt.name}: " + " ".join(parts),
                         "sources": list(dmt.source_ids), "caution": dmt.caution})
    return {
        "id": "dmt",
        "title": "A high-efficacy DMT",
        "subtitle": "Start, stay on, or switch to a high-efficacy disease-modifying therapy",
        "what_it_is": what,
        "benefits": outcome_groups(estimates, "benefit"),
        "harms": outcome_groups(estimates, "harm"),
        "what_it_is_like": like,
        "how_sure": _how_sure(estimates),
        "hctci": None,
    }


def _trial_rows(assessment: Assessment) -> list[dict[str, Any]]:
    eb = assessment.evidence
    order = {"meets": 0, "insufficient_data": 1, "does_not_meet": 2, None: 3}
    rows: list[dict[str, Any]] = []
    for trial in eb.trials:
        result = assessment.eligibility.get(trial.ruleset) if trial.ruleset else None
        verdict: str | None = result.verdict.value if result is not None else None
        rows.append({
            "id": trial.id,
            "ruleset": trial.ruleset,
            "name": trial.name,
            "registry_ids": list(trial.registry_ids),
            "phase": trial.phase,
            "design": _bare(trial.design),
            "arms": list(trial.arms),
            "target_n": trial.target_n,
            "countries": list(trial.countries),
            "status": _bare(trial.status),
            "status_as_of": trial.status_as_of,
            "primary_endpoint": _bare(trial.primary_endpoint),
            "primary_endpoint_verified": trial.primary_endpoint_verified,
            "verdict": verdict,
            "verdict_text": VERDICT_TEXT.get(verdict, verdict) if verdict
                            else "no screening rules in msstem",
            "note": _bare(result.note) if result is not None else None,
            "facts": [{"text": eb.facts[f].statement, "sources": list(eb.facts[f].source_ids),
                       "verified": eb.facts[f].verified}
                      for f in trial.fact_ids if f in eb.facts],
            "sources": list(trial.source_ids),
            "caution": trial.caution,
        })
    rows.sort(key=lambda r: order.get(r["verdict"], 3))
    return rows


def _trial_column(assessment: Assessment, trials: list[dict[str, Any]]) -> dict[str, Any]:
    could = [t for t in trials if t["verdict"] in ("meets", "insufficient_data")]
    return {
        "id": "trial",
        "title": "A registered trial",
        "subtitle": "Join a registered clinical trial that compares aHSCT with DMTs",
        "what_it_is": [{"text": "A registered trial tests a treatment under a published "
                        "protocol, with ethics approval and a registry number you can look up. "
                        "In a randomised trial, chance decides which treatment you get.",
                        "sources": []}],
        "benefits": [],
        "harms": [],
        "arms_note": "Trial arms give aHSCT or a DMT: the figures in the other two columns are "
                     "the best guide to what each arm may bring. A trial's own result is not "
                     "known until it reports.",
        "what_it_is_like": [
            {"text": f"{t['name']}: {t['design'] or ''}. "
                     f"Arms: {'; '.join(t['arms']) or 'not stated'}. "
                     f"Status: {t['status'] or 'not stated'}.",
             "sources": t["sources"]}
            for t in could
        ],
        "how_sure": ["A trial exists because the answer is not yet known: that is the point of "
                     "joining one. Its results add to the evidence for everyone."],
        "could_qualify": could,
        "hctci": None,
    }


def build_options(assessment: Assessment) -> dict[str, Any]:
    """Everything on the options page, as a JSON-ready dict."""
    trials = _trial_rows(assessment)
    return {
        "msstem_version": assessment.msstem_version,
        "evidence_date": assessment.evidence_date.isoformat(),
        "disclaimers": list(assessment.disclaimers),
        "profile_unknown": list(assessment.unknown_fields),
        "columns": [
            _ahsct_column(assessment),
            _dmt_column(assessment),
            _trial_column(assessment, trials),
        ],
        "eligibility": eligibility_rows(assessment),
        "trials": trials,
        "comparison": build_comparison(assessment).to_dict(),
    }


# --- the options page: the person's answer first, then the grid ---------------------------

#: How well a figure's group fits the person, in words.
FIT_TEXT: Final[Mapping[str, str]] = {
    "matches": "fits you", "partly": "partly fits you", "does_not_match": "does not fit you",
}
_FINISHED_WORDS: Final = ("no longer recruits", "closed to enrolment", "results published",
                          "results expected")


def recruitment(trial_status: str | None, note: str | None) -> str:
    """``finished``, ``may_be_recruiting`` or ``not_known``, from the trial's recorded status."""
    text = f"{trial_status or ''} {note or ''}".lower()
    if any(w in text for w in _FINISHED_WORDS):
        return "finished"
    if trial_status:
        return "may_be_recruiting"
    return "not_known"


def _num(x: float) -> str:
    if abs(x) >= 1000:
        return f"{x:,.0f}"
    return format_rate(x)


def _figure_text(cell: Mapping[str, Any]) -> str:
    est, low, high, unit = cell["estimate"], cell["low"], cell["high"], cell["unit"]
    if unit == "months":
        if low is not None and high is not None:
            return f"{_num(low)} to {_num(high)} months"
        return f"{_num(est)} months"
    if unit in ("EUR", "USD", "GBP"):
        return f"{unit} {_num(est)}"
    if unit == "per 1,000 patient-years":
        return f"{_num(est)} per 1,000 people a year"
    return f"{_num(est)} in {cell['per']:,}"


def _interval_words(cell: Mapping[str, Any]) -> str:
    low, high = cell["low"], cell["high"]
    if cell["unit"] == "months":
        return "a range from the source"
    if low is None or high is None:
        return "uncertainty not reported"
    kind = str(cell.get("interval_kind") or "")
    span = f"{_num(low)} to {_num(high)}"
    if kind.startswith("range"):
        return f"studies ranged {span}"
    if kind.startswith("IQR"):
        return f"middle half {span}"
    return f"likely {span}"


def _cell_view(cell: Mapping[str, Any] | None, notes: Notes,
               therapy_names: Mapping[str, str], option_id: str, label: str = "",
               kind: Literal["benefit", "harm", "other"] = "other") -> dict[str, Any] | None:
    if cell is None:
        return None
    who = None
    if option_id == "dmt":
        who = therapy_names.get(cell["therapy"]) or THERAPY_NAMES.get(
            cell["therapy"], "other treatments")
        who = who.split(" (")[0]
    icons = None
    if cell["per"] in (100, 1000) and str(cell["unit"]).endswith("people"):
        icons = compact_icon_array_svg(float(cell["estimate"]), int(cell["per"]), label=label,
                                       kind=kind)
    return {
        "icons": icons,
        "figure": _figure_text(cell),
        "interval": _interval_words(cell),
        "basis": cell["basis_text"],
        "certainty": f"{cell['certainty']} certainty",
        "fit": FIT_TEXT.get(cell["fit"], cell["fit"]),
        "fit_key": cell["fit"],
        "fit_reasons": cell["fit_reasons"],
        "who": who,
        "population": cell["population"],
        "verified": cell["verified"],
        "caution": cell["caution"],
        "refs": notes.ref(cell["sources"]),
        "others": cell["other_fact_ids"],
    }


def _answer(assessment: Assessment, trials: list[dict[str, Any]],
            fits_guideline: bool | None) -> dict[str, Any]:
    guidelines = [r for r in assessment.eligibility.values() if r.kind == "guideline"]
    by_verdict: dict[str, list[str]] = {"meets": [], "does_not_meet": [],
                                        "insufficient_data": []}
    for r in guidelines:
        by_verdict[r.verdict.value].append(_short_name(r.name))
    sentences = []
    if fits_guideline:
        sentences.append("Your answers fit the advice for a stem cell transplant (aHSCT) of: "
                         + ", ".join(by_verdict["meets"]) + ".")
    elif fits_guideline is False:
        sentences.append(f"Your answers fit none of the {len(guidelines)} guidelines for a stem "
                         "cell transplant (aHSCT). Its figures below are results in other "
                         "people, not a forecast for you.")
    if by_verdict["does_not_meet"] and fits_guideline is not False:
        sentences.append("They do not fit: " + ", ".join(by_verdict["does_not_meet"]) + ".")
    if by_verdict["insufficient_data"]:
        sentences.append("More answers are needed for: "
                         + ", ".join(by_verdict["insufficient_data"]) + ".")
    open_fit = [t for t in trials if t["recruitment"] != "finished"
                and t["verdict"] in ("meets", "insufficient_data")]
    if open_fit:
        sentences.append("Trials that may be open and that your answers could fit: "
                         + ", ".join(t["short_name"] for t in open_fit) + ".")
    else:
        sentences.append("No trial that may be open fits your answers.")
    detail = []
    for r in guidelines:
        unmet = [c.reason for c in r.criteria if c.hard and c.status.value != "met"]
        detail.append({"name": r.name, "verdict": r.verdict.value,
                       "verdict_text": VERDICT_TEXT.get(r.verdict.value, r.verdict.value),
                       "why": unmet[0] if unmet else None})
    return {"sentences": sentences, "fits_guideline": fits_guideline, "detail": detail}


def _short_name(name: str) -> str:
    for cut in (" trial entry criteria", " recommendations", " position statement",
                " consensus", " ("):
        name = name.split(cut)[0]
    return name.strip()


def _trial_view(assessment: Assessment) -> list[dict[str, Any]]:
    out = []
    for t in _trial_rows(assessment):
        state = recruitment(t["status"], t["note"])
        out.append({
            **t,
            "short_name": t["name"].split(" (")[0],
            "recruitment": state,
            # A finished trial never shows a green "meets".
            "verdict_shown": None if state == "finished" else t["verdict_text"],
        })
    return out


def build_page(assessment: Assessment) -> dict[str, Any]:
    """The options page: the answer for this person, the grid, direct comparisons, trials."""
    eb = assessment.evidence
    comparison = build_comparison(assessment)
    grid = comparison.to_dict()
    notes = Notes(eb)
    trials = _trial_view(assessment)
    answer = _answer(assessment, trials, comparison.fits_guideline)
    therapy_names = {d.id: d.name for d in eb.dmts}
    shown = [o for o in grid["options"] if o["id"] in ("ahsct", "dmt")]
    rows = []
    for row in grid["rows"]:
        kind: Literal["benefit", "harm", "other"] = (
            "harm" if row["kind"] == "harm" else "benefit" if row["better"] == "higher"
            else "other")
        cells = {o["id"]: _cell_view(row["cells"].get(o["id"]), notes, therapy_names, o["id"],
                                     f"{row['label']}, {o['name']}", kind)
                 for o in shown}
        if not any(cells.values()):
            continue
        others = []
        for c in row["cells"].values():
            for fid in (c or {}).get("other_fact_ids", [])[:OTHERS_SHOWN]:
                record = eb.facts.get(fid) or eb.derived(fid)
                others.append({"text": record.statement, "refs": notes.ref(record.source_ids)})
        rows.append({**{k: row[k] for k in ("outcome", "kind", "label", "horizon", "note",
                                            "better")},
                     "cells": cells, "others": others})
    direct = []
    for d in grid["direct"]:
        effects = [{"text": e["text"], "interval": (
            f"95% CI {_num(e['low'])} to {_num(e['high'])}" if e["low"] is not None
            else "no interval reported"), "refs": notes.ref(e["sources"])}
            for e in d["effects"]]
        direct.append({**{k: d[k] for k in ("id", "name", "design", "compared", "caution")},
                       "effects": effects})
    for t in trials:  # numbered in page order: the trials come after the grid
        t["refs"] = notes.ref(t["sources"])
    return {
        "answer": answer,
        "options": grid["options"],
        "shown_options": shown,
        "benefit_rows": [r for r in rows if r["kind"] == "benefit"],
        "harm_rows": [r for r in rows if r["kind"] == "harm"],
        "same_scale": grid["same_scale"],
        "direct": direct,
        "trials_open": [t for t in trials if t["recruitment"] != "finished"],
        "trials_finished": [t for t in trials if t["recruitment"] == "finished"],
        "notes": notes,
        "evidence_date": assessment.evidence_date.isoformat(),
    }


def build_criteria_page(assessment: Assessment) -> dict[str, Any]:
    """Every criterion of every rule set, one by one (the options page's depth on demand,
    with its own numbered notes)."""
    notes = Notes(assessment.evidence)
    trials = _trial_view(assessment)
    eligibility = eligibility_rows(assessment)
    finished = {t["id"] for t in trials if t["recruitment"] == "finished"}
    by_ruleset = {t["ruleset"]: t for t in trials if t["ruleset"]}
    for r in eligibility:
        r["refs"] = notes.ref([*r["source_ids"],
                               *(c["source_id"] for c in r["criteria"] if c["source_id"])])
        trial = by_ruleset.get(r["ruleset_id"])
        if trial is not None and trial["id"] in finished:
            # A finished trial never shows a green "meets".
            r["verdict"], r["verdict_text"] = "finished", "finished, no longer recruiting"
    return {"eligibility": eligibility, "notes": notes,
            "evidence_date": assessment.evidence_date.isoformat()}
