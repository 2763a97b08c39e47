"""Settings for a meta-analysis: one frozen, validated options object (metafor's names).

``measure`` is escalc()'s, ``method`` and ``knha`` are rma()'s; see docs/synthesis.md.
"""

from __future__ import annotations

from typing import Final, Literal, get_args

from pydantic import Field, StrictBool

from msstem.base import Options

__all__ = [
    "DEFAULT_ADD",
    "MEASURES",
    "METHODS",
    "Measure",
    "MetaOptions",
    "Method",
]

Measure = Literal["PLO", "PR", "GEN"]
Method = Literal["REML", "DL", "PM", "ML", "SJ", "HE", "FE"]
MEASURES: Final[tuple[str, ...]] = get_args(Measure)
METHODS: Final[tuple[str, ...]] = get_args(Method)

#: escalc()'s default continuity correction: 0.5 added to both cells of a study whose
#: event count is 0 or n (metafor: ``add = 1/2, to = "only0"``).
DEFAULT_ADD: Final = 0.5


class MetaOptions(Options):
    """How to pool: effect measure, tau² estimator, Knapp-Hartung, confidence level.

    Defaults are metafor's: ``measure="PLO"`` for single proportions (the metafor author's
    advice over Freeman-Tukey), ``method="REML"``, no Knapp-Hartung, 95% intervals.

    >>> MetaOptions(knha="yes")
    Traceback (most recent call last):
    ...
    msstem.errors.OptionsError: MetaOptions: knha: 'yes' is not true or false
    """

    measure: Measure = Field("PLO", description="escalc()'s effect measure.")
    method: Method = Field("REML", description="rma()'s tau² estimator (FE: fixed effect).")
    knha: StrictBool = Field(False, description="Knapp-Hartung adjustment (rma()'s test='knha').")
    level: float = Field(95.0, gt=0, lt=100, description="Confidence level, in percent.")
    add: float = Field(DEFAULT_ADD, ge=0, le=1,
                       description="Continuity correction for studies with 0 or n events.")

    @property
    def random_effects(self) -> bool:
        return self.method != "FE"
