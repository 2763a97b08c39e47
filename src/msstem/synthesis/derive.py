"""Derived facts: pooled figures computed from the curated study arms, with provenance.

The rules (written out in docs/synthesis.md, and only here in code):

1. **Harmonisation.** An outcome figure may be pooled only if its definition class is in
   :data:`POOLED_CLASSES` for that outcome, it is not a crude proportion at a mean follow-up,
   its size is known, and its time point lies in the horizon's band (:data:`HORIZON_BANDS`).
2. **One report per cohort.** Candidates are taken largest first (then most recent); a report
   is kept unless it shares patients with one already kept (same ``cohort``, or a cohort named
   in ``may_overlap``). Every report left out is listed with the reason.
3. **Pooling.** Logit proportions (``PLO``), random effects with REML; one study: its own
   estimate (fixed effect). A figure "for a person now with EDSS x" comes from the
   meta-regression on publication year and baseline EDSS (:data:`REGRESSION_MODS`), predicted
   at the latest year in the data, never from the 1995-2016 average.
4. **Certainty** (:func:`rate_certainty`): GRADE-like, see the function.

:func:`compute_derived` is pure and fast (all facts well under a second);
:func:`check_derived` compares stored facts with a fresh computation.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Final

import numpy as np

from msstem import __version__
from msstem.evidence import EvidenceBase
from msstem.evidence.arms import ArmOutcome, DerivedFact, Exclusion, StudyArm
from msstem.synthesis.analysis import _fit_result
from msstem.synthesis.measures import effect_sizes, ilogit
from msstem.synthesis.options import MetaOptions
from msstem.synthesis.result import MetaResult

__all__ = [
    "DMT_THERAPIES",
    "HORIZON_BANDS",
    "POOLED_CLASSES",
    "REGRESSION_EDSS",
    "REGRESSION_MODS",
    "Candidate",
    "DerivedSpec",
    "Gap",
    "check_derived",
    "compute_derived",
    "derived_specs",
    "pool_spec",
    "rate_certainty",
    "select_arms",
]

#: Accepted time points (months) for a nominal horizon (years): 2 years takes reports at
#: 21-36 months (96-week trials and 3-year series), 5 years takes 48-72 months.
HORIZON_BANDS: Final[dict[float, tuple[float, float]]] = {2.0: (21.0, 36.0), 5.0: (48.0, 72.0)}
#: Definition classes pooled per outcome (others are listed as left out, with the reason).
POOLED_CLASSES: Final[dict[str, frozenset[str]]] = {
    "treatment_related_death": frozenset({"trm-100-day", "trm-no-window"}),
    "neda": frozenset({"neda3", "neda3-with-death"}),
    "progression_free": frozenset({"edss-1.0", "edss-0.5", "cdp-6-month", "cdp-12-week",
                                   "edss-unstated"}),
    "relapse_free": frozenset({"relapse-free"}),
}
_CLASS_REASON: Final[dict[str, str]] = {
    "all-cause-28-day": "28-day all-cause mortality (all diagnoses), not treatment-related death",
    "efs-undefined": "event-free survival is not defined in the report, so it cannot be "
                     "read as NEDA",
    "neda-from-natalizumab-stop": "the NEDA clock starts at natalizumab discontinuation, "
                                  "not at transplant",
    "self-reported-edss": "self-reported EDSS is not comparable with neurologist-rated EDSS",
}
#: Moderators of the TRM meta-regression, and the EDSS values a figure is derived at.
REGRESSION_MODS: Final = ("year", "baseline_edss")
REGRESSION_EDSS: Final = (2.0, 3.0, 4.0, 5.0, 6.0, 6.5, 7.0)
#: Publication years up to this one form the early era (transplants mostly before ~2008).
ERA_SPLIT_YEAR: Final = 2011
DMT_THERAPIES: Final = ("ocrelizumab", "natalizumab", "alemtuzumab", "ofatumumab", "cladribine")
_OUTCOME_WORDS: Final = {
    "treatment_related_death": "treatment-related death", "neda": "no evidence of disease "
    "activity (NEDA)", "progression_free": "free of disability progression",
    "relapse_free": "free of relapses",
}
_THERAPY_WORDS: Final = {"ahsct": "aHSCT"}
_LEVELS: Final = ("high", "moderate", "low", "very low")


@dataclass(frozen=True)
class DerivedSpec:
    """Which figure to derive: therapy, outcome, horizon (years or None) and group."""

    therapy: str
    outcome: str
    horizon_years: float | None
    group: str

    @property
    def id(self) -> str:
        horizon = "early" if self.horizon_years is None else f"{self.horizon_years:g}y"
        return f"{self.therapy}-{self.outcome.replace('_', '-')}-{horizon}-{self.group}" \
            .replace(".", "-")


@dataclass(frozen=True)
class Candidate:
    arm: StudyArm
    outcome: ArmOutcome


@dataclass(frozen=True)
class Gap:
    """A figure that cannot be derived (no study left after the rules), with why."""

    spec: DerivedSpec
    excluded: tuple[Exclusion, ...]


def derived_specs() -> tuple[DerivedSpec, ...]:
    """Every figure the decision aid may use (facts with no eligible study become gaps)."""
    specs: list[DerivedSpec] = []
    groups = ("all", "relapsing", "progressive", "intensity-low", "intensity-intermediate",
              "intensity-high")
    specs += [DerivedSpec("ahsct", "treatment_related_death", None, g)
              for g in (*groups, "era-early", "era-recent")]
    specs += [DerivedSpec("ahsct", "treatment_related_death", None,
                          f"edss-{e:g}-recent".replace(".", "-")) for e in REGRESSION_EDSS]
    for outcome in ("neda", "progression_free", "relapse_free"):
        for horizon in (2.0, 5.0):
            specs += [DerivedSpec("ahsct", outcome, horizon, g) for g in groups]
            specs += [DerivedSpec(t, outcome, horizon, "all") for t in DMT_THERAPIES
                      if horizon == 2.0]
    return tuple(specs)


def _in_group(arm: StudyArm, out: ArmOutcome, group: str) -> bool:
    if group == "all" or group.startswith("edss-"):
        return True
    if group in ("relapsing", "progressive"):
        return out.course_group == group
    if group.startswith("intensity-"):
        return arm.intensity == group.removeprefix("intensity-")
    if group.startswith("era-"):
        if arm.year is None:
            return False
        early = arm.year <= ERA_SPLIT_YEAR
        return early if group == "era-early" else not early
    raise ValueError(f"unknown group {group!r}")  # pragma: no cover - specs are ours


def _in_band(out: ArmOutcome, horizon: float | None) -> bool:
    if horizon is None:
        return True
    if out.months is None:
        return False
    lo, hi = HORIZON_BANDS[horizon]
    return lo <= out.months <= hi


def _conflict(a: StudyArm, b: StudyArm) -> str | None:
    if a.cohort is not None and a.cohort == b.cohort:
        return a.cohort
    if a.cohort is not None and a.cohort in b.may_overlap:
        return a.cohort
    if b.cohort is not None and b.cohort in a.may_overlap:
        return b.cohort
    return None


def select_arms(
    arms: Iterable[StudyArm], spec: DerivedSpec,
) -> tuple[list[Candidate], list[Exclusion]]:
    """Apply the harmonisation and one-report-per-cohort rules (module docstring)."""
    excluded: list[Exclusion] = []
    eligible: list[Candidate] = []
    accepted_classes = POOLED_CLASSES[spec.outcome]
    nominal = None if spec.horizon_years is None else 12.0 * spec.horizon_years
    for arm in arms:
        if arm.therapy != spec.therapy:
            continue
        matches = [o for o in arm.outcomes if o.outcome == spec.outcome
                   and _in_band(o, spec.horizon_years) and _in_group(arm, o, spec.group)]
        if spec.group.startswith("edss-"):
            missing = [m for m, v in (("year", arm.year), ("baseline EDSS", arm.baseline_edss))
                       if v is None]
            if matches and missing:
                excluded.append(Exclusion(arm_id=arm.id, reason=f"no {' or '.join(missing)} "
                                          "reported, so it cannot enter the meta-regression"))
                continue
        if not matches:
            continue
        if arm.not_poolable:
            excluded.append(Exclusion(arm_id=arm.id, reason=arm.not_poolable))
            continue
        usable: list[ArmOutcome] = []
        for o in matches:
            if o.definition_class not in accepted_classes:
                reason = _CLASS_REASON.get(o.definition_class, f"definition {o.definition_class}"
                                           " is not pooled for this outcome")
            elif o.estimator == "crude-at-mean-follow-up":
                reason = ("a crude proportion at a mean follow-up, not an estimate at a fixed "
                          "time point")
            elif o.n is None or o.events_for_pooling is None:
                reason = f"the size of the group behind the figure ({o.population or 'n'}) " \
                         "is not reported"
            else:
                usable.append(o)
                continue
            excluded.append(Exclusion(arm_id=arm.id, reason=reason))
            break
        if len(usable) != len(matches):
            continue
        if nominal is not None:
            usable.sort(key=lambda o: (abs((o.months or 0.0) - nominal), -(o.n or 0)))
        eligible.append(Candidate(arm, usable[0]))
    eligible.sort(key=lambda c: (-(c.outcome.n or 0), -(c.arm.year or 0), c.arm.id))
    kept: list[Candidate] = []
    for cand in eligible:
        clash = next(((k, _conflict(cand.arm, k.arm)) for k in kept
                      if _conflict(cand.arm, k.arm) is not None), None)
        if clash is None:
            kept.append(cand)
        else:
            other, cohort = clash
            excluded.append(Exclusion(
                arm_id=cand.arm.id,
                reason=f"shares patients with {other.arm.id} (cohort {cohort}); one report per "
                       f"cohort: the larger, {other.arm.id} (n = {other.outcome.n}), is used"))
    kept.sort(key=lambda c: ((c.arm.year or 0), c.arm.id))
    return kept, excluded


def _fit(kept: Sequence[Candidate], spec: DerivedSpec) -> tuple[MetaResult, dict[str, float]]:
    events = np.array([c.outcome.events_for_pooling for c in kept], dtype=float)
    n = np.array([c.outcome.n for c in kept], dtype=float)
    if spec.outcome in ("neda", "progression_free", "relapse_free"):
        pass  # proportions of people with the good outcome, as reported
    yi, vi, _ = effect_sizes("PLO", events=events, n=n)
    labels = [c.arm.id for c in kept]
    method = "REML" if len(kept) >= 2 else "FE"
    opts = MetaOptions(measure="PLO", method=method)
    at: dict[str, float] = {}
    if spec.group.startswith("edss-"):
        year = np.array([c.arm.year for c in kept], dtype=float)
        edss = np.array([c.arm.baseline_edss for c in kept], dtype=float)
        x = np.column_stack([np.ones(len(kept)), year, edss])
        res = _fit_result(opts, labels, yi, vi, x, ("intercept", *REGRESSION_MODS),
                          REGRESSION_MODS, (("year", ()), ("baseline_edss", ())), events, n)
        value = float(spec.group.removeprefix("edss-").removesuffix("-recent").replace("-", "."))
        at = {"year": float(year.max()), "baseline_edss": value}
        return res, at
    x = np.ones((len(kept), 1))
    res = _fit_result(opts, labels, yi, vi, x, ("intercept",), (), (), events, n)
    return res, at


def rate_certainty(
    kept: Sequence[Candidate], res: MetaResult, estimate: float, ci: tuple[float, float],
    pi: tuple[float | None, float | None], spec: DerivedSpec, extrapolated: bool,
) -> tuple[str, tuple[str, ...]]:
    """GRADE-like certainty: start high (all randomised) or low; one level down for each of
    serious inconsistency, imprecision, indirectness (docs/synthesis.md, "Certainty")."""
    reasons: list[str] = []
    all_rct = all(c.arm.design in ("rct", "post-hoc") for c in kept)
    level = 0 if all_rct else 2
    reasons.append("design: randomised trial arms (start high)" if all_rct else
                   "design: observational and single-arm studies (start low)")
    # Inconsistency
    if len(kept) < 2:
        reasons.append("inconsistency: one study, cannot be judged")
    elif res.i2 >= 50.0 or (pi[0] is not None and pi[1] is not None and pi[1] - pi[0] >= 0.30):
        level += 1
        reasons.append(f"inconsistency: serious (I² {res.i2:.0f}%"
                       + (f", prediction interval {100 * pi[0]:.0f}-{100 * pi[1]:.0f} per 100"
                          if pi[0] is not None and pi[1] is not None else "") + ")")
    else:
        reasons.append(f"inconsistency: not serious (I² {res.i2:.0f}%)")
    # Imprecision
    total_events = sum(c.outcome.events_for_pooling or 0.0 for c in kept)
    rare = estimate < 0.05
    if ci[1] - ci[0] >= 0.20 or (rare and total_events < 30) or len(kept) < 2:
        level += 1
        why = (f"CI {100 * ci[0]:.1f}-{100 * ci[1]:.1f} per 100" if ci[1] - ci[0] >= 0.20
               else f"{total_events:.0f} events in all" if rare and total_events < 30
               else "one study")
        reasons.append(f"imprecision: serious ({why})")
    else:
        reasons.append("imprecision: not serious")
    # Indirectness
    indirect: list[str] = []
    if spec.horizon_years is not None:
        off = sorted({c.outcome.months for c in kept
                      if c.outcome.months is not None
                      and abs(c.outcome.months - 12 * spec.horizon_years) > 6})
        if off:
            indirect.append(f"time points {', '.join(f'{m:g}' for m in off)} months")
    classes = sorted({c.outcome.definition_class for c in kept})
    if len(classes) > 1:
        indirect.append(f"definitions differ ({', '.join(classes)})")
    if extrapolated:
        indirect.append("EDSS value outside the range of the studies")
    if indirect:
        level += 1
        reasons.append(f"indirectness: serious ({'; '.join(indirect)})")
    else:
        reasons.append("indirectness: not serious")
    return _LEVELS[min(level, 3)], tuple(reasons)


def pool_spec(
    eb: EvidenceBase, spec: DerivedSpec, *, today: dt.date | None = None,
) -> DerivedFact | Gap:
    """Derive one figure (or say why it cannot be derived)."""
    kept, excluded = select_arms(eb.study_arms, spec)
    if not kept or (spec.group.startswith("edss-") and len(kept) < 4):
        return Gap(spec, tuple(excluded))
    res, at = _fit(kept, spec)
    extrapolated = False
    if at:
        pred = res.predict(**at)
        edss_seen = [c.arm.baseline_edss for c in kept if c.arm.baseline_edss is not None]
        extrapolated = not min(edss_seen) <= at["baseline_edss"] <= max(edss_seen)
    else:
        assert res.pooled is not None
        pred = res.pooled
    est, lb, ub = ilogit(pred.estimate), ilogit(pred.ci_lb), ilogit(pred.ci_ub)
    pi_lb = None if math.isnan(pred.pi_lb) else ilogit(pred.pi_lb)
    pi_ub = None if math.isnan(pred.pi_ub) else ilogit(pred.pi_ub)
    certainty, reasons = rate_certainty(kept, res, est, (lb, ub), (pi_lb, pi_ub), spec,
                                        extrapolated)
    per = 1000 if spec.outcome == "treatment_related_death" else 100
    horizon = "early" if spec.horizon_years is None else f"at {spec.horizon_years:g} years"
    group = spec.group.replace("-", " ") if not at else (
        f"a person transplanted in {at['year']:g} with EDSS {at['baseline_edss']:g} "
        "(meta-regression on year and baseline EDSS)")
    sources: dict[str, None] = {}
    for c in kept:
        for sid in (*c.arm.source_ids, *c.outcome.source_ids):
            sources.setdefault(sid, None)
    statement = (
        f"{_THERAPY_WORDS.get(spec.therapy, spec.therapy)}, {_OUTCOME_WORDS[spec.outcome]} "
        f"({horizon}), {group}: {_fmt(est * per)} per {per:,} (95% CI {_fmt(lb * per)} to "
        f"{_fmt(ub * per)}) from {len(kept)} stud{'y' if len(kept) == 1 else 'ies'}; "
        f"certainty {certainty}."
    )
    return DerivedFact(
        id=spec.id, statement=statement, therapy=spec.therapy,
        outcome=spec.outcome,
        horizon_years=spec.horizon_years, group=spec.group, measure="PLO",
        method=res.method,
        knha=False, mods=res.moderators, at=tuple(at.items()),
        estimate=_r(est), ci_lb=_r(lb), ci_ub=_r(ub),
        pi_lb=None if pi_lb is None else _r(pi_lb), pi_ub=None if pi_ub is None else _r(pi_ub),
        per=per, k=len(kept), n_total=_r(sum(float(c.outcome.n or 0) for c in kept)),
        tau2=_r(res.tau2), i2=_r(res.i2),
        months_reported=tuple(sorted({c.outcome.months for c in kept
                                      if c.outcome.months is not None})),
        arm_ids=tuple(c.arm.id for c in kept), excluded=tuple(excluded),
        certainty=certainty,
        certainty_reasons=reasons,
        software=f"msstem {__version__} (msstem.synthesis: metafor 3.8 rma.uni definitions)",
        computed_on=today or dt.date.today(), source_ids=tuple(sources),
    )


def _r(value: float) -> float:
    return float(f"{value:.10g}")


def _fmt(value: float) -> str:
    return f"{value:.1f}" if value >= 1 else f"{value:.2f}"


def compute_derived(
    eb: EvidenceBase, *, today: dt.date | None = None,
) -> tuple[tuple[DerivedFact, ...], tuple[Gap, ...]]:
    """Every derived fact (and every gap) from the evidence base's study arms."""
    facts: list[DerivedFact] = []
    gaps: list[Gap] = []
    for spec in derived_specs():
        out = pool_spec(eb, spec, today=today)
        (facts if isinstance(out, DerivedFact) else gaps).append(out)  # type: ignore[arg-type]
    return tuple(facts), tuple(gaps)


_COMPARED: Final = ("statement", "therapy", "outcome", "horizon_years", "group", "measure",
                    "method", "knha", "mods", "at", "per", "k", "months_reported", "arm_ids",
                    "excluded", "certainty", "certainty_reasons", "source_ids")
_NUMERIC: Final = ("estimate", "ci_lb", "ci_ub", "pi_lb", "pi_ub", "n_total", "tau2", "i2")


def check_derived(eb: EvidenceBase) -> list[str]:
    """Problems where stored derived facts differ from a fresh computation (stale facts)."""
    fresh, _ = compute_derived(eb)
    stored = {d.id: d for d in eb.derived_facts}
    problems: list[str] = []
    for f in fresh:
        s = stored.pop(f.id, None)
        if s is None:
            problems.append(f"derived {f.id}: missing; run 'msstem evidence derive'")
            continue
        for name in _COMPARED:
            if getattr(s, name) != getattr(f, name):
                problems.append(f"derived {f.id}: stale {name} (stored {getattr(s, name)!r}, "
                                f"recomputed {getattr(f, name)!r}); run 'msstem evidence derive'")
        for name in _NUMERIC:
            a, b = getattr(s, name), getattr(f, name)
            if (a is None) != (b is None) or (
                a is not None and not math.isclose(a, b, rel_tol=1e-6, abs_tol=1e-12)
            ):
                problems.append(f"derived {f.id}: stale {name} (stored {a!r}, recomputed "
                                f"{b!r}); run 'msstem evidence derive'")
    for ident in stored:
        problems.append(f"derived {ident}: no longer derivable from the study arms; run "
                        "'msstem evidence derive'")
    return problems
