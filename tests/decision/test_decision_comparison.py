"""The options comparison grid: rows, cells, fit, the current DMT, direct comparisons."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from msstem.decision import assess, parse_profile
from msstem.decision.comparison import (
    CERTAINTY_LEVELS,
    ROWS,
    build_comparison,
    current_therapy,
    rare,
)
from msstem.evidence import load_evidence

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "profile.json"
#: Active RRMS, EDSS 3.5, relapses on natalizumab (the example profile).
ANA: dict[str, Any] = json.loads(EXAMPLE.read_text())
#: SPMS, EDSS 6.5, no activity.
TOM: dict[str, Any] = {"age": 52, "ms_course": "SPMS", "edss": 6.5, "relapses_12m": 0,
                       "relapses_24m": 0, "gd_lesions_12m": 0, "new_t2_lesions_12m": 0,
                       "disease_duration_years": 18}
#: PPMS with MRI activity only.
PPMS: dict[str, Any] = {"age": 45, "ms_course": "PPMS", "edss": 5.0, "relapses_12m": 0,
                        "gd_lesions_12m": 2, "new_t2_lesions_12m": 1}
PEOPLE = {"ana": ANA, "tom": TOM, "ppms": PPMS}


def _grid(profile: dict[str, Any]) -> dict[str, Any]:
    return build_comparison(assess(parse_profile(profile))).to_dict()


@pytest.fixture(scope="module")
def grids() -> dict[str, dict[str, Any]]:
    return {name: _grid(p) for name, p in PEOPLE.items()}


@pytest.mark.parametrize("name", list(PEOPLE))
def test_benefits_and_harms_rows(grids: dict[str, dict[str, Any]], name: str) -> None:
    rows = grids[name]["rows"]
    filled = [r for r in rows if any(c is not None for c in r["cells"].values())]
    assert sum(r["kind"] == "benefit" for r in filled) >= 4
    assert sum(r["kind"] == "harm" for r in filled) >= 4
    outcomes = {r["outcome"] for r in rows}
    for needed in ("neda", "progression_free", "relapse_free", "treatment_related_death",
                   "serious_infection", "secondary_autoimmunity", "pml", "menses_recovery",
                   "recovery_time", "cost"):
        assert needed in outcomes


@pytest.mark.parametrize("name", list(PEOPLE))
def test_every_cell_has_basis_certainty_sources_and_the_row_horizon(
    grids: dict[str, dict[str, Any]], name: str
) -> None:
    evidence = load_evidence()
    option_ids = [o["id"] for o in grids[name]["options"]]
    for row in grids[name]["rows"]:
        assert row["horizon"]
        assert list(row["cells"]) == option_ids  # every option has a cell (or None) per row
        for oid, cell in row["cells"].items():
            if cell is None:
                continue
            assert cell["basis"] and cell["basis_text"], (row["outcome"], oid)
            assert cell["certainty"] in CERTAINTY_LEVELS
            assert cell["fit"] in {"matches", "partly", "does_not_match"}
            assert cell["sources"] and all(s in evidence.sources for s in cell["sources"])
            # The number is the record's own number (per 100, per 1,000, or as reported).
            if cell["pooled"]:
                derived = evidence.derived(cell["fact_id"])
                scale = cell["per"]
                # shown to 3 significant digits
                assert cell["estimate"] == pytest.approx(derived.estimate * scale, rel=5e-3)
                assert cell["low"] == pytest.approx(derived.ci_lb * scale, rel=5e-3)
                assert cell["high"] == pytest.approx(derived.ci_ub * scale, rel=5e-3)
                assert cell["certainty"] == derived.certainty
                assert row["horizon_years"] == derived.horizon_years
                continue
            fact = evidence.facts[cell["fact_id"]]
            if cell["per"] is not None and cell["unit"].endswith("people"):
                assert fact.per_100 is not None
                assert cell["estimate"] == pytest.approx(fact.per_100 * cell["per"] / 100,
                                                         rel=1e-3)
            elif fact.value is not None:
                assert cell["estimate"] == fact.value
            # Either an interval, or the figure really has none (the source gave none).
            if cell["low"] is None:
                assert fact.interval is None and not (fact.numerator is not None
                                                      and fact.denominator)
            else:
                assert cell["low"] <= cell["estimate"] <= cell["high"]


def _years_of(evidence: Any, cell: dict[str, Any]) -> float | str | None:
    if cell["pooled"]:
        return evidence.derived(cell["fact_id"]).horizon_years
    tag = evidence.facts[cell["fact_id"]].estimate
    return "untagged" if tag is None else tag.years


def test_rows_share_one_time_frame_per_row() -> None:
    grid = _grid(ANA)
    evidence = load_evidence()
    for row in grid["rows"]:
        years = set()
        for cell in row["cells"].values():
            if cell is None:
                continue
            y = _years_of(evidence, cell)
            if y != "untagged":
                years.add(None if y is None else round(float(y)))  # type: ignore[arg-type]
        assert len(years) <= 1, (row["outcome"], row["horizon"], years)
        if years and row["horizon_years"] is not None:
            assert years == {row["horizon_years"]}


def test_rare_harms_are_per_1000_and_a_row_has_one_scale(
    grids: dict[str, dict[str, Any]]
) -> None:
    seen = 0
    for grid in grids.values():
        for row in grid["rows"]:
            people = [c for c in row["cells"].values()
                      if c is not None and c["unit"].endswith("people")]
            if not people:
                continue
            per_100 = [c["estimate"] * 100 / c["per"] for c in people]
            expected = 1000 if any(x < 1 for x in per_100) else 100
            assert {c["per"] for c in people} == {expected}, row["outcome"]
            seen += expected == 1000
    assert seen  # PML (natalizumab, 4.14 per 1,000) and Ana's death figure are per 1,000
    assert rare(0.19, "per 100 people") and not rare(1.0, "per 100 people")
    assert not rare(0.5, "per 1,000 patient-years")


def test_mist_and_the_other_direct_comparisons(grids: dict[str, dict[str, Any]]) -> None:
    direct = grids["ana"]["direct"]
    ids = [d["id"] for d in direct]
    assert ids[0] == "mist"  # the randomised trial first
    assert {"mist", "kalincik-2023", "muraro-2025", "sweden-register-2021",
            "zhukovsky-2021"} <= set(ids)
    mist = direct[0]
    assert mist["study_kind"] == "randomised"
    hr = next(e for e in mist["effects"] if e["measure"] == "HR")
    assert (hr["estimate"], hr["low"], hr["high"]) == (0.07, 0.02, 0.24)
    for d in direct:
        assert d["effects"] and d["sources"] and d["design"]


def test_death_figure_for_progressive_edss_65_not_lower(
    grids: dict[str, dict[str, Any]]
) -> None:
    def trm(grid: dict[str, Any]) -> dict[str, Any]:
        row = next(r for r in grid["rows"] if r["outcome"] == "treatment_related_death")
        cell = row["cells"]["ahsct"]
        assert cell is not None
        return dict(cell)

    tom, ana = trm(grids["tom"]), trm(grids["ana"])
    assert tom["estimate"] * 100 / tom["per"] >= ana["estimate"] * 100 / ana["per"]
    # Both are group-specific pooled figures, never the all-courses average: Ana's from the
    # studies of relapsing MS, Tom's at his EDSS (or from progressive MS); Tom's group mixes
    # courses, so it never "matches", and he hears why the risk may be higher.
    assert ana["pooled"] and ana["group"] == "relapsing" and ana["fit"] == "matches"
    assert tom["pooled"] and tom["group"] in ("edss-6-5-recent", "progressive")
    assert tom["fit"] != "matches"
    assert any("higher" in r for r in tom["fit_reasons"])
    assert not any("may be higher" in r for r in ana["fit_reasons"])


def test_failing_current_dmt_is_not_the_comparator(grids: dict[str, dict[str, Any]]) -> None:
    dmt = next(o for o in grids["ana"]["options"] if o["id"] == "dmt")
    assert dmt["name"] == "Stay on or change my current treatment"
    assert "natalizumab" in dmt["excluded_therapies"]
    assert "natalizumab" not in dmt["therapies"]
    for row in grids["ana"]["rows"]:
        cell = row["cells"]["dmt"]
        assert cell is None or cell["therapy"] != "natalizumab"
    # Someone stable on natalizumab keeps it in the comparison.
    stable = _grid({**ANA, "activity_on_dmt": False, "failed_high_efficacy_dmt": False})
    dmt = next(o for o in stable["options"] if o["id"] == "dmt")
    assert "natalizumab" in dmt["therapies"] and not dmt["excluded_therapies"]


def test_current_therapy_reads_names() -> None:
    evidence = load_evidence()
    assert current_therapy(parse_profile({"current_dmt": "Natalizumab"}), evidence) == \
        "natalizumab"
    assert current_therapy(parse_profile({"current_dmt": "glatiramer"}), evidence) is None
    assert current_therapy(parse_profile({}), evidence) is None


def test_rehabilitation_only_where_no_disease_modifying_option_applies(
    grids: dict[str, dict[str, Any]]
) -> None:
    assert "care" in [o["id"] for o in grids["tom"]["options"]]
    assert "care" not in [o["id"] for o in grids["ana"]["options"]]
    assert "care" not in [o["id"] for o in grids["ppms"]["options"]]  # MRI activity
    for row in grids["tom"]["rows"]:
        assert row["cells"]["care"] is None  # no figures: the cell says so, none borrowed


def test_no_guideline_fit_never_matches(grids: dict[str, dict[str, Any]]) -> None:
    assert grids["tom"]["fits_guideline"] is False
    for row in grids["tom"]["rows"]:
        cell = row["cells"]["ahsct"]
        if cell is not None:
            assert cell["fit"] != "matches"
    assert grids["ana"]["fits_guideline"] is True


def test_mixed_course_figures_never_match() -> None:
    grid = _grid(ANA)
    evidence = load_evidence()
    for row in grid["rows"]:
        for cell in row["cells"].values():
            if cell is None:
                continue
            if cell["pooled"]:
                # A pooled figure matches only where all its studies had the person's course.
                if cell["fit"] == "matches":
                    assert any("like you" in r for r in cell["fit_reasons"]), cell["fact_id"]
                continue
            tag = evidence.facts[cell["fact_id"]].estimate
            if tag is not None and len(tag.courses) != 1:
                assert cell["fit"] != "matches", cell["fact_id"]


def test_fertility_uses_the_age_group() -> None:
    def menses(age: int) -> str:
        row = next(r for r in _grid({"age": age})["rows"] if r["outcome"] == "menses_recovery")
        return str(row["cells"]["ahsct"]["fact_id"])

    assert menses(30) == "menses-survey-32-or-younger"
    assert menses(34) == "menses-survey-33-41"
    assert menses(45) == "massarotti-2021-menses-recovery"


def test_unknown_profile_cells_are_none_not_borrowed() -> None:
    grid = _grid({})
    for row in grid["rows"]:
        assert row["cells"]["trial"] is None
    assert len(grid["rows"]) == len(ROWS)


def test_none_typed_as_current_treatment_means_none() -> None:
    grid = _grid({**TOM, "current_dmt": "none"})
    dmt = next(o for o in grid["options"] if o["id"] == "dmt")
    assert not any("no figures for the treatment you named" in n for n in dmt["notes"])
    named = _grid({**TOM, "current_dmt": "glatiramer"})
    dmt = next(o for o in named["options"] if o["id"] == "dmt")
    assert any("no figures for the treatment you named" in n for n in dmt["notes"])
