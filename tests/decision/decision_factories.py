"""Builders for the decision tests: a tiny hand-built evidence base with known facts.

(A plain module rather than fixtures, so Hypothesis tests can use it too.)
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from msstem.evidence import EvidenceBase, Fact, Meta, Source


def make_fact(fact_id: str, **tag: Any) -> Fact:
    """A proportion fact with an estimate tag; ``tag`` overrides the tag fields."""
    value = tag.pop("value", 50.0)
    fact_fields = {
        k: tag.pop(k)
        for k in ("unit", "interval", "numerator", "denominator", "verified", "caution")
        if k in tag
    }
    estimate = {
        "therapy": "ahsct", "outcome": "neda", "kind": "benefit", "courses": ["RRMS"],
        "design": "single-arm", **tag,
    }
    data: dict[str, Any] = {
        "id": fact_id,
        "statement": f"Synthetic fact {fact_id}.",
        "value": value,
        "unit": "%",
        "population": "synthetic test population",
        "source_ids": ["test-source"],
        "topic": "ahsct.efficacy",
        "estimate": estimate,
        **fact_fields,
    }
    if data["unit"] is None:
        data["value"] = None
    return Fact.model_validate(data)


def make_evidence(*facts: Fact) -> EvidenceBase:
    source = Source.model_validate({
        "id": "test-source", "kind": "trial", "label": "Test trial 2020",
        "citation": "Test J 2020;1:1", "doi": "10.1000/test",
    })
    meta = Meta(curated_on=dt.date(2026, 11, 22), notes_file="notes.md",
                latest_source_year=2025, summary="test")
    return EvidenceBase(source_list=(source,), fact_list=tuple(facts), meta=meta)

