"""A rule set: named, cited criteria plus standing cautions, evaluated into a result.

The numbers and the standing texts live in the evidence data; a rule set names
them (``uses``: criteria, ``standing``/``note``/``pregnancy``: screening texts of
a guideline or trial) and :meth:`RuleSet.evaluate` reads them from the evidence
base it is given (the shipped one by default).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

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
from msstem.eligibility.thresholds import Threshold, ThresholdUse, resolve
from msstem.evidence import EvidenceBase, load_evidence

__all__ = [
    "PREGNANCY_CAUTION",
    "Caution",
    "RuleSet",
    "Thresholds",
]

PREGNANCY_CAUTION = (
    "Pregnancy is not addressed by this rule set's published criteria; discuss with the "
    "treating team."
)

#: The criteria one rule set reads, by the local names it gave them in ``uses``.
Thresholds = Mapping[str, Threshold]


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

    ``criteria`` maps a profile and the resolved thresholds to criterion results
    (hard and soft). Soft criteria that are not met or unknown become cautions
    naming their source. ``uses`` names the evidence criteria read (local name ->
    ``"owner/criterion-id"``); ``standing`` names screening texts always shown
    (``"owner/text-id"``), ``note`` the rule set's note and ``pregnancy`` a text
    that replaces the generic pregnancy caution.
    """

    id: str
    name: str
    kind: RulesetKind
    source_ids: tuple[str, ...]
    criteria: Callable[[Profile, Thresholds], Sequence[CriterionResult]]
    uses: Mapping[str, str] = field(default_factory=dict)
    standing: tuple[str, ...] = ()
    note: str | None = None
    pregnancy: str | None = None

    def __post_init__(self) -> None:
        if self.kind not in RULESET_KINDS:
            raise ValueError(f"rule set {self.id}: kind {self.kind!r}; allowed: {RULESET_KINDS}")
        for ref in (*self.uses.values(), *self.texts()):
            if ref.count("/") != 1:
                raise ValueError(f"rule set {self.id}: {ref!r} is not 'owner/id'")

    def texts(self) -> tuple[str, ...]:
        """Every screening text this rule set names (``owner/text-id``)."""
        extra = tuple(ref for ref in (self.note, self.pregnancy) if ref is not None)
        return (*self.standing, *extra)

    def threshold_uses(self) -> tuple[ThresholdUse, ...]:
        return tuple(ThresholdUse(self.id, name, ref) for name, ref in self.uses.items())

    def thresholds(self, evidence: EvidenceBase | None = None) -> dict[str, Threshold]:
        """The criteria this rule set reads, from ``evidence`` (the shipped data by default)."""
        return resolve(evidence or load_evidence(), self.id, self.uses)

    def _check_cited(self, source_id: str) -> None:
        if source_id not in self.source_ids:
            raise ValueError(f"rule set {self.id}: {source_id!r} is not in its source_ids")

    def _text(self, eb: EvidenceBase, ref: str) -> Caution:
        owner, _, text_id = ref.partition("/")
        text = eb.screening_text(owner, text_id)
        self._check_cited(text.source_id)
        return Caution(eb.render_screening(owner, text), text.source_id)

    def evaluate(self, profile: Profile, evidence: EvidenceBase | None = None) -> EligibilityResult:
        eb = evidence or load_evidence()
        results = tuple(self.criteria(profile, resolve(eb, self.id, self.uses)))
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
        cautions.extend(self._text(eb, ref).render() for ref in self.standing)
        if profile.pregnant is True:
            cautions.append(
                self._text(eb, self.pregnancy).text if self.pregnancy else PREGNANCY_CAUTION
            )
        return EligibilityResult(
            ruleset_id=self.id,
            name=self.name,
            kind=self.kind,
            source_ids=self.source_ids,
            verdict=decide_verdict(results),
            criteria=results,
            cautions=tuple(cautions),
            note=self._text(eb, self.note).text if self.note else None,
        )
