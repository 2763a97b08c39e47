"""The entry limits an offer's own criteria are compared with, read from the evidence base.

The `entry-criteria` sign says which guideline or trial an offer's stated age limit, EDSS limit
or MS course contradicts, so it needs each guideline's and trial's upper limits. They are
read here from the evidence data (``trials.yaml`` entry criteria and ``guidelines.yaml``
recommendations), so that the numbers are written once, in the data, and every number shown
is the data's. Until the evidence layer offers typed, structured criteria, this module reads
the criterion sentences with a few fixed forms ("Age 18 to 55.", "EDSS 6.0 or less ...",
"under 50 years", "EDSS under 6.0"); a sentence in another form is simply not used.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final, Literal

from msstem.evidence import EvidenceBase

__all__ = ["EntryLimit", "Quantity", "course_rules", "entry_limits", "short_name"]

Quantity = Literal["age", "edss"]
RecordKind = Literal["trial", "guideline"]

_NUMBER: Final = r"(\d+(?:\.\d+)?)"
_TRIAL_AGE: Final = re.compile(rf"^Age {_NUMBER} to {_NUMBER}\b")
_TRIAL_EDSS: Final = re.compile(rf"^EDSS {_NUMBER}(?: or less| to {_NUMBER})\b")
_PROGRESSIVE: Final = re.compile(r"\bprogressive MS\b|\bPPMS\b", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class EntryLimit:
    """An upper limit on age or EDSS in one trial's entry criteria or one guideline."""

    record_id: str
    name: str  # short name shown to users, e.g. "BEAT-MS" or "ECTRIMS-EBMT 2025"
    kind: RecordKind
    quantity: Quantity
    upper: float
    inclusive: bool  # "18 to 55" includes 55; "under 50" does not
    wording: str  # the criterion sentence it was read from
    source_ids: tuple[str, ...]

    def text(self) -> str:
        """E.g. ``BEAT-MS 55`` or ``NMSS 2021 under 50``."""
        value = f"{self.upper:g}" if self.quantity == "age" else f"{self.upper:.1f}"
        return f"{self.name} {value}" if self.inclusive else f"{self.name} under {value}"


def short_name(name: str) -> str:
    """A record's name up to its first parenthesis: "BEAT-MS (Best ...)" -> "BEAT-MS"."""
    return name.split(" (", 1)[0].strip()


def _guideline_name(organisation: str | None, year: int | None, fallback: str) -> str:
    names = {
        "National Multiple Sclerosis Society (US)": "NMSS",
        "ECTRIMS and EBMT": "ECTRIMS-EBMT",
        "American Society for Transplantation and Cellular Therapy": "ASTCT",
        "European Society for Blood and Marrow Transplantation (ADWP) and JACIE": "EBMT",
        "NMDP / Be The Match": "NMDP referral",
    }
    base = names.get(organisation or "", short_name(organisation or fallback))
    return f"{base} {year}" if year else base


def _structured(eb: EvidenceBase) -> list[EntryLimit]:
    """Upper age and EDSS limits from the evidence base's structured criteria."""
    names: dict[str, tuple[str, RecordKind, tuple[str, ...]]] = {}
    for trial in eb.trials:
        names[trial.id] = (short_name(trial.name), "trial", tuple(trial.source_ids))
    for guideline in eb.guidelines:
        names[guideline.id] = (
            _guideline_name(guideline.organisation, guideline.year, guideline.name),
            "guideline", tuple(guideline.source_ids),
        )
    limits: list[EntryLimit] = []
    for located in eb.criteria():
        c = located.criterion
        if located.owner not in names or c.measure not in ("age", "edss"):
            continue
        if c.comparison not in ("<", "<="):
            continue
        name, kind, _ = names[located.owner]
        quantity: Quantity = "age" if c.measure == "age" else "edss"
        limits.append(EntryLimit(
            located.owner, name, kind, quantity, float(c.value), c.comparison == "<=",
            c.quote or c.id, (c.source_id,),
        ))
    return limits


def entry_limits(eb: EvidenceBase) -> tuple[EntryLimit, ...]:
    """Every upper age and EDSS limit of the evidence base's trials and guidelines.

    The structured criteria (``criteria:`` in ``trials.yaml`` and ``guidelines.yaml``) come
    first; a trial with no structured limit for a measure (MESEMS has no rule set) is read
    from its criterion sentences ("Age 18 to 50.", "EDSS 2.5 to 6.5.").
    """
    limits = _structured(eb)
    have = {(x.record_id, x.quantity) for x in limits}
    for trial in eb.trials:
        name = short_name(trial.name)
        for criterion in trial.entry_criteria:
            trial_forms: tuple[tuple[Quantity, re.Pattern[str]], ...] = (
                ("age", _TRIAL_AGE), ("edss", _TRIAL_EDSS)
            )
            for quantity, pattern in trial_forms:
                m = pattern.search(criterion)
                if m is None or (trial.id, quantity) in have:
                    continue
                upper = m.group(2) or m.group(1)
                limits.append(
                    EntryLimit(trial.id, name, "trial", quantity, float(upper), True, criterion,
                               tuple(trial.source_ids))
                )
    return tuple(limits)


def course_rules(eb: EvidenceBase) -> tuple[tuple[str, str, tuple[str, ...]], ...]:
    """(short name, recommendation text, source ids) for every guideline and trial criterion
    that says when progressive MS is eligible (or that it is excluded)."""
    rules: list[tuple[str, str, tuple[str, ...]]] = []
    for guideline in eb.guidelines:
        name = _guideline_name(guideline.organisation, guideline.year, guideline.name)
        rules += [
            (name, text, tuple(guideline.source_ids))
            for text in guideline.recommendations
            if _PROGRESSIVE.search(text)
        ]
    for trial in eb.trials:
        rules += [
            (short_name(trial.name), text, tuple(trial.source_ids))
            for text in trial.entry_criteria
            if _PROGRESSIVE.search(text) and "exclu" in text.lower()
        ]
    return tuple(rules)
