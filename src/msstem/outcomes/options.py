"""Settings for progression-event detection: one frozen, validated options object.

Field names are the CLI flags (``--conf-days`` is ``conf_days``). Defaults equal pymsprog
1.0.7's ``MSprog`` defaults (msprog: montobbio-2024-msprog), so a run with default options
is comparable with the field's reference implementation. Each field's meaning, default and
source is documented in ``docs/outcomes-progression.md``.
"""

from __future__ import annotations

import math
from typing import Any, Final, Literal

from pydantic import Field, field_validator, model_validator

from msstem.base import Options
from msstem.errors import OptionsError
from msstem.evidence.pira_definitions import PIRA_DEFINITION_IDS, PiraDefinitionId

__all__ = [
    "OPTIONS_SOURCE_IDS",
    "PIRA_DEFINITION_IDS",
    "BaselineScheme",
    "EventMode",
    "PiraDefinitionId",
    "ProgressionOptions",
    "RelapseIndep",
]

OPTIONS_SOURCE_IDS: Final = ("montobbio-2024-msprog",)

EventMode = Literal["firstCDW", "firstCDI", "first", "firstPIRA", "firstRAW", "multiple"]
BaselineScheme = Literal["fixed", "roving", "roving_impr", "roving_wors"]
Window = tuple[float, float]
OptWindow = tuple[float | None, float | None]

#: msprog's default confirmation period: 12 weeks (montobbio-2024-msprog).
DEFAULT_CONF_DAYS: Final = (84,)
#: msprog's default tolerance around it: 7 days before, 2 years (730.5 days) after.
DEFAULT_CONF_TOL_DAYS: Final = (7.0, 730.5)
#: msprog: a baseline or confirmation visit must be >= 30 days after a relapse.
DEFAULT_RELAPSE_TO_BL: Final = (30.0, 0.0)
DEFAULT_RELAPSE_TO_CONF: Final = (30.0, 0.0)
#: msprog: no relapse constraint on the onset visit itself.
DEFAULT_RELAPSE_TO_EVENT: Final = (0.0, 0.0)
#: msprog: a worsening <= 90 days after a relapse (or on its day) is relapse-associated (RAW).
DEFAULT_RELAPSE_ASSOC: Final = (90.0, 0.0)


def _window(value: Any, field: str) -> Any:
    """msprog's convention: a scalar x means (x, 0): distance after the last relapse only."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return (float(value), 0.0)
    if isinstance(value, list | tuple) and len(value) == 1:
        return (value[0], 0.0)
    return value


class RelapseIndep(Options):
    """Relapse-free windows that make a non-RAW worsening PIRA (msprog's ``relapse_indep``).

    Each checkpoint T (``prec``: a visit before onset chosen by ``prec_type``; ``event``: the
    onset; ``conf``: a confirmation visit) gets the closed window [T - left, T + right]; a
    window with both ends 0 is ignored. ``None`` as the right end of one checkpoint and the
    left end of the next merges the two windows. Defaults: msprog's (montobbio-2024-msprog).
    """

    prec: OptWindow = (0.0, 0.0)
    event: OptWindow = (90.0, 30.0)
    conf: OptWindow = (90.0, 30.0)
    prec_type: Literal["baseline", "last", "last_delta"] = "baseline"
    #: msprog's ``use_end_dates``: with relapse end dates, PIRA means the onset and a
    #: confirmation visit each lie outside every relapse (onset to end), with no relapse
    #: starting within ``event[1]`` / ``conf[1]`` days after them; the other bounds are unused.
    use_end_dates: bool = False

    @field_validator("prec", "event", "conf")
    @classmethod
    def _non_negative(cls, value: OptWindow) -> OptWindow:
        for end in value:
            if end is not None and (math.isnan(end) or end < 0):
                raise ValueError("window ends must be >= 0 days or None")
        return value


class ProgressionOptions(Options):
    """Every setting of :func:`msstem.outcomes.detect_progression` (frozen, validated).

    Invalid values raise :class:`~msstem.errors.OptionsError` naming the field and what is
    allowed. Defaults are msprog's (montobbio-2024-msprog); see docs/outcomes-progression.md.
    """

    outcome: Literal["edss", "nhpt", "t25fw", "sdmt", "custom"] = "edss"
    event: EventMode = "firstCDW"
    baseline: BaselineScheme = "fixed"
    proceed_from: Literal["firstconf", "event"] = "firstconf"
    sub_threshold_rebl: Literal["none", "event", "improvement", "worsening"] = "none"
    bl_geq: bool = False
    relapse_rebl: bool = False
    skip_local_extrema: Literal["none", "strict", "all"] = "none"
    conf_days: tuple[int, ...] = DEFAULT_CONF_DAYS
    conf_tol_days: Window = DEFAULT_CONF_TOL_DAYS
    require_sust_days: float = Field(default=0.0, ge=0)
    check_intermediate: bool = True
    relapse_to_bl: Window = DEFAULT_RELAPSE_TO_BL
    relapse_to_event: Window = DEFAULT_RELAPSE_TO_EVENT
    relapse_to_conf: Window = DEFAULT_RELAPSE_TO_CONF
    relapse_assoc: Window = DEFAULT_RELAPSE_ASSOC
    relapse_indep: RelapseIndep = RelapseIndep()
    raw_pira: bool = False
    impute_last_visit: float = Field(default=0.0, ge=0)
    worsening: Literal["increase", "decrease"] | None = None
    pymsprog_compat: bool = False
    duplicate_visits: Literal["error", "keep_last", "keep_first"] = "error"
    unknown_relapse_subjects: Literal["error", "drop"] = "error"
    #: Same subject, same onset date twice: an error, or counted once with a warning.
    duplicate_relapses: Literal["error", "collapse"] = "error"
    #: Ids of relapses (and MRI, treatments) that match visits only as numbers (7 vs 007):
    #: an error, or matched by number with a warning (docs/outcomes.md).
    id_match: Literal["exact", "numeric"] = "exact"
    subject_col: str = Field(default="id", min_length=1)
    date_col: str = Field(default="date", min_length=1)
    value_col: str = Field(default="edss", min_length=1)
    relapse_subject_col: str = Field(default="id", min_length=1)
    relapse_date_col: str = Field(default="date", min_length=1)
    #: msprog's ``renddate_col``: relapse end dates; relapse windows then follow each
    #: relapse's own duration (docs/outcomes-progression.md).
    relapse_end_col: str | None = Field(default=None, min_length=1)
    #: msprog's ``validconf_col``: a visits column, true where the visit may confirm an event.
    validconf_col: str | None = Field(default=None, min_length=1)
    #: A named PIRA definition from the evidence base (its relapse-free windows, baseline
    #: scheme and re-baselining); options given explicitly override the preset's.
    pira_definition: PiraDefinitionId | None = None

    @model_validator(mode="before")
    @classmethod
    def _apply_pira_definition(cls, data: Any) -> Any:
        if not isinstance(data, dict) or data.get("pira_definition") is None:
            return data
        name = data["pira_definition"]
        if name not in PIRA_DEFINITION_IDS:
            return data  # the field's own check names the allowed definitions
        return {**pira_preset(name), **data}

    @field_validator("relapse_indep", mode="before")
    @classmethod
    def _indep_default(cls, value: Any) -> Any:
        # msprog: None means the default PIRA windows.
        return RelapseIndep() if value is None else value

    @field_validator("conf_days", mode="before")
    @classmethod
    def _conf_days_seq(cls, value: Any) -> Any:
        if isinstance(value, int | float) and not isinstance(value, bool):
            return (value,)
        return value

    @field_validator("conf_days")
    @classmethod
    def _conf_days_valid(cls, value: tuple[int, ...]) -> tuple[int, ...]:
        if not value:
            raise ValueError("give at least one confirmation period in days")
        if any(c <= 0 for c in value):
            raise ValueError("confirmation periods must be positive numbers of days")
        if len(set(value)) != len(value):
            raise ValueError("confirmation periods must be distinct")
        return value

    @field_validator("conf_tol_days", mode="before")
    @classmethod
    def _tol_symmetric(cls, value: Any) -> Any:
        # msprog: a scalar tolerance is symmetric.
        if isinstance(value, int | float) and not isinstance(value, bool):
            return (value, value)
        if isinstance(value, list | tuple) and len(value) == 1:
            return (value[0], value[0])
        return value

    @field_validator("conf_tol_days")
    @classmethod
    def _tol_valid(cls, value: Window) -> Window:
        left, right = value
        if math.isnan(left) or math.isnan(right) or left < 0 or right < 0 or math.isinf(left):
            raise ValueError("tolerance must be (left, right) days >= 0; right may be inf")
        return value

    @field_validator(
        "relapse_to_bl", "relapse_to_event", "relapse_to_conf", "relapse_assoc", mode="before"
    )
    @classmethod
    def _scalar_window(cls, value: Any) -> Any:
        return _window(value, "")

    @field_validator("relapse_to_bl", "relapse_to_event", "relapse_to_conf", "relapse_assoc")
    @classmethod
    def _window_valid(cls, value: Window) -> Window:
        if any(math.isnan(x) or x < 0 for x in value):
            raise ValueError("relapse windows must be (after, before) days >= 0")
        return value

    @field_validator("require_sust_days", "impute_last_visit")
    @classmethod
    def _not_nan(cls, value: float) -> float:
        if math.isnan(value):
            raise ValueError("must be a number, not NaN")
        return value

    @field_validator("impute_last_visit")
    @classmethod
    def _impute_valid(cls, value: float) -> float:
        # msprog draws 0<p<1 from numpy's global random state, which no caller can seed:
        # results would not be reproducible, so msstem does not offer it.
        if 0 < value < 1:
            raise ValueError(
                "allowed: 0 (never impute), 1 (always impute an unconfirmed worsening at the "
                "last visit) or a number of days > 1 (impute only within that follow-up); "
                "probabilities between 0 and 1 are not supported (not reproducible)"
            )
        if math.isinf(value):
            raise ValueError("must be finite (use 1 to always impute)")
        return value

    @model_validator(mode="after")
    def _end_dates_for_pira(self) -> ProgressionOptions:
        if self.relapse_indep.use_end_dates and self.relapse_end_col is None:
            raise ValueError("relapse_indep: use_end_dates needs relapse end dates "
                             "(relapse_end_col)")
        return self

    @model_validator(mode="after")
    def _custom_needs_direction(self) -> ProgressionOptions:
        if self.outcome == "custom" and self.worsening is None:
            raise ValueError(
                "worsening: outcome 'custom' needs worsening='increase' or 'decrease'"
            )
        return self

    # Derived settings --------------------------------------------------------------------

    @property
    def worsening_direction(self) -> Literal["increase", "decrease"]:
        """Higher is worse for EDSS, NHPT and T25FW; lower is worse for SDMT."""
        if self.outcome == "custom":
            assert self.worsening is not None
            return self.worsening
        return "decrease" if self.outcome == "sdmt" else "increase"

    @property
    def classifies_raw_pira(self) -> bool:
        """msprog: forced on for firstPIRA/firstRAW, off for firstCDI."""
        if self.event in ("firstPIRA", "firstRAW"):
            return True
        if self.event == "firstCDI":
            return False
        return self.raw_pira

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready settings (inf written as the string 'inf')."""

        def fix(x: Any) -> Any:
            if isinstance(x, float) and math.isinf(x):
                return "inf"
            if isinstance(x, list | tuple):
                return [fix(i) for i in x]
            if isinstance(x, dict):
                return {k: fix(i) for k, i in x.items()}
            return x

        out: dict[str, Any] = fix(self.model_dump())
        return out


def pira_preset(name: str) -> dict[str, Any]:
    """The options a named PIRA definition stands for (from the evidence base): its
    relapse-free windows, baseline scheme, re-baselining, and RAW/PIRA classification on."""
    from msstem.evidence import load_evidence

    found = [d for d in load_evidence().pira_definitions if d.id == name]
    if not found:  # pragma: no cover - the evidence check keeps the data and names in step
        raise OptionsError(f"pira_definition: {name!r} is not in the evidence base",
                           field="pira_definition")
    d = found[0]
    preset: dict[str, Any] = {
        "relapse_indep": {
            "prec": (d.prec.before, d.prec.after),
            "event": (d.event.before, d.event.after),
            "conf": (d.conf.before, d.conf.after),
            "prec_type": d.prec_type,
        },
        "relapse_rebl": d.relapse_rebl,
        "raw_pira": True,
    }
    if d.baseline is not None:
        preset["baseline"] = d.baseline
    return preset
