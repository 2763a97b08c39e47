"""The structured criteria the rules read: pinned, quoted from the notes, used, well-formed.

``PINNED`` is the one hand-written copy of every eligibility number (DESIGN.md
convention 4): a change to a number in the evidence data is a change here, and
nowhere else in the tests (the boundary tables step from the data's own limits).
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from msstem.clinical.profile import Profile
from msstem.eligibility import Threshold, evaluate_all, threshold_uses
from msstem.eligibility.readings import k_and, k_not, k_or
from msstem.eligibility.thresholds import describe_range, format_number
from msstem.evidence import load_evidence
from msstem.evidence.criteria import Criterion

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "src" / "msstem" / "eligibility"
NOTES = ROOT.parent / "shared" / "evidence-notes.md"
EB = load_evidence()

#: owner/criterion -> (comparison, value, unit, window in months, strength).
PINNED: dict[str, tuple[str, float, str, int | None, str]] = {
    "nmss-2021/best-age": ("<", 50, "years", None, "soft"),
    "nmss-2021/best-duration": ("<", 10, "years", None, "soft"),
    "ectrims-ebmt-2025/failed-he-dmts": (">=", 1, "failed high-efficacy DMT(s)", None, "hard"),
    "ectrims-ebmt-2025/ideal-age": ("<", 45, "years", None, "soft"),
    "ectrims-ebmt-2025/case-by-case-age": (">", 55, "years", None, "soft"),
    "ectrims-ebmt-2025/ideal-duration": ("<", 10, "years", None, "soft"),
    "ectrims-ebmt-2025/ideal-edss": ("<", 6.0, "EDSS", None, "soft"),
    "nmdp-referral/relapses-on-dmt": (">=", 2, "relapses", 36, "soft"),
    "nmdp-referral/walk-distance": (">=", 100, "m", None, "soft"),
    "nmdp-referral/walks-edss": ("<=", 5.5, "EDSS", None, "soft"),
    "nmdp-referral/cannot-walk-edss": (">=", 6.5, "EDSS", None, "soft"),
    "beat-ms/age-min": (">=", 18, "years", None, "hard"),
    "beat-ms/age-max": ("<=", 55, "years", None, "hard"),
    "beat-ms/edss-max": ("<=", 6.0, "EDSS", None, "hard"),
    "beat-ms/episodes": (">=", 2, "episodes", 36, "hard"),
    "beat-ms/episodes-on-dmt": (">=", 1, "episodes", None, "hard"),
    "beat-ms/months-on-dmt": (">=", 1, "months", None, "hard"),
    "ram-ms/age-min": (">=", 18, "years", None, "hard"),
    "ram-ms/age-max": ("<=", 50, "years", None, "hard"),
    "ram-ms/edss-min": (">=", 0.0, "EDSS", None, "hard"),
    "ram-ms/edss-max": ("<=", 5.5, "EDSS", None, "hard"),
    "ram-ms/relapses": (">=", 1, "relapses", 12, "hard"),
    "ram-ms/gd-lesions": (">=", 1, "Gd+ lesions", 12, "hard"),
    "ram-ms/new-t2-lesions": (">=", 3, "new or enlarging T2 lesions", 12, "hard"),
    "ram-ms/relapse-after-dmt-start": (">=", 3, "months", None, "hard"),
    "starms/activity": (">=", 1, "relapses or MRI activity", 12, "hard"),
    "starms/res-relapses": (">=", 2, "disabling relapses", 12, "hard"),
    "starms/res-gd-lesions": (">=", 1, "Gd+ lesions", None, "hard"),
    "net-ms/age-min": (">=", 18, "years", None, "hard"),
    "net-ms/age-max": ("<=", 55, "years", None, "hard"),
    "net-ms/edss-min": (">=", 2.0, "EDSS", None, "hard"),
    "net-ms/edss-max": ("<=", 6.0, "EDSS", None, "hard"),
    "mist/relapses": (">=", 2, "relapses", 12, "hard"),
    "mist/edss-min": (">=", 2.0, "EDSS", None, "hard"),
    "mist/edss-max": ("<=", 6.0, "EDSS", None, "hard"),
    "halt-ms/age-min": (">=", 18, "years", None, "hard"),
    "halt-ms/age-max": ("<=", 60, "years", None, "hard"),
    "halt-ms/edss-min": (">=", 3.0, "EDSS", None, "hard"),
    "halt-ms/edss-max": ("<=", 5.5, "EDSS", None, "hard"),
    "halt-ms/relapses": (">=", 1, "relapses", 36, "hard"),
    "halt-ms/spms-relapse-free": (">=", 12, "months", None, "hard"),
    "disease-activity/relapses": (">=", 1, "relapses", 12, "hard"),
    "disease-activity/mri-lesions": (">=", 1, "lesions", 12, "hard"),
}


def test_the_data_holds_exactly_the_pinned_numbers() -> None:
    got = {
        c.key: (c.criterion.comparison, c.criterion.value, c.criterion.unit,
                c.criterion.window_months, c.criterion.strength)
        for c in EB.criteria()
    }
    assert got == PINNED


def test_not_found_numbers_stay_absent() -> None:
    # The notes mark these NOT FOUND: no criterion may invent them.
    assert EB.criteria("astct-2019") == ()
    assert EB.criteria("ebmt-2020") == ()
    assert not [c for c in EB.criteria("nmss-2021") if c.criterion.measure == "edss"]


def test_every_criterion_is_read_by_a_ruleset_and_every_use_exists() -> None:
    used = {use.ref for use in threshold_uses()}
    assert used == {c.key for c in EB.criteria()}


@pytest.mark.skipif(not NOTES.exists(), reason="the evidence notes (../shared) are not here")
@pytest.mark.parametrize("key", sorted(PINNED))
def test_quote_is_from_the_evidence_notes(key: str) -> None:
    notes = NOTES.read_text(encoding="utf-8").replace("**", "")
    owner, criterion_id = key.split("/")
    assert EB.criterion(owner, criterion_id).criterion.quote in notes


def test_every_criterion_records_the_line_its_number_is_on() -> None:
    data = ROOT / "src" / "msstem" / "evidence" / "data"
    for located in EB.criteria():
        line = (data / located.file).read_text(encoding="utf-8").splitlines()[located.line - 1]
        assert re.fullmatch(r"\s*value: [\d.]+", line), (located.key, line)
        assert float(line.split(":")[1]) == located.criterion.value


def _limit(value: float, unit: str, comparison: str) -> Criterion:
    return Criterion(
        id="x", measure="relapses", comparison=comparison, value=value, unit=unit,
        strength="hard", wording="{text}", quote="q", source_id="s",
    )


@pytest.mark.parametrize(
    ("comparison", "below", "at", "above"),
    [(">=", False, True, True), (">", False, False, True), ("<=", True, True, False),
     ("<", True, False, False)],
)
def test_holds(comparison: str, below: bool, at: bool, above: bool) -> None:
    t = _limit(2, "relapses", comparison)
    assert (t.holds(1), t.holds(2), t.holds(3)) == (below, at, above)


def test_criterion_validation() -> None:
    base = _limit(1, "relapses", "<").model_dump()
    with pytest.raises(ValueError, match="comparison"):
        Criterion(**{**base, "comparison": "=="})
    with pytest.raises(ValueError, match="finite"):
        Criterion(**{**base, "value": float("nan")})
    with pytest.raises(ValueError, match="profile window"):
        Criterion(**{**base, "window_months": 18})
    # The wording is a template: it may not write the number itself.
    with pytest.raises(ValueError, match="writes the number"):
        Criterion(**{**base, "wording": "Age under 45"})
    with pytest.raises(ValueError, match="unknown placeholder"):
        Criterion(**{**base, "wording": "{value} {colour}"})
    with pytest.raises(ValueError, match="must show the number"):
        Criterion(**{**base, "wording": "Younger people"})
    assert Criterion(**{**base, "wording": "new T2 lesions: {text}"}).describe() == (
        "new T2 lesions: < 1 relapse"
    )


def test_texts() -> None:
    assert _limit(6.0, "EDSS", "<=").text() == "EDSS ≤ 6.0"
    assert _limit(1, "relapses", ">=").text() == "≥ 1 relapse"
    assert _limit(2, "relapses", ">=").text() == "≥ 2 relapses"
    low, high = _limit(18, "years", ">="), _limit(55, "years", "<=")
    assert describe_range(low, high) == "18 to 55 years inclusive"
    assert describe_range(_limit(2, "EDSS", ">="), _limit(6, "EDSS", "<=")) == (
        "EDSS 2.0 to 6.0 inclusive"
    )
    assert describe_range(low, _limit(55, "years", "<")) == "≥ 18 years and < 55 years"
    with pytest.raises(ValueError, match="units"):
        describe_range(low, _limit(6, "EDSS", "<="))
    assert format_number(9.5, "years") == "9.5"
    assert isinstance(low, Threshold)


def test_kleene_logic() -> None:
    values = (True, False, None)
    for a in values:
        assert k_not(k_not(a)) is a
        for b in values:
            # De Morgan holds in Kleene logic
            assert k_not(k_and(a, b)) is k_or(k_not(a), k_not(b))
    assert k_and(False, None) is False and k_or(True, None) is True
    assert k_and(True, None) is None and k_or(False, None) is None


# --- no clinical number in a Python string ----------------------------------------------------
_NUMBER = re.compile(r"(?<![\w.+-])\d+(?:\.\d+)?(?![\w])")


def _is_year(token: str) -> bool:
    return token.isdigit() and 1900 <= int(token) <= 2100


def _strings(tree: ast.AST) -> list[tuple[int, str]]:
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.FunctionDef | ast.ClassDef)
        and node.body and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    return [
        (node.lineno, node.value) for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
        and id(node) not in docstrings
    ]


def test_no_clinical_number_in_an_eligibility_string() -> None:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for line, text in _strings(ast.parse(path.read_text(encoding="utf-8"))):
            if re.fullmatch(r"[<>^]?\d+", text):
                continue  # an f-string format spec such as "<8"
            numbers = [n for n in _NUMBER.findall(text) if not _is_year(n)]
            if numbers:
                found.append(f"{path.relative_to(ROOT)}:{line}: {numbers} in {text!r}")
    assert not found, "numbers belong in the evidence data:\n" + "\n".join(found)


def test_docs_cover_every_ruleset_criterion() -> None:
    docs = (ROOT / "docs" / "eligibility.md").read_text(encoding="utf-8")
    for rs_id, result in evaluate_all(Profile()).items():
        section = docs.split(f"### `{rs_id}`", 1)
        assert len(section) == 2, rs_id
        body = section[1].split("\n### ", 1)[0]
        for c in result.criteria:
            assert f"`{c.id}`" in body, (rs_id, c.id)


def test_docs_threshold_table_is_generated_from_the_data() -> None:
    from msstem.commands.evidence import threshold_rows, thresholds_markdown

    docs = (ROOT / "docs" / "eligibility.md").read_text(encoding="utf-8")
    table = docs.split("<!-- thresholds:start -->\n", 1)[1].split("\n<!-- thresholds:end -->")[0]
    assert table == thresholds_markdown(threshold_rows(EB)), (
        "regenerate with: msstem evidence thresholds --format markdown"
    )


def test_docs_rule_set_sections_state_no_contradicting_limit() -> None:
    from msstem.eligibility import RULESETS
    from msstem.evidence.contradictions import contradictions

    docs = (ROOT / "docs" / "eligibility.md").read_text(encoding="utf-8")
    for rs_id, rs in RULESETS.items():
        body = docs.split(f"### `{rs_id}`", 1)[1].split("\n### ", 1)[0]
        criteria = [EB.criterion(*ref.split("/")).criterion for ref in rs.uses.values()]
        assert not list(contradictions(body, criteria)), rs_id
