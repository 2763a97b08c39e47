"""The assessment of one person: eligibility, risk, options, personal event rates."""

from msstem.decision.assess import DISCLAIMERS, Assessment, OptionSummary, assess
from msstem.decision.estimates import (
    COMPUTED_INTERVAL_KIND,
    DEFAULT_THERAPIES,
    OUTCOME_LABELS,
    THERAPY_NAMES,
    Applicability,
    Estimate,
    EstimateInterval,
    EstimateOptions,
    applicability,
    clopper_pearson,
    select_estimates,
)
from msstem.decision.profile import MS_COURSES, MsCourse, Profile, load_profile, parse_profile

__all__ = [
    "COMPUTED_INTERVAL_KIND",
    "DEFAULT_THERAPIES",
    "DISCLAIMERS",
    "MS_COURSES",
    "OUTCOME_LABELS",
    "THERAPY_NAMES",
    "Applicability",
    "Assessment",
    "Estimate",
    "EstimateInterval",
    "EstimateOptions",
    "MsCourse",
    "OptionSummary",
    "Profile",
    "applicability",
    "assess",
    "clopper_pearson",
    "load_profile",
    "parse_profile",
    "select_estimates",
]
