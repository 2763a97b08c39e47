"""Structured criteria in the evidence data: the typed API, the checks, the contradictions."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from msstem.cli import app
from msstem.errors import NotFoundError
from msstem.evidence import Criterion, EvidenceBase, check_evidence, load_evidence
from msstem.evidence.contradictions import contradictions, stated_thresholds

DATA = Path(__file__).resolve().parents[2] / "src" / "msstem" / "evidence" / "data"
runner = CliRunner()


def _copy(tmp_path: Path) -> Path:
    copy = tmp_path / "data"
    shutil.copytree(DATA, copy)
    return copy


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")


# --- the typed API (other layers, e.g. offers, compare against these) ---------------------
def test_criteria_api(eb: EvidenceBase) -> None:
    net = eb.criteria("net-ms")
    assert [c.criterion.id for c in net] == ["age-min", "age-max", "edss-min", "edss-max"]
    assert all(c.owner == "net-ms" and c.table == "trials" and c.file == "trials.yaml"
               for c in net)
    age_max = eb.criterion("beat-ms", "age-max")
    assert age_max.key == "beat-ms/age-max"
    assert isinstance(age_max.criterion, Criterion)
    assert age_max.criterion.holds(55) and not age_max.criterion.holds(56)
    assert age_max.criterion.describe() == "Age at most 55 years"
    assert eb.trial("beat-ms").criteria[1] == age_max.criterion
    assert eb.definition("disease-activity").criteria[1].measure == "mri_lesions"
    assert {c.owner for c in eb.criteria()} >= {"nmss-2021", "beat-ms", "disease-activity"}
    with pytest.raises(NotFoundError, match="allowed: age-min"):
        eb.criterion("net-ms", "age")
    with pytest.raises(NotFoundError, match="unknown criteria owner"):
        eb.criteria("nope")


def test_screening_texts_take_their_numbers_from_criteria(eb: EvidenceBase) -> None:
    text = eb.screening_text("net-ms", "notes-give-little")
    assert "{age-min.value}" in text.text
    rendered = eb.render_screening("net-ms", text)
    assert "age 18–55" in rendered and "{" not in rendered
    with pytest.raises(NotFoundError, match="allowed"):
        eb.screening_text("net-ms", "nope")


# --- reading limits from prose -------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Age 18 to 55 inclusive.", [("age", ">=", 18), ("age", "<=", 55)]),
        ("ideal candidates under 45, disease under 10 years, EDSS below 6.0.",
         [("age", "<", 45), ("disease_duration", "<", 10), ("edss", "<", 6.0)]),
        ("EDSS 6.0 or less at randomisation.", [("edss", "<=", 6.0)]),
        ("2 or more relapses in the past 3 years on DMT, while able to walk 100 m.",
         [("walking_distance", ">=", 100), ("relapses", ">=", 2)]),
        ("1 or more T1 Gd-enhanced lesions, OR 3 or more new or enlarging T2 lesions.",
         [("gd_lesions", ">=", 1), ("new_t2_lesions", ">=", 3)]),
        ("(relapse AND Gd+) OR (3+ new T2)", [("new_t2_lesions", ">=", 3)]),
        ("SPMS without relapses for 12 months or more were excluded.",
         [("relapse_free_months", ">=", 12)]),
        ("MS by the 2017 McDonald criteria; enrolled in 2006-2009.", []),
        ("An earlier protocol version required EDSS 2.0-5.5.", []),
    ],
)
def test_stated_thresholds(text: str, expected: list[tuple[str, str, float]]) -> None:
    got = sorted((s.measure, s.comparison, s.value) for s in stated_thresholds(text))
    assert got == sorted(expected)


def test_contradictions_name_the_disagreeing_limit(eb: EvidenceBase) -> None:
    criteria = eb.guideline("ectrims-ebmt-2025").criteria
    assert not list(contradictions("Ideal candidates are under 45.", criteria))
    (found,) = contradictions("Ideal candidates are under 40.", criteria)
    assert (found[0].measure, found[0].value) == ("age", 40)
    assert {c.id for c in found[1]} == {"ideal-age", "case-by-case-age"}
    # A measure the owner has no criterion for is not judged.
    assert not list(contradictions("2 or more relapses.", criteria))


def test_check_fails_when_a_guideline_summary_contradicts_its_criterion(tmp_path: Path) -> None:
    data = _copy(tmp_path)
    _edit(data / "guidelines.yaml", "ideal candidates under 45,", "ideal candidates under 40,")
    result = runner.invoke(app, ["evidence", "check", "--data-dir", str(data)])
    assert result.exit_code == 1
    assert ("guidelines ectrims-ebmt-2025 summary: states 'under 40' (age < 40) but the "
            "structured criteria of ectrims-ebmt-2025 say ideal-age < 45 years") in result.output


def test_check_fails_when_a_fact_contradicts_a_criterion(tmp_path: Path) -> None:
    data = _copy(tmp_path)
    _edit(data / "facts.yaml", "best aHSCT candidates are under 50 years old",
          "best aHSCT candidates are under 55 years old")
    problems = [str(p) for p in check_evidence(load_evidence(data))]
    assert any(p.startswith("facts.yaml nmss-2021-best-age: states 'under 55'") for p in problems)


def test_check_fails_when_a_criterion_changes_and_the_prose_does_not(tmp_path: Path) -> None:
    data = _copy(tmp_path)
    _edit(data / "guidelines.yaml", '      comparison: "<"\n      value: 50\n',
          '      comparison: "<"\n      value: 52\n')
    problems = [str(p) for p in check_evidence(load_evidence(data))]
    assert any("nmss-2021 recommendation 3: states 'under 50'" in p for p in problems)
    assert any("nmss-2021-best-age: states 'under 50'" in p for p in problems)


def test_screening_text_naming_an_unknown_criterion_is_a_problem(tmp_path: Path) -> None:
    data = _copy(tmp_path)
    _edit(data / "trials.yaml", "{relapse-after-dmt-start}", "{relapse-after-start}")
    problems = [str(p) for p in check_evidence(load_evidence(data))]
    assert any("names unknown criterion 'relapse-after-start'" in p for p in problems)


# --- code and data agree -------------------------------------------------------------------
def test_code_and_data_must_agree(eb: EvidenceBase) -> None:
    uses = {"beat-ms": ("beat-ms/age-max", "beat-ms/no-such")}
    texts = {"beat-ms": ("beat-ms/note", "beat-ms/nope")}
    problems = [str(p) for p in check_evidence(eb, criteria_uses=uses, text_uses=texts)]
    assert "code rule set beat-ms: reads criterion 'beat-ms/no-such', which the evidence " \
           "data lacks" in problems
    assert "trials.yaml beat-ms/age-min: criterion is not read by any rule set" in problems
    assert "code rule set beat-ms: shows screening text 'beat-ms/nope', which the evidence " \
           "data lacks" in problems
    assert "screening beat-ms/mcdonald: screening text is not shown by any rule set" in problems


def test_a_criterion_no_rule_reads_fails_the_check(tmp_path: Path) -> None:
    data = _copy(tmp_path)
    _edit(data / "trials.yaml",
          "    - id: edss-max\n      measure: edss\n      comparison: \"<=\"\n"
          "      value: 6.0\n      unit: EDSS\n      strength: hard\n      wording: \"{text} at "
          "randomisation\"\n",
          "    - id: edss-max\n      measure: edss\n      comparison: \"<=\"\n"
          "      value: 6.0\n      unit: EDSS\n      strength: hard\n      wording: \"{text} at "
          "randomisation\"\n      quote: \"EDSS ≤ 6.0 at randomisation\"\n"
          "      source_id: beat-ms-registry\n    - id: edss-spare\n      measure: edss\n"
          "      comparison: \"<=\"\n      value: 6.0\n      unit: EDSS\n      strength: hard\n"
          "      wording: \"{text}\"\n")
    result = runner.invoke(app, ["evidence", "check", "--data-dir", str(data)])
    assert result.exit_code == 1
    assert "beat-ms/edss-spare: criterion is not read by any rule set" in result.output
