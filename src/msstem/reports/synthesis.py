"""Text and JSON for derived (pooled) facts: ``msstem evidence show derived``."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from msstem.evidence import EvidenceBase
from msstem.evidence.arms import DerivedFact
from msstem.synthesis.derive import Gap

__all__ = ["derived_facts_json", "derived_facts_text"]


def _fmt(value: float) -> str:
    return f"{value:.1f}" if value >= 1 else f"{value:.2f}"


def derived_facts_text(
    facts: Sequence[DerivedFact], gaps: Sequence[Gap], eb: EvidenceBase,
) -> str:
    lines: list[str] = []
    for d in facts:
        est, lb, ub = d.per_scale()
        horizon = "early" if d.horizon_years is None else f"{d.horizon_years:g} years"
        lines.append(f"{d.id}: {d.therapy} {d.outcome} ({horizon}; group {d.group})")
        figure = f"  {_fmt(est)} per {d.per:,} (95% CI {_fmt(lb)} to {_fmt(ub)}"
        if d.pi_lb is not None and d.pi_ub is not None:
            figure += f"; prediction interval {_fmt(d.pi_lb * d.per)} to {_fmt(d.pi_ub * d.per)}"
        lines.append(figure + ")")
        lines.append(f"  {d.k} stud{'y' if d.k == 1 else 'ies'}, {d.n_total:g} people; "
                     f"{d.method} on {d.measure}" + (f", moderators {', '.join(d.mods)} at "
                     + ", ".join(f"{k} {v:g}" for k, v in d.at) if d.mods else "")
                     + f"; I² {d.i2:.0f}%; certainty {d.certainty}")
        lines.append(f"  studies: {', '.join(d.arm_ids)}")
        lines += [f"  left out: {e.arm_id}: {e.reason}" for e in d.excluded]
        lines += [f"  certainty: {r}" for r in d.certainty_reasons]
        lines.append(f"  computed by {d.software} on {d.computed_on.isoformat()}")
    if gaps:
        lines.append("")
        lines.append("Not estimable (no study left after the harmonisation and overlap rules):")
        for g in gaps:
            why = "; ".join(f"{e.arm_id}: {e.reason}" for e in g.excluded) or \
                "no study reports it"
            lines.append(f"  {g.spec.id}: {why}")
    return "\n".join(lines)


def derived_facts_json(facts: Sequence[DerivedFact], gaps: Sequence[Gap]) -> dict[str, Any]:
    return {
        "derived_facts": [d.model_dump(mode="json") | {"at": dict(d.at)} for d in facts],
        "not_estimable": [
            {"id": g.spec.id, "therapy": g.spec.therapy, "outcome": g.spec.outcome,
             "horizon_years": g.spec.horizon_years, "group": g.spec.group,
             "excluded": [e.model_dump() for e in g.excluded]}
            for g in gaps
        ],
    }
