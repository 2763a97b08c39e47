"""One line of data changes the verdicts and the wording (issue 7, item 2: done when).

In a copy of the evidence data, the BEAT-MS upper age that ``msstem evidence
thresholds --format json`` points to is edited from 55 to 65; nothing else is
edited. A 60-year-old with RRMS then no longer gets ``does_not_meet``, and the
criterion's own wording says 65. ``msstem evidence check`` on that copy now fails,
because the prose still says 55: the stale text cannot go unnoticed.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from eligibility_factories import profile
from typer.testing import CliRunner

from msstem.cli import app
from msstem.eligibility import Verdict, evaluate
from msstem.evidence import load_evidence

ROOT = Path(__file__).resolve().parents[2]
runner = CliRunner()


def _row(rows: list[dict[str, object]], rule_set: str, criterion: str) -> dict[str, object]:
    (row,) = [r for r in rows if r["rule_set"] == rule_set and r["criterion"] == criterion]
    return row


@pytest.fixture()
def edited(tmp_path: Path) -> Path:
    result = runner.invoke(app, ["evidence", "thresholds", "--format", "json"])
    assert result.exit_code == 0, result.output
    row = _row(json.loads(result.output), "beat-ms", "beat-ms/age-max")
    assert row["file"] == "src/msstem/evidence/data/trials.yaml"
    assert row["value"] == 55
    source = ROOT / str(row["file"])
    copy = tmp_path / "data"
    shutil.copytree(source.parent, copy)
    target = copy / source.name
    lines = target.read_text(encoding="utf-8").splitlines(keepends=True)
    index = int(str(row["line"])) - 1
    assert lines[index].strip() == "value: 55", lines[index]
    lines[index] = lines[index].replace("55", "65")
    target.write_text("".join(lines), encoding="utf-8")
    return copy


def test_editing_one_line_changes_the_verdict_and_the_wording(edited: Path) -> None:
    person = profile(age=60, ms_course="RRMS")
    before = evaluate(person, "beat-ms")
    assert before.verdict is Verdict.DOES_NOT_MEET
    assert {c.id: c for c in before.criteria}["age"].status.value == "not_met"

    after = evaluate(person, "beat-ms", load_evidence(edited))
    assert after.verdict is not Verdict.DOES_NOT_MEET
    age = {c.id: c for c in after.criteria}["age"]
    assert age.status.value == "met"
    assert "65" in age.description and "55" not in age.description
    assert "65" in age.threshold and "65" in age.reason

    listed = runner.invoke(
        app, ["evidence", "thresholds", "--format", "json", "--data-dir", str(edited)]
    )
    assert _row(json.loads(listed.output), "beat-ms", "beat-ms/age-max")["value"] == 65


def test_the_stale_prose_is_caught_by_the_check(edited: Path) -> None:
    result = runner.invoke(app, ["evidence", "check", "--data-dir", str(edited)])
    assert result.exit_code == 1
    assert "trials beat-ms entry criterion 1: states '18 to 55'" in result.output
    assert "age-max ≤ 65 years" in result.output
