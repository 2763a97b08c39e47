"""Options for NEDA-3, relapse rates and survival, and the behaviour their results share.

Every option object is a frozen pydantic model whose field names are the
``msstem outcomes`` flags (``index_therapy`` -> ``--index-therapy``). A bad value
raises :class:`~msstem.errors.OptionsError` naming the field and what is allowed.

Time conventions (msstem's own; stated in docs/outcomes.md):

* a *horizon* of H years ends on the calendar anniversary of the index date
  (index + H years; 29 February rolls back to 28 February), and activity on that
  day still counts inside the horizon;
* person-time and the time axis of survival curves are ``days / 365.25``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, get_args

import pandas as pd
from pydantic import Field, field_validator

from msstem import __version__
from msstem.base import Options, Result
from msstem.outcomes.options import ProgressionOptions

__all__ = [
    "DAYS_PER_YEAR",
    "DEFAULT_HORIZONS_YEARS",
    "ENDPOINTS",
    "NO_INDEX_GROUP",
    "AnalyticsResult",
    "ArrOptions",
    "ClinicalColumns",
    "Endpoint",
    "NedaOptions",
    "SurvivalOptions",
]

#: Days per person-year (msstem's convention: the mean Julian year, so leap years average out).
DAYS_PER_YEAR = 365.25
#: NEDA-3 horizons reported by default, in whole years after the index date.
DEFAULT_HORIZONS_YEARS: tuple[int, ...] = (1, 2, 5)
#: Group label for subjects whose treatments have no index therapy row.
NO_INDEX_GROUP = "(no index date)"

Endpoint = Literal["cdw", "pira", "relapse", "activity"]
#: Survival endpoints: first confirmed disability worsening, first PIRA, first relapse,
#: first evidence of disease activity (the NEDA-3 breaking event).
ENDPOINTS: tuple[Endpoint, ...] = get_args(Endpoint)


def _check_horizons(value: tuple[int, ...]) -> tuple[int, ...]:
    if not value:
        raise ValueError("give at least one horizon")
    if any(h < 1 for h in value):
        raise ValueError("horizons are whole years >= 1")
    if len(set(value)) != len(value):
        raise ValueError("horizons must not repeat")
    return tuple(sorted(value))


class ClinicalColumns(Options):
    """Column names of the MRI and treatments tables (visits/relapses: ProgressionOptions)."""

    mri_subject_col: str = Field("id", min_length=1, description="MRI table: subject id column.")
    mri_date_col: str = Field("date", min_length=1, description="MRI table: scan date column.")
    new_t2_col: str = Field(
        "new_t2", min_length=1, description="MRI table: count of new or enlarging T2 lesions."
    )
    gd_col: str = Field(
        "gd", min_length=1, description="MRI table: count of gadolinium-enhancing lesions."
    )
    treatment_subject_col: str = Field(
        "id", min_length=1, description="Treatments table: subject id column."
    )
    treatment_start_col: str = Field(
        "start", min_length=1, description="Treatments table: start date column."
    )
    therapy_col: str = Field(
        "therapy", min_length=1, description="Treatments table: therapy name column."
    )
    group_col: str = Field(
        "group",
        min_length=1,
        description="Treatments table: optional group column (used when present; "
        "else the group is the index therapy name).",
    )


class NedaOptions(Options):
    """NEDA-3 (no relapse, no MRI activity, no confirmed worsening) after an index date."""

    index_therapy: str | None = Field(
        None,
        min_length=1,
        description="Index date = first start of this therapy (case-insensitive); "
        "default: each subject's earliest treatment row.",
    )
    horizons_years: tuple[int, ...] = Field(
        DEFAULT_HORIZONS_YEARS,
        description="NEDA-3 horizons in whole years (calendar anniversaries).",
    )
    mri_rebaseline_days: int = Field(
        0,
        ge=0,
        description="Scans up to this many days after the index date are re-baseline scans, "
        "not assessed for activity (0: only the index-day scan is a baseline).",
    )
    followup_tolerance_days: int = Field(
        0,
        ge=0,
        description="A subject whose last EDSS visit and last MRI scan are at most this many days "
        "before a horizon still counts as followed to it.",
    )
    progression: ProgressionOptions = Field(
        default_factory=ProgressionOptions,
        description="Settings for confirmed disability worsening; msstem runs them with "
        "baseline=fixed (the last visit at or before the index date), event=multiple, raw_pira=on.",
    )

    _horizons = field_validator("horizons_years")(_check_horizons)


class ArrOptions(Options):
    """Annualised relapse rate per subject and per group, with exact Poisson intervals."""

    index_therapy: str | None = Field(
        None, min_length=1, description="As for NEDA-3: defines the before/after split."
    )
    alpha: float = Field(
        0.05, gt=0, lt=1, description="1 - confidence level of the intervals (0.05 -> 95%)."
    )
    pre_index_years: int | None = Field(
        None,
        ge=1,
        description="Before-index window: this many calendar years before the index date "
        "(default: from the first visit).",
    )
    post_index_years: int | None = Field(
        None,
        ge=1,
        description="After-index window: at most this many calendar years after the index date "
        "(default: to the last visit).",
    )


class SurvivalOptions(Options):
    """Kaplan-Meier estimates of time to first event, by group."""

    index_therapy: str | None = Field(
        None, min_length=1, description="As for NEDA-3: the time origin and the group."
    )
    alpha: float = Field(0.05, gt=0, lt=1, description="1 - confidence level of the bands.")
    endpoints: tuple[Endpoint, ...] = Field(
        ENDPOINTS,
        description="Which survival endpoints to estimate.",
    )
    at_risk_step_years: int = Field(
        1, ge=1, description="Spacing of the at-risk table under the curves, in years."
    )
    horizons_years: tuple[int, ...] = Field(
        DEFAULT_HORIZONS_YEARS, description="Years at which the summary reads the curves."
    )

    _horizons = field_validator("horizons_years")(_check_horizons)

    @field_validator("endpoints")
    @classmethod
    def _unique_endpoints(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        if not value:
            raise ValueError("give at least one endpoint")
        return tuple(dict.fromkeys(value))


@dataclass(frozen=True)
class AnalyticsResult(Result):
    """What every analytics result offers: a tidy frame, a summary, files, HTML, a dict.

    Subclasses are frozen dataclasses that set ``options`` and implement ``to_frame``
    and ``summary``; ``_repr_html_`` comes from :class:`msstem.base.Result`.
    """

    options: Options
    msstem_version: str = field(default=__version__, kw_only=True)
    warnings: tuple[str, ...] = field(default=(), kw_only=True)

    def to_frame(self) -> pd.DataFrame:  # pragma: no cover - abstract
        raise NotImplementedError

    @property
    def summary(self) -> pd.DataFrame:  # pragma: no cover - abstract
        raise NotImplementedError

    def to_csv(self, path: str | Path) -> Path:
        """Write :meth:`to_frame` as CSV (dates as YYYY-MM-DD); return the path."""
        out = Path(path)
        self.to_frame().to_csv(out, index=False, date_format="%Y-%m-%d")
        return out

    def to_parquet(self, path: str | Path) -> Path:
        """Write :meth:`to_frame` as Parquet; return the path."""
        out = Path(path)
        self.to_frame().to_parquet(out, index=False)
        return out

    def to_dict(self) -> dict[str, Any]:
        """Options, version, warnings and the summary table, JSON-ready."""
        summary = self.summary.astype(object).where(self.summary.notna(), None)
        return {
            "kind": type(self).__name__,
            "msstem_version": self.msstem_version,
            "options": self.options.model_dump(mode="json"),
            "warnings": list(self.warnings),
            "summary": summary.to_dict(orient="records"),
        }
