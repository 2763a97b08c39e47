"""``msstem outcomes`` end to end on a tiny cohort: files, flags, and bad input (exit 2)."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
import typer.main

from msstem.cli import app, main
from msstem.commands.outcomes import FLAG_MODELS, flag_name
from msstem.outcomes.options import ProgressionOptions

VISITS = """id,date,edss
1,2019-12-01,2.0
1,2020-04-01,2.0
1,2020-07-01,3.5
1,2020-10-01,3.5
1,2021-06-01,3.5
1,2022-01-15,3.5
2,2019-11-01,4.0
2,2020-06-01,4.0
2,2021-01-10,4.0
2,2022-02-01,4.0
3,2020-01-01,1.5
3,2021-01-01,1.5
3,2022-06-01,3.0
3,2022-10-01,3.0
4,2019-06-01,6.0
4,2020-06-01,6.0
4,2021-06-01,6.5
4,2021-10-01,6.5
"""
RELAPSES = "id,date\n2,2020-09-01\n4,2019-01-01\n4,2021-05-20\n"
MRI = """id,date,new_t2,gd
1,2020-01-01,2,1
1,2021-01-10,0,0
1,2022-01-15,0,0
2,2021-01-10,0,
2,2022-02-01,1,0
3,2021-01-01,0,0
3,2022-06-01,0,0
4,2021-06-01,0,0
4,2021-10-01,0,0
"""
TREATMENTS = """id,start,therapy
1,2020-01-01,aHSCT
2,2020-01-01,aHSCT
3,2019-06-01,ocrelizumab
3,2020-01-01,aHSCT
4,2020-06-01,natalizumab
"""


@pytest.fixture()
def inputs(tmp_path: Path) -> dict[str, str]:
    files = {"visits": VISITS, "relapses": RELAPSES, "mri": MRI, "treatments": TREATMENTS}
    out = {}
    for name, text in files.items():
        path = tmp_path / f"{name}.csv"
        path.write_text(text)
        out[name] = str(path)
    return out


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exc:
        main(argv)
    out, err = capsys.readouterr()
    code = exc.value.code
    return (code if isinstance(code, int) else 0), out, err


def base(inputs: dict[str, str], out: Path, *names: str) -> list[str]:
    argv = ["outcomes", "--visits", inputs["visits"], "--relapses", inputs["relapses"],
            "--out", str(out)]
    for name in names:
        argv += [f"--{name}", inputs[name]]
    return argv


def test_full_run_writes_every_file(inputs: dict[str, str], tmp_path: Path,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    code, _, err = run([*base(inputs, out, "mri", "treatments"), "--index-therapy", "aHSCT",
                        "--event", "multiple"], capsys)
    assert code == 0, err
    assert err == ""  # no progress bar when stderr is not a terminal
    expected = {"events.csv", "summary.csv", "unconfirmed.csv", "methods.txt",
                "arr_subjects.csv", "arr_groups.csv", "neda.csv",
                "neda_summary.csv", "neda.png", "km_summary.csv", "run.json"}
    for endpoint in ("cdw", "pira", "relapse", "activity"):
        expected |= {f"km_{endpoint}.csv", f"km_{endpoint}_at_risk.csv", f"km_{endpoint}.png"}
    assert {p.name for p in out.iterdir()} == expected
    for png in out.glob("*.png"):
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"

    events = pd.read_csv(out / "events.csv")
    assert list(events.columns) == ["id", "event_index", "event_type", "cdw_type", "date",
                                    "value", "baseline_date", "baseline_value",
                                    "confirmation_date", "confirmation_value",
                                    "pira_confirmation_date", "pira_confirmation_value",
                                    "total_fu", "time2event", "bl2event", "sust_days",
                                    "sust_last"]
    assert (out / "methods.txt").read_text().startswith("We detected all confirmed")
    assert list(pd.read_csv(out / "summary.csv").columns) == ["id", "CDW", "CDI", "RAW", "PIRA",
                                                             "event_sequence"]
    neda = pd.read_csv(out / "neda.csv", dtype={"id": str}).set_index("id")
    # 1: worsening 2.0 -> 3.5 from 2020-07-01 (confirmed 2020-10-01) -> EDA by CDW at 1 y
    #    (its Gd+ scan is on the index day: the baseline scan).
    assert neda.loc["1", "status_1y"] == "EDA" and neda.loc["1", "components_1y"] == "cdw"
    # 2: relapse 2020-09-01 -> EDA at 1 y; new T2 lesion 2022-02-01 -> also MRI by 5 y.
    assert neda.loc["2", "components_1y"] == "relapse"
    assert neda.loc["2", "components_5y"] == "relapse;mri"
    # 3: no change to 2021-01-01, followed past 2 y (2022-06-01) -> NEDA at 1 y, CDW on
    #    2022-06-01 (1.5 -> 3.0) is after the 2-year anniversary 2022-01-01 -> NEDA at 2 y.
    assert (neda.loc["3", "status_1y"], neda.loc["3", "status_2y"]) == ("NEDA", "NEDA")
    assert neda.loc["3", "status_5y"] == "EDA"
    # 4 never had aHSCT: reported, not dropped.
    assert neda.loc["4", "status_1y"] == "not_evaluable"
    assert neda.loc["4", "reason_1y"] == "no index date: no 'aHSCT' row in the treatments table"

    arr = pd.read_csv(out / "arr_groups.csv")
    assert set(arr["period"]) == {"all", "pre", "post"}
    assert list(arr.columns) == ["group", "period", "subjects", "subjects_without_time",
                                 "relapses", "person_years", "arr", "ci_low", "ci_high",
                                 "conf_level"]
    km = pd.read_csv(out / "km_cdw.csv")
    assert list(km.columns) == ["group", "time_years", "survival", "ci_low", "ci_high",
                                "at_risk", "events", "censored"]

    meta = json.loads((out / "run.json").read_text())
    assert meta["msstem_version"]
    assert meta["inputs"]["visits"]["rows"] == 18 and meta["inputs"]["mri"]["rows"] == 9
    assert meta["options"]["progression"]["event"] == "multiple"
    assert meta["options"]["cohort_progression"]["baseline"] == "fixed"
    assert meta["options"]["neda"]["index_therapy"] == "aHSCT"
    assert set(meta["files"]) == expected


def test_minimal_run_without_mri_or_treatments(inputs: dict[str, str], tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    code, _, err = run(base(inputs, out), capsys)
    assert code == 0, err
    names = {p.name for p in out.iterdir()}
    assert "neda.csv" not in names and "km_activity.csv" not in names
    assert {"events.csv", "summary.csv", "arr_subjects.csv", "km_cdw.png",
            "km_relapse.csv"} <= names
    arr = pd.read_csv(out / "arr_groups.csv")
    assert arr[["group", "period"]].values.tolist() == [["all", "all"]]
    # 2 relapses inside first-to-last-visit windows (4's 2019-01-01 relapse is before its
    # first visit 2019-06-01); person-time = sum of each subject's span / 365.25.
    spans = [(pd.Timestamp(b) - pd.Timestamp(a)).days for a, b in [
        ("2019-12-01", "2022-01-15"), ("2019-11-01", "2022-02-01"),
        ("2020-01-01", "2022-10-01"), ("2019-06-01", "2021-10-01")]]
    assert arr.loc[0, "relapses"] == 2
    assert arr.loc[0, "person_years"] == pytest.approx(sum(spans) / 365.25)


def test_every_options_field_has_a_flag() -> None:
    command = typer.main.get_command(app).commands["outcomes"]  # type: ignore[attr-defined]
    flags = {opt for param in command.params for opt in param.opts}
    for model in FLAG_MODELS:
        for field in model.model_fields:
            if field == "progression":
                continue  # NEDA's progression settings are the progression flags
            assert flag_name(field) in flags, (model.__name__, field)
    assert {"--event", "--baseline", "--raw-pira", "--conf-days", "--pymsprog-compat"} <= flags
    # Flags are generated from the models, so a new options field gets one without a CLI edit.
    assert len(ProgressionOptions.model_fields) >= 28


def test_flags_reach_the_options(inputs: dict[str, str], tmp_path: Path,
                                 capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    argv = [*base(inputs, out, "mri", "treatments"), "--event", "multiple", "--baseline",
            "roving", "--raw-pira", "--conf-days", "84", "--conf-days", "168",
            "--conf-tol-days", "7,inf", "--relapse-to-bl", "45",
            "--relapse-indep", '{"event": [60, 30], "prec_type": "last"}',
            "--no-check-intermediate", "--pymsprog-compat", "--horizons-years", "3",
            "--horizons-years", "1", "--endpoints", "relapse", "--endpoints", "activity",
            "--mri-rebaseline-days", "90", "--alpha", "0.1", "--pre-index-years", "1"]
    code, _, err = run(argv, capsys)
    assert code == 0, err
    meta = json.loads((out / "run.json").read_text())
    prog = meta["options"]["progression"]
    assert (prog["event"], prog["baseline"], prog["raw_pira"]) == ("multiple", "roving", True)
    assert prog["conf_days"] == [84, 168] and prog["conf_tol_days"] == [7.0, "inf"]
    assert prog["relapse_to_bl"] == [45.0, 0.0] and prog["check_intermediate"] is False
    assert prog["relapse_indep"]["event"] == [60.0, 30.0]
    assert prog["relapse_indep"]["prec_type"] == "last" and prog["pymsprog_compat"] is True
    assert meta["options"]["neda"]["horizons_years"] == [1, 3]
    assert meta["options"]["neda"]["mri_rebaseline_days"] == 90
    assert meta["options"]["survival"]["endpoints"] == ["relapse", "activity"]
    assert meta["options"]["arr"]["alpha"] == 0.1 and meta["options"]["arr"]["pre_index_years"] == 1
    assert {"km_relapse.csv", "km_activity.csv"} <= set(meta["files"])
    assert "km_cdw.csv" not in meta["files"]
    assert "status_3y" in pd.read_csv(out / "neda.csv").columns


def assert_one_line_error(code: int, err: str, *fragments: str) -> None:
    assert code == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("msstem: error: ")
    for fragment in fragments:
        assert fragment in lines[0], lines[0]


BAD_FILES = [
    ("mri", "id,date,new_t2\n1,2020-01-01,0\n", ("mri: missing column 'gd'",)),
    ("mri", "id,date,new_t2,gd\n1,2020-01-01,-2,0\n", ("mri: column 'new_t2' is negative",
                                                       "row 1")),
    ("mri", "id,date,new_t2,gd\n1,2020-02-30,0,0\n", ("mri: column 'date'", "row 1")),
    ("mri", "id,date,new_t2,gd\n1,2020-01-01,0,0\n99,2020-01-01,0,0\n",
     ("mri: column 'id' names subjects that are not in the visits table at row 2",)),
    ("treatments", "id,start,therapy\n1,yesterday,aHSCT\n",
     ("treatments: column 'start' has missing or unparseable dates at row 1",)),
    ("treatments", "id,start,therapy\n5,2020-01-01,aHSCT\n",
     ("treatments: column 'id' names subjects", "(e.g. '5')")),
    ("treatments", "id,begin,therapy\n1,2020-01-01,aHSCT\n",
     ("treatments: missing column 'start'",)),
    ("visits", "id,date,edss\n1,2020-01-01,2.25\n", ("visits", "edss")),
    ("relapses", "id,date\n77,2020-01-01\n", ("relapses", "77")),
]


@pytest.mark.parametrize(("table", "text", "fragments"), BAD_FILES)
def test_bad_input_files(inputs: dict[str, str], tmp_path: Path,
                         capsys: pytest.CaptureFixture[str], table: str, text: str,
                         fragments: tuple[str, ...]) -> None:
    Path(inputs[table]).write_text(text)
    code, _, err = run(base(inputs, tmp_path / "out", "mri", "treatments"), capsys)
    assert_one_line_error(code, err, *fragments)


BAD_FLAGS = [
    (["--index-therapy", "aHCST"], ("index_therapy", "no treatments row has therapy 'aHCST'",
                                    "'aHSCT'")),
    (["--conf-tol-days", "7,lots"], ("--conf-tol-days", "numbers separated by a comma")),
    (["--relapse-indep", "{event"], ("--relapse-indep", "not valid JSON")),
    (["--relapse-indep", '{"event": [-1, 0]}'], ("relapse_indep", "window ends must be >= 0")),
    (["--endpoints", "death"], ("endpoints", "'cdw'")),
    (["--horizons-years", "0"], ("horizons_years", "whole years >= 1")),
    (["--conf-days", "0"], ("conf_days",)),
    (["--alpha", "2"], ("alpha",)),
]


@pytest.mark.parametrize(("extra", "fragments"), BAD_FLAGS)
def test_bad_flags(inputs: dict[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str],
                   extra: list[str], fragments: tuple[str, ...]) -> None:
    code, _, err = run([*base(inputs, tmp_path / "out", "mri", "treatments"), *extra], capsys)
    assert_one_line_error(code, err, *fragments)


def test_mri_needs_treatments(inputs: dict[str, str], tmp_path: Path,
                              capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(base(inputs, tmp_path / "out", "mri"), capsys)
    assert_one_line_error(code, err, "--mri needs --treatments")
    code, _, err = run([*base(inputs, tmp_path / "out"), "--endpoints", "activity"], capsys)
    assert_one_line_error(code, err, "--endpoints activity needs --mri and --treatments")


def test_unknown_choice_is_a_usage_error(inputs: dict[str, str], tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run([*base(inputs, tmp_path / "out"), "--baseline", "sliding"], capsys)
    assert code == 2 and "sliding" in err and "roving" in err


def test_help_lists_the_progression_words(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["outcomes", "--help"], capsys)
    assert code == 0
    for flag in ("--event", "--baseline", "--raw-pira", "--conf-days", "--pymsprog-compat",
                 "--index-therapy", "--mri-rebaseline-days"):
        assert flag in out


# --- review of issue 4: the issue's own acceptance points, through the CLI ----------------

def write(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text)
    return str(path)


# pymsprog bug 4: a relapse 50 days before the first visit, worsening 40 days into follow-up
# (onset 90 days after the relapse, inside relapse_assoc = 90): RAW; pymsprog says PIRA.
BUG4_VISITS = "id,date,edss\n1,2020-01-01,2.0\n1,2020-02-10,3.0\n1,2020-06-01,3.0\n"
BUG4_RELAPSES = "id,date\n1,2019-11-12\n"  # 2020-01-01 - 50 days


@pytest.mark.parametrize(("compat", "cdw_type"), [([], "RAW"), (["--pymsprog-compat"], "PIRA")])
def test_bug4_relapse_before_follow_up_end_to_end(tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str],
                                                  compat: list[str], cdw_type: str) -> None:
    out = tmp_path / "out"
    code, _, err = run(["outcomes", "--visits", write(tmp_path, "v.csv", BUG4_VISITS),
                        "--relapses", write(tmp_path, "r.csv", BUG4_RELAPSES), "--out", str(out),
                        "--raw-pira", *compat], capsys)
    assert code == 0, err
    events = pd.read_csv(out / "events.csv")
    assert events[["event_type", "cdw_type", "date", "baseline_date",
                   "confirmation_date"]].values.tolist() == [
        ["CDW", cdw_type, "2020-02-10", "2020-01-01", "2020-06-01"]]
    summary = pd.read_csv(out / "summary.csv").iloc[0]
    assert (summary[cdw_type], summary["CDW"], summary["event_sequence"]) == (1, 1, cdw_type)


GOOD_RELAPSES = "id,date\n1,2020-03-01\n"
BAD_VISITS = [
    ("id,day,edss\n1,2020-01-01,2.0\n", ("visits: missing column 'date'", "id, day, edss")),
    ("id,date\n1,2020-01-01\n", ("visits: missing column 'edss'",)),
    ("id,date,edss\n1,2020-01-01,2.0\n1,01/13/2020x,2.0\n",
     ("visits: column 'date'", "unparseable dates at row 2", "'01/13/2020x'")),
    ("id,date,edss\n1,2020-01-01,2.0\n1,2020-06-01,2.7\n",
     ("visits: column 'edss'", "off the grid at row 2", "2.7")),
    ("id,date,edss\n1,2020-01-01,0.5\n", ("column 'edss'", "off the grid at row 1", "0.5")),
    ("id,date,edss\n1,2020-01-01,2.0\n1,2020-06-01,10.5\n", ("column 'edss'", "row 2", "10.5")),
    ("id,date,edss\n1,2020-01-01,2.0\n1,2020-06-01,-1\n", ("negative EDSS", "row 2")),
    ("id,date,edss\n1,2020-01-01,2.0\n1,2020-01-01,3.0\n1,2020-06-01,3.0\n",
     ("same-day visit pair", "1 on 2020-01-01", "duplicate_visits")),
    ("id,date,edss\n1,2020-01-01T23:00:00+02:00,2.0\n1,2020-06-01T01:00:00+01:00,2.0\n",
     ("column 'date'", "mixes time zones")),
    ("", ("visits: file", "is empty")),
    ("id,date,edss\n", ("visits: the table has no rows",)),
]


@pytest.mark.parametrize(("text", "fragments"), BAD_VISITS)
def test_bad_visits_one_line_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                    text: str, fragments: tuple[str, ...]) -> None:
    code, out, err = run(["outcomes", "--visits", write(tmp_path, "v.csv", text), "--relapses",
                          write(tmp_path, "r.csv", GOOD_RELAPSES), "--out",
                          str(tmp_path / "out")], capsys)
    assert_one_line_error(code, err, *fragments)
    assert out == ""


BAD_RELAPSES = [
    ("id,date\n1,2020-03-01\n99,2020-04-01\n",
     ("relapses: column 'id' names 1 subject(s) with no visits at row 2", "(ids '99')",
      "unknown_relapse_subjects")),
    ("id,onset\n1,2020-03-01\n", ("relapses: missing column 'date'",)),
    ("id,date\n1,2020-02-30\n", ("relapses: column 'date'", "row 1", "'2020-02-30'")),
    ("", ("relapses: file", "is empty")),
]


@pytest.mark.parametrize(("text", "fragments"), BAD_RELAPSES)
def test_bad_relapses_one_line_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                      text: str, fragments: tuple[str, ...]) -> None:
    code, _, err = run(["outcomes", "--visits", write(tmp_path, "v.csv", BUG4_VISITS),
                        "--relapses", write(tmp_path, "r.csv", text), "--out",
                        str(tmp_path / "out")], capsys)
    assert_one_line_error(code, err, *fragments)
    assert "np.int64" not in err


POLICIES = [
    ("id,date,edss\n1,2020-01-01,2.0\n1,2020-01-01,3.0\n1,2020-06-01,3.0\n", GOOD_RELAPSES,
     ["--duplicate-visits", "keep_last"], "duplicate_visits='keep_last' kept the last row"),
    (BUG4_VISITS, "id,date\n1,2020-03-01\n99,2020-04-01\n",
     ["--unknown-relapse-subjects", "drop"], "dropped 1 relapse(s) of 1 subject(s)"),
    ("id,date,edss\n1,2020-01-01,2.0\n1,2020-01-01,2.0\n1,2020-06-01,3.0\n", GOOD_RELAPSES,
     [], "repeated with the same value were collapsed"),
    (BUG4_VISITS, "id,date\n", [], "relapses: the table has no rows; every subject is taken "
     "as relapse-free"),
]


@pytest.mark.parametrize(("visits", "relapses", "flags", "fragment"), POLICIES)
def test_policies_warn_on_stderr(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                 visits: str, relapses: str, flags: list[str],
                                 fragment: str) -> None:
    out = tmp_path / "out"
    code, _, err = run(["outcomes", "--visits", write(tmp_path, "v.csv", visits), "--relapses",
                        write(tmp_path, "r.csv", relapses), "--out", str(out), *flags], capsys)
    assert code == 0, err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err  # said once, though the cohort re-reads the tables
    assert lines[0].startswith("msstem: warning: ") and fragment in lines[0], lines[0]
    assert json.loads((out / "run.json").read_text())["warnings"] == [
        lines[0].removeprefix("msstem: warning: ")]


def test_parquet_inputs_with_zoned_and_date32_dates(tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    visits = pd.read_csv(pd.io.common.StringIO(BUG4_VISITS), parse_dates=["date"])
    pq.write_table(pa.table({"id": visits["id"], "date": pa.array(visits["date"].dt.date,
                                                                  pa.date32()),
                             "edss": visits["edss"]}), tmp_path / "v.parquet")
    # a zoned timestamp late in the evening: the local calendar day counts
    onset = pd.Series(pd.to_datetime(["2019-11-12 23:30"])).dt.tz_localize("Europe/Rome")
    pd.DataFrame({"id": [1], "date": onset}).to_parquet(tmp_path / "r.parquet")
    out = tmp_path / "out"
    code, _, err = run(["outcomes", "--visits", str(tmp_path / "v.parquet"), "--relapses",
                        str(tmp_path / "r.parquet"), "--out", str(out), "--raw-pira"], capsys)
    assert code == 0, err
    events = pd.read_csv(out / "events.csv")
    assert events[["cdw_type", "date"]].values.tolist() == [["RAW", "2020-02-10"]]
    arr = pd.read_csv(out / "arr_subjects.csv")
    assert arr.loc[0, "relapses"] == 0  # before the first visit: outside the ARR window


def test_milestone_sensitivity_and_r_features(inputs: dict[str, str], tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    code, _, err = run([*base(inputs, out), "--event", "multiple", "--milestone", "3.5",
                        "--sensitivity", "--pira-definition", "kappos2020"], capsys)
    assert code == 0, err
    ms = pd.read_csv(out / "milestones.csv", dtype={"id": str}).set_index("id")
    # 1 reaches 3.5 on 2020-07-01 (kept at 2020-10-01); 2 is at 4.0 from its first visit
    # (time 0); 3 never passes 3.0: censored at its last visit (2022-10-01, 1004 days after
    # 2020-01-01)
    assert ms.loc["1", "date"] == "2020-07-01" and bool(ms.loc["1", "observed"])
    assert bool(ms.loc["2", "observed"]) and ms.loc["2", "time2event"] == 0
    assert not bool(ms.loc["3", "observed"]) and ms.loc["3", "time2event"] == 1004
    sens = pd.read_csv(out / "sensitivity.csv")
    assert len(sens) == 10 and set(sens["conf_days"]) == {84, 168}
    assert "Kappos et al. 2020" in (out / "methods.txt").read_text()
    assert json.loads((out / "run.json").read_text())["options"]["progression"][
        "pira_definition"] == "kappos2020"


@pytest.mark.parametrize(("flags", "message"), [
    (["--milestone", "3.7"], "milestone: 3.7 is not an EDSS score"),
    (["--pira-definition", "smith2024"], "mueller2023"),
    (["--validconf-col", "nope"], "missing column 'nope'"),
])
def test_r_feature_bad_input(flags: list[str], message: str, inputs: dict[str, str],
                             tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    code, _, err = run([*base(inputs, out), *flags], capsys)
    assert code == 2
    assert message in " ".join(err.split())
    assert len(err.strip().splitlines()) == 1 and "Value error" not in err  # no pydantic words
    assert not (out / "events.csv").exists()


def test_relapse_end_before_onset(inputs: dict[str, str], tmp_path: Path,
                                  capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "rel_end.csv"
    bad.write_text("id,date,end\n2,2020-09-01,2020-08-01\n")
    argv = ["outcomes", "--visits", inputs["visits"], "--relapses", str(bad), "--out",
            str(tmp_path / "out"), "--relapse-end-col", "end"]
    code, _, err = run(argv, capsys)
    assert code == 2
    assert "end dates before the onset" in err and len(err.strip().splitlines()) == 1
