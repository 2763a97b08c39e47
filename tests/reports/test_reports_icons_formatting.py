"""Icon arrays and the shared formatting helpers."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from svg_helpers import SVG, svg_groups

from msstem.reports.formatting import (
    format_rate,
    format_value,
    interval_text,
    per_100_text,
    source_links,
)
from msstem.reports.icons import (
    PERSON_SYMBOL_ID,
    filled_icons,
    icon_array_svg,
    person_symbol_defs,
)


@pytest.mark.parametrize(
    ("rate", "filled"),
    [(0, 0), (0.19, 0), (0.49, 0), (0.5, 1), (1.4, 1), (2.1, 2), (2.5, 3), (69.2, 69),
     (83, 83), (99.49, 99), (99.5, 100), (100, 100)],
)
def test_filled_icons_rounds_half_up(rate: float, filled: int) -> None:
    assert filled_icons(rate) == filled


@pytest.mark.parametrize("bad", [float("nan"), float("inf")])
def test_filled_icons_rejects_non_finite(bad: float) -> None:
    with pytest.raises(ValueError, match="finite"):
        filled_icons(bad)


def test_icon_array_text_alternative_states_the_rate() -> None:
    svg = icon_array_svg(83, label="NEDA at 2 years", kind="benefit")
    root, _ = svg_groups(svg)
    assert root.get("role") == "img"
    assert root.get("aria-label") == "NEDA at 2 years: 83 in 100 people"
    title = root.find(f"{SVG}title")
    assert title is not None and title.text == "NEDA at 2 years: 83 in 100 people"


def test_icon_array_grid_is_10_by_10_filled_row_by_row() -> None:
    _, (on, off) = svg_groups(icon_array_svg(12, label="x", kind="harm"))
    positions = [(int(u.get("x", "-1")), int(u.get("y", "-1"))) for u in on]
    assert positions[:10] == [(12 * c, 0) for c in range(10)]
    assert positions[10:] == [(0, 14), (12, 14)]
    every = positions + [(int(u.get("x", "-1")), int(u.get("y", "-1"))) for u in off]
    assert len(set(every)) == 100
    assert {x for x, _ in every} == {12 * c for c in range(10)}
    assert {y for _, y in every} == {14 * r for r in range(10)}


def test_icon_array_escapes_the_label() -> None:
    svg = icon_array_svg(5, label='<script>alert("x")</script> & co')
    assert "<script>" not in svg
    root, _ = svg_groups(svg)  # still well-formed XML
    assert root.get("aria-label", "").startswith('<script>alert("x")</script> & co')


def test_standalone_svg_carries_its_symbol() -> None:
    root = ET.fromstring(icon_array_svg(5, label="x", include_defs=True))
    symbols = root.findall(f"{SVG}defs/{SVG}symbol")
    assert [s.get("id") for s in symbols] == [PERSON_SYMBOL_ID]
    page_defs = ET.fromstring(person_symbol_defs())
    assert page_defs.get("aria-hidden") == "true"
    assert page_defs.find(f"{SVG}symbol") is not None


@pytest.mark.parametrize(
    ("rate", "text"),
    [(83, "83"), (83.0, "83"), (69.2, "69.2"), (2.1, "2.1"), (2.8469, "2.8"), (1, "1"),
     (0.414, "0.414"), (0.011, "0.011"), (0.19, "0.19"), (0, "0"), (100, "100")],
)
def test_format_rate(rate: float, text: str) -> None:
    assert format_rate(rate) == text


def test_per_100_text_says_when_under_one() -> None:
    assert per_100_text(83) == "83 in 100 people"
    assert per_100_text(0.414) == "0.414 in 100 people (fewer than 1 in 100)"


def test_interval_text() -> None:
    assert interval_text(None) == "interval not reported"
    assert interval_text({"low": 1.3, "high": 3.4, "kind": "95% CI"}) == "95% CI 1.3 to 3.4"
    computed = {"low": 0.296, "high": 4.1, "computed": True,
                "kind": "95% CI (exact Clopper-Pearson, computed by msstem from n/d)"}
    assert interval_text(computed) == (
        "95% CI 0.296 to 4.1 (exact Clopper-Pearson, computed by msstem from n/d)"
    )


@pytest.mark.parametrize(
    ("value", "text"),
    [(None, "unknown"), (True, "yes"), (False, "no"), (3.5, "3.5"), (6.0, "6"), (34, "34"),
     (["psychiatric"], "psychiatric"), ([], "none"), ("RRMS", "RRMS"),
     ({"relapses_36m": 3, "activity_on_dmt": True}, "relapses_36m 3; activity_on_dmt yes")],
)
def test_format_value(value: object, text: str) -> None:
    assert format_value(value) == text


def test_source_links_only_make_web_links() -> None:
    links = source_links({
        "doi": "10.1212/WNL.0000000000003987", "pmid": "28455305",
        "registry_ids": ["NCT00288626", "ISRCTN88667898"],
        "url": "clinicaltrials.gov/ct2/show/NCT00288626",
    })
    assert links == [
        ("DOI 10.1212/WNL.0000000000003987", "https://doi.org/10.1212/WNL.0000000000003987"),
        ("PMID 28455305", "https://pubmed.ncbi.nlm.nih.gov/28455305/"),
        ("NCT00288626", "https://clinicaltrials.gov/study/NCT00288626"),
        ("clinicaltrials.gov/ct2/show/NCT00288626",
         "https://clinicaltrials.gov/ct2/show/NCT00288626"),
    ]
    for bad in ("javascript:alert(1)", "data:text/html,x", "file:///etc/passwd", "no-dot",
                "bethematchclinical.org/\u2026/multiple-sclerosis/", "a.org/.../b"):
        assert source_links({"url": bad}) == []
