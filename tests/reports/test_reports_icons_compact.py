"""Compact icon arrays (100 or 1,000 people) for the options grid: counts and geometry."""

from __future__ import annotations

import re

import pytest

from msstem.reports.icons import compact_icon_array_svg, filled_of, icon_pattern_defs

#: (value, per, icons coloured): rounding half up, clamped to the grid.
BOUNDARIES = [
    (0.0, 100, 0), (0.49, 100, 0), (0.5, 100, 1), (47.7, 100, 48), (99.5, 100, 100),
    (120.0, 100, 100), (-3.0, 100, 0), (4.14, 1000, 4), (8.29, 1000, 8), (0.5, 1000, 1),
    (999.4, 1000, 999), (1000.0, 1000, 1000),
]


@pytest.mark.parametrize(("value", "per", "coloured"), BOUNDARIES)
def test_coloured_icons(value: float, per: int, coloured: int) -> None:
    assert filled_of(value, per) == coloured


def _rects(svg: str) -> list[tuple[int, int, int, int, str]]:
    return [(int(x), int(y), int(w), int(h), fill) for x, y, w, h, fill in re.findall(
        r'<rect x="(\d+)" y="(\d+)" width="(\d+)" height="(\d+)" fill="url\(#([^)]+)\)"/>',
        svg)]


@pytest.mark.parametrize(("value", "per", "coloured"), BOUNDARIES)
def test_the_rectangles_cover_the_grid_and_colour_exactly_the_count(
    value: float, per: int, coloured: int
) -> None:
    svg = compact_icon_array_svg(value, per, label="Death", kind="harm")
    cols, rows, w, h = {100: (10, 10, 12, 14), 1000: (40, 25, 6, 7)}[per]
    rects = _rects(svg)
    assert len(rects) <= 4
    on = sum(rw * rh for _, _, rw, rh, f in rects if f == f"msstem-icons-harm-{per}")
    off = sum(rw * rh for _, _, rw, rh, f in rects if f == f"msstem-icons-empty-{per}")
    assert on == coloured * w * h and on + off == cols * rows * w * h
    for x, y, rw, rh, _ in rects:  # on the cell grid, inside the picture
        assert x % w == 0 and y % h == 0 and rw % w == 0 and rh % h == 0
        assert x + rw <= cols * w and y + rh <= rows * h
    # The words carry the number too.
    assert f"{coloured:,} of {per:,} people coloured" in svg and 'role="img"' in svg


def test_every_pattern_used_is_defined() -> None:
    defs = icon_pattern_defs()
    for kind in ("benefit", "harm", "other"):
        for per in (100, 1000):
            svg = compact_icon_array_svg(50.0, per, label="x", kind=kind)  # type: ignore[arg-type]
            for ref in set(re.findall(r"url\(#([^)]+)\)", svg)):
                assert f'<pattern id="{ref}"' in defs


def test_bad_inputs() -> None:
    with pytest.raises(ValueError, match="per must be 100 or 1000"):
        filled_of(1.0, 10)
    with pytest.raises(ValueError, match="finite"):
        filled_of(float("nan"), 100)
    # A label is escaped (it is text from the evidence).
    assert "&lt;b&gt;" in compact_icon_array_svg(1.0, 100, label="<b>")
