"""Longitudinal outcome analytics: progression events, NEDA-3, relapse rates, survival.

Progression (:func:`detect_progression`) is msprog's algorithm (montobbio-2024-msprog) over a
compiled columnar kernel; see docs/outcomes-progression.md. NEDA-3, annualised relapse rates
and Kaplan-Meier survival live in ``activity``, ``relapse_rate`` and ``survival``; their plots
are renderers, in :mod:`msstem.reports.plots`; see docs/outcomes.md.

Names are imported on first use (PEP 562): ``import msstem.outcomes`` (and the CLI, which
reads the options models to build its flags) imports neither numba nor scipy; the kernel
is compiled (or loaded from numba's cache) only when a command runs it.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from msstem.base import lazy_exports
from msstem.outcomes.deltas import DELTA_SOURCE_IDS, compute_delta, kalincik_edss_delta
from msstem.outcomes.options import OPTIONS_SOURCE_IDS, ProgressionOptions, RelapseIndep

if TYPE_CHECKING:
    from msstem.outcomes.activity import NedaResult, assess_neda
    from msstem.outcomes.analytics_options import (
        ArrOptions,
        ClinicalColumns,
        NedaOptions,
        SurvivalOptions,
    )
    from msstem.outcomes.clinical_inputs import (
        IndexedCohort,
        build_cohort,
        load_mri,
        load_treatments,
    )
    from msstem.outcomes.methods import methods_text
    from msstem.outcomes.milestones import MilestoneResult, value_milestone
    from msstem.outcomes.progression import ProgressionResult, detect_progression
    from msstem.outcomes.relapse_rate import (
        ArrResult,
        annualised_relapse_rates,
        garwood_interval,
    )
    from msstem.outcomes.sensitivity import SensitivityResult, pira_sensitivity
    from msstem.outcomes.survival import KmResult, kaplan_meier, survival_curves

__all__ = [
    "ArrOptions",
    "ArrResult",
    "ClinicalColumns",
    "IndexedCohort",
    "KmResult",
    "MilestoneResult",
    "NedaOptions",
    "NedaResult",
    "ProgressionOptions",
    "ProgressionResult",
    "RelapseIndep",
    "SensitivityResult",
    "SurvivalOptions",
    "annualised_relapse_rates",
    "assess_neda",
    "build_cohort",
    "cited_source_ids",
    "compute_delta",
    "detect_progression",
    "garwood_interval",
    "kalincik_edss_delta",
    "kaplan_meier",
    "load_mri",
    "load_treatments",
    "methods_text",
    "pira_sensitivity",
    "survival_curves",
    "value_milestone",
]

# public name -> module that defines it (imported lazily)
_LAZY = {
    "ProgressionResult": "progression",
    "detect_progression": "progression",
    "NedaResult": "activity",
    "assess_neda": "activity",
    "ArrOptions": "analytics_options",
    "ClinicalColumns": "analytics_options",
    "NedaOptions": "analytics_options",
    "SurvivalOptions": "analytics_options",
    "IndexedCohort": "clinical_inputs",
    "build_cohort": "clinical_inputs",
    "load_mri": "clinical_inputs",
    "load_treatments": "clinical_inputs",
    "methods_text": "methods",
    "MilestoneResult": "milestones",
    "value_milestone": "milestones",
    "SensitivityResult": "sensitivity",
    "pira_sensitivity": "sensitivity",
    "ArrResult": "relapse_rate",
    "annualised_relapse_rates": "relapse_rate",
    "garwood_interval": "relapse_rate",
    "KmResult": "survival",
    "kaplan_meier": "survival",
    "survival_curves": "survival",
}


__getattr__, __dir__ = lazy_exports(
    _LAZY, globals(), lambda sub: importlib.import_module(f"msstem.outcomes.{sub}"))


def cited_source_ids() -> tuple[str, ...]:
    """Evidence source ids that the progression constants cite (sorted, unique).

    EDSS/NHPT/T25FW/SDMT minimum changes and the option defaults: montobbio-2024-msprog and
    kalincik-2015-cdw. (The EDSS grid itself cites ``msstem.clinical.edss.EDSS_SOURCE_IDS``;
    NEDA-3 cites ``msstem.outcomes.activity.NEDA_SOURCE_IDS``.)
    """
    return tuple(sorted({*DELTA_SOURCE_IDS, *OPTIONS_SOURCE_IDS}))
