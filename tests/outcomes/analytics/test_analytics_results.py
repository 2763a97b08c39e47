"""Result objects: frozen, carry options and version, write CSV/Parquet, render; and plots."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import matplotlib
import pandas as pd
import pytest
from analytics_factories import make_cohort, make_mri
from matplotlib.figure import Figure

from msstem import __version__
from msstem.errors import OptionsError
from msstem.outcomes.activity import assess_neda
from msstem.outcomes.analytics_options import AnalyticsResult, NedaOptions, SurvivalOptions
from msstem.outcomes.clinical_inputs import IndexedCohort
from msstem.outcomes.relapse_rate import annualised_relapse_rates
from msstem.outcomes.survival import survival_curves
from msstem.reports.plots import plot_km, plot_neda, save_png

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
BL, INDEX = "2019-12-01", "2020-01-01"


def cohort() -> IndexedCohort:
    origins = [("1", INDEX, "aHSCT"), ("2", INDEX, "aHSCT"), ("3", INDEX, "DMT"),
               ("4", INDEX, "DMT")]
    visits = {s: [BL, "2021-06-01", "2022-06-01"] for s in ("1", "2", "3", "4")}
    relapses = [("2", "2020-08-01"), ("3", "2021-02-01")]
    events = [("4", "2021-06-01", "CDW", "PIRA")]
    return make_cohort(origins, visits, relapses, events)


def mri() -> pd.DataFrame:
    return make_mri([(s, "2022-06-01", 0, 0) for s in ("1", "2", "3", "4")])


def all_results() -> list[AnalyticsResult]:
    c = cohort()
    neda = assess_neda(c, mri())
    km = survival_curves(c, SurvivalOptions(), neda)
    return [neda, annualised_relapse_rates(c), *km.values()]


@pytest.mark.parametrize("index", range(6))
def test_results_are_frozen_and_write_themselves(tmp_path: Path, index: int) -> None:
    result = all_results()[index]
    assert dataclasses.is_dataclass(result)
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.msstem_version = "x"  # type: ignore[misc]
    assert result.msstem_version == __version__
    frame = result.to_frame()
    csv = pd.read_csv(result.to_csv(tmp_path / "r.csv"))
    assert list(csv.columns) == list(frame.columns) and len(csv) == len(frame)
    back = pd.read_parquet(result.to_parquet(tmp_path / "r.parquet"))
    pd.testing.assert_frame_equal(back, frame.reset_index(drop=True))
    as_dict = result.to_dict()
    json.dumps(as_dict)  # JSON-ready
    assert as_dict["msstem_version"] == __version__ and as_dict["summary"]
    html = result._repr_html_()
    assert "<table" in html and type(result).__name__ in html


def test_neda_to_dict_carries_options() -> None:
    c = cohort()
    neda = assess_neda(c, mri(), NedaOptions(mri_rebaseline_days=14))
    assert neda.to_dict()["options"]["mri_rebaseline_days"] == 14
    assert neda.to_dict()["options"]["progression"]["conf_days"] == [84]


@pytest.mark.parametrize(
    ("model", "bad", "field"),
    [
        (NedaOptions, {"horizons_years": (1, 1)}, "horizons_years"),
        (NedaOptions, {"horizons_years": ()}, "horizons_years"),
        (NedaOptions, {"mri_rebaseline_days": -1}, "mri_rebaseline_days"),
        (NedaOptions, {"index_therapy": ""}, "index_therapy"),
        (SurvivalOptions, {"at_risk_step_years": 0}, "at_risk_step_years"),
        (SurvivalOptions, {"endpoints": ()}, "endpoints"),
    ],
)
def test_options_errors_name_the_field(model: type, bad: dict[str, object], field: str) -> None:
    with pytest.raises(OptionsError) as info:
        model(**bad)
    assert info.value.field == field and "\n" not in str(info.value)
    assert str(info.value).startswith(f"{model.__name__}: {field}")


def test_options_are_frozen() -> None:
    opts = NedaOptions()
    with pytest.raises(Exception, match="frozen"):
        opts.mri_rebaseline_days = 3  # type: ignore[misc]
    assert NedaOptions(horizons_years=(5, 1)).horizons_years == (1, 5)


def test_plots_write_pngs_without_pyplot(tmp_path: Path) -> None:
    c = cohort()
    neda = assess_neda(c, mri())
    km = survival_curves(c, SurvivalOptions(), neda)
    for name, result in km.items():
        path = save_png(plot_km(result), tmp_path / f"km_{name}.png")
        assert path.read_bytes()[:8] == PNG_MAGIC and path.stat().st_size > 5000
    path = save_png(plot_neda(neda), tmp_path / "neda.png")
    assert path.read_bytes()[:8] == PNG_MAGIC
    assert matplotlib.get_backend()  # untouched, whatever it was


def test_plots_draw_into_a_given_axes() -> None:
    c = cohort()
    km = survival_curves(c, SurvivalOptions(endpoints=("relapse",)))
    fig = Figure()
    ax = fig.add_subplot()
    assert plot_km(km["relapse"], ax=ax) is ax
    # One step line per group, and the at-risk numbers as text under the axis.
    assert len(ax.get_lines()) >= 2
    texts = [t.get_text() for t in ax.texts]
    assert "At risk" in texts and "aHSCT" in texts and "DMT" in texts
    neda = assess_neda(c, mri())
    ax2 = Figure().add_subplot()
    assert plot_neda(neda, ax=ax2, group="aHSCT") is ax2
    # 3 horizons x 3 statuses stacked.
    assert len(ax2.patches) == 9
