"""The assessment of one person: eligibility, risk, options, personal event rates."""

from msstem.clinical.profile import MS_COURSES, MsCourse, Profile, parse_profile
from msstem.decision.assess import DISCLAIMERS, Assessment, TreatmentChoice, assess
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
    "Profile",
    "TreatmentChoice",
    "applicability",
    "assess",
    "clopper_pearson",
    "parse_profile",
    "select_estimates",
]
