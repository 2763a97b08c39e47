"""Eligibility screening: guideline and trial entry rules -> per-criterion verdicts.

>>> from msstem.clinical.profile import Profile
>>> from msstem.eligibility import evaluate
>>> evaluate(Profile(age=34, ms_course="RRMS", edss=3.5), "net-ms").verdict
<Verdict.MEETS: 'meets'>

Every hard criterion the profile cannot answer gives ``insufficient_data``, never a
guess; soft criteria only add cautions. Every number a rule applies is a structured
criterion in the evidence data (:mod:`msstem.evidence.criteria`), named by the rule
set's ``uses`` (:mod:`msstem.eligibility.thresholds`); pass ``evidence=`` to
evaluate against another copy of the data.
"""

from msstem.eligibility.model import (
    RULESET_KINDS,
    CriterionResult,
    CriterionStatus,
    EligibilityResult,
    RulesetKind,
    Verdict,
    decide_verdict,
)
from msstem.eligibility.registry import (
    RULESET_IDS,
    RULESETS,
    cited_source_ids,
    evaluate,
    evaluate_all,
    get_ruleset,
    screening_references,
    threshold_uses,
)
from msstem.eligibility.ruleset import Caution, RuleSet
from msstem.eligibility.thresholds import Threshold, ThresholdUse

__all__ = [
    "RULESETS",
    "RULESET_IDS",
    "RULESET_KINDS",
    "Caution",
    "CriterionResult",
    "CriterionStatus",
    "EligibilityResult",
    "RuleSet",
    "RulesetKind",
    "Threshold",
    "ThresholdUse",
    "Verdict",
    "cited_source_ids",
    "decide_verdict",
    "evaluate",
    "evaluate_all",
    "get_ruleset",
    "screening_references",
    "threshold_uses",
]
