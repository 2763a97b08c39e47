"""The options comparison for one person, as data: an Option Grid with figures that fit.

:func:`build_comparison` takes an :class:`~msstem.decision.assess.Assessment` and returns a
frozen :class:`Comparison`: the options this person weighs (columns), the outcomes people ask
about (rows, benefits and harms in the same format, each at one stated time frame for every
option) and what the direct comparisons of aHSCT with DMTs found. Every figure is an evidence
fact; msstem only chooses which one fits the person best and says how well it fits.

How a cell is chosen (one rule for every option):

1. candidates are the figures for that option's therapies, for the row's outcome, at the row's
   time frame (2 years accepts trials' 96 weeks; rows without a time frame take figures that
   state none);
2. a therapy with a pooled figure (the synthesis layer's derived facts) for that outcome and
   time frame offers only its pooled figures for the groups that describe the person
   (:func:`~msstem.decision.figures.person_groups`: for treatment-related death the
   meta-regression at the person's EDSS, then their course group, then everyone); its
   per-study facts and the other groups become details. A therapy without one offers its
   per-study facts;
3. the best fit to the person wins: the studied group's MS course, EDSS range and age range
   (a figure from a group that mixes MS courses, or does not say which, never "matches");
4. then a pooled figure, the group that describes the person best, a figure with a stated
   uncertainty, the stronger basis (randomised trial, pooled analysis, cohort), a verified
   figure.

Every proportion in a row is on one scale: per 1,000 people when any of them is below 1 in
100, otherwise per 100. Where no figure exists the cell is ``None``, and the page says so.
Figures come through one seam (:func:`figures_from_evidence`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, Final, Literal

from msstem.decision.estimates import Applicability, applicability, group_applicability
from msstem.decision.figures import (
    Figure,
    edss_points,
    person_groups,
    pooled_figures,
    study_figures,
)
from msstem.evidence import EvidenceBase

if TYPE_CHECKING:
    from msstem.clinical.profile import Profile
    from msstem.decision.assess import Assessment

__all__ = [
    "CERTAINTY_LEVELS",
    "DIRECT_STUDIES",
    "HIGH_EFFICACY_DMTS",
    "ROWS",
    "Cell",
    "Comparison",
    "DirectComparison",
    "DirectEffect",
    "Figure",
    "GridOption",
    "GridRow",
    "RowSpec",
    "build_comparison",
    "current_therapy",
    "figures_from_evidence",
    "rare",
    "takes_no_treatment",
]

Kind = Literal["benefit", "harm"]
#: Certainty words, strongest first (a GRADE-like reading; see :func:`_certainty`).
CERTAINTY_LEVELS: Final = ("high", "moderate", "low", "very low")
#: The therapies of the "stay on or change my current treatment" option.
HIGH_EFFICACY_DMTS: Final = ("ocrelizumab", "natalizumab", "alemtuzumab", "ofatumumab",
                             "cladribine")
#: Below this many in 100, a figure is shown per 1,000 people.
RARE_BELOW_PER_100: Final = 1.0

#: Plain words for the basis of a figure.
BASIS_TEXT: Final[Mapping[str, str]] = {
    "pooled": "pooled from several studies",
    "rct": "one randomised trial",
    "post-hoc": "a later analysis of a randomised trial",
    "extension": "a trial's extension (after the randomised part)",
    "cohort": "one cohort (observational)",
    "registry": "a registry (observational)",
    "single-arm": "one study without a comparison group",
}
_BASIS_RANK: Final[Mapping[str, int]] = {
    "rct": 0, "pooled": 1, "post-hoc": 2, "registry": 3, "cohort": 4, "extension": 5,
    "single-arm": 6,
}
_FIT_RANK: Final[Mapping[str, int]] = {"matches": 0, "partly": 1, "does_not_match": 2}


# --- the seam: figures a cell can hold -----------------------------------------------------


def figures_from_evidence(evidence: EvidenceBase) -> tuple[Figure, ...]:
    """Every figure a cell may show (the seam): the synthesis layer's pooled figures, then
    the per-study facts (used where no pooled figure covers a therapy and outcome)."""
    return pooled_figures(evidence) + study_figures(evidence)


# --- rows ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RowSpec:
    """One outcome row: which figures it takes and how it is read.

    ``years`` is the time frame every option's figure must share (``None``: figures that state
    no time frame, said as ``horizon``). ``paired`` rows take named facts per option from one
    study that reported every arm the same way (a register's rates, one costing study).
    """

    outcome: str
    kind: Kind
    label: str
    horizon: str
    years: float | None = None
    outcomes: frozenset[str] = frozenset()
    better: Literal["higher", "lower"] = "higher"
    note: str | None = None
    paired: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    unit: str = "per 100 people"


def _accepts_years(spec: RowSpec, years: float | None) -> bool:
    if spec.years is None:
        return years is None
    if years is None:
        return False
    if spec.years == 2:
        return 1.8 <= years <= 2.0  # 96-week trials report at 1.85 years
    return years == spec.years


#: The rows, benefits first. Benefits: what a treatment is for (no activity, no relapses, no
#: worsening). Harms: what it can cost a person (death, infection, new autoimmune disease, PML,
#: fertility, time in hospital, money).
ROWS: Final[tuple[RowSpec, ...]] = (
    RowSpec("neda", "benefit", "No new MS activity (no relapses, no new MRI lesions, no "
            "worsening; NEDA)", "2 years", 2, frozenset({"neda"})),
    RowSpec("neda", "benefit", "No new MS activity (NEDA)", "5 years", 5, frozenset({"neda"})),
    RowSpec("relapse_free", "benefit", "No relapses", "2 years", 2,
            frozenset({"relapse_free"})),
    RowSpec("progression_free", "benefit", "No disability worsening", "2 years", 2,
            frozenset({"progression_free", "cdw_free"})),
    RowSpec("progression_free", "benefit", "No disability worsening", "5 years", 5,
            frozenset({"progression_free", "cdw_free"})),
    RowSpec("treatment_related_death", "harm", "Died because of the treatment",
            "during and soon after treatment", None,
            frozenset({"treatment_related_death"}), better="lower"),
    RowSpec("serious_infection", "harm", "Serious infection", "2 years", 2,
            frozenset({"serious_infection"}), better="lower"),
    RowSpec("infection", "harm", "Infection, from 6 months after starting", "each year",
            better="lower", unit="per 1,000 patient-years",
            paired={"ahsct": ("sweden-register-infection-ahsct",),
                    "dmt": ("sweden-register-infection-reference",)},
            note="One Swedish register counted infections the same way for each group."),
    RowSpec("secondary_autoimmunity", "harm", "A new autoimmune disease (for example of the "
            "thyroid)", "each year", better="lower", unit="per 1,000 patient-years",
            paired={"ahsct": ("sweden-register-thyroid-ahsct",),
                    "dmt": ("sweden-register-thyroid-reference",)},
            note="Thyroid disease, counted the same way for each group in one Swedish "
                 "register."),
    RowSpec("pml", "harm", "PML, a rare brain infection", "while on treatment", None,
            frozenset({"pml"}), better="lower"),
    RowSpec("menses_recovery", "harm", "Fertility: periods came back after treatment "
            "(women)", "after treatment", None, frozenset({"menses_recovery"}),
            note="Chemotherapy can stop periods and harm fertility; older age lowered the "
                 "chance that periods came back."),
    RowSpec("recovery_time", "harm", "Time until back to everyday life", "after treatment",
            unit="months", paired={"ahsct": ("chemo-recovery-3-6-months",)}),
    RowSpec("cost", "harm", "Cost of treatment", "5 years", 5, unit="EUR",
            paired={"ahsct": ("italy-2024-cost-5y-ahsct",),
                    "dmt": ("italy-2024-cost-5y-dmt",)},
            note="One Italian costing study; costs differ by country and year."),
)


def rare(estimate: float, unit: str) -> bool:
    """A proportion below 1 in 100 is shown per 1,000 people."""
    return unit == "per 100 people" and 0 < estimate < RARE_BELOW_PER_100


def _per(figure: Figure) -> int | None:
    if figure.unit == "per 100 people":
        return 1000 if rare(figure.estimate, figure.unit) else 100
    if figure.unit == "per 1,000 patient-years":
        return 1000
    return None


# --- cells ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Cell:
    """One option's figure for one row, fitted to the person."""

    figure: Figure
    fit: Applicability
    fit_reasons: tuple[str, ...]
    certainty: str
    per: int | None  # 100 or 1000 for proportions; None for rates, months and money
    others: tuple[str, ...] = ()  # fact ids of the figures not chosen (details on demand)

    @property
    def scale(self) -> float:
        return 10.0 if self.per == 1000 and self.figure.unit == "per 100 people" else 1.0

    def to_dict(self) -> dict[str, Any]:
        f = self.figure
        s = self.scale

        def scaled(x: float | None) -> float | None:
            return None if x is None else float(f"{x * s:.3g}")

        return {
            "estimate": scaled(f.estimate),
            "low": scaled(f.low),
            "high": scaled(f.high),
            "per": self.per,
            "unit": f"per {self.per:,} people" if f.unit == "per 100 people" else f.unit,
            "interval_kind": f.interval_kind,
            "basis": f.basis,
            "basis_text": (f"pooled from {f.k_studies} studies" if f.k_studies
                           else BASIS_TEXT.get(f.basis, f.basis)),
            "k_studies": f.k_studies,
            "certainty": self.certainty,
            "fit": str(self.fit),
            "fit_reasons": list(self.fit_reasons),
            "therapy": f.therapy,
            "fact_id": f.fact_id,
            "population": f.population,
            "follow_up": f.follow_up,
            "verified": f.verified,
            "caution": f.caution,
            "sources": list(f.source_ids),
            "pooled": f.derived is not None,
            "group": f.group,
            "other_fact_ids": list(self.others),
        }


def _pooled_fit(profile: Profile, figure: Figure) -> tuple[Applicability, list[str]]:
    if figure.courses:
        verdict, reasons = group_applicability(profile, figure.courses)
        notes = list(reasons)
    else:  # the studies' courses are known: they differ
        verdict, notes = Applicability.PARTLY, ["the studies mixed people with different "
                                                "types of MS"]
    group = figure.group or ""
    if group.startswith("edss-") and figure.derived is not None:
        at = dict(figure.derived.at).get("baseline_edss")
        if at is not None and profile.edss is not None:
            notes.append(f"worked out for EDSS {at:g}, the nearest to your EDSS "
                         f"{profile.edss:g}")
    return verdict, notes


def _fit(profile: Profile, figure: Figure, cap: str | None) -> tuple[Applicability, list[str]]:
    if figure.derived is not None:
        verdict, notes = _pooled_fit(profile, figure)
    elif figure.fact is not None and figure.fact.estimate is not None:
        verdict, reasons = applicability(profile, figure.fact)
        notes = list(reasons)
    else:
        verdict, notes = Applicability.PARTLY, ["the people studied are described in words only"]
    if len(figure.courses) != 1 and verdict is Applicability.MATCHES:
        verdict = Applicability.PARTLY
        notes.insert(0, "the people studied had different types of MS, mixed together")
    if cap and verdict is Applicability.MATCHES:
        verdict = Applicability.PARTLY
        notes.insert(0, cap)
    return verdict, notes


#: Facts that say a pooled death figure understates the risk for some people.
_TRM_HIGHER_FACTS: Final = ("sormani-2017-trm-edss", "sormani-2017-trm-rrms")
#: From this EDSS up (or with progressive MS) the pooled death figure carries that warning.
_TRM_WARNING_EDSS: Final = 6.0


def _trm_warnings(profile: Profile, evidence: EvidenceBase) -> tuple[str, ...]:
    high = (profile.edss is not None and profile.edss >= _TRM_WARNING_EDSS) or bool(
        profile.is_progressive)
    if not high:
        return ()
    facts = [evidence.facts[f] for f in _TRM_HIGHER_FACTS if f in evidence.facts]
    return tuple(f"{f.statement.rstrip('.')}: the risk for you may be higher than this"
                 for f in facts)


def _certainty(figure: Figure, fit: Applicability) -> str:
    """A GRADE-like reading: start from the basis, one step down for each of: no stated
    uncertainty, an unverified figure or a cautioned source, people unlike this person."""
    if figure.certainty in CERTAINTY_LEVELS:
        return figure.certainty
    start = {"rct": 0, "post-hoc": 1, "extension": 1}.get(figure.basis, 2)
    steps = start
    if figure.low is None:
        steps += 1
    if not figure.verified or figure.caution:
        steps += 1
    if fit is not Applicability.MATCHES:
        steps += 1
    return CERTAINTY_LEVELS[min(steps, len(CERTAINTY_LEVELS) - 1)]


_Fitted = tuple[Figure, Applicability, tuple[str, ...], int]


def _rank(item: _Fitted) -> tuple[object, ...]:
    figure, fit, reasons, preference = item
    # Among equal fits, the figure whose group was checked on more points (course, EDSS,
    # age) and found to include the person comes first: a figure for women of your age
    # before a figure for all women.
    within = sum(1 for r in reasons if " is within the studied " in r)
    return (_FIT_RANK[str(fit)], figure.derived is None, preference, -within,
            figure.low is None, _BASIS_RANK.get(figure.basis, 9), not figure.verified,
            figure.caution is not None, figure.fact_id)


@dataclass(frozen=True, slots=True)
class _Plan:
    """One cell's candidates and what sorting them needs: they depend on the evidence, the
    row and the option only, so they are worked out once, not once per person."""

    candidates: tuple[Figure, ...]
    pooled_for: frozenset[tuple[str, str]]  # (therapy, outcome) with a pooled figure
    edss_at: tuple[tuple[float, str], ...]  # (EDSS, group) of the meta-regression figures


def _plan(candidates: Sequence[Figure]) -> _Plan:
    return _Plan(
        candidates=tuple(candidates),
        pooled_for=frozenset((f.therapy, f.outcome) for f in candidates
                             if f.derived is not None),
        edss_at=edss_points(candidates),
    )


def _offered(profile: Profile, plan: _Plan) -> tuple[list[tuple[Figure, int]], list[Figure]]:
    """(figures a cell may headline, with the person-group preference; details only).

    A therapy with pooled figures for this outcome offers only those for the person's groups;
    its per-study facts and other groups are details.
    """
    offered: list[tuple[Figure, int]] = []
    details: list[Figure] = []
    groups_by_outcome: dict[str, tuple[str, ...]] = {}
    for f in plan.candidates:
        if f.derived is None:
            (details.append(f) if (f.therapy, f.outcome) in plan.pooled_for
             else offered.append((f, 0)))
            continue
        groups = groups_by_outcome.get(f.outcome)
        if groups is None:
            groups = groups_by_outcome[f.outcome] = person_groups(
                profile, f.outcome, plan.edss_at)
        if f.group in groups:
            offered.append((f, groups.index(f.group or "")))
        else:
            details.append(f)
    return offered, details


def _choose(profile: Profile, plan: _Plan, cap: str | None) -> Cell | None:
    offered, details = _offered(profile, plan)
    if not offered:
        return None
    fitted: list[_Fitted] = []
    for figure, preference in offered:
        verdict, notes = _fit(profile, figure, cap)
        fitted.append((figure, verdict, tuple(notes), preference))
    fitted.sort(key=_rank)
    figure, verdict, reasons, _ = fitted[0]
    return Cell(figure=figure, fit=verdict, fit_reasons=reasons,
                certainty=_certainty(figure, verdict), per=_per(figure),
                # Details in order of use to the person: the other figures for their groups,
                # per-study facts, then groups that describe no one (regimen, era).
                others=tuple(f.fact_id for f, _, _, _ in fitted[1:])
                + tuple(f.fact_id for f in sorted(details, key=lambda f: f.derived is not None)))


def _paired_figure(evidence: EvidenceBase, fact_id: str, therapy: str, unit: str
                   ) -> Figure | None:
    fact = evidence.facts.get(fact_id)
    if fact is None:
        return None
    value = fact.value
    low = fact.interval.low if fact.interval else None
    high = fact.interval.high if fact.interval else None
    if value is None and low is None:
        return None
    basis = "registry" if "register" in fact.id else "cohort"
    return Figure(
        fact_id=fact.id, therapy=therapy, outcome="", years=None,
        estimate=value if value is not None else (low or 0.0), low=low, high=high,
        interval_kind=fact.interval.kind if fact.interval else None,
        unit=unit, basis=basis, k_studies=None, courses=(), population=fact.population,
        follow_up=fact.follow_up, source_ids=tuple(fact.source_ids), verified=fact.verified,
        caution=fact.caution, fact=fact,
    )


# --- options -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class GridOption:
    """One column of the grid."""

    id: str  # ahsct | dmt | care | trial
    name: str
    summary: str
    therapies: tuple[str, ...]
    notes: tuple[str, ...] = ()
    excluded: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "summary": self.summary,
                "therapies": list(self.therapies), "notes": list(self.notes),
                "excluded_therapies": list(self.excluded)}


#: What people type for "no current treatment".
_NO_TREATMENT: Final = frozenset({"none", "no", "nothing", "n/a", "na", "-", "no dmt"})


def takes_no_treatment(profile: Profile) -> bool:
    """True when the person said they take no disease-modifying treatment."""
    text = (profile.current_dmt or "").strip().lower()
    return bool(text) and text in _NO_TREATMENT


def current_therapy(profile: Profile, evidence: EvidenceBase) -> str | None:
    """The evidence therapy id the person's ``current_dmt`` names, if any."""
    text = (profile.current_dmt or "").strip().lower()
    if not text or text in _NO_TREATMENT:
        return None
    for dmt in evidence.dmts:
        names = {dmt.id.lower(), dmt.name.lower().split(" (")[0]}
        if any(n and n in text for n in names):
            return dmt.id
    return None


def _failing_current(profile: Profile) -> bool:
    return bool(profile.activity_on_dmt or profile.failed_high_efficacy_dmt)


def _has_activity(profile: Profile) -> bool | None:
    counts = [profile.relapses_12m, profile.relapses_24m, profile.gd_lesions_12m,
              profile.new_t2_lesions_12m]
    known = [c for c in counts if c is not None]
    if any(c > 0 for c in known):
        return True
    if profile.activity_on_dmt:
        return True
    return False if known else None


def _options(profile: Profile, evidence: EvidenceBase) -> list[GridOption]:
    names = {d.id: d.name.split(" (")[0] for d in evidence.dmts}
    current = current_therapy(profile, evidence)
    excluded: tuple[str, ...] = ()
    notes: list[str] = []
    if current is not None and _failing_current(profile):
        excluded = (current,)
        notes.append(f"You said your MS was active while on {names.get(current, current)}, "
                     "so its figures are not used for this option: staying on a treatment "
                     "that is not working is not the comparison.")
    elif current is not None:
        notes.append(f"You take {names.get(current, current)}: staying on it is part of this "
                     "option.")
    elif profile.current_dmt and not takes_no_treatment(profile):
        notes.append("msstem has no figures for the treatment you named; the figures are for "
                     "the high-efficacy treatments in its evidence.")
    dmt_therapies = tuple(t for t in HIGH_EFFICACY_DMTS if t not in excluded)
    if profile.is_progressive:
        notes.append("The trials behind these figures were in relapsing MS, not in "
                     "progressive MS.")
    options = [
        GridOption("ahsct", "Stem cell transplant (aHSCT)",
                   "Strong chemotherapy, then your own blood stem cells are given back.",
                   ("ahsct",)),
        GridOption("dmt", "Stay on or change my current treatment",
                   "A disease-modifying medicine (DMT): "
                   + ", ".join(names.get(t, t) for t in dmt_therapies) + ".",
                   dmt_therapies, tuple(notes), excluded),
    ]
    if profile.is_progressive and not _has_activity(profile):
        options.append(GridOption(
            "care", "Rehabilitation and symptom care",
            "Therapy, exercise and treatment of symptoms, with or without a DMT.", (),
            ("msstem's evidence holds no outcome figures for rehabilitation; ask your "
             "neurologist what it could do for you.",)))
    options.append(GridOption(
        "trial", "Join a trial", "A registered study that compares aHSCT with DMTs. "
        "Chance decides which one you get.", (),
        ("A trial's arms are aHSCT or a DMT: their figures are in those columns.",)))
    return options


# --- rows and the grid ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class GridRow:
    spec: RowSpec
    cells: Mapping[str, Cell | None]

    def to_dict(self) -> dict[str, Any]:
        s = self.spec
        return {
            "outcome": s.outcome, "kind": s.kind, "label": s.label, "horizon": s.horizon,
            "horizon_years": s.years, "better": s.better, "unit": s.unit, "note": s.note,
            "cells": {oid: (None if c is None else c.to_dict()) for oid, c in self.cells.items()},
        }


@dataclass(frozen=True, slots=True)
class DirectEffect:
    """One effect a direct comparison reported, from one fact."""

    fact_id: str
    text: str
    measure: str | None
    estimate: float | None
    low: float | None
    high: float | None
    interval_kind: str | None
    source_ids: tuple[str, ...]
    caution: str | None

    def to_dict(self) -> dict[str, Any]:
        return {"fact_id": self.fact_id, "text": self.text, "measure": self.measure,
                "estimate": self.estimate, "low": self.low, "high": self.high,
                "interval_kind": self.interval_kind, "sources": list(self.source_ids),
                "caution": self.caution}


@dataclass(frozen=True, slots=True)
class DirectComparison:
    id: str
    name: str
    design: str
    study_kind: Literal["randomised", "matched-observational", "observational", "register"]
    compared: str
    effects: tuple[DirectEffect, ...]
    caution: str

    @property
    def source_ids(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(s for e in self.effects for s in e.source_ids))

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "design": self.design,
                "study_kind": self.study_kind, "compared": self.compared,
                "effects": [e.to_dict() for e in self.effects], "caution": self.caution,
                "sources": list(self.source_ids)}


#: The direct comparisons of aHSCT with DMTs in the evidence, strongest design first:
#: (id, name, design words, kind, what was compared, fact ids, caution).
DIRECT_STUDIES: Final = (
    ("mist", "MIST (Burt 2019)", "randomised trial", "randomised",
     "aHSCT vs a DMT of higher efficacy or a different class, 110 people with RRMS",
     ("mist-progression-hr", "mist-progression-hsct", "mist-progression-dmt",
      "mist-no-deaths"),
     "One randomised trial; small; people and raters knew the treatment; few followed to "
     "5 years."),
    ("kalincik-2023", "Kalincik 2023 (MSBase)", "matched observational study", "matched-"
     "observational", "aHSCT vs fingolimod, natalizumab or ocrelizumab, RRMS",
     ("kalincik-conf-relapse-hr-fingolimod", "kalincik-conf-worsening-hr-fingolimod",
      "kalincik-conf-improvement-hr-fingolimod", "kalincik-conf-arr-ahsct-vs-ocrelizumab",
      "kalincik-2023-effects-not-found"),
     "Not randomised; the published effect sizes were not found, only a conference version."),
    ("muraro-2025", "Muraro 2025 (London)", "observational study, one centre", "observational",
     "aHSCT vs alemtuzumab or ocrelizumab, 621 people with RRMS",
     ("muraro-2025-relapse-hr-alemtuzumab", "muraro-2025-progression-hr-alemtuzumab",
      "muraro-2025-relapse-hr-ocrelizumab", "muraro-2025-progression-hr-ocrelizumab"),
     "Not randomised; one centre."),
    ("sweden-register-2021", "Swedish register (2021)", "register study", "register",
     "aHSCT vs alemtuzumab vs other DMTs, safety",
     ("sweden-register-deaths-ahsct", "sweden-register-deaths-reference",
      "sweden-register-infection-ahsct", "sweden-register-infection-reference"),
     "Not randomised; the groups may differ; the notes give no intervals."),
    ("zhukovsky-2021", "Zhukovsky 2021 (Uppsala)", "observational study, one centre",
     "observational", "aHSCT vs alemtuzumab, 144 people",
     ("zhukovsky-2021-neda-3y-ahsct", "zhukovsky-2021-neda-3y-alemtuzumab",
      "zhukovsky-2021-grade3-ahsct", "zhukovsky-2021-grade3-alemtuzumab"),
     "Not randomised; one centre; read from an abstract copy."),
)


def _direct(evidence: EvidenceBase) -> tuple[DirectComparison, ...]:
    out = []
    for sid, name, design, kind, compared, fact_ids, caution in DIRECT_STUDIES:
        effects = []
        for fid in fact_ids:
            fact = evidence.facts.get(fid)
            if fact is None:
                continue
            measure = fact.unit if fact.unit in {"HR", "OR", "rate ratio"} else None
            effects.append(DirectEffect(
                fact_id=fid, text=fact.statement, measure=measure, estimate=fact.value,
                low=fact.interval.low if fact.interval else None,
                high=fact.interval.high if fact.interval else None,
                interval_kind=fact.interval.kind if fact.interval else None,
                source_ids=tuple(fact.source_ids), caution=fact.caution,
            ))
        if effects:
            out.append(DirectComparison(sid, name, design, kind, compared,  # type: ignore[arg-type]
                                        tuple(effects), caution))
    return tuple(out)


@dataclass(frozen=True, slots=True)
class Comparison:
    """The grid for one person: options, rows, direct comparisons."""

    options: tuple[GridOption, ...]
    rows: tuple[GridRow, ...]
    direct: tuple[DirectComparison, ...]
    fits_guideline: bool | None

    @property
    def source_ids(self) -> tuple[str, ...]:
        ids: list[str] = []
        for row in self.rows:
            for cell in row.cells.values():
                if cell is not None:
                    ids.extend(cell.figure.source_ids)
        for d in self.direct:
            ids.extend(d.source_ids)
        return tuple(dict.fromkeys(ids))

    def to_dict(self) -> dict[str, Any]:
        return {
            "options": [o.to_dict() for o in self.options],
            "rows": [r.to_dict() for r in self.rows],
            "direct": [d.to_dict() for d in self.direct],
            "fits_guideline": self.fits_guideline,
            "same_scale": "Each row shows every option on the same scale and time frame. The "
                          "figures come from different studies and people: they are not a "
                          "head-to-head comparison, except those under 'Direct comparisons'.",
        }


def _guideline_fit(assessment: Assessment) -> bool | None:
    verdicts = [str(r.verdict) for r in assessment.eligibility.values() if r.kind == "guideline"]
    if not verdicts:
        return None
    if "meets" in verdicts:
        return True
    if all(v == "does_not_meet" for v in verdicts):
        return False
    return None


def build_comparison(
    assessment: Assessment, figures: Iterable[Figure] | None = None
) -> Comparison:
    """The comparison grid for the assessed person (figures: the seam, default the evidence)."""
    profile, evidence = assessment.profile, assessment.evidence
    plans = _plans(evidence) if figures is None else _Plans(tuple(figures))
    options = _options(profile, evidence)
    fits = _guideline_fit(assessment)
    cap = ("your answers fit no guideline for aHSCT: these are results in other people"
           if fits is False else None)
    rows = []
    for index, spec in enumerate(ROWS):
        cells: dict[str, Cell | None] = {}
        for option in options:
            if spec.paired:
                cells[option.id] = _paired_cell(profile, evidence, spec, option)
                continue
            cell = _choose(profile, plans.plan(index, option.therapies),
                           cap if option.id == "ahsct" else None)
            if cell is not None and spec.outcome == "treatment_related_death":
                warnings = _trm_warnings(profile, evidence)
                if warnings:
                    cell = replace(cell, fit_reasons=(*warnings, *cell.fit_reasons))
            cells[option.id] = cell
        rows.append(GridRow(spec, _one_scale(cells)))
    direct = evidence.memo("direct-comparisons", lambda: _direct(evidence))
    return Comparison(tuple(options), tuple(rows), direct, fits)


class _Plans:
    """The cell plans of one figure pool, by row and option therapies (each made on first
    use)."""

    def __init__(self, pool: tuple[Figure, ...]) -> None:
        self._by_key: dict[tuple[str, str], list[Figure]] = {}
        for f in pool:
            self._by_key.setdefault((f.therapy, f.outcome), []).append(f)
        self._plans: dict[tuple[int, tuple[str, ...]], _Plan] = {}

    def plan(self, row: int, therapies: tuple[str, ...]) -> _Plan:
        key = (row, therapies)
        found = self._plans.get(key)
        if found is None:
            spec = ROWS[row]
            found = self._plans[key] = _plan([
                f for t in therapies for o in sorted(spec.outcomes)
                for f in self._by_key.get((t, o), ()) if _accepts_years(spec, f.years)])
        return found


def _plans(evidence: EvidenceBase) -> _Plans:
    """The plans of the evidence base's own figures, made once per base."""
    return evidence.memo("grid-plans", lambda: _Plans(figures_from_evidence(evidence)))


def _one_scale(cells: dict[str, Cell | None]) -> dict[str, Cell | None]:
    """Every proportion of a row per 1,000 when any is below 1 in 100 (one scale a row)."""
    people = [c for c in cells.values() if c is not None and c.figure.unit == "per 100 people"]
    per = 1000 if any(rare(c.figure.estimate, c.figure.unit) for c in people) else 100
    return {oid: (replace(c, per=per) if c is not None and c in people else c)
            for oid, c in cells.items()}


def _paired_cell(profile: Profile, evidence: EvidenceBase, spec: RowSpec,
                 option: GridOption) -> Cell | None:
    ids = spec.paired.get(option.id, ())
    therapy = "ahsct" if option.id == "ahsct" else "dmt-mixed"
    figures = [f for f in (_paired_figure(evidence, i, therapy, spec.unit) for i in ids)
               if f is not None]
    if not figures:
        return None
    figure = figures[0]
    reasons = ("the people studied are described in words only: "
               + (figure.population or "not stated"),)
    fit = Applicability.PARTLY
    return Cell(figure=figure, fit=fit, fit_reasons=reasons,
                certainty=_certainty(figure, fit), per=_per(figure))
