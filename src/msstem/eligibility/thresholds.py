"""How the rule sets name the numbers they use: structured criteria in the evidence data.

This module holds no clinical number. Every limit a rule applies is a
:class:`~msstem.evidence.criteria.Criterion` written once, with its source and
the evidence notes' own words, in ``msstem/evidence/data`` (``guidelines.yaml``,
``trials.yaml``, ``definitions.yaml``). A rule set lists the criteria it reads in
``uses`` (a local name -> ``"owner/criterion-id"``); :func:`resolve` looks them up
in one evidence base, so a different copy of the data gives different verdicts and
wording with no code change. ``msstem evidence thresholds`` lists every use with
the file and line its number is written on; ``msstem evidence check`` fails when a
rule set names a criterion the data lacks, or the data holds one no rule uses.
Guideline numbers the notes mark NOT FOUND (EBMT 2020 age/EDSS, ASTCT age/EDSS,
NMSS EDSS) are deliberately absent.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from msstem.errors import EvidenceError, NotFoundError
from msstem.evidence import EvidenceBase
from msstem.evidence.criteria import (
    COMPARISONS,
    Comparison,
    Criterion,
    describe_range,
    format_number,
    format_window,
)

__all__ = [
    "COMPARISONS",
    "Comparison",
    "Threshold",
    "ThresholdUse",
    "describe_range",
    "format_number",
    "format_window",
    "resolve",
]

#: A rule's numeric limit: the evidence base's structured criterion.
Threshold = Criterion


@dataclass(frozen=True, slots=True)
class ThresholdUse:
    """One criterion a rule set reads: its local name and ``owner/criterion-id``."""

    ruleset_id: str
    name: str
    ref: str

    @property
    def owner(self) -> str:
        return self.ref.split("/", 1)[0]

    @property
    def criterion_id(self) -> str:
        return self.ref.split("/", 1)[1]


def resolve(eb: EvidenceBase, ruleset_id: str, uses: Mapping[str, str]) -> dict[str, Criterion]:
    """The criteria a rule set reads, by local name; a missing one is an EvidenceError."""
    found: dict[str, Criterion] = {}
    for name, ref in uses.items():
        owner, _, criterion_id = ref.partition("/")
        try:
            found[name] = eb.criterion(owner, criterion_id).criterion
        except NotFoundError:
            raise EvidenceError(
                f"rule set {ruleset_id}: criterion {ref!r} ({name}) is not in the evidence data"
            ) from None
    return found
