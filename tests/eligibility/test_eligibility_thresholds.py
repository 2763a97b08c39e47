"""The threshold constants: cited, quoted from the notes, used, and well-formed."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from msstem.clinical.profile import Profile
from msstem.eligibility import Threshold, evaluate_all
from msstem.eligibility.readings import k_and, k_not, k_or
from msstem.eligibility.thresholds import all_thresholds, describe_range, format_number
from shared_files import find_shared

PACKAGE = Path(__file__).resolve().parents[2] / "src" / "msstem" / "eligibility"
NOTES = find_shared("evidence-notes.md")
THRESHOLDS = all_thresholds()


def test_there_are_thresholds() -> None:
    assert len(THRESHOLDS) >= 40


@pytest.mark.parametrize("name", sorted(THRESHOLDS))
def test_every_threshold_is_used_by_a_ruleset(name: str) -> None:
    sources = "".join(p.read_text() for p in (PACKAGE / "rulesets").glob("*.py"))
    assert re.search(rf"\b{name}\b", sources), f"{name} is defined but no rule set uses it"


@pytest.mark.skipif(NOTES is None, reason="../shared/evidence-notes.md is absent (fails in CI)")
@pytest.mark.parametrize("name", sorted(THRESHOLDS))
def test_wording_is_quoted_from_the_evidence_notes(name: str) -> None:
    notes = NOTES.read_text(encoding="utf-8").replace("**", "")
    assert THRESHOLDS[name].wording in notes


@pytest.mark.parametrize(
    ("threshold", "below", "at", "above"),
    [
        (Threshold(2, "relapses", ">=", "s", "w"), False, True, True),
        (Threshold(2, "relapses", ">", "s", "w"), False, False, True),
        (Threshold(2, "relapses", "<=", "s", "w"), True, True, False),
        (Threshold(2, "relapses", "<", "s", "w"), True, False, False),
    ],
)
def test_holds(threshold: Threshold, below: bool, at: bool, above: bool) -> None:
    assert (threshold.holds(1), threshold.holds(2), threshold.holds(3)) == (below, at, above)


def test_threshold_validation() -> None:
    with pytest.raises(ValueError, match="comparison"):
        Threshold(1, "x", "==", "s", "w")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="finite"):
        Threshold(float("nan"), "x", "<", "s", "w")
    with pytest.raises(ValueError, match="source"):
        Threshold(1, "x", "<", "", "w")


def test_texts() -> None:
    assert Threshold(6.0, "EDSS", "<=", "s", "w").text() == "EDSS ≤ 6.0"
    assert Threshold(1, "relapses", ">=", "s", "w").text() == "≥ 1 relapse"
    assert Threshold(2, "relapses", ">=", "s", "w").text() == "≥ 2 relapses"
    low = Threshold(18, "years", ">=", "s", "w")
    high = Threshold(55, "years", "<=", "s", "w")
    assert describe_range(low, high) == "18 to 55 years inclusive"
    assert describe_range(Threshold(2, "EDSS", ">=", "s", "w"),
                          Threshold(6, "EDSS", "<=", "s", "w")) == "EDSS 2.0 to 6.0 inclusive"
    assert describe_range(low, Threshold(55, "years", "<", "s", "w")) == "≥ 18 years and < 55 years"
    with pytest.raises(ValueError, match="units"):
        describe_range(low, Threshold(6, "EDSS", "<=", "s", "w"))
    assert format_number(9.5, "years") == "9.5"


def test_kleene_logic() -> None:
    values = (True, False, None)
    for a in values:
        assert k_not(k_not(a)) is a
        for b in values:
            # De Morgan holds in Kleene logic
            assert k_not(k_and(a, b)) is k_or(k_not(a), k_not(b))
    assert k_and(False, None) is False and k_or(True, None) is True
    assert k_and(True, None) is None and k_or(False, None) is None


def test_docs_cover_every_ruleset_criterion_and_threshold() -> None:
    docs = (PACKAGE.parents[2] / "docs" / "eligibility.md").read_text(encoding="utf-8")
    for name in THRESHOLDS:
        assert re.search(rf"\b{name}\b", docs), name
    for rs_id, result in evaluate_all(Profile()).items():
        section = docs.split(f"### `{rs_id}`", 1)
        assert len(section) == 2, rs_id
        body = section[1].split("\n### ", 1)[0]
        for c in result.criteria:
            assert f"`{c.id}`" in body, (rs_id, c.id)
