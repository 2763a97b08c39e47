"""Icon arrays: 100 person icons in a 10x10 grid, as inline SVG with a text alternative.

An icon array shows an event rate on a fixed denominator of 100 people, the format
decision aids use so that different rates can be compared at a glance. The icons are
``<use>`` references to one person symbol: put :func:`person_symbol_defs` once in the
page (or pass ``include_defs=True`` for a standalone SVG). Colours are presentation
attributes, not CSS, so the SVG works under a strict Content-Security-Policy.
"""

from __future__ import annotations

import math
from html import escape
from typing import Final, Literal

from msstem.reports.formatting import per_100_text

__all__ = [
    "ICON_COLOURS",
    "PERSON_SYMBOL_ID",
    "compact_icon_array_svg",
    "filled_icons",
    "filled_of",
    "icon_array_svg",
    "icon_pattern_defs",
    "person_symbol_defs",
]

PERSON_SYMBOL_ID: Final = "msstem-person"
_COLS: Final = 10
_CELL_W: Final = 12
_CELL_H: Final = 14

#: Fill colours (each >= 3:1 against white and against the "not affected" grey).
ICON_COLOURS: Final = {"benefit": "#00607a", "harm": "#a13d00", "other": "#6b6b6b"}
_EMPTY: Final = "#c9ced4"

# A person: a round head over a rounded body, in a 10 x 12 box.
_PERSON_PATH: Final = (
    "M5 0.2a2.5 2.5 0 1 1 0 5a2.5 2.5 0 1 1 0-5z"
    "M0.8 12v-3.6c0-1.7 1.4-2.6 4.2-2.6s4.2 0.9 4.2 2.6v3.6z"
)


def person_symbol_defs(symbol_id: str = PERSON_SYMBOL_ID) -> str:
    """A hidden SVG defining the person symbol; include it once per HTML page.

    It is hidden by the ``svg-defs`` class, not an inline style, so pages served under a
    Content-Security-Policy without 'unsafe-inline' styles render it the same way.
    """
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" width="0" height="0" aria-hidden="true" '
        'focusable="false" class="svg-defs">'
        f'{_symbol(symbol_id)}</svg>'
    )


def _symbol(symbol_id: str) -> str:
    return (
        f'<symbol id="{escape(symbol_id)}" viewBox="0 0 10 12">'
        f'<path d="{_PERSON_PATH}"/></symbol>'
    )


def filled_icons(per_100: float) -> int:
    """How many of the 100 icons to colour: the rate rounded half up, within 0..100."""
    if not math.isfinite(per_100):
        raise ValueError(f"per_100 must be finite, got {per_100!r}")
    return max(0, min(100, math.floor(per_100 + 0.5)))


def icon_array_svg(
    per_100: float,
    *,
    label: str,
    kind: Literal["benefit", "harm", "other"] = "other",
    symbol_id: str = PERSON_SYMBOL_ID,
    include_defs: bool = False,
) -> str:
    """A 10x10 icon array for ``per_100`` people in 100, with ``label`` as its text alternative.

    The SVG has ``role="img"``, an ``aria-label`` and a ``<title>`` that state the rate in
    words, so the picture is never the only carrier of the number.
    """
    filled = filled_icons(per_100)
    alt = f"{label}: {per_100_text(per_100)}"
    colour = ICON_COLOURS[kind]
    on: list[str] = []
    off: list[str] = []
    for i in range(100):
        row, col = divmod(i, _COLS)
        use = f'<use href="#{escape(symbol_id)}" x="{col * _CELL_W}" y="{row * _CELL_H}" ' \
              'width="10" height="12"/>'
        (on if i < filled else off).append(use)
    width, height = _COLS * _CELL_W - 2, 10 * _CELL_H - 2
    defs = f"<defs>{_symbol(symbol_id)}</defs>" if include_defs else ""
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="icon-array" role="img" '
        f'aria-label="{escape(alt)}" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}">'
        f"<title>{escape(alt)}</title>{defs}"
        f'<g fill="{colour}">{"".join(on)}</g>'
        f'<g fill="{_EMPTY}">{"".join(off)}</g>'
        "</svg>"
    )


# --- compact arrays: 100 or 1,000 people, drawn with tiled patterns ------------------------

#: Grid per denominator: (columns, rows, cell width, cell height) in SVG units.
_COMPACT_GRID: Final = {100: (10, 10, 12, 14), 1000: (40, 25, 6, 7)}


def _pattern_id(state: str, per: int) -> str:
    return f"msstem-icons-{state}-{per}"


def icon_pattern_defs(symbol_id: str = PERSON_SYMBOL_ID) -> str:
    """A hidden SVG with the person symbol and one tiling pattern per colour and grid, for
    :func:`compact_icon_array_svg`; include it once per page."""
    patterns = []
    for per, (_, _, w, h) in _COMPACT_GRID.items():
        for state, colour in (*ICON_COLOURS.items(), ("empty", _EMPTY)):
            patterns.append(
                f'<pattern id="{_pattern_id(state, per)}" width="{w}" height="{h}" '
                f'patternUnits="userSpaceOnUse"><use href="#{escape(symbol_id)}" '
                f'width="{w - 2 if per == 100 else w - 1}" '
                f'height="{h - 2 if per == 100 else h - 1}" fill="{colour}"/></pattern>')
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" width="0" height="0" aria-hidden="true" '
        f'focusable="false" class="svg-defs">{_symbol(symbol_id)}{"".join(patterns)}</svg>'
    )


def filled_of(value: float, per: int) -> int:
    """Icons to colour for ``value`` people in ``per``: rounded half up, within 0..per."""
    if per not in _COMPACT_GRID:
        raise ValueError(f"per must be 100 or 1000, got {per!r}")
    if not math.isfinite(value):
        raise ValueError(f"value must be finite, got {value!r}")
    return max(0, min(per, math.floor(value + 0.5)))


def compact_icon_array_svg(
    value: float, per: int, *, label: str, kind: Literal["benefit", "harm", "other"] = "other",
) -> str:
    """``value`` people in ``per`` (100: a 10x10 grid; 1,000: 40x25) as at most four
    pattern-filled rectangles, filled row by row: a few hundred bytes, where one ``<use>``
    per person would take 5 to 50 KB. Needs :func:`icon_pattern_defs` on the page."""
    cols, rows, w, h = _COMPACT_GRID[per]
    filled = filled_of(value, per)
    full, rest = divmod(filled, cols)
    on, off = f"url(#{_pattern_id(kind, per)})", f"url(#{_pattern_id('empty', per)})"
    rects: list[tuple[int, int, int, int, str]] = []  # x, y, width, height (cells), fill
    if full:
        rects.append((0, 0, cols, full, on))
    if rest:
        rects.append((0, full, rest, 1, on))
        rects.append((rest, full, cols - rest, 1, off))
    top = full + (1 if rest else 0)
    if top < rows:
        rects.append((0, top, cols, rows - top, off))
    shapes = "".join(f'<rect x="{x * w}" y="{y * h}" width="{cw * w}" height="{ch * h}" '
                     f'fill="{fill}"/>' for x, y, cw, ch, fill in rects)
    alt = f"{label}: {filled:,} of {per:,} people coloured"
    width, height = cols * w, rows * h
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="icon-array icons-{per}" role="img" '
        f'aria-label="{escape(alt)}" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}"><title>{escape(alt)}</title>{shapes}</svg>'
    )
