"""The public names of each package are exactly the ones we mean to publish.

A name added to or dropped from an ``__all__`` is an API change: update this table on
purpose, in the same change.
"""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest

import msstem

PUBLIC: dict[str, set[str]] = {
    "msstem": {"__version__"},
    "msstem.errors": {
        "DataError", "DataPolicyWarning", "EvidenceError", "InputError", "MsstemError",
        "MsstemWarning", "NotFoundError", "OptionsError", "ProfileError", "StorageError",
        "allowed_list", "control_characters", "quote_input", "strip_control",
    },
    "msstem.clinical.edss": {
        "EDSS_GRID", "EDSS_MAX", "EDSS_SOURCE_IDS", "describe_grid", "is_on_grid",
    },
    "msstem.clinical.hctci": {
        "HCTCI_HIGH_RISK_MIN_SCORE", "HCTCI_ITEMS", "HCTCI_SOURCE_ID", "HctciItem",
        "HctciResult", "score_hctci",
    },
    "msstem.evidence": {
        "CELL_TYPE_IDS", "COURSES", "CRITERION_MEASURES", "DESIGNS", "INTENSITIES",
        "INTERVAL_KINDS", "OUTCOMES", "SOURCE_KINDS", "THERAPIES", "UNITS", "CellType", "Claim",
        "Criterion", "Definition", "Disagreement", "Dmt", "LocatedCriterion", "ScreeningText",
        "EstimateTag", "EvidenceBase", "Fact", "FaqEntry", "Guideline", "Interval", "Meta",
        "Problem", "ProcedureStep", "Regimen", "Source", "Study", "Therapy", "Trial",
        "WarningSign", "check_evidence", "load_evidence", "ArmOutcome", "DerivedFact",
        "Exclusion", "StudyArm",
    },
    "msstem.synthesis": {
        "MEASURES", "METHODS", "Coefficient", "DerivedSpec", "Gap", "LeaveOneOut",
        "MetaOptions", "MetaResult", "Prediction", "RegTest", "StudyRow", "SubgroupResult",
        "check_derived", "compute_derived", "leave_one_out", "meta_analysis", "regtest",
        "subgroups",
    },
    "msstem.eligibility": {
        "RULESETS", "RULESET_IDS", "RULESET_KINDS", "Caution", "CriterionResult",
        "CriterionStatus", "EligibilityResult", "RuleSet", "RulesetKind", "Threshold",
        "ThresholdUse", "Verdict", "cited_source_ids", "decide_verdict", "evaluate",
        "evaluate_all", "get_ruleset", "screening_references", "threshold_uses",
    },
    "msstem.decision": {
        "COMPUTED_INTERVAL_KIND", "DEFAULT_THERAPIES", "DISCLAIMERS", "MS_COURSES",
        "OUTCOME_LABELS", "THERAPY_NAMES", "Applicability", "Assessment", "Estimate",
        "EstimateInterval", "EstimateOptions", "MsCourse", "TreatmentChoice", "Profile",
        "applicability", "assess", "clopper_pearson", "parse_profile",
        "select_estimates",
    },
    "msstem.offers": {
        "CHECKED_SIGN_IDS", "DISCLAIMER", "MAX_OFFER_CHARS", "UNCHECKED_SIGN_IDS",
        "CheckedSign", "Finding", "OfferCheck", "OfferCheckOptions", "Quote", "SignInfo",
        "SourceRef", "check_offer", "cited_source_ids", "sign_catalog",
    },
    "msstem.outcomes": {
        "ArrOptions", "ArrResult", "ClinicalColumns", "IndexedCohort", "KmResult",
        "MilestoneResult", "NedaOptions", "NedaResult", "ProgressionOptions",
        "ProgressionResult", "RelapseIndep", "SensitivityResult", "SurvivalOptions",
        "annualised_relapse_rates", "assess_neda", "build_cohort", "cited_source_ids",
        "compute_delta", "detect_progression", "garwood_interval", "kalincik_edss_delta",
        "kaplan_meier", "load_mri", "load_treatments", "methods_text", "pira_sensitivity",
        "survival_curves", "value_milestone",
    },
    "msstem.reports": {
        "build_summary", "filled_icons", "format_rate", "icon_array_svg", "interval_text",
        "per_100_text", "person_symbol_defs", "plot_km", "plot_neda", "render_html",
        "render_json", "render_summary_pdf", "render_text", "save_png", "source_links",
        "template_environment",
    },
    "msstem.clinical": {"MS_COURSES", "MsCourse", "Profile", "parse_profile"},
    "msstem.io": {"check_input_file", "load_profile", "read_table", "write_report"},
    "msstem.web": {"WebSettings", "create_app"},
}


@pytest.mark.parametrize("module_name", sorted(PUBLIC))
def test_public_names(module_name: str) -> None:
    module = importlib.import_module(module_name)
    exported = list(module.__all__)
    assert set(exported) == PUBLIC[module_name]
    assert len(exported) == len(set(exported)), "duplicate names in __all__"
    for name in exported:
        assert hasattr(module, name), f"{module_name}.{name} is listed but missing"


def test_typed_marker_is_shipped() -> None:
    assert (Path(msstem.__file__).parent / "py.typed").is_file()


def test_every_package_under_src_is_covered() -> None:
    root = Path(msstem.__file__).parent
    packages = {
        "msstem." + p.parent.relative_to(root).as_posix().replace("/", ".")
        for p in root.glob("*/__init__.py")
    }
    internal = {"msstem.commands", "msstem.eligibility.rulesets"}
    assert packages - internal <= set(PUBLIC)
