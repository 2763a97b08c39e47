"""Shared helpers for the offer-checker tests: the labelled corpus and a checker that uses the
built-in sign text, so detection tests do not depend on edits to the evidence data."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from msstem.offers import OfferCheck, OfferCheckOptions, check_offer
from msstem.offers.catalog import builtin_catalog
from shared_files import find_shared

HERE = Path(__file__).resolve().parent
CORPUS = HERE / "corpus"
REPO_ROOT = HERE.parents[1]
SEEDS = find_shared("seeds")
# The seed pages that warn about or inform on stem cell clinics: none is an offer.
SEED_GLOBS = ("000_*.txt", "001_*.txt", "002_*.txt", "003_*.txt", "004_*.txt")


@dataclass(frozen=True)
class Case:
    id: str
    path: Path
    is_offer: bool
    text: str
    expected: dict[str, str] = field(default_factory=dict)
    quotes: dict[str, str] = field(default_factory=dict)
    notes_contain: tuple[str, ...] = ()


def _load(path: Path) -> Case:
    data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return Case(
        id=data["id"],
        path=path,
        is_offer=bool(data["is_offer"]),
        text=data["text"],
        expected=dict(data.get("expected") or {}),
        quotes=dict(data.get("quotes") or {}),
        notes_contain=tuple(data.get("notes_contain") or ()),
    )


def load_cases(kind: str) -> list[Case]:
    """``kind``: "offers" or "warnings"."""
    return [_load(p) for p in sorted((CORPUS / kind).glob("*.yaml"))]


OFFERS = load_cases("offers")
WARNINGS = load_cases("warnings")


def seed_texts() -> dict[str, str]:
    """The seed pages that exist on this machine, by file name."""
    if SEEDS is None:
        return {}
    return {p.name: p.read_text(encoding="utf-8") for g in SEED_GLOBS for p in SEEDS.glob(g)}


def check(text: str, options: OfferCheckOptions | None = None) -> OfferCheck:
    return check_offer(text, options, catalog=builtin_catalog())


def assert_quotes_exact(text: str, result: OfferCheck) -> None:
    """Every quote in the result is the input's text at the reported offsets."""
    for finding in result.warning_signs:
        if finding.kind == "not_stated":
            assert finding.quote is None
        else:
            assert finding.quote is not None
        quotes = ([finding.quote] if finding.quote else []) + list(finding.also_found)
        for quote in quotes:
            assert 0 <= quote.start < quote.end <= len(text)
            assert text[quote.start : quote.end] == quote.text
    for checked in result.checked_signs:
        if checked.stated is not None:
            assert text[checked.stated.start : checked.stated.end] == checked.stated.text
