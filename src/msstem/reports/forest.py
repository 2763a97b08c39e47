"""Forest and funnel plots of meta-analysis results (matplotlib; ``ax=None`` makes a figure).

    >>> from msstem.reports.forest import plot_forest, save_figure
    >>> ax = plot_forest(result)                    # doctest: +SKIP
    >>> save_figure(ax, "forest.svg")               # doctest: +SKIP

Results are drawn here, in the renderer layer, rather than by a method of the result:
``msstem.synthesis`` may not import ``reports`` (the layers point one way).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
from matplotlib.axes import Axes
from matplotlib.patches import Polygon

from msstem.errors import OptionsError
from msstem.synthesis import MetaResult, Prediction, StudyRow, SubgroupResult
from msstem.synthesis.measures import BACKTRANSFORMS

__all__ = ["plot_forest", "plot_funnel", "save_figure"]

_INK = "#1f2933"
_POOLED = "#1d4ed8"
_PI = "#b45309"


def _scale(result: MetaResult, per: int | None) -> tuple[Any, float, str]:
    back = BACKTRANSFORMS.get(result.measure)
    if back is None:
        return (lambda v: v), 1.0, "effect size (yi)"
    factor = float(per or 100)
    unit = f"per {int(factor):,} people" if per else "per 100 people"
    return back, factor, unit


def _fmt(v: float) -> str:
    return f"{v:.1f}" if abs(v) >= 1 or v == 0 else f"{v:.2f}"


def _study_row(ax: Axes, y: float, s: StudyRow, tf: Any, f: float, max_w: float) -> str:
    est, lb, ub = tf(s.yi) * f, tf(s.ci_lb) * f, tf(s.ci_ub) * f
    ax.plot([lb, ub], [y, y], color=_INK, lw=1)
    size = 4 + 10 * math.sqrt(s.weight / max_w) if max_w > 0 else 6
    ax.plot([est], [y], marker="s", ms=size, color=_INK, ls="none")
    return f"{_fmt(est)} [{_fmt(lb)}, {_fmt(ub)}]  {s.weight:4.1f}%"


def _diamond(ax: Axes, y: float, p: Prediction, tf: Any, f: float, color: str) -> str:
    est, lb, ub = tf(p.estimate) * f, tf(p.ci_lb) * f, tf(p.ci_ub) * f
    ax.add_patch(Polygon([(lb, y), (est, y + 0.3), (ub, y), (est, y - 0.3)], closed=True,
                         color=color))
    text = f"{_fmt(est)} [{_fmt(lb)}, {_fmt(ub)}]"
    if not math.isnan(p.pi_lb):
        pl, pu = tf(p.pi_lb) * f, tf(p.pi_ub) * f
        ax.plot([pl, pu], [y - 0.45, y - 0.45], color=_PI, lw=2, solid_capstyle="butt")
        text += f"\nPI [{_fmt(pl)}, {_fmt(pu)}]"
    return text


def plot_forest(
    result: MetaResult | SubgroupResult,
    ax: Axes | None = None,
    *,
    overall: MetaResult | None = None,
    per: int | None = None,
    title: str | None = None,
    labels: dict[str, str] | None = None,
) -> Axes:
    """One row per study (estimate, CI, weight), the pooled diamond and the prediction
    interval (orange bar); for a :class:`SubgroupResult` one block per subgroup, and
    ``overall`` adds the all-studies diamond. Proportions are drawn per ``per`` people."""
    groups: Sequence[tuple[str | None, MetaResult]]
    if isinstance(result, SubgroupResult):
        groups = list(result.groups)
        base = result.groups[0][1]
    else:
        groups = [(None, result)]
        base = result
    if any(r.pooled is None for _, r in groups):
        raise OptionsError("forest: a meta-regression has no pooled estimate to draw; fit "
                           "without moderators or use subgroups", field="forest")
    tf, f, unit = _scale(base, per)
    rows = sum(r.k + 2 for _, r in groups) + (2 if overall is not None else 0) + 1
    if ax is None:
        _fig, ax = plt.subplots(figsize=(9.5, 0.32 * rows + 1.4))
    names = labels or {}
    y = 0.0
    ticks: list[tuple[float, str, str]] = []
    headers: list[int] = []
    for label, res in groups:
        if label is not None:
            ticks.append((y, f"{label} (k = {res.k})", ""))
            headers.append(len(ticks) - 1)
            y -= 1
        max_w = max(s.weight for s in res.studies)
        for s in res.studies:
            ticks.append((y, names.get(s.study, s.study), _study_row(ax, y, s, tf, f, max_w)))
            y -= 1
        assert res.pooled is not None
        kind = "Fixed effect" if res.method == "FE" else f"RE ({res.method})"
        tail = f", I² {res.i2:.0f}%" if res.k > 1 else ""
        ticks.append((y, f"{kind}{tail}",
                      _diamond(ax, y, res.pooled, tf, f, _POOLED)))
        y -= 1.6
    if overall is not None and overall.pooled is not None:
        ticks.append((y, f"All studies, RE ({overall.method}), I² {overall.i2:.0f}%",
                      _diamond(ax, y, overall.pooled, tf, f, "#111827")))
        y -= 1
    ax.set_yticks([t[0] for t in ticks], [t[1] for t in ticks], fontsize=8)
    for i, tick in enumerate(ax.get_yticklabels()):
        if i in headers:
            tick.set_fontweight("bold")
    for yy, _lab, text in ticks:
        ax.text(1.02, yy, text, transform=ax.get_yaxis_transform(), va="center", fontsize=7.5,
                family="monospace")
    ax.set_ylim(y + 0.2, 1.0)
    ax.set_xlabel(unit if base.measure != "GEN" else "yi")
    ax.text(1.02, 1.0, "estimate [95% CI]  weight", transform=ax.get_yaxis_transform(),
            va="center", fontsize=7.5, family="monospace", fontweight="bold")
    ax.grid(axis="x", color="#e5e7eb", lw=0.6)
    ax.spines[["top", "right", "left"]].set_visible(False)
    ax.tick_params(axis="y", length=0)
    if title:
        ax.set_title(title, fontsize=10, loc="left")
    ax.text(0.0, -0.9 / max(rows, 1) - 0.06, "Squares: studies (size = weight), lines: 95% CI; "
            "diamond: pooled estimate and 95% CI; orange bar: 95% prediction interval.",
            transform=ax.transAxes, fontsize=7, color="#4b5563", va="top")
    ax.figure.subplots_adjust(left=0.30, right=0.70)
    return ax


def plot_funnel(result: MetaResult, ax: Axes | None = None) -> Axes:
    """metafor's funnel(): effect sizes against standard errors (inverted), with the
    pooled estimate and its pseudo 95% confidence region."""
    if result.pooled is None:
        raise OptionsError("funnel: needs a model without moderators", field="funnel")
    if ax is None:
        _fig, ax = plt.subplots(figsize=(6, 5))
    sei = [math.sqrt(s.vi) for s in result.studies]
    top = max(sei) * 1.05
    b = result.pooled.estimate
    ax.fill([b - 1.96 * top, b, b + 1.96 * top], [top, 0, top], color="#f3f4f6", zorder=0)
    ax.plot([b, b], [0, top], color=_POOLED, lw=1)
    ax.plot([s.yi for s in result.studies], sei, "o", color=_INK, ms=5)
    ax.set_ylim(top, 0)
    ax.set_xlabel(f"effect size ({result.measure})")
    ax.set_ylabel("standard error")
    return ax


def save_figure(ax: Axes, path: str | Path) -> Path:
    """Write the axes' figure as PNG or SVG (by the file name's suffix)."""
    out = Path(path)
    if out.suffix.lower() not in (".png", ".svg"):
        raise OptionsError(f"--forest: {str(out)!r} must end in .png or .svg", field="forest")
    fig = ax.get_figure(root=True)
    if fig is None:  # pragma: no cover - an axes always belongs to a figure once drawn
        raise ValueError("the axes has no figure")
    fig.savefig(out, dpi=150, bbox_inches="tight")
    return out
