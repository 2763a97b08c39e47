"""Result types for eligibility screening: verdicts, criterion statuses, results.

The verdict rule is defined once, in :func:`decide_verdict`: any hard criterion
``not_met`` -> ``does_not_meet``; else any hard criterion ``unknown`` ->
``insufficient_data``; else ``meets``. Soft criteria never change the verdict;
they only add cautions.
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Literal, TypeAlias, get_args

from msstem import __version__
from msstem.base import Result

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "RULESET_KINDS",
    "CriterionResult",
    "CriterionStatus",
    "EligibilityResult",
    "JsonValue",
    "RulesetKind",
    "Verdict",
    "decide_verdict",
]

JsonValue: TypeAlias = (
    bool | int | float | str | list["JsonValue"] | dict[str, "JsonValue"] | None
)

RulesetKind = Literal["guideline", "trial"]
#: The allowed rule-set kinds.
RULESET_KINDS: tuple[str, ...] = get_args(RulesetKind)


class Verdict(StrEnum):
    """Overall answer of one rule set for one profile."""

    MEETS = "meets"
    DOES_NOT_MEET = "does_not_meet"
    INSUFFICIENT_DATA = "insufficient_data"


class CriterionStatus(StrEnum):
    """Answer of one criterion: the profile meets it, does not, or cannot tell."""

    MET = "met"
    NOT_MET = "not_met"
    UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class CriterionResult:
    """One criterion of a rule set, evaluated for one profile.

    ``hard`` criteria decide the verdict; soft ones (``hard=False``) only add a
    caution when they are not met or unknown.
    """

    id: str
    description: str
    hard: bool
    status: CriterionStatus
    value_used: JsonValue
    threshold: str
    source_id: str
    reason: str

    def __post_init__(self) -> None:
        if not isinstance(self.status, CriterionStatus):
            allowed = ", ".join(s.value for s in CriterionStatus)
            raise ValueError(f"criterion {self.id}: status {self.status!r}; allowed: {allowed}")
        if not self.source_id:
            raise ValueError(f"criterion {self.id}: source_id is empty")

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "description": self.description,
            "hard": self.hard,
            "status": self.status.value,
            "value_used": self.value_used,
            "threshold": self.threshold,
            "source_id": self.source_id,
            "reason": self.reason,
        }


def decide_verdict(criteria: Iterable[CriterionResult]) -> Verdict:
    """The verdict implied by the hard criteria (soft ones are ignored)."""
    hard = [c.status for c in criteria if c.hard]
    if CriterionStatus.NOT_MET in hard:
        return Verdict.DOES_NOT_MEET
    if CriterionStatus.UNKNOWN in hard:
        return Verdict.INSUFFICIENT_DATA
    return Verdict.MEETS


@dataclass(frozen=True, slots=True)
class EligibilityResult(Result):
    """The answer of one rule set (guideline or trial entry criteria) for one profile.

    A :class:`msstem.base.Result`: ``summary`` is one row per criterion; a rule set has no
    settings, so ``options`` is ``None``.
    """

    ruleset_id: str
    name: str
    kind: RulesetKind
    source_ids: tuple[str, ...]
    verdict: Verdict
    criteria: tuple[CriterionResult, ...]
    cautions: tuple[str, ...]
    note: str | None = None
    msstem_version: str = field(default=__version__, kw_only=True)

    @property
    def options(self) -> None:
        """Rule sets have no settings."""
        return None

    def __post_init__(self) -> None:
        if self.kind not in RULESET_KINDS:
            raise ValueError(
                f"rule set {self.ruleset_id}: kind {self.kind!r}; allowed: "
                + ", ".join(RULESET_KINDS)
            )
        # The verdict is never set by hand against its criteria.
        expected = decide_verdict(self.criteria)
        if self.verdict is not expected:
            raise ValueError(
                f"rule set {self.ruleset_id}: verdict {self.verdict!r} contradicts its "
                f"criteria (expected {expected.value})"
            )

    @property
    def hard_criteria(self) -> tuple[CriterionResult, ...]:
        return tuple(c for c in self.criteria if c.hard)

    def to_dict(self) -> dict[str, Any]:
        return {
            "ruleset_id": self.ruleset_id,
            "name": self.name,
            "kind": self.kind,
            "source_ids": list(self.source_ids),
            "verdict": self.verdict.value,
            "criteria": [c.to_dict() for c in self.criteria],
            "cautions": list(self.cautions),
            "note": self.note,
        }

    @property
    def summary(self) -> pd.DataFrame:
        """One row per criterion: id, hard, status, description, threshold, value, source."""
        import pandas as pd

        return pd.DataFrame(
            [{"criterion": c.id, "hard": c.hard, "status": c.status.value,
              "description": c.description, "threshold": c.threshold,
              "value_used": c.value_used, "source_id": c.source_id, "reason": c.reason}
             for c in self.criteria],
            columns=["criterion", "hard", "status", "description", "threshold", "value_used",
                     "source_id", "reason"],
        )

    def summary_text(self) -> str:
        """A plain-text table: one line per criterion, then the cautions."""
        lines = [f"{self.name} [{self.ruleset_id}]: {self.verdict.value}"]
        if self.note:
            lines.append(f"  note: {self.note}")
        for c in self.criteria:
            kind = "hard" if c.hard else "soft"
            lines.append(f"  {c.status.value:<8} {kind}  {c.description} ({c.threshold})")
        lines.extend(f"  caution: {text}" for text in self.cautions)
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        esc = html.escape
        rows = "".join(
            f"<tr><td>{esc(c.status.value)}</td><td>{'hard' if c.hard else 'soft'}</td>"
            f"<td>{esc(c.description)}</td><td>{esc(c.threshold)}</td>"
            f"<td>{esc(c.reason)}</td><td>{esc(c.source_id)}</td></tr>"
            for c in self.criteria
        )
        cautions = "".join(f"<li>{esc(t)}</li>" for t in self.cautions)
        return (
            f"<p><b>{esc(self.name)}</b>: {esc(self.verdict.value)}</p>"
            "<table><tr><th>status</th><th>kind</th><th>criterion</th><th>threshold</th>"
            f"<th>reason</th><th>source</th></tr>{rows}</table>"
            + (f"<ul>{cautions}</ul>" if cautions else "")
        )
