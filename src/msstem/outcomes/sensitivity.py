"""PIRA sensitivity analysis: every named PIRA definition at 12- and 24-week confirmation.

One call runs the progression engine under each of the literature's PIRA definitions (the
evidence base's ``pira_definitions.yaml``: relapse-free windows, baseline scheme and
re-baselining, each cited) crossed with a 12-week (84-day) and a 24-week (168-day)
confirmation period: 10 settings. The cohort is read and validated once. Every other
setting comes from the options given (event mode, tolerance, relapse distances, ...); each
definition's own windows, baseline scheme and re-baselining replace the given ones, so the
rows differ only by definition and confirmation period.

The table has one row per setting: counts of CDW, RAW, PIRA and undefined worsening, the
subjects with at least one PIRA, and rates per 100 person-years of follow-up (follow-up:
first to last visit of each subject).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Final

import numpy as np
import pandas as pd

from msstem.errors import OptionsError
from msstem.outcomes._kernel import T_CDW, T_PIRA, T_RAW
from msstem.outcomes.inputs import CohortArrays, load_cohort
from msstem.outcomes.options import PIRA_DEFINITION_IDS, ProgressionOptions, pira_preset
from msstem.outcomes.progression import DeltaFun, run_on_arrays, visit_deltas
from msstem.outcomes.tables import Source

__all__ = ["SENSITIVITY_COLUMNS", "SENSITIVITY_CONF_DAYS", "SensitivityResult",
           "pira_sensitivity"]

#: 12- and 24-week confirmation, the two periods of the sensitivity table (in days).
SENSITIVITY_CONF_DAYS: Final = (84, 168)
#: Rates are per this many person-years of follow-up.
PERSON_YEARS_SCALE: Final = 100.0
DAYS_PER_YEAR: Final = 365.25

SENSITIVITY_COLUMNS: Final = (
    "pira_definition", "label", "conf_days", "baseline", "relapse_rebl", "subjects",
    "person_years", "CDW", "RAW", "PIRA", "undefined", "subjects_with_PIRA",
    "CDW_per_100py", "RAW_per_100py", "PIRA_per_100py", "source_ids",
)


def _version() -> str:
    from msstem import __version__

    return str(__version__)


@dataclass(frozen=True)
class SensitivityResult:
    """The sensitivity table, with the base options and the msstem version."""

    table: pd.DataFrame
    options: ProgressionOptions
    msstem_version: str = field(default_factory=_version)
    warnings: tuple[str, ...] = ()

    @property
    def summary(self) -> pd.DataFrame:
        return self.table

    def tables(self) -> dict[str, pd.DataFrame]:
        return {"sensitivity": self.table}

    def to_dict(self) -> dict[str, Any]:
        return {"msstem_version": self.msstem_version, "options": self.options.to_dict(),
                "warnings": list(self.warnings),
                "sensitivity": self.table.astype(object).where(self.table.notna(), None)
                .to_dict(orient="records")}

    def _repr_html_(self) -> str:
        return (f"<p>msstem {self.msstem_version}: PIRA sensitivity analysis</p>"
                + str(self.table.to_html(index=False)))


def setting_options(base: ProgressionOptions, definition: str,
                    conf_days: int) -> ProgressionOptions:
    """``base`` with one named PIRA definition and one confirmation period."""
    if definition not in PIRA_DEFINITION_IDS:
        raise OptionsError(f"pira_definition: unknown definition {definition!r}; known: "
                           f"{', '.join(PIRA_DEFINITION_IDS)}", field="pira_definition")
    values = base.model_dump()
    values.update(pira_preset(definition))
    values.update(pira_definition=definition, conf_days=(conf_days,))
    return ProgressionOptions(**values)


def sensitivity_on_cohort(cohort: CohortArrays, base: ProgressionOptions, *,
                          delta_fun: DeltaFun | None = None,
                          threads: Callable[[], int | None] | None = None) -> pd.DataFrame:
    """The sensitivity table for a cohort already loaded by ``load_cohort``.

    ``threads``: asked before each setting how many threads its kernel run may use (None:
    the default), so a caller running other work beside it can lend it the cores as they
    come free.
    """
    from msstem.evidence import load_evidence

    labels: dict[str, Any] = {d.id: d for d in load_evidence().pira_definitions}
    days = cohort.visit_days.astype(np.int64)
    follow_up = days[cohort.visit_offsets[1:] - 1] - days[cohort.visit_offsets[:-1]]
    person_years = float(follow_up.sum()) / DAYS_PER_YEAR
    rows = []
    # every setting shares the outcome, so the minimum change of each visit is computed once
    deltas = visit_deltas(cohort, base, delta_fun)
    for name in PIRA_DEFINITION_IDS:
        for conf in SENSITIVITY_CONF_DAYS:
            opts = setting_options(base, name, conf)
            # counted from the kernel's output directly (no events table is needed)
            raw = run_on_arrays(cohort, opts, deltas=deltas,
                                threads=None if threads is None else threads()).raw
            kinds = np.bincount(raw["type"], minlength=4)
            n_cdw = int(kinds[T_RAW] + kinds[T_PIRA] + kinds[T_CDW])
            if opts.classifies_raw_pira:
                counts = {"RAW": int(kinds[T_RAW]), "PIRA": int(kinds[T_PIRA]),
                          "undefined": int(kinds[T_CDW])}
                with_pira = len(np.unique(raw["subj"][raw["type"] == T_PIRA]))
            else:  # unclassified worsening is neither RAW, PIRA nor "undefined"
                counts = {"RAW": 0, "PIRA": 0, "undefined": 0}
                with_pira = 0

            def rate(n: int) -> float:
                return PERSON_YEARS_SCALE * n / person_years if person_years > 0 else np.nan

            rows.append({
                "pira_definition": name,
                "label": labels[name].label,
                "conf_days": conf,
                "baseline": opts.baseline,
                "relapse_rebl": opts.relapse_rebl,
                "subjects": cohort.n_subjects,
                "person_years": round(person_years, 2),
                "CDW": n_cdw,
                **counts,
                "subjects_with_PIRA": with_pira,
                "CDW_per_100py": round(rate(n_cdw), 2),
                "RAW_per_100py": round(rate(counts["RAW"]), 2),
                "PIRA_per_100py": round(rate(counts["PIRA"]), 2),
                "source_ids": " ".join(labels[name].source_ids),
            })
    return pd.DataFrame(rows, columns=list(SENSITIVITY_COLUMNS))


def pira_sensitivity(visits: Source, relapses: Source | None = None,
                     options: ProgressionOptions | None = None, *,
                     delta_fun: DeltaFun | None = None) -> SensitivityResult:
    """PIRA/RAW/CDW counts and rates under every named PIRA definition at 12- and 24-week
    confirmation (10 settings), from one read of the cohort."""
    opts = options if options is not None else ProgressionOptions(event="multiple")
    if not isinstance(opts, ProgressionOptions):
        raise OptionsError("options: expected a ProgressionOptions object", field="options")
    cohort = load_cohort(visits, relapses, opts)
    return SensitivityResult(table=sensitivity_on_cohort(cohort, opts, delta_fun=delta_fun),
                             options=opts, warnings=cohort.warnings)
