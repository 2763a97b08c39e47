"""A rule set: named, cited criteria plus standing cautions, evaluated into a result."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from msstem.clinical.profile import Profile
from msstem.eligibility.model import (
    RULESET_KINDS,
    CriterionResult,
    CriterionStatus,
    EligibilityResult,
    RulesetKind,
    decide_verdict,
)
from msstem.eligibility.sources import source_label

__all__ = [
    "PREGNANCY_CAUTION",
    "Caution",
    "RuleSet",
]

PREGNANCY_CAUTION = (
    "Pregnancy is not addressed by this rule set's published criteria; discuss with the "
    "treating team."
)


@dataclass(frozen=True, slots=True)
class Caution:
    """A caution shown whatever the profile says, with the source it comes from."""

    text: str
    source_id: str

    def render(self) -> str:
        return f"{self.text} ({source_label(self.source_id)})"


@dataclass(frozen=True, slots=True)
class RuleSet:
    """One guideline or trial's entry rules.

    ``criteria`` maps a profile to criterion results (hard and soft). Soft criteria
    that are not met or unknown become cautions naming their source; ``standing``
    cautions are always shown; ``pregnancy_caution`` replaces the generic one.
    """

    id: str
    name: str
    kind: RulesetKind
    source_ids: tuple[str, ...]
    criteria: Callable[[Profile], Sequence[CriterionResult]]
    standing: tuple[Caution, ...] = ()
    note: str | None = None
    pregnancy_caution: str = PREGNANCY_CAUTION

    def __post_init__(self) -> None:
        if self.kind not in RULESET_KINDS:
            raise ValueError(f"rule set {self.id}: kind {self.kind!r}; allowed: {RULESET_KINDS}")
        for caution in self.standing:
            self._check_cited(caution.source_id)

    def _check_cited(self, source_id: str) -> None:
        if source_id not in self.source_ids:
            raise ValueError(f"rule set {self.id}: {source_id!r} is not in its source_ids")

    def evaluate(self, profile: Profile) -> EligibilityResult:
        results = tuple(self.criteria(profile))
        seen: set[str] = set()
        for c in results:
            self._check_cited(c.source_id)
            if c.id in seen:
                raise ValueError(f"rule set {self.id}: criterion id {c.id!r} is repeated")
            seen.add(c.id)
        cautions = [
            f"{c.description} ({source_label(c.source_id)}): {c.reason}"
            for c in results
            if not c.hard and c.status is not CriterionStatus.MET
        ]
        cautions.extend(caution.render() for caution in self.standing)
        if profile.pregnant is True:
            cautions.append(self.pregnancy_caution)
        return EligibilityResult(
            ruleset_id=self.id,
            name=self.name,
            kind=self.kind,
            source_ids=self.source_ids,
            verdict=decide_verdict(results),
            criteria=results,
            cautions=tuple(cautions),
            note=self.note,
        )
