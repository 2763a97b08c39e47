"""Personal event-rate estimates: which published figures apply to this person, and how well.

An :class:`Estimate` is one evidence fact carrying an ``estimate`` tag, shown as "N in 100
people" with its interval, follow-up, population and sources. msstem never computes a new
clinical figure: the only arithmetic is the unit conversion to "per 100" (done by the fact
itself) and, where a fact gives a numerator and denominator without an interval, an exact
Clopper-Pearson 95% interval that is labelled as computed by msstem.

Applicability compares the person with the studied population on MS course, EDSS band
and age range. Anything unknown on either side is said plainly instead of guessed.
"""

from __future__ import annotations

import functools
import math
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Final

from pydantic import field_validator

from msstem.base import Options
from msstem.clinical.labels import OUTCOME_LABELS as _OUTCOME_LABELS
from msstem.clinical.labels import THERAPY_LABELS
from msstem.clinical.profile import Profile
from msstem.evidence import EvidenceBase
from msstem.evidence.models import Fact

__all__ = [
    "COMPUTED_INTERVAL_KIND",
    "DEFAULT_THERAPIES",
    "OUTCOME_LABELS",
    "THERAPY_NAMES",
    "Applicability",
    "Estimate",
    "EstimateInterval",
    "EstimateOptions",
    "applicability",
    "clopper_pearson",
    "group_applicability",
    "select_estimates",
]


class Applicability(StrEnum):
    """How well a published figure's population matches this person."""

    MATCHES = "matches"
    PARTLY = "partly"
    DOES_NOT_MATCH = "does_not_match"


#: Display words, from the one labels module (msstem.clinical.labels).
OUTCOME_LABELS: Final = _OUTCOME_LABELS
THERAPY_NAMES: Final = THERAPY_LABELS

#: The options a person weighs: aHSCT, the high-efficacy DMTs, and mixed-DMT comparison arms.
#: Trial control arms (placebo, interferon beta, teriflunomide) and experimental MSC are not
#: options and are left out unless asked for.
DEFAULT_THERAPIES: Final = (
    "ahsct",
    "ocrelizumab",
    "natalizumab",
    "alemtuzumab",
    "ofatumumab",
    "cladribine",
    "dmt-mixed",
)

#: The interval kind shown for an exact interval msstem computed from n/d.
COMPUTED_INTERVAL_KIND: Final = "95% CI (exact Clopper-Pearson, computed by msstem from n/d)"
_CONFIDENCE: Final = 0.95

_OUTCOME_ORDER: Final = {name: i for i, name in enumerate(OUTCOME_LABELS)}
_RANK: Final = {Applicability.MATCHES: 0, Applicability.PARTLY: 1, Applicability.DOES_NOT_MATCH: 2}


class EstimateOptions(Options):
    """Which therapies' figures to show, and whether to show figures that do not apply."""

    therapies: tuple[str, ...] = DEFAULT_THERAPIES
    include_unverified: bool = True

    @field_validator("therapies")
    @classmethod
    def _known_therapies(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        unknown = [t for t in value if t not in THERAPY_NAMES]
        if unknown:
            raise ValueError(f"unknown {unknown[0]!r}; allowed: {', '.join(THERAPY_NAMES)}")
        return value


@dataclass(frozen=True, slots=True)
class EstimateInterval:
    """An interval on the "per 100 people" scale. ``computed`` marks msstem's own CI."""

    low: float
    high: float
    kind: str
    computed: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {"low": self.low, "high": self.high, "kind": self.kind, "computed": self.computed}


@dataclass(frozen=True, slots=True)
class Estimate:
    """One published event rate, as it applies to this person."""

    fact_id: str
    therapy: str
    therapy_name: str
    outcome: str
    kind: str  # benefit | harm
    label: str
    per_100: float
    interval: EstimateInterval | None
    numerator: int | None
    denominator: int | None
    years: float | None
    follow_up: str | None
    population: str | None
    intensity: str
    design: str
    courses: tuple[str, ...]
    statement: str
    source_ids: tuple[str, ...]
    verified: bool
    caution: str | None
    applicability: Applicability
    reasons: tuple[str, ...] = field(default=())
    #: to_dict's keys that do not depend on the person (built once per fact; see _templates).
    _static: dict[str, Any] | None = field(default=None, repr=False, compare=False)

    @property
    def interval_text(self) -> str:
        if self.interval is None:
            return "interval not reported"
        return f"{self.interval.kind} {_fmt(self.interval.low)} to {_fmt(self.interval.high)}"

    def to_dict(self) -> dict[str, Any]:
        if self._static is not None:
            out = dict(self._static)
            # fresh containers: a caller may change its document
            out["interval"] = None if self.interval is None else self.interval.to_dict()
            out["courses"], out["sources"] = list(self.courses), list(self.source_ids)
        else:
            out = self._static_dict()
        out["applicability"] = str(self.applicability)
        out["applicability_reasons"] = list(self.reasons)
        return out

    def _static_dict(self) -> dict[str, Any]:
        return {
            "fact_id": self.fact_id,
            "therapy": self.therapy,
            "therapy_name": self.therapy_name,
            "outcome": self.outcome,
            "kind": self.kind,
            "label": self.label,
            "per_100": self.per_100,
            "interval": None if self.interval is None else self.interval.to_dict(),
            "interval_note": None if self.interval is not None else "interval not reported",
            "numerator": self.numerator,
            "denominator": self.denominator,
            "years": self.years,
            "follow_up": self.follow_up,
            "population": self.population,
            "intensity": self.intensity,
            "design": self.design,
            "courses": list(self.courses),
            "statement": self.statement,
            "sources": list(self.source_ids),
            "verified": self.verified,
            "caution": self.caution,
        }


def _fmt(x: float) -> str:
    return f"{x:g}"


# --- exact binomial interval -------------------------------------------------------------


def _binom_cdf(k: int, n: int, p: float) -> float:
    """P(X <= k) for X ~ Binomial(n, p), summed in log space (no overflow for large n)."""
    if p <= 0.0:
        return 1.0
    if p >= 1.0:
        return 1.0 if k >= n else 0.0
    log_p, log_q = math.log(p), math.log1p(-p)
    # log of the i-th term, by the recurrence C(n, i+1) = C(n, i) * (n - i) / (i + 1): one
    # pair of logs per term instead of three lgamma calls (a fresh process computes these).
    log_term = n * log_q
    log_ratio = log_p - log_q
    total = math.exp(log_term)
    for i in range(k):
        log_term += math.log((n - i) / (i + 1)) + log_ratio
        total += math.exp(log_term)
    return min(total, 1.0)


def _solve(fn: Callable[[float], float], target: float) -> float:
    """The p in [0, 1] where the increasing function ``fn`` reaches ``target`` (bisection)."""
    lo, hi = 0.0, 1.0
    # 1e-13 is far below what is shown (three significant digits of a percentage).
    while hi - lo > 1e-13:
        mid = (lo + hi) / 2
        if fn(mid) < target:
            lo = mid
        else:
            hi = mid
    return (lo + hi) / 2


@functools.lru_cache(maxsize=4096)
def clopper_pearson(
    numerator: int, denominator: int, confidence: float = _CONFIDENCE
) -> tuple[float, float]:
    """Exact (Clopper-Pearson) interval for a proportion, as fractions in [0, 1].

    Lower bound: the p where P(X >= k) = alpha/2; upper: the p where P(X <= k) = alpha/2.
    Cached: the bisection costs ~1 ms and every assessment asks for the same few n/d.
    """
    if denominator <= 0 or not 0 <= numerator <= denominator:
        raise ValueError(f"need 0 <= numerator <= denominator > 0, got {numerator}/{denominator}")
    half_alpha = (1.0 - confidence) / 2
    k, n = numerator, denominator
    low = 0.0 if k == 0 else _solve(lambda p: 1.0 - _binom_cdf(k - 1, n, p), half_alpha)
    high = 1.0 if k == n else _solve(lambda p: 1.0 - _binom_cdf(k, n, p), 1.0 - half_alpha)
    return low, high


# --- applicability -------------------------------------------------------------------------


def _range_text(lo: float | None, hi: float | None, unit: str = "") -> str:
    if lo is not None and hi is not None:
        return f"{_fmt(lo)} to {_fmt(hi)}{unit}"
    if lo is not None:
        return f"{_fmt(lo)}{unit} or more"
    return f"up to {_fmt(hi or 0.0)}{unit}"


def _check_range(
    name: str, value: float | None, lo: float | None, hi: float | None, unit: str = ""
) -> tuple[Applicability, str] | None:
    if lo is None and hi is None:
        return None
    studied = _range_text(lo, hi, unit)
    if value is None:
        return Applicability.PARTLY, f"the study included {name} {studied}; yours is unknown"
    inside = (lo is None or value >= lo) and (hi is None or value <= hi)
    if inside:
        return (
            Applicability.MATCHES,
            f"your {name} {_fmt(value)}{unit} is within the studied {studied}",
        )
    return (
        Applicability.DOES_NOT_MATCH,
        f"your {name} {_fmt(value)}{unit} is outside the studied {studied}",
    )


def _check_course(course: str | None, courses: tuple[str, ...]) -> tuple[Applicability, str]:
    if not courses:
        return Applicability.PARTLY, "the MS course of the people studied is not stated"
    studied = ", ".join(courses)
    if course is None:
        return Applicability.PARTLY, f"the people studied had {studied}; your MS course is unknown"
    if course in courses:
        if len(courses) == 1:
            return Applicability.MATCHES, f"the people studied had {course}, like you"
        return (
            Applicability.MATCHES,
            f"the people studied had a mix of {studied}, including your course ({course})",
        )
    if course == "CIS":
        return (
            Applicability.DOES_NOT_MATCH,
            f"the people studied had {studied}; CIS (a first episode, not yet MS) was not studied",
        )
    return Applicability.DOES_NOT_MATCH, f"the people studied had {studied}, not {course}"


def applicability(profile: Profile, fact: Fact) -> tuple[Applicability, tuple[str, ...]]:
    """How well the fact's studied population matches the person, with one reason per check.

    The verdict is the worst of the checks (course, EDSS band, age range); a study that does
    not state a range is not held against the person, and says so in the reasons.
    """
    tag = fact.estimate
    if tag is None:
        raise ValueError(f"fact {fact.id!r} has no estimate tag")
    # Only three answers and the studied group's description matter: memoised on those.
    return _applicability(
        profile.ms_course, profile.edss, profile.age, tuple(tag.courses), tag.edss_min,
        tag.edss_max, tag.age_min, tag.age_max, tag.intensity,
    )


def group_applicability(
    profile: Profile, courses: tuple[str, ...]
) -> tuple[Applicability, tuple[str, ...]]:
    """How well a studied group known only by its MS courses matches the person (a pooled
    figure's group: its studies' EDSS and age ranges are not one range)."""
    verdict, reason = _check_course(profile.ms_course, courses)
    return verdict, (reason,)


@functools.lru_cache(maxsize=1024)  # small for the same reason as _SELECTED_MAX
def _applicability(
    ms_course: str | None, edss: float | None, age: int | None, courses: tuple[str, ...],
    edss_min: float | None, edss_max: float | None, age_min: float | None,
    age_max: float | None, intensity: str,
) -> tuple[Applicability, tuple[str, ...]]:
    checks: list[tuple[Applicability, str]] = [_check_course(ms_course, courses)]
    notes: list[str] = []
    edss_check = _check_range("EDSS", edss, edss_min, edss_max)
    if edss_check is None:
        notes.append("the study's EDSS range is not stated")
    else:
        checks.append(edss_check)
    age_value = None if age is None else float(age)
    age_check = _check_range("age", age_value, age_min, age_max, " years")
    if age_check is not None:
        checks.append(age_check)
    if intensity != "any":
        notes.append(f"this figure is for {intensity}-intensity conditioning regimens")
    verdict = max((c[0] for c in checks), key=_RANK.__getitem__)
    return verdict, tuple(reason for _, reason in checks) + tuple(notes)


# --- selection -----------------------------------------------------------------------------


def _label(outcome: str, years: float | None, follow_up: str | None = None) -> str:
    base = OUTCOME_LABELS.get(outcome, outcome.replace("_", " "))
    if years is None:
        return base
    if (years * 2) % 1 and follow_up:
        # A horizon like 1.85 years was a trial's "96 weeks": say it as the study did.
        return f"{base} at {follow_up}"
    unit = "year" if years == 1 else "years"
    return f"{base} at {_fmt(years)} {unit}"


def _interval(fact: Fact) -> EstimateInterval | None:
    given = fact.interval_per_100
    if given is not None:
        return EstimateInterval(low=given.low, high=given.high, kind=given.kind)
    if fact.numerator is not None and fact.denominator:
        low, high = clopper_pearson(fact.numerator, fact.denominator)
        return EstimateInterval(
            low=_sig3(100 * low), high=_sig3(100 * high), kind=COMPUTED_INTERVAL_KIND,
            computed=True,
        )
    return None


def _sig3(x: float) -> float:
    """Three significant digits: enough for a CI bound, and small bounds stay non-zero."""
    return float(f"{x:.3g}")


def _fields(fact: Fact, per_100: float) -> dict[str, Any]:
    """Every Estimate field that does not depend on the person."""
    tag = fact.estimate
    assert tag is not None  # callers select tagged facts only
    return dict(
        fact_id=fact.id,
        therapy=tag.therapy,
        therapy_name=THERAPY_NAMES.get(tag.therapy, tag.therapy),
        outcome=tag.outcome,
        kind=tag.kind,
        label=_label(tag.outcome, tag.years, fact.follow_up),
        per_100=per_100,
        interval=_interval(fact),
        numerator=fact.numerator,
        denominator=fact.denominator,
        years=tag.years,
        follow_up=fact.follow_up,
        population=fact.population,
        intensity=tag.intensity,
        design=tag.design,
        courses=tuple(tag.courses),
        statement=fact.statement,
        source_ids=tuple(fact.source_ids),
        verified=fact.verified,
        caution=fact.caution,
    )


@dataclass(frozen=True, slots=True)
class _Template:
    """One selectable fact, with everything about it that is the same for every person."""

    fact: Fact
    fields: dict[str, Any]
    static: dict[str, Any]


def _templates(evidence: EvidenceBase, opts: EstimateOptions) -> tuple[_Template, ...]:
    """The selectable facts for ``opts``, built once per evidence base."""
    return evidence.memo(("estimate-templates", opts), lambda: _build_templates(evidence, opts))


def _build_templates(evidence: EvidenceBase, opts: EstimateOptions) -> tuple[_Template, ...]:
    out = []
    for fact in evidence.facts.values():
        tag = fact.estimate
        if tag is None or tag.therapy not in opts.therapies:
            continue
        if not fact.verified and not opts.include_unverified:
            continue
        per_100 = fact.per_100
        if per_100 is None:
            continue
        fields = _fields(fact, per_100)
        probe = Estimate(**fields, applicability=Applicability.PARTLY)
        out.append(_Template(fact, fields, probe._static_dict()))
    return tuple(out)


def _family_key(e: Estimate) -> tuple[object, ...]:
    # Subgroup figures of one analysis differ only in the course studied (e.g. PFS by course).
    return (e.therapy, e.outcome, e.kind, e.intensity, e.years, e.source_ids)


def _drop_other_course_subgroups(profile: Profile, estimates: list[Estimate]) -> list[Estimate]:
    """Where one analysis reports the outcome by MS course, keep the person's subgroup."""
    if profile.ms_course is None:
        return estimates
    families: dict[tuple[object, ...], list[Estimate]] = {}
    for e in estimates:
        families.setdefault(_family_key(e), []).append(e)
    keep: list[Estimate] = []
    for e in estimates:
        family = families[_family_key(e)]
        if len(family) > 1 and len({f.courses for f in family}) > 1:
            own = [f for f in family if profile.ms_course in f.courses]
            # Another course's subgroup goes; the pooled figure (no course stated) stays.
            if own and e.courses and profile.ms_course not in e.courses:
                continue
        keep.append(e)
    return keep


def _sort_key(therapies: tuple[str, ...]) -> Any:
    def key(e: Estimate) -> tuple[object, ...]:
        return (
            therapies.index(e.therapy) if e.therapy in therapies else len(therapies),
            0 if e.kind == "benefit" else 1,
            _OUTCOME_ORDER.get(e.outcome, len(_OUTCOME_ORDER)),
            _RANK[e.applicability],
            e.years if e.years is not None else math.inf,
            e.fact_id,
        )

    return key


def select_estimates(
    profile: Profile, evidence: EvidenceBase, options: EstimateOptions | None = None
) -> tuple[Estimate, ...]:
    """Every tagged proportion fact for the chosen therapies, as it applies to ``profile``.

    Ordered by therapy (options order), benefits before harms, outcome, applicability,
    horizon and fact id.
    """
    opts = options or EstimateOptions()
    # The result depends on three answers only (course, EDSS, age): memoised per evidence
    # base on those, so a new profile that differs elsewhere costs nothing here.
    key = (id(evidence), opts, profile.ms_course, profile.edss, profile.age)
    cached = _SELECTED.get(key)
    if cached is not None and cached[0] is evidence:
        _SELECTED.move_to_end(key)
        return cached[1]
    result = _select(profile, evidence, opts)
    _SELECTED[key] = (evidence, result)
    if len(_SELECTED) > _SELECTED_MAX:
        _SELECTED.popitem(last=False)
    return result


_SELECTED: OrderedDict[tuple[object, ...], tuple[EvidenceBase, tuple[Estimate, ...]]] = (
    OrderedDict()
)
#: Kept small: the memo's estimates are objects every full garbage collection walks (in a
#: server with thousands of distinct profiles, 4,096 entries meant ~100k objects and pauses
#: of 50-200 ms; 32 cost about 3 ms).
_SELECTED_MAX: Final = 32


def _select(
    profile: Profile, evidence: EvidenceBase, opts: EstimateOptions
) -> tuple[Estimate, ...]:
    chosen: list[Estimate] = []
    for t in _templates(evidence, opts):
        verdict, reasons = applicability(profile, t.fact)
        chosen.append(Estimate(**t.fields, applicability=verdict, reasons=reasons,
                               _static=t.static))
    chosen = _drop_other_course_subgroups(profile, chosen)
    return tuple(sorted(chosen, key=_sort_key(opts.therapies)))

