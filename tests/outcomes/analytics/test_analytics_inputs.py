"""MRI and treatments tables, index dates, and building a cohort (bad input included)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from msstem.errors import DataError, OptionsError
from msstem.io import read_table
from msstem.outcomes.analytics_options import ClinicalColumns
from msstem.outcomes.clinical_inputs import (
    build_cohort,
    cohort_progression_options,
    index_dates,
    load_mri,
    load_treatments,
)
from msstem.outcomes.options import ProgressionOptions

KNOWN = {"1", "2"}


def write(tmp_path: Path, name: str, text: str) -> Any:
    """The file as the CLI reads it: msstem.io.read_table (every CSV column as text)."""
    path = tmp_path / name
    path.write_text(text)
    return read_table(path, name.split(".")[0])


def test_load_mri_reads_counts_and_activity(tmp_path: Path) -> None:
    path = write(tmp_path, "mri.csv", "id,date,new_t2,gd\n1,2020-01-01,0,0\n1,2021-01-01,2,\n"
                                      "2,2021-02-01,,1\n2,2021-03-01,0,\n")
    mri = load_mri(path, known=KNOWN)
    assert list(mri.columns) == ["id", "date", "new_t2", "gd", "active"]
    assert mri["active"].tolist() == [False, True, True, False]
    assert mri["id"].tolist() == ["1", "1", "2", "2"]  # ids compared as text
    assert pd.isna(mri.loc[1, "gd"])  # a missing count stays missing


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("id,date,new_t2\n1,2020-01-01,0\n", "missing column 'gd'"),
        ("id,date,new_t2,gd\n1,2020-01-01,0,0\n1,01/13/2020x,0,0\n",
         "column 'date' has missing or unparseable dates at row 2"),
        ("id,date,new_t2,gd\n1,2020-01-01,0,0\n1,2020-02-01,-1,0\n",
         "column 'new_t2' is negative at row 2"),
        ("id,date,new_t2,gd\n1,2020-01-01,1.5,0\n", "column 'new_t2' is not a whole number"),
        ("id,date,new_t2,gd\n1,2020-01-01,0,many\n", "column 'gd' is not a number at row 1"),
        ("id,date,new_t2,gd\n1,2020-01-01,,\n", "are both empty at row 1"),
        ("id,date,new_t2,gd\n1,2020-01-01,0,0\n9,2020-01-01,0,0\n7,2020-01-01,0,0\n",
         "column 'id' names subjects that are not in the visits table at rows 2, 3"),
        ("id,date,new_t2,gd\n,2020-01-01,0,0\n", "column 'id' has missing ids at row 1"),
        ("id,date,new_t2,gd\n\" \",2020-01-01,0,0\n", "column 'id' has empty ids at row 1"),
        ("id,date,new_t2,gd\n", "the table has no rows"),
    ],
)
def test_bad_mri_tables(tmp_path: Path, body: str, message: str) -> None:
    path = write(tmp_path, "mri.csv", body)
    with pytest.raises(DataError) as info:
        load_mri(path, known=KNOWN)
    assert message in str(info.value)
    assert str(info.value).startswith("mri:") and "\n" not in str(info.value)


def test_configurable_column_names() -> None:
    cols = ClinicalColumns(mri_subject_col="patient", mri_date_col="scan", new_t2_col="t2",
                           gd_col="gad", treatment_subject_col="patient",
                           treatment_start_col="day", therapy_col="drug", group_col="arm")
    mri = load_mri(pd.DataFrame({"patient": [1], "scan": ["2020-01-01"], "t2": [1],
                                 "gad": [0]}), cols)
    assert bool(mri.loc[0, "active"])
    trt = load_treatments(pd.DataFrame({"patient": [1], "day": ["2020-01-01"],
                                        "drug": ["aHSCT"], "arm": ["transplant"]}), cols)
    assert trt.loc[0, "group"] == "transplant"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("id,therapy\n1,aHSCT\n", "missing column 'start'"),
        ("id,start,therapy\n1,2020-13-45,aHSCT\n", "column 'start' has missing or unparseable"),
        ("id,start,therapy\n1,2020-01-01,\n", "column 'therapy' is empty at row 1"),
        ("id,start,therapy\n1,2020-01-01,aHSCT\n3,2020-01-01,aHSCT\n",
         "column 'id' names subjects that are not in the visits table at row 2 (e.g. '3')"),
        ("id,start,therapy,group\n1,2020-01-01,aHSCT,\n", "column 'group' is empty at row 1"),
    ],
)
def test_bad_treatments_tables(tmp_path: Path, body: str, message: str) -> None:
    path = write(tmp_path, "treatments.csv", body)
    with pytest.raises(DataError) as info:
        load_treatments(path, known=KNOWN)
    assert message in str(info.value)


def test_missing_file_is_a_data_error(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="does not exist"):
        read_table(tmp_path / "nope.csv", "treatments")
    with pytest.raises(DataError, match="got a file path"):
        load_treatments(tmp_path / "nope.csv")  # type: ignore[arg-type]


TREATMENTS = pd.DataFrame({
    "id": ["1", "1", "2", "2", "3"],
    "start": pd.to_datetime(["2018-01-01", "2020-05-01", "2019-01-01", "2019-01-01",
                             "2021-01-01"]),
    "therapy": ["natalizumab", "aHSCT", "ocrelizumab", "AHSCT", "natalizumab"],
    "group": [None] * 5,
})


def test_index_date_default_is_the_earliest_treatment() -> None:
    idx = index_dates(TREATMENTS, ["1", "2", "3", "4"], None).set_index("id")
    assert idx.loc["1", "index_date"] == pd.Timestamp("2018-01-01")
    assert idx.loc["1", "group"] == "natalizumab"
    assert idx.loc["2", "therapy"] == "ocrelizumab"  # same-day tie: first row in the file
    assert pd.isna(idx.loc["4", "index_date"])
    assert idx.loc["4", "reason"] == "no index date: no row in the treatments table"


def test_index_therapy_is_case_insensitive() -> None:
    idx = index_dates(TREATMENTS, ["1", "2", "3"], "ahsct").set_index("id")
    assert idx.loc["1", "index_date"] == pd.Timestamp("2020-05-01")
    assert idx.loc["2", "group"] == "AHSCT"
    assert idx.loc["3", "group"] == "(no index date)"
    assert idx.loc["3", "reason"] == "no index date: no 'ahsct' row in the treatments table"


def test_unknown_index_therapy_lists_the_therapies() -> None:
    with pytest.raises(OptionsError) as info:
        index_dates(TREATMENTS, ["1"], "aHCST")
    assert "'AHSCT', 'aHSCT', 'natalizumab', 'ocrelizumab'" in str(info.value)


def test_group_column_wins_over_therapy() -> None:
    trt = TREATMENTS.assign(group=["DMT", "transplant", "DMT", "transplant", "DMT"])
    idx = index_dates(trt, ["1", "2"], "aHSCT").set_index("id")
    assert idx.loc["1", "group"] == "transplant"


def test_cohort_progression_options_override_only_three_settings() -> None:
    user = ProgressionOptions(baseline="roving", event="firstCDI", conf_days=(84, 168),
                              relapse_to_bl=45)
    got = cohort_progression_options(user)
    assert (got.baseline, got.event, got.raw_pira) == ("fixed", "multiple", True)
    assert got.conf_days == (84, 168) and got.relapse_to_bl == (45.0, 0.0)


# --- build_cohort with the real progression engine -------------------------------------

VISITS = pd.DataFrame({
    "id": [1, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3],
    "date": ["2018-01-01", "2018-06-01", "2019-01-01", "2020-06-01", "2021-01-01",
             "2019-06-01", "2020-06-01", "2020-10-01", "2021-06-01",
             "2020-03-01", "2021-03-01"],
    "edss": [2.0, 3.5, 3.5, 3.5, 3.5, 3.0, 4.5, 4.5, 4.5, 1.0, 1.0],
})
TRT = pd.DataFrame({"id": [1, 2, 3], "start": ["2019-01-01", "2020-01-01", "2020-01-01"],
                    "therapy": ["aHSCT", "aHSCT", "aHSCT"]})


def test_worsening_before_the_index_date_is_not_counted() -> None:
    cohort = build_cohort(VISITS, None, TRT)
    origin = cohort.origin.set_index("id")
    # 1: worsened 2018 (2.0 -> 3.5, confirmed), before its 2019-01-01 index: the baseline is
    # the index-day visit (3.5) and nothing after it changes -> no CDW after the index.
    assert cohort.first_event_dates("CDW")["id"].tolist() == ["2"]
    # 2: baseline 2019-06-01 (3.0), 4.5 on 2020-06-01 confirmed 2020-10-01 -> CDW.
    assert cohort.first_event_dates("CDW")["date"].tolist() == [pd.Timestamp("2020-06-01")]
    # 3: first visit after the index date: no baseline EDSS.
    assert origin["has_baseline"].to_dict() == {"1": True, "2": True, "3": False}
    assert cohort.progression_options is not None
    assert cohort.progression_options.baseline == "fixed"


def test_cohort_without_treatments_starts_at_first_visit() -> None:
    cohort = build_cohort(VISITS, None, None, run_progression=False)
    assert cohort.origin_kind == "first_visit"
    assert cohort.origin.set_index("id")["origin_date"].to_dict()["3"] == pd.Timestamp(
        "2020-03-01")
    assert cohort.origin["has_baseline"].all()
    with pytest.raises(OptionsError, match="without progression"):
        cohort.first_event_dates("CDW")
    with pytest.raises(OptionsError, match="needs a treatments table"):
        build_cohort(VISITS, None, None, index_therapy="aHSCT", run_progression=False)


def test_relapses_of_unknown_subjects() -> None:
    relapses = pd.DataFrame({"id": [1, 9], "date": ["2020-01-01", "2020-01-01"]})
    with pytest.raises(DataError, match=r"relapses: column 'id' names 1 subject\(s\) with no "
                       r"visits at row 2 \(ids '9'\)"):
        build_cohort(VISITS, relapses, TRT, run_progression=False)
    opts = ProgressionOptions(unknown_relapse_subjects="drop")
    cohort = build_cohort(VISITS, relapses, TRT, progression=opts, run_progression=False)
    assert cohort.relapses["id"].tolist() == ["1"]
    assert cohort.warnings and "9" in cohort.warnings[0]


def test_custom_visit_columns_come_from_progression_options() -> None:
    visits = VISITS.rename(columns={"id": "patient", "date": "visit", "edss": "score"})
    opts = ProgressionOptions(subject_col="patient", date_col="visit", value_col="score")
    cohort = build_cohort(visits, None, TRT, progression=opts)
    assert cohort.first_event_dates("CDW")["id"].tolist() == ["2"]


def test_cohort_relapse_table_with_no_rows_and_zoned_dates() -> None:
    # no relapses: a valid cohort (every subject relapse-free), not an error
    empty = pd.DataFrame({"id": pd.Series(dtype=object), "date": pd.Series(dtype=object)})
    cohort = build_cohort(VISITS, empty, TRT, run_progression=False)
    assert cohort.relapses.empty
    # zoned relapse dates compare with plain visit dates by their local calendar day
    zoned = pd.DataFrame({"id": [1], "date": pd.Series(pd.to_datetime(["2020-01-01 23:30"]))
                          .dt.tz_localize("Europe/Rome")})
    cohort = build_cohort(VISITS, zoned, TRT, run_progression=False)
    assert cohort.relapses["date"].tolist() == [pd.Timestamp("2020-01-01")]


def test_cohort_and_engine_word_unknown_relapses_alike() -> None:
    from msstem.outcomes import detect_progression

    relapses = pd.DataFrame({"id": [1, 9], "date": ["2020-01-01", "2020-01-01"]})
    opts = ProgressionOptions(unknown_relapse_subjects="drop")
    cohort = build_cohort(VISITS, relapses, TRT, progression=opts, run_progression=False)
    assert cohort.warnings == detect_progression(VISITS, relapses, opts).warnings
