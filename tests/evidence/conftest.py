"""Fixtures for the evidence-base tests: the shipped base, the seed folder, a tiny valid base."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from msstem.evidence import EvidenceBase, Fact, Interval, Meta, Source, load_evidence
from msstem.evidence.models import Disagreement
from shared_files import require_shared

REPO_ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def eb() -> EvidenceBase:
    return load_evidence()


@pytest.fixture(scope="session")
def seed_texts() -> dict[str, str]:
    """Seed file name -> text, from ../shared/seeds (skips where absent, fails in CI)."""
    seeds = require_shared("seeds")
    return {p.name: p.read_text(encoding="utf-8") for p in seeds.glob("*.txt")}


def tiny_records() -> dict[str, Any]:
    """A minimal evidence base with no problems; tests break one thing at a time."""
    seed = Source(id="seed-000", kind="seed", label="Seed", citation="Seed page",
                  seed_file="000_d69f0397a7523239.txt")
    pub = Source(id="pub-a", kind="trial", label="Pub A", citation="J 2017;1:1", year=2017,
                 doi="10.1000/abc.123", pmid="123456")
    fact_a = Fact(id="fact-a", statement="8 of 281 died.", value=2.8, unit="%", numerator=8,
                  denominator=281, population="281 people", source_ids=("pub-a",), topic="t")
    fact_b = Fact(id="fact-b", statement="Up to 2%.", value=2.0, unit="%",
                  interval=Interval(low=1.0, high=3.0, kind="95% CI"),
                  population="people", source_ids=("seed-000",), topic="t")
    disagreement = Disagreement(id="d-1", topic="TRM", fact_ids=("fact-a", "fact-b"), note="n")
    meta = Meta(curated_on=dt.date(2026, 11, 22), notes_file="n.md", latest_source_year=2017,
                summary="tiny")
    return {"source_list": (seed, pub), "fact_list": (fact_a, fact_b), "meta": meta,
            "disagreements": (disagreement,)}


@pytest.fixture()
def tiny() -> dict[str, Any]:
    return tiny_records()
