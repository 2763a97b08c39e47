"""`msstem evidence check|sources|show`: exit codes and output."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from msstem.cli import app, main
from msstem.commands.evidence import code_references
from msstem.evidence import EvidenceBase, check_evidence

DATA = Path(__file__).resolve().parents[2] / "src" / "msstem" / "evidence" / "data"
runner = CliRunner()


def test_check_passes_on_shipped_data(eb: EvidenceBase) -> None:
    result = runner.invoke(app, ["evidence", "check"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"OK: {len(eb.sources)} sources, {len(eb.facts)} facts")
    assert "evidence date 2026-11-22" in result.output


def _broken_copy(tmp_path: Path) -> Path:
    for file in DATA.glob("*.yaml"):
        shutil.copy(file, tmp_path / file.name)
    facts = tmp_path / "facts.yaml"
    text = facts.read_text()
    # Break two rules: the Sormani fact loses its unit, and an interval is reversed.
    text = text.replace('  value: 2.1\n  unit: "%"\n', "  value: 2.1\n", 1)
    text = text.replace("{low: 9.7, high: 24.5, kind: \"95% CI\"}",
                        "{low: 24.5, high: 9.7, kind: \"95% CI\"}", 1)
    facts.write_text(text)
    return tmp_path


def test_check_fails_with_one_line_per_problem(tmp_path: Path) -> None:
    data = _broken_copy(tmp_path)
    result = runner.invoke(app, ["evidence", "check", "--data-dir", str(data)])
    assert result.exit_code == 1
    assert "facts.yaml sormani-2017-trm: numeric fact needs a unit" in result.output
    assert "sormani-2017-progression-2y: interval low 24.5 is above high 9.7" in result.output


def test_check_exit_code_matches_the_validator(tmp_path: Path) -> None:
    from msstem.evidence import load_evidence

    data = _broken_copy(tmp_path)
    expected = check_evidence(load_evidence(data), code_references())
    result = runner.invoke(app, ["evidence", "check", "--data-dir", str(data)])
    lines = [line for line in result.output.splitlines() if line and "problem(s)" not in line]
    assert lines == [str(p) for p in expected]


def test_code_references_include_clinical_citations() -> None:
    refs = code_references()
    assert refs["msstem.clinical.edss.EDSS_SOURCE_IDS"] == ("kurtzke-1983-edss",
                                                             "neurostatus-edss")
    assert refs["msstem.clinical.hctci.HCTCI_SOURCE_ID"] == ("sorror-2005-hctci",)


def test_sources_text_and_json(eb: EvidenceBase) -> None:
    text = runner.invoke(app, ["evidence", "sources"])
    assert text.exit_code == 0
    assert "seed-004: " in text.output and "004_cb43c359d702ad28.txt" in text.output
    as_json = runner.invoke(app, ["evidence", "sources", "--format", "json"])
    payload = json.loads(as_json.output)
    assert len(payload) == len(eb.sources)
    sormani = next(p for p in payload if p["id"] == "sormani-2017")
    assert sormani["doi"] == "10.1212/WNL.0000000000003987"
    assert "DOI 10.1212/WNL.0000000000003987" in sormani["reference"]


def test_show_fact_and_source() -> None:
    fact = runner.invoke(app, ["evidence", "show", "halt-ms-efs-5y"])
    assert fact.exit_code == 0
    assert "69.2 % (90% CI 50.2-82.1)" in fact.output
    assert "DOI 10.1212/WNL.0000000000003660" in fact.output
    unverified = runner.invoke(app, ["evidence", "show", "muraro-2017-os-unverified"])
    assert "UNVERIFIED" in unverified.output
    source = runner.invoke(app, ["evidence", "show", "turner-2021"])
    assert source.exit_code == 0 and "caution:" in source.output


def test_show_unknown_id_is_a_one_line_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["evidence", "show", "no-such-thing"])
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert err.strip() == ("msstem: error: unknown fact or source id 'no-such-thing'; "
                           "see 'msstem evidence sources'")


def test_schema_error_in_data_dir_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = _broken_copy(tmp_path)
    (data / "faq.yaml").write_text("- id: x\n  question: q\n")
    with pytest.raises(SystemExit) as info:
        main(["evidence", "check", "--data-dir", str(data)])
    assert info.value.code == 2
    assert "faq.yaml entry 1 (id 'x'): field 'answer'" in capsys.readouterr().err


@pytest.mark.parametrize("kind", ["missing", "file"])
def test_data_dir_that_is_not_a_folder_exits_2_without_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], kind: str
) -> None:
    target = tmp_path / "nope"
    if kind == "file":
        target.write_text("x")
    with pytest.raises(SystemExit) as info:
        main(["evidence", "check", "--data-dir", str(target)])
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert err.startswith("msstem: error: --data-dir:") and "is not a folder" in err
