"""The loader: shipped data loads; lookups; schema errors name the file and entry."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from msstem.errors import EvidenceError, NotFoundError
from msstem.evidence import EvidenceBase, load_evidence
from msstem.evidence.loader import DATA_FILES

DATA = Path(__file__).resolve().parents[2] / "src" / "msstem" / "evidence" / "data"
PART_I_FILES = ("sources.yaml", "facts.yaml", "meta.yaml", *(n for n in DATA_FILES
                                                             if n != "dmts.yaml"))


def test_shipped_data_loads(eb: EvidenceBase) -> None:
    assert len(eb.sources) >= 60
    assert len(eb.facts) >= 150
    assert {c.id for c in eb.cell_types} == {"hsc", "msc", "nsc", "hesc", "ipsc"}
    assert {t.id for t in eb.therapies} == {"ahsct", "msc", "nsc", "hesc", "ipsc"}
    assert [s.id for s in eb.procedure_steps][:2] == ["mobilisation", "harvest"]
    assert len(eb.faq) >= 20


def test_load_is_cached() -> None:
    assert load_evidence() is load_evidence()


def test_lookups(eb: EvidenceBase) -> None:
    assert eb.source("sormani-2017").doi == "10.1212/WNL.0000000000003987"
    assert eb.fact("sormani-2017-trm").value == 2.1
    assert eb.trial("halt-ms").registry_ids == ("NCT00288626",)
    assert eb.guideline("nmss-2021").year == 2021
    assert eb.cell_type("msc").short_name == "MSC"
    assert eb.warning_sign("sixth-isscr-sign").verified is False
    for lookup in (eb.source, eb.fact, eb.trial, eb.guideline, eb.cell_type, eb.therapy,
                   eb.regimen, eb.warning_sign, eb.dmt):
        with pytest.raises(NotFoundError, match="no-such-id"):
            lookup("no-such-id")


def test_not_found_is_a_key_error(eb: EvidenceBase) -> None:
    with pytest.raises(KeyError):
        eb.fact("nope")


def test_facts_for_filters_on_estimate_tags(eb: EvidenceBase) -> None:
    trm = eb.facts_for(therapy="ahsct", outcome="treatment_related_death")
    ids = {f.id for f in trm}
    assert {"sormani-2017-trm", "muraro-2017-trm", "burt-2021-trm"} <= ids
    assert all(f.estimate is not None and f.estimate.kind == "harm" for f in trm)
    assert eb.facts_for(therapy="ahsct", outcome="neda", kind="harm") == ()
    every = eb.facts_for()
    assert all(f.estimate is not None for f in every)
    assert set(trm) <= set(every)


def test_sources_for_keeps_order_and_dedupes(eb: EvidenceBase) -> None:
    got = eb.sources_for(["seed-004", "sormani-2017", "seed-004"])
    assert [s.id for s in got] == ["seed-004", "sormani-2017"]
    with pytest.raises(NotFoundError):
        eb.sources_for(["sormani-2017", "made-up-2099"])


def test_dates(eb: EvidenceBase) -> None:
    assert eb.evidence_date == dt.date(2026, 11, 22)
    assert eb.latest_source_year == 2025
    assert eb.meta.latest_source_year == eb.latest_source_year


def _copy_part_one(tmp_path: Path) -> Path:
    for name in PART_I_FILES:
        shutil.copy(DATA / name, tmp_path / name)
    return tmp_path


def test_other_helpers_files_may_be_absent(tmp_path: Path) -> None:
    eb = load_evidence(_copy_part_one(tmp_path))
    assert eb.dmts == ()
    assert "sormani-2017" in eb.sources


def test_empty_optional_file_is_an_empty_table(tmp_path: Path) -> None:
    data = _copy_part_one(tmp_path)
    (data / "faq.yaml").write_text("# nothing yet\n")
    assert load_evidence(data).faq == ()


@pytest.mark.parametrize(
    ("file", "text", "message"),
    [
        ("faq.yaml", "- id: x\n  question: q\n  answer: a\n  colour: red\n",
         r"faq.yaml entry 1 \(id 'x'\): field 'colour'"),
        ("facts_extra.yaml", "- id: y\n  statement: s\n  topic: t\n  unit: percent\n",
         r"facts_extra.yaml entry 1 \(id 'y'\): field 'unit'"),
        ("guidelines.yaml", "id: not-a-list\n", "guidelines.yaml: expected a list"),
        ("trials.yaml", "- [unclosed\n", "trials.yaml: not valid YAML"),
        ("notes.yaml", "[]\n", "unexpected evidence file"),
    ],
)
def test_schema_errors_name_file_and_entry(
    tmp_path: Path, file: str, text: str, message: str
) -> None:
    data = _copy_part_one(tmp_path)
    (data / file).write_text(text)
    with pytest.raises(EvidenceError, match=message) as info:
        load_evidence(data)
    assert "\n" not in str(info.value)


def test_meta_is_required(tmp_path: Path) -> None:
    data = _copy_part_one(tmp_path)
    (data / "meta.yaml").unlink()
    with pytest.raises(EvidenceError, match=r"meta\.yaml is missing"):
        load_evidence(data)


def test_data_dir_must_be_a_folder(tmp_path: Path) -> None:
    with pytest.raises(EvidenceError, match=r"^data_dir: .* is not a folder"):
        load_evidence(tmp_path / "missing")
