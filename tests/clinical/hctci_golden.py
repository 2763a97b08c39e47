"""The HCT-CI weights written out by hand, shared by the example and property tests."""

from __future__ import annotations

# Written out by hand from the HCT-CI table (sorror-2005-hctci; weights 1, 2 and 3).
GOLDEN_WEIGHTS = {
    "arrhythmia": 1,
    "cardiac": 1,
    "cerebrovascular": 1,
    "diabetes": 1,
    "hepatic_mild": 1,
    "infection": 1,
    "inflammatory_bowel_disease": 1,
    "obesity": 1,
    "psychiatric": 1,
    "pulmonary_moderate": 2,
    "renal_moderate_severe": 2,
    "peptic_ulcer": 2,
    "rheumatologic": 2,
    "heart_valve_disease": 3,
    "hepatic_moderate_severe": 3,
    "prior_solid_tumour": 3,
    "pulmonary_severe": 3,
}
GRADED = {("hepatic_mild", "hepatic_moderate_severe"), ("pulmonary_moderate", "pulmonary_severe")}
