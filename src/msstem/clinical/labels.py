"""Display words for msstem's closed vocabularies and profile fields: one set, every layer.

The vocabularies themselves are defined once where they belong (``MsCourse`` in
``clinical.profile``, ``Verdict`` in ``eligibility``, ``Applicability`` in ``decision``, the
evidence schema's ``Literal`` types in ``evidence.models``, survival endpoints in
``outcomes``). Renderers (text, HTML, PDF, web pages) take their words from here, so a course,
verdict or field is called the same everywhere. ``tests/test_labels.py`` checks that every
value of every vocabulary has a label, and no label is left without a value.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

__all__ = [
    "APPLICABILITY_LABELS",
    "COURSE_LABELS",
    "CRITERION_STATUS_LABELS",
    "DESIGN_LABELS",
    "ENDPOINT_LABELS",
    "EVIDENCE_STAGE_LABELS",
    "OUTCOME_LABELS",
    "PROFILE_FIELD_LABELS",
    "THERAPY_LABELS",
    "VERDICT_LABELS",
]

#: MS courses (``Profile.ms_course``), in words.
COURSE_LABELS: Final[Mapping[str, str]] = {
    "RRMS": "Relapsing-remitting MS (RRMS)",
    "SPMS": "Secondary progressive MS (SPMS)",
    "PPMS": "Primary progressive MS (PPMS)",
    "CIS": "Clinically isolated syndrome (CIS)",
}

#: Short names of the profile fields, as the summary and reports show them.
PROFILE_FIELD_LABELS: Final[Mapping[str, str]] = {
    "age": "Age (years)",
    "ms_course": "Type of MS",
    "disease_duration_years": "Years since first MS symptoms",
    "edss": "EDSS score",
    "relapses_12m": "Relapses in the last 12 months",
    "relapses_24m": "Relapses in the last 24 months",
    "relapses_36m": "Relapses in the last 36 months",
    "gd_lesions_12m": "Gd+ lesions, last 12 months",
    "new_t2_lesions_12m": "New or enlarging T2 lesions, last 12 months",
    "activity_on_dmt": "Activity while on a DMT",
    "failed_high_efficacy_dmt": "Activity despite a high-efficacy DMT",
    "current_dmt": "Current DMT",
    "hctci_items": "Other health conditions",
    "pregnant": "Pregnant",
}

#: Eligibility verdicts (msstem.eligibility.Verdict) and criterion statuses.
VERDICT_LABELS: Final[Mapping[str, str]] = {
    "meets": "meets the criteria",
    "does_not_meet": "does not meet the criteria",
    "insufficient_data": "not enough information",
}
CRITERION_STATUS_LABELS: Final[Mapping[str, str]] = {
    "met": "met",
    "not_met": "not met",
    "unknown": "unknown",
}
APPLICABILITY_LABELS: Final[Mapping[str, str]] = {
    "matches": "matches you",
    "partly": "partly matches you",
    "does_not_match": "does not match you",
}

#: Plain-language labels for the evidence schema's outcome vocabulary.
OUTCOME_LABELS: Final[Mapping[str, str]] = {
    "neda": "No evidence of disease activity (NEDA)",
    "progression": "Disability got worse (progression)",
    "progression_free": "No disability worsening (progression-free)",
    "event_free": "Event-free: alive, with no disease activity (event-free survival)",
    "relapse_free": "No relapses (relapse-free)",
    "mri_activity_free": "No new MRI activity",
    "treatment_related_death": "Died because of the treatment (treatment-related death)",
    "death": "Died (any cause)",
    "overall_survival": "Alive (overall survival)",
    "cdw": "Confirmed disability worsening",
    "cdw_free": "No confirmed disability worsening",
    "improvement": "Disability improved",
    "annualised_relapse_rate": "Relapses per year",
    "pml": "PML, a rare and serious brain infection",
    "serious_infection": "Serious infection",
    "infection": "Infection",
    "thyroid_disease": "Thyroid disease",
    "itp": "Immune thrombocytopenia (ITP, low platelets)",
    "secondary_autoimmunity": "A new autoimmune disease (secondary autoimmunity)",
    "infusion_reaction": "Infusion or injection reaction",
    "lymphopenia": "Low lymphocyte count (lymphopenia)",
    "herpes_zoster": "Shingles (herpes zoster)",
    "febrile_neutropenia": "Fever with very low white cells (febrile neutropenia)",
    "grade3_adverse_event": "Severe side effect (grade 3 or higher)",
    "serious_adverse_event": "Serious adverse event",
    "menses_recovery": "Periods came back after treatment (menses recovery)",
    "pregnancy": "Became pregnant after treatment",
    "low_immunoglobulin": "Low antibody (immunoglobulin) levels",
}

#: Display names for the evidence schema's therapy vocabulary.
THERAPY_LABELS: Final[Mapping[str, str]] = {
    "ahsct": "aHSCT (autologous haematopoietic stem cell transplantation)",
    "ocrelizumab": "Ocrelizumab",
    "natalizumab": "Natalizumab",
    "alemtuzumab": "Alemtuzumab",
    "ofatumumab": "Ofatumumab",
    "cladribine": "Cladribine tablets",
    "msc": "Mesenchymal stem cells (MSC, experimental)",
    "interferon-beta": "Interferon beta (trial comparator)",
    "teriflunomide": "Teriflunomide (trial comparator)",
    "placebo": "Placebo (trial comparator)",
    "dmt-mixed": "Disease-modifying therapies (mixed)",
}

#: Plain words for the evidence schema's study designs.
DESIGN_LABELS: Final[Mapping[str, str]] = {
    "rct": "randomised trial",
    "single-arm": "single-arm study (no comparison group)",
    "cohort": "cohort study (observational)",
    "registry": "registry data (observational)",
    "meta-analysis": "meta-analysis (studies pooled)",
    "post-hoc": "later analysis of a trial (post hoc)",
    "extension": "trial extension (after the randomised phase)",
}

#: Where each stem-cell type stands as a treatment for MS.
EVIDENCE_STAGE_LABELS: Final[Mapping[str, str]] = {
    "in-use": "Used in MS treatment today",
    "clinical-trials": "Being tested in clinical trials in MS",
    "experimental": "Experimental: early research only",
    "disease-modelling": "Used in the lab to study MS, not as a treatment",
}

#: Human wording of each endpoint, for plots and reports.
ENDPOINT_LABELS: Final[Mapping[str, str]] = {
    "cdw": "Free of confirmed disability worsening",
    "pira": "Free of PIRA",
    "relapse": "Relapse-free",
    "activity": "Free of disease activity (NEDA-3)",
}
