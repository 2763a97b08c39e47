"""meta_analysis and ``msstem synthesize``: bad input is one line naming column and row;
results render themselves; CLI keys are metafor's names; forest plots are written."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from msstem.cli import app
from msstem.errors import DataError, OptionsError
from msstem.synthesis import leave_one_out, meta_analysis, regtest, subgroups
from synthesis.tables import TABLE


def _csv(tmp_path: Path, text: str) -> Path:
    p = tmp_path / "data.csv"
    p.write_text(text)
    return p


@pytest.mark.parametrize(("change", "match"), [
    ({"events": [1, 0, 60, 10]},
     r"column 'events', row 3 \(study 'c'\): 60 events is more than n = 50"),
    ({"events": [1, -1, 4, 10]}, r"column 'events', row 2 .*0 or more"),
    ({"n": [30, 0, 50, 10]}, r"column 'n', row 2 .*above 0"),
    ({"n": [30, "abc", 50, 10]}, r"column 'n', row 2 \(study 'b'\): 'abc' is not a number"),
    ({"n": [30, None, 50, 10]}, r"column 'n', row 2 .*empty cell"),
    ({"study": ["a", "", "c", "d"]}, r"column 'study', row 2: empty study name"),
])
def test_bad_cells_name_column_and_row(change: dict, match: str) -> None:
    with pytest.raises(DataError, match=match):
        meta_analysis(TABLE.assign(**change))


def test_missing_columns_variances_and_study_counts() -> None:
    with pytest.raises(DataError, match="column 'n' is missing"):
        meta_analysis(TABLE.drop(columns="n"))
    gen = pd.DataFrame({"study": ["a", "b"], "yi": [0.1, 0.2], "vi": [0.01, 0.0]})
    with pytest.raises(DataError, match=r"column 'vi', row 2 .*variance must be above 0"):
        meta_analysis(gen, measure="GEN")
    with pytest.raises(DataError, match="need at least 2"):
        meta_analysis(TABLE.iloc[:1])
    assert meta_analysis(TABLE.iloc[:1], method="FE").k == 1
    with pytest.raises(DataError, match=r"column 'year'.*one value"):
        meta_analysis(TABLE.assign(year=2000), mods=["year"])
    with pytest.raises(DataError, match=r"column 'grp'.*one value"):
        meta_analysis(TABLE.assign(grp="x"), mods=["grp"])
    with pytest.raises(OptionsError, match="method: 'XX' is not allowed; allowed: 'REML'"):
        meta_analysis(TABLE, method="XX")
    with pytest.raises(OptionsError, match="measure: 'PFT' is not allowed; allowed: 'PLO'"):
        meta_analysis(TABLE, measure="PFT")


def test_zero_and_full_counts_get_half_cells() -> None:
    res = meta_analysis(TABLE, method="DL")
    rows = {s.study: s for s in res.studies}
    assert rows["b"].corrected and rows["d"].corrected and not rows["a"].corrected
    assert rows["b"].yi == pytest.approx(math.log(0.5 / 20.5))
    assert rows["b"].vi == pytest.approx(1 / 0.5 + 1 / 20.5)
    assert rows["d"].yi == pytest.approx(math.log(10.5 / 0.5))
    assert any("0.5 added" in n for n in res.notes)


def test_fixed_effect_by_hand() -> None:
    """Inverse-variance pooling of three logits, computed independently."""
    t = TABLE.iloc[[0, 2, 3]].assign(events=[3, 5, 2], n=[30, 50, 40])
    res = meta_analysis(t, method="FE")
    y = [math.log(3 / 27), math.log(5 / 45), math.log(2 / 38)]
    w = [1 / (1 / 3 + 1 / 27), 1 / (1 / 5 + 1 / 45), 1 / (1 / 2 + 1 / 38)]
    est = sum(a * b for a, b in zip(y, w, strict=True)) / sum(w)
    assert res.pooled is not None
    assert res.pooled.estimate == pytest.approx(est, rel=1e-12)
    assert res.pooled.se == pytest.approx(1 / math.sqrt(sum(w)), rel=1e-12)
    q = sum(wi * (yi - est) ** 2 for yi, wi in zip(y, w, strict=True))
    assert res.qe == pytest.approx(q, rel=1e-12)
    assert math.isnan(res.pooled.pi_lb)  # metafor gives no PI for FE
    assert res.to_dict()["pi_lb"] is None


def test_result_renders_itself() -> None:
    res = meta_analysis(TABLE, mods=["year"])
    d = res.to_dict()
    assert d["estimate"] is None and d["coefficients"][0]["name"] == "intercept"
    assert {"qm", "qm_p", "r2"} <= set(d)
    p = res.predict(year=2015)
    assert p.backtransformed is not None and 0 < p.backtransformed["estimate"] < 1
    with pytest.raises(OptionsError, match="give a value for moderator 'year'"):
        res.predict()
    plain = meta_analysis(TABLE)
    assert list(plain.summary.columns[:6]) == ["study", "yi", "vi", "ci_lb", "ci_ub", "weight"]
    assert plain.summary["weight"].iloc[:-1].sum() == pytest.approx(100)
    assert "<table" in plain._repr_html_()
    assert "per 1,000" in plain.to_text()
    with pytest.raises(DataError, match="at least 10"):
        regtest(plain)
    assert len(leave_one_out(plain).rows) == 4
    sub = subgroups(plain, list(TABLE["grp"]), column="grp")
    assert [g for g, _ in sub.groups] == ["x", "y"] and sub.q_between_df == 1


def test_cli_json_keys_are_metafors(tmp_path: Path) -> None:
    data = _csv(tmp_path, "study,events,n,year\na,1,30,2001\nb,0,20,2005\nc,4,50,2012\n")
    out = CliRunner().invoke(app, ["synthesize", str(data), "--format", "json"])
    assert out.exit_code == 0, out.output
    d = json.loads(out.output)
    for key in ("k", "measure", "method", "estimate", "se", "ci_lb", "ci_ub", "pi_lb", "pi_ub",
                "tau2", "i2", "h2", "qe", "qe_p"):
        assert key in d
    assert set(d["backtransformed"]) == {"estimate", "ci_lb", "ci_ub", "pi_lb", "pi_ub"}
    out = CliRunner().invoke(app, ["synthesize", str(data), "--mods", "year", "--knha",
                                   "--method", "DL", "--format", "json"])
    d = json.loads(out.output)
    assert [c["name"] for c in d["coefficients"]] == ["intercept", "year"]
    assert set(d["coefficients"][0]) == {"name", "estimate", "se", "ci_lb", "ci_ub", "pval"}


@pytest.mark.parametrize(("text", "args", "message"), [
    ("study,events,n\na,5,3\nb,1,10\n", [], "column 'events', row 1 (study 'a')"),
    ("study,events\na,5\nb,1\n", [], "column 'n' is missing"),
    ("study,events,n\na,1,10\n", [], "need at least 2"),
    ("study,events,n\na,1,10\nb,2,10\n", ["--method", "XX"], "--method: unknown method"),
    ("study,events,n\na,1,10\nb,2,10\n", ["--measure", "PFT"], "--measure: unknown measure"),
    ("study,events,n,y\na,1,10,1\nb,2,10,1\nc,2,10,1\n", ["--mods", "y"], "one value"),
    ("study,events,n\na,1,10\nb,2,10\n", ["--forest", "x.pdf"], "must end in .png or .svg"),
])
def test_cli_bad_input_exits_2_with_one_line(
    tmp_path: Path, text: str, args: list[str], message: str,
) -> None:
    from msstem.cli import main

    data = _csv(tmp_path, text)
    with pytest.raises(SystemExit) as exc:
        main(["synthesize", str(data), *args])
    assert exc.value.code == 2


def test_cli_bad_input_message(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from msstem.cli import main

    data = _csv(tmp_path, "study,events,n\na,5,3\nb,1,10\n")
    with pytest.raises(SystemExit):
        main(["synthesize", str(data)])
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1
    assert "column 'events', row 1 (study 'a'): 5 events is more than n = 3" in err[0]


def test_cli_evidence_mode_with_forest(tmp_path: Path) -> None:
    png, svg = tmp_path / "f.png", tmp_path / "f.svg"
    out = CliRunner().invoke(app, ["synthesize", "--outcome", "treatment_related_death",
                                   "--by", "intensity", "--forest", str(png)])
    assert out.exit_code == 0, out.output
    assert "Left out:" in out.output and "burt2015" in out.output
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    out = CliRunner().invoke(app, ["synthesize", "--outcome", "neda", "--horizon", "2",
                                   "--format", "json", "--forest", str(svg)])
    d = json.loads(out.output)
    assert d["k"] == 2 and {e["arm_id"] for e in d["excluded"]} == {"mariottini2019-ntz"}
    assert svg.read_text().lstrip().startswith(("<?xml", "<svg"))
    bad = CliRunner().invoke(app, ["synthesize", "--outcome", "neda"])
    assert bad.exit_code != 0


def test_plot_forest_returns_axes() -> None:
    import matplotlib.pyplot as plt

    from msstem.reports.forest import plot_forest, plot_funnel

    res = meta_analysis(TABLE)
    _fig, ax = plt.subplots()
    assert plot_forest(res, ax=ax) is ax
    assert plot_funnel(res) is not None
    with pytest.raises(OptionsError):
        plot_forest(meta_analysis(TABLE, mods=["year"]))
    plt.close("all")
