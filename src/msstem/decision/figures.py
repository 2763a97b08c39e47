"""The figures a comparison cell may show: pooled figures first, per-study facts otherwise.

Two kinds, one :class:`Figure` shape:

* **pooled** (:func:`pooled_figures`): the synthesis layer's derived facts (``derived.yaml``,
  recomputed by ``msstem evidence check``), one per therapy, outcome, time frame and studied
  group (all people; relapsing or progressive MS; a meta-regression at an EDSS value for
  recent studies). Each has its 95% interval, the number of studies and a certainty word.
* **per study** (:func:`study_figures`): the tagged proportion facts of single studies, used
  for a therapy and outcome that no pooled figure covers (and shown as details otherwise).

:func:`person_groups` says which pooled groups describe a person, best first; a group that
describes no one in particular (regimen intensity, publication era) is a detail, never the
headline.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Final

from msstem.decision.estimates import clopper_pearson
from msstem.evidence import EvidenceBase
from msstem.evidence.arms import DerivedFact
from msstem.evidence.models import Fact

if TYPE_CHECKING:
    from msstem.clinical.profile import Profile

__all__ = [
    "COURSE_GROUP_COURSES",
    "EDSS_MATCH_WITHIN",
    "Figure",
    "edss_points",
    "person_groups",
    "pooled_figures",
    "study_figures",
]

_DESIGN_TO_BASIS: Final[Mapping[str, str]] = {"meta-analysis": "pooled"}
#: The MS courses of a synthesis course group (``course_group`` of the study arms).
COURSE_GROUP_COURSES: Final[Mapping[str, tuple[str, ...]]] = {
    "relapsing": ("RRMS",),
    "progressive": ("SPMS", "PPMS"),
}
#: A meta-regression figure at EDSS x describes a person whose EDSS is within this of x
#: (the grid is 2, 3, 4, 5, 6, 6.5, 7: every EDSS from 1.5 to 7.5 has one).
EDSS_MATCH_WITHIN: Final = 0.5


@dataclass(frozen=True, slots=True)
class Figure:
    """One published or pooled figure that a grid cell may show, with its studied group.

    ``estimate``, ``low`` and ``high`` are on the ``per 100 people`` scale for proportions,
    or in ``unit`` (e.g. ``"per 1,000 patient-years"``) for rates. ``fact`` is the per-study
    fact behind it, ``derived`` the pooled figure (exactly one of them is set).
    """

    fact_id: str
    therapy: str
    outcome: str
    years: float | None
    estimate: float
    low: float | None
    high: float | None
    interval_kind: str | None
    unit: str  # "per 100 people" | "per 1,000 patient-years" | ...
    basis: str
    k_studies: int | None
    courses: tuple[str, ...]
    population: str | None
    follow_up: str | None
    source_ids: tuple[str, ...]
    verified: bool
    caution: str | None
    fact: Fact | None = field(default=None, repr=False, compare=False)
    certainty: str | None = None  # set for pooled figures; per-study ones are rated later
    derived: DerivedFact | None = field(default=None, repr=False, compare=False)

    @property
    def group(self) -> str | None:
        """The synthesis group of a pooled figure (``all``, ``relapsing``, ``edss-6-5-recent``)."""
        return None if self.derived is None else self.derived.group


# --- per-study facts -------------------------------------------------------------------


def _study_figure(fact: Fact) -> Figure | None:
    tag = fact.estimate
    per_100 = fact.per_100
    if tag is None or per_100 is None:
        return None
    low = high = None
    kind: str | None = None
    given = fact.interval_per_100
    if given is not None:
        low, high, kind = given.low, given.high, given.kind
    elif fact.numerator is not None and fact.denominator:
        lo, hi = clopper_pearson(fact.numerator, fact.denominator)
        low, high = float(f"{100 * lo:.3g}"), float(f"{100 * hi:.3g}")
        kind = "95% CI (exact, computed by msstem from the counts)"
    return Figure(
        fact_id=fact.id, therapy=tag.therapy, outcome=tag.outcome, years=tag.years,
        estimate=per_100, low=low, high=high, interval_kind=kind, unit="per 100 people",
        basis=_DESIGN_TO_BASIS.get(tag.design, tag.design), k_studies=None,
        courses=tuple(tag.courses), population=fact.population, follow_up=fact.follow_up,
        source_ids=tuple(fact.source_ids), verified=fact.verified, caution=fact.caution,
        fact=fact,
    )


# --- pooled figures --------------------------------------------------------------------


def _arm_courses(evidence: EvidenceBase, d: DerivedFact) -> tuple[str, ...]:
    """The MS courses of a pooled figure's studies: one course group for all, else mixed."""
    if d.group in COURSE_GROUP_COURSES:
        return COURSE_GROUP_COURSES[d.group]
    groups: set[str | None] = set()
    for arm_id in d.arm_ids:
        arm = evidence.study_arm(arm_id)
        outs = [o.course_group for o in arm.outcomes if o.outcome == d.outcome]
        groups.update(g for g in outs if g is not None)
        if not any(outs):
            groups.add(arm.course_group)
    if len(groups) == 1:
        only = next(iter(groups))
        if only is not None:
            return COURSE_GROUP_COURSES.get(only, ())
    return ()


def _pooled_population(d: DerivedFact) -> str:
    people = f"{d.n_total:,.0f} people" if d.n_total else "people"
    studies = f"{d.k} studies" if d.k != 1 else "1 study"
    where = _GROUP_WORDS.get(d.group) if (d.group, d.k) != ("all", 1) else None
    if where is None and d.group.startswith("edss-"):
        at = dict(d.at)
        year = f", the most recent studies ({at['year']:.0f})" if "year" in at else ""
        where = (f"predicted for people with EDSS {at.get('baseline_edss', 0):g}{year}, from "
                 "how the risk changed with EDSS and year across the studies")
    return f"{people} in {studies}" + (f"; {where}" if where else "")


_GROUP_WORDS: Final[Mapping[str, str]] = {
    "all": "all the studies together",
    "relapsing": "studies of relapsing MS",
    "progressive": "studies of progressive MS",
    "intensity-low": "low-intensity chemotherapy",
    "intensity-intermediate": "intermediate-intensity chemotherapy",
    "intensity-high": "high-intensity chemotherapy",
    # The split year is the synthesis layer's (msstem.synthesis.derive.ERA_SPLIT_YEAR).
    "era-early": "the earlier studies",
    "era-recent": "the more recent studies",
}


def _pooled_figure(evidence: EvidenceBase, d: DerivedFact) -> Figure:
    basis = "pooled"
    if d.k == 1:
        basis = evidence.study_arm(d.arm_ids[0]).design
    method = "random effects" if d.method != "FE" else "one study"
    kind = (f"95% CI ({method}, {d.k} studies, computed by msstem)" if d.k > 1
            else "95% CI (computed by msstem from the study's counts)")
    return Figure(
        fact_id=d.id, therapy=d.therapy, outcome=d.outcome, years=d.horizon_years,
        estimate=100 * d.estimate, low=100 * d.ci_lb, high=100 * d.ci_ub, interval_kind=kind,
        unit="per 100 people", basis=basis, k_studies=d.k if d.k > 1 else None,
        courses=_arm_courses(evidence, d), population=_pooled_population(d), follow_up=None,
        source_ids=tuple(d.source_ids), verified=True, caution=d.caution,
        certainty=d.certainty, derived=d,
    )


# --- one build per evidence base -----------------------------------------------------------

def _built(evidence: EvidenceBase) -> tuple[tuple[Figure, ...], tuple[Figure, ...]]:
    """(per-study figures, pooled figures), built once per evidence base."""
    def build() -> tuple[tuple[Figure, ...], tuple[Figure, ...]]:
        studies = tuple(f for f in map(_study_figure, evidence.facts.values())
                        if f is not None)
        return studies, tuple(_pooled_figure(evidence, d) for d in evidence.derived_facts)

    return evidence.memo("grid-figures", build)


def study_figures(evidence: EvidenceBase) -> tuple[Figure, ...]:
    """Every tagged proportion fact of a single study, as a figure."""
    return _built(evidence)[0]


def pooled_figures(evidence: EvidenceBase) -> tuple[Figure, ...]:
    """Every derived (pooled) figure of the synthesis layer, as a figure."""
    return _built(evidence)[1]


def edss_points(figures: Iterable[Figure]) -> tuple[tuple[float, str], ...]:
    """(EDSS, group) of the meta-regression figures among ``figures``, from their data."""
    points = set()
    for f in figures:
        if f.derived is not None and f.group and f.group.startswith("edss-"):
            at = dict(f.derived.at).get("baseline_edss")
            if at is not None:
                points.add((at, f.group))
    return tuple(sorted(points))


def person_groups(profile: Profile, outcome: str, edss_at: Iterable[tuple[float, str]]
                  ) -> tuple[str, ...]:
    """The pooled groups that describe ``profile``, best first.

    For treatment-related death the meta-regression at the EDSS nearest the person's comes
    first (``edss_at``: (EDSS, group) pairs; the risk rose with EDSS and fell with later
    years; at a tie, the higher EDSS: the larger risk), then the person's course group, then
    everyone.
    """
    out: list[str] = []
    if outcome == "treatment_related_death" and profile.edss is not None:
        near = [(abs(x - profile.edss), -x, g) for x, g in edss_at
                if abs(x - profile.edss) <= EDSS_MATCH_WITHIN]
        out.extend(g for _, _, g in sorted(near)[:1])
    course = profile.ms_course
    for group, courses in COURSE_GROUP_COURSES.items():
        if course in courses:
            out.append(group)
    out.append("all")
    return tuple(out)
