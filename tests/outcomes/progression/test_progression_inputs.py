"""Bad input: a DataError naming the table, column and first offending rows; explicit policies
for duplicates and unknown relapse subjects, each with a warning listing what it did."""

from __future__ import annotations

import warnings
from pathlib import Path

import pandas as pd
import pytest

from msstem.errors import DataError
from msstem.io import read_table
from msstem.outcomes import ProgressionOptions, detect_progression

from .helpers import day, events, relapses_frame, visits_frame

GOOD = {1: [(0, 2.0), (90, 3.0), (180, 3.0)], 2: [(0, 1.0), (90, 1.0)]}


def _err(visits: object, relapses: object = None, **opts: object) -> str:
    with pytest.raises(DataError) as info:
        detect_progression(visits, relapses, ProgressionOptions(**opts))  # type: ignore[arg-type]
    msg = str(info.value)
    assert "\n" not in msg
    return msg


def test_missing_column_lists_what_is_there() -> None:
    v = visits_frame(GOOD).rename(columns={"edss": "EDSS"})
    msg = _err(v)
    assert "missing column 'edss'" in msg and "EDSS" in msg
    # configurable names fix it
    assert len(detect_progression(v, None, ProgressionOptions(value_col="EDSS")).events) == 1


def test_unparseable_dates_name_rows() -> None:
    v = visits_frame(GOOD).astype({"date": object})
    v.loc[2, "date"] = "31/02/2020"
    v.loc[4, "date"] = None
    msg = _err(v)
    assert "'date'" in msg and "rows 3, 5" in msg


@pytest.mark.parametrize(("bad", "words"), [
    (2.7, "off the grid"), (0.5, "off the grid"), (10.5, "off the grid"), (-1.0, "negative"),
])
def test_edss_values(bad: float, words: str) -> None:
    v = visits_frame(GOOD)
    v.loc[3, "edss"] = bad
    msg = _err(v)
    assert words in msg and "row 4" in msg and "'edss'" in msg


def test_missing_values_are_not_dropped() -> None:
    v = visits_frame(GOOD)
    v.loc[1, "edss"] = float("nan")
    assert "row 2" in _err(v)


def test_sdmt_range_and_timed_test_warning() -> None:
    v = visits_frame({1: [(0, 50.0), (90, 111.0)]}, "sdmt")
    assert "above 110" in _err(v, value_col="sdmt", outcome="sdmt")
    v = visits_frame({1: [(0, 20.0), (90, 301.0)]}, "nhpt")
    res = detect_progression(v, None, ProgressionOptions(value_col="nhpt", outcome="nhpt"))
    assert any("above 300" in w for w in res.warnings)


def test_duplicate_same_day_visits() -> None:
    v = visits_frame({1: [(0, 2.0), (90, 3.0), (90, 2.0), (180, 3.0), (270, 3.0)]})
    msg = _err(v)
    assert "same-day" in msg and "2020-03-31" in msg and "duplicate_visits" in msg
    last = detect_progression(v, None, ProgressionOptions(duplicate_visits="keep_last"))
    first = detect_progression(v, None, ProgressionOptions(duplicate_visits="keep_first"))
    # keep_last keeps 2.0 at day 90 -> onset at 180; keep_first keeps 3.0 -> onset at 90
    assert [e[2] for e in events(last)] == [180]
    assert [e[2] for e in events(first)] == [90]
    assert any("kept the last row" in w and "2020-03-31" in w for w in last.warnings)


def test_identical_duplicates_collapse_with_warning() -> None:
    v = visits_frame({1: [(0, 2.0), (90, 3.0), (90, 3.0), (180, 3.0)]})
    res = detect_progression(v)
    assert [e[2] for e in events(res)] == [90]
    assert any("collapsed" in w for w in res.warnings)


def test_relapses_for_unknown_subjects() -> None:
    v = visits_frame(GOOD)
    r = relapses_frame({1: [50], 9: [20, 30]})
    msg = _err(v, r)
    assert "9" in msg and "rows 2, 3" in msg and "unknown_relapse_subjects" in msg
    res = detect_progression(v, r, ProgressionOptions(unknown_relapse_subjects="drop"))
    assert any("dropped 2 relapse(s)" in w for w in res.warnings)


def test_relapse_bad_dates() -> None:
    r = pd.DataFrame({"id": [1], "date": ["yesterday"]})
    assert "relapses" in _err(visits_frame(GOOD), r)


def test_empty_tables(tmp_path: Path) -> None:
    assert "no rows" in _err(visits_frame(GOOD).iloc[:0])
    f = tmp_path / "v.csv"
    f.write_text("")
    with pytest.raises(DataError, match="is empty"):
        read_table(f, "visits")
    with pytest.raises(DataError, match="does not exist"):
        read_table(tmp_path / "nope.csv", "visits")
    assert "got a file path" in _err(f)  # the engine takes tables; msstem.io reads files


def test_unsorted_input_and_text_ids() -> None:
    v = visits_frame({"p-2": [(0, 1.0), (90, 1.0)], "p-1": GOOD[1]})
    shuffled = v.sample(frac=1.0, random_state=3)
    a = detect_progression(v)
    b = detect_progression(shuffled)
    pd.testing.assert_frame_equal(a.events, b.events)
    assert list(a.summary["id"]) == ["p-1", "p-2"]  # summary sorted by id


def test_csv_and_parquet_paths(tmp_path: Path) -> None:
    v = visits_frame(GOOD)
    r = relapses_frame({1: [-400]})
    v.to_csv(tmp_path / "v.csv", index=False, date_format="%Y-%m-%d")
    r.to_csv(tmp_path / "r.csv", index=False, date_format="%Y-%m-%d")
    v.to_parquet(tmp_path / "v.parquet")
    r.to_parquet(tmp_path / "r.parquet")
    vd = v.assign(date=v["date"].dt.date)  # Arrow date32 column
    vd.to_parquet(tmp_path / "vd.parquet")
    expected = detect_progression(v, r).events
    for vp, rp in [("v.csv", "r.csv"), ("v.parquet", "r.parquet"), ("vd.parquet", "r.csv")]:
        got = detect_progression(read_table(tmp_path / vp, "visits"),
                                 read_table(tmp_path / rp, "relapses")).events
        pd.testing.assert_frame_equal(got, expected)
    assert "missing column" in _err(read_table(tmp_path / "v.parquet", "visits"),
                                    value_col="EDSS")


def test_ids_as_text_in_one_file_and_numbers_in_the_other() -> None:
    v = visits_frame(GOOD)
    r = pd.DataFrame({"id": ["1"], "date": [day(-400)]})
    res = detect_progression(v, r)
    assert len(res.events) == 1


def test_relapse_table_with_no_rows_means_no_relapses(tmp_path: Path) -> None:
    # A cohort can be relapse-free; the header alone says so (a 0-byte file stays an error).
    v = visits_frame(GOOD)
    (tmp_path / "r.csv").write_text("id,date\n")
    relapses_frame({1: [0]}).iloc[:0].to_parquet(tmp_path / "r.parquet")
    expected = detect_progression(v, None).events
    for source in (read_table(tmp_path / "r.csv", "relapses"),
                   read_table(tmp_path / "r.parquet", "relapses"), relapses_frame({}).iloc[:0]):
        res = detect_progression(v, source)
        pd.testing.assert_frame_equal(res.events, expected)
        assert res.warnings == ("relapses: the table has no rows; every subject is taken as "
                                "relapse-free",)
    (tmp_path / "r0.csv").write_text("")
    with pytest.raises(DataError, match="is empty"):
        read_table(tmp_path / "r0.csv", "relapses")


def test_zoned_dates_keep_their_local_day() -> None:
    # 23:30 in Rome on 2019-11-12 is 22:30 UTC the same day; 00:30 on 2019-11-13 in Rome is
    # 23:30 UTC on the 12th: the local calendar day is the one written, as for plain dates.
    v = visits_frame({1: [(0, 2.0), (40, 3.0), (150, 3.0)]})
    for stamp, cdw_type in [("2019-11-12 23:30", "RAW"), ("2019-11-11 00:30", "PIRA")]:
        onset = pd.Series(pd.to_datetime([stamp])).dt.tz_localize("Europe/Rome")
        r = pd.DataFrame({"id": [1], "date": onset})
        res = detect_progression(v, r, ProgressionOptions(raw_pira=True))
        assert events(res)[0][1] == cdw_type, stamp  # onset day 40 = relapse + 90 / + 91


def test_unknown_relapse_warning_names_ids_as_written() -> None:
    v = visits_frame(GOOD)
    r = relapses_frame({1: [50], 9: [20, 30], "x": [10]})
    res = detect_progression(v, r, ProgressionOptions(unknown_relapse_subjects="drop"))
    assert res.warnings == ("relapses: dropped 3 relapse(s) of 2 subject(s) with no visits "
                            "(unknown_relapse_subjects='drop'): ids 9, x",)


def test_polars_and_arrow_tables_give_the_pandas_answer() -> None:
    import pyarrow as pa

    v = visits_frame(GOOD)
    r = relapses_frame({1: [-50]})
    expected = detect_progression(v, r, ProgressionOptions(raw_pira=True)).events
    got = detect_progression(pa.Table.from_pandas(v), pa.Table.from_pandas(r),
                             ProgressionOptions(raw_pira=True)).events
    pd.testing.assert_frame_equal(got, expected)
    assert "got int" in _err(42)
    pl = pytest.importorskip("polars")  # the issue promises polars input; optional here
    got = detect_progression(pl.from_pandas(v), pl.from_pandas(r),
                             ProgressionOptions(raw_pira=True)).events
    pd.testing.assert_frame_equal(got, expected)


def test_chosen_data_policies_warn_python_callers() -> None:
    # The CLI prints policy warnings on stderr; Python callers get the same text as a
    # DataPolicyWarning, and a clean table gives none.
    from msstem.errors import DataPolicyWarning

    v = visits_frame({1: [(0, 2.0), (90, 3.0), (90, 2.0), (180, 3.0), (270, 3.0)]})
    with pytest.warns(DataPolicyWarning, match="kept the last row") as record:
        res = detect_progression(v, None, ProgressionOptions(duplicate_visits="keep_last"))
    assert [str(w.message) for w in record] == list(res.warnings)
    clean = visits_frame({1: [(0, 2.0), (90, 3.0), (180, 3.0)]})
    with warnings.catch_warnings():
        warnings.simplefilter("error", DataPolicyWarning)
        assert detect_progression(clean, None).warnings == ()
