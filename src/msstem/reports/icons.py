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
    "filled_icons",
    "icon_array_svg",
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
