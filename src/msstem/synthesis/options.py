"""Settings for a meta-analysis: one frozen, validated options object (metafor's names).

``measure`` is escalc()'s, ``method`` and ``knha`` are rma()'s; see docs/synthesis.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, Literal, get_args

from msstem.errors import OptionsError

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


@dataclass(frozen=True)
class MetaOptions:
    """How to pool: effect measure, tau² estimator, Knapp-Hartung, confidence level.

    Defaults are metafor's: ``measure="PLO"`` for single proportions (the metafor author's
    advice over Freeman-Tukey), ``method="REML"``, no Knapp-Hartung, 95% intervals.
    """

    measure: Measure = "PLO"
    method: Method = "REML"
    knha: bool = False
    level: float = 95.0
    add: float = DEFAULT_ADD

    def __post_init__(self) -> None:
        if self.measure not in MEASURES:
            raise OptionsError(
                f"measure: unknown measure {self.measure!r}; allowed: {', '.join(MEASURES)}",
                field="measure",
            )
        if self.method not in METHODS:
            raise OptionsError(
                f"method: unknown method {self.method!r}; allowed: {', '.join(METHODS)}",
                field="method",
            )
        if not isinstance(self.knha, bool):
            raise OptionsError(f"knha: must be true or false (given {self.knha!r})", field="knha")
        if not 0.0 < float(self.level) < 100.0:
            raise OptionsError(
                f"level: must be between 0 and 100 (given {self.level!r})", field="level"
            )
        if not 0.0 <= float(self.add) <= 1.0:
            raise OptionsError(f"add: must be between 0 and 1 (given {self.add!r})", field="add")

    @property
    def random_effects(self) -> bool:
        return self.method != "FE"

    def to_dict(self) -> dict[str, object]:
        return {"measure": self.measure, "method": self.method, "knha": self.knha,
                "level": self.level, "add": self.add}
