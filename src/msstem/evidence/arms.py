"""Typed records for evidence synthesis: study arms, their outcomes, and derived facts.

* :class:`StudyArm` is one treated group of one report (an aHSCT series, or one arm of a
  DMT pivotal trial), curated from ``../shared/ahsct-studies/`` and the evidence notes
  (``study_arms*.yaml``). Each :class:`ArmOutcome` keeps the figure as reported, its time
  point, definition, estimator and the harmonisation class that decides whether it may be
  pooled (docs/synthesis.md, "Harmonisation").
* :class:`DerivedFact` is a pooled figure computed from arms by ``msstem.synthesis``
  (``derived*.yaml``), with the studies included and left out, the method, the software
  version, the date and a certainty rating. ``msstem evidence check`` recomputes each one
  and fails when a stored figure is stale.

The recollections in the per-study table's ``unverified`` column never become data here.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Final, Literal, get_args

from pydantic import BaseModel, ConfigDict, StringConstraints

from msstem.evidence.models import ID_PATTERN, Interval, Outcome, TherapyTag

__all__ = [
    "CERTAINTIES",
    "COURSE_GROUPS",
    "DEFINITION_CLASSES",
    "ESTIMATORS",
    "ArmOutcome",
    "Certainty",
    "CourseGroup",
    "DefinitionClass",
    "DerivedFact",
    "Estimator",
    "Exclusion",
    "StudyArm",
]

Id = Annotated[str, StringConstraints(pattern=ID_PATTERN)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]

#: Who an outcome figure describes: all relapsing MS, all progressive MS, or a mix.
CourseGroup = Literal["relapsing", "progressive", "mixed"]
#: How a figure was estimated.
Estimator = Literal[
    "count", "kaplan-meier", "actuarial", "trial-proportion", "crude-at-mean-follow-up",
    "not-stated",
]
#: Harmonisation class of an outcome definition (docs/synthesis.md lists which are pooled).
DefinitionClass = Literal[
    # treatment-related death
    "trm-100-day", "trm-no-window", "all-cause-28-day",
    # no evidence of disease activity
    "neda3", "neda3-with-death", "efs-undefined", "neda-from-natalizumab-stop",
    # progression-free (EDSS)
    "edss-1.0", "edss-0.5", "cdp-6-month", "cdp-12-week", "edss-unstated",
    "self-reported-edss",
    # relapse-free
    "relapse-free",
]
Certainty = Literal["high", "moderate", "low", "very low"]

COURSE_GROUPS: Final[tuple[str, ...]] = get_args(CourseGroup)
ESTIMATORS: Final[tuple[str, ...]] = get_args(Estimator)
DEFINITION_CLASSES: Final[tuple[str, ...]] = get_args(DefinitionClass)
CERTAINTIES: Final[tuple[str, ...]] = get_args(Certainty)

_FROZEN = ConfigDict(extra="forbid", frozen=True)


class _Record(BaseModel):
    model_config = _FROZEN


class ArmOutcome(_Record):
    """One outcome figure of one arm, as reported (percent or count, with its n)."""

    outcome: Outcome
    #: The figure as reported, in percent of ``n`` (for counts: 100 * events / n).
    percent: float | None = None
    events: int | None = None
    #: The people the figure describes (None when the report gives no size for them).
    n: int | None = None
    #: Time point in months (None: no time point stated).
    months: float | None = None
    estimator: Estimator
    definition: Text
    definition_class: DefinitionClass
    course_group: CourseGroup | None = None
    population: str | None = None
    interval: Interval | None = None
    #: Set when a value is arithmetic on reported values (says which).
    computed: str | None = None
    source_ids: tuple[Id, ...] = ()
    caution: str | None = None

    @property
    def events_for_pooling(self) -> float | None:
        """Events on the n scale (a reported percentage times n; non-integer allowed)."""
        if self.n is None:
            return None
        if self.events is not None:
            return float(self.events)
        if self.percent is None:
            return None
        return self.n * self.percent / 100.0


class StudyArm(_Record):
    """One treated group of one report, with its population, treatment and outcomes."""

    id: Id
    #: Row key in ../shared/ahsct-studies/ahsct-studies.csv (aHSCT arms) or trial name.
    study_key: Text
    label: Text
    therapy: TherapyTag
    design: Literal["rct", "single-arm", "cohort", "registry", "post-hoc"]
    year: int | None = None
    treated_from: int | None = None
    treated_to: int | None = None
    n: int | None = None
    n_note: str | None = None
    pct_rrms: float | None = None
    course_group: CourseGroup | None = None
    baseline_edss: float | None = None
    edss_stat: str | None = None
    conditioning: str | None = None
    #: Intensity class only where a source classifies the regimen (never assigned by us).
    intensity: Literal["low", "intermediate", "high"] | None = None
    intensity_source: str | None = None
    #: Overlap cohort (reports of the same patients share it); see docs/synthesis.md.
    cohort: Id | None = None
    #: Other cohorts or arms this report may share patients with.
    may_overlap: tuple[Id, ...] = ()
    #: Why the arm is never pooled (e.g. the centre is not identified), if so.
    not_poolable: str | None = None
    outcomes: tuple[ArmOutcome, ...] = ()
    source_ids: tuple[Id, ...] = ()
    caution: str | None = None


class Exclusion(_Record):
    """A study arm left out of a derived fact, and why."""

    arm_id: Id
    reason: Text


class DerivedFact(_Record):
    """A pooled figure with its provenance; recomputed by ``msstem evidence check``."""

    id: Id
    statement: Text
    therapy: TherapyTag
    outcome: Outcome
    #: Nominal horizon in years (None: early, e.g. treatment-related death).
    horizon_years: float | None = None
    #: Subgroup id: all, relapsing, progressive, intensity-*, era-*, edss-*-recent.
    group: Id
    measure: Literal["PLO", "PR", "GEN"]
    method: Literal["REML", "DL", "PM", "ML", "SJ", "HE", "FE"]
    knha: bool = False
    mods: tuple[str, ...] = ()
    #: Moderator values for a regression-based figure (name -> value).
    at: tuple[tuple[str, float], ...] = ()
    #: Pooled proportion (0-1) with its 95% CI and PI (None where not estimable).
    estimate: float
    ci_lb: float
    ci_ub: float
    pi_lb: float | None = None
    pi_ub: float | None = None
    #: Display scale: events per 100 or per 1,000 people.
    per: Literal[100, 1000]
    k: int
    n_total: float
    tau2: float
    i2: float
    months_reported: tuple[float, ...] = ()
    arm_ids: tuple[Id, ...]
    excluded: tuple[Exclusion, ...] = ()
    certainty: Certainty
    certainty_reasons: tuple[str, ...] = ()
    software: Text
    computed_on: dt.date
    source_ids: tuple[Id, ...] = ()
    caution: str | None = None

    def per_scale(self) -> tuple[float, float, float]:
        """(estimate, ci_lb, ci_ub) per ``per`` people."""
        return (self.estimate * self.per, self.ci_lb * self.per, self.ci_ub * self.per)
