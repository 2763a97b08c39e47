"""All rule sets by id; evaluate one or all of them for a profile."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

from msstem.clinical.profile import Profile
from msstem.eligibility.model import EligibilityResult
from msstem.eligibility.ruleset import RuleSet
from msstem.eligibility.rulesets import (
    astct_2019,
    beat_ms,
    ectrims_ebmt_2025,
    halt_ms,
    mist,
    net_ms,
    nmss_2021,
    ram_ms,
    starms,
)
from msstem.eligibility.sources import SOURCE_LABELS
from msstem.eligibility.thresholds import ThresholdUse
from msstem.errors import NotFoundError
from msstem.evidence import EvidenceBase

__all__ = [
    "RULESETS",
    "RULESET_IDS",
    "cited_source_ids",
    "evaluate",
    "evaluate_all",
    "get_ruleset",
    "screening_references",
    "threshold_uses",
]

#: Every rule set by id: guidelines first, then trials (the order reports show them in).
RULESETS: Final[Mapping[str, RuleSet]] = MappingProxyType(
    {
        rs.id: rs
        for rs in (
            nmss_2021.RULESET,
            ectrims_ebmt_2025.RULESET,
            astct_2019.RULESET,
            beat_ms.RULESET,
            ram_ms.RULESET,
            starms.RULESET,
            net_ms.RULESET,
            mist.RULESET,
            halt_ms.RULESET,
        )
    }
)
#: The allowed rule-set ids, in report order.
RULESET_IDS: Final[tuple[str, ...]] = tuple(RULESETS)


def get_ruleset(ruleset_id: str) -> RuleSet:
    try:
        return RULESETS[ruleset_id]
    except KeyError:
        raise NotFoundError(
            f"ruleset: unknown rule set {ruleset_id!r}; allowed: {', '.join(RULESET_IDS)}"
        ) from None


def evaluate(
    profile: Profile, ruleset_id: str, evidence: EvidenceBase | None = None
) -> EligibilityResult:
    """Screen ``profile`` against one rule set (criteria from ``evidence``, default shipped)."""
    return get_ruleset(ruleset_id).evaluate(profile, evidence)


def evaluate_all(
    profile: Profile, evidence: EvidenceBase | None = None
) -> dict[str, EligibilityResult]:
    """Screen ``profile`` against every rule set, in :data:`RULESET_IDS` order."""
    return {rs_id: rs.evaluate(profile, evidence) for rs_id, rs in RULESETS.items()}


def threshold_uses() -> tuple[ThresholdUse, ...]:
    """Every evidence criterion a rule set reads, rule sets in report order."""
    return tuple(use for rs in RULESETS.values() for use in rs.threshold_uses())


def screening_references() -> dict[str, tuple[str, ...]]:
    """The screening texts (``owner/text-id``) each rule set shows, by rule-set id."""
    return {rs.id: rs.texts() for rs in RULESETS.values()}


def cited_source_ids() -> frozenset[str]:
    """Every source id the rule sets cite (the evidence check uses this).

    The criteria's own sources are records in the evidence data and are checked there.
    """
    ids: set[str] = set()
    for rs in RULESETS.values():
        ids.update(rs.source_ids)
    ids.update(SOURCE_LABELS)
    return frozenset(ids)
