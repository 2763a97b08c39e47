"""The literature's PIRA definitions as named, cited presets (``pira_definitions.yaml``).

Each definition is the set of relapse-free windows that makes a confirmed worsening PIRA
(progression independent of relapse activity), written as msprog's bounds around a
preceding visit (``prec``), the event onset (``event``) and the confirmation (``conf``),
together with the baseline scheme and re-baselining its paper uses. ``None`` as a bound
merges two neighbouring windows; a window with both bounds 0 is ignored. The windows, the
baseline schemes and the citations are those of the evidence notes (Part III section E,
from the PIRA vignette of the R package msprog). ``msstem.outcomes`` turns a definition
into ``ProgressionOptions`` (``pira_definition=...``).
"""

from __future__ import annotations

from typing import Final, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, model_validator

__all__ = [
    "PIRA_DEFINITION_IDS",
    "PiraDefinition",
    "PiraDefinitionId",
    "PiraWindow",
]

#: The named PIRA definitions, in the order the evidence notes list them.
PiraDefinitionId = Literal[
    "mueller2023", "mueller2023-specific", "kappos2020", "cagol2022", "mueller2025"
]
PIRA_DEFINITION_IDS: Final[tuple[str, ...]] = get_args(PiraDefinitionId)

_FROZEN = ConfigDict(extra="forbid", frozen=True)


class PiraWindow(BaseModel):
    """Days before and after a checkpoint that must be free of relapses (None: merged)."""

    model_config = _FROZEN

    before: float | None = Field(default=0.0, ge=0)
    after: float | None = Field(default=0.0, ge=0)


class PiraDefinition(BaseModel):
    """One literature definition of PIRA, with the paper it comes from."""

    model_config = _FROZEN

    id: PiraDefinitionId
    label: str = Field(min_length=1)
    #: The relapse-free requirement in words, as the evidence notes state it.
    requirement: str = Field(min_length=1)
    prec: PiraWindow
    event: PiraWindow
    conf: PiraWindow
    prec_type: Literal["baseline", "last", "last_delta"] = "baseline"
    #: The baseline scheme the paper pairs with it; None where the source does not state it.
    baseline: Literal["fixed", "roving"] | None = None
    #: Re-baseline after each relapse (msprog's ``relapse_rebl``).
    relapse_rebl: bool = False
    source_ids: tuple[str, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _merges_pair_up(self) -> PiraDefinition:
        # msprog merges two windows when the right end of one and the left end of the next
        # are both None; a lone None would silently mean something else.
        pairs = ((self.prec.after, self.event.before), (self.event.after, self.conf.before))
        for right, left in pairs:
            if (right is None) != (left is None):
                raise ValueError("a merged window needs None on both sides (the right end of "
                                 "one checkpoint and the left end of the next)")
        if self.conf.after is None:
            raise ValueError("conf.after cannot be None (nothing follows to merge with)")
        return self
