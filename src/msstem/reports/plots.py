"""Static plots of outcome results (matplotlib, drawn off-screen with the Agg canvas).

Each helper takes ``ax=None`` and returns the axes it drew on: pass your own axes to
place a plot in a figure (a notebook's, say); without one, a new Agg figure is made, so
nothing here touches pyplot's global state. :func:`save_png` writes an axes' figure.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator
from matplotlib.transforms import blended_transform_factory

from msstem.outcomes.activity import NEDA_STATUSES, NedaResult
from msstem.outcomes.survival import ENDPOINT_LABELS, KmResult

__all__ = ["plot_km", "plot_neda", "save_png"]

_STATUS_COLOURS = {"NEDA": "#1b9e77", "EDA": "#d95f02", "not_evaluable": "#bbbbbb"}


def _new_axes(width: float, height: float) -> Axes:
    fig = Figure(figsize=(width, height))
    FigureCanvasAgg(fig)
    ax: Axes = fig.add_subplot()
    return ax


def plot_km(result: KmResult, ax: Axes | None = None, *, at_risk: bool = True,
            title: str | None = None) -> Axes:
    """Kaplan-Meier step curves with confidence bands, at-risk counts under the x axis."""
    ax = ax if ax is not None else _new_axes(7.5, 5.0)
    groups = list(dict.fromkeys(result.curve["group"]))
    for group in groups:
        curve = result.curve[result.curve["group"] == group]
        (line,) = ax.step(curve["time_years"], curve["survival"], where="post", label=group)
        ax.fill_between(curve["time_years"], curve["ci_low"], curve["ci_high"], step="post",
                        alpha=0.2, color=line.get_color(), linewidth=0)
        censored = curve[curve["censored"] > 0]
        ax.plot(censored["time_years"], censored["survival"], "|", color=line.get_color(),
                markersize=8)
    ax.set_ylim(0, 1.05)
    ax.set_xlim(left=0)
    ax.set_xlabel("Years from origin")
    ax.set_ylabel("Proportion without the event")
    conf = round(100 * (1 - result.options.alpha))
    ax.set_title(title or f"{ENDPOINT_LABELS.get(result.endpoint, result.endpoint)} "
                 f"(Kaplan-Meier, {conf}% CI)", fontsize=10)
    if len(groups) > 1 or groups[0] != "all":
        ax.legend(loc="lower left", fontsize=8, frameon=False)
    if at_risk:
        _at_risk_rows(ax, result, groups)
    return ax


def _at_risk_rows(ax: Axes, result: KmResult, groups: list[Any]) -> None:
    """Numbers at risk under the x axis: one row per group, one column per table time."""
    table = result.at_risk
    ticks = sorted(set(table["time_years"]))
    ax.set_xticks(ticks)
    trans = blended_transform_factory(ax.transData, ax.transAxes)
    ax.text(-0.05, -0.2, "At risk", transform=ax.transAxes, ha="right", va="center",
            fontsize=8, fontweight="bold")
    for row, group in enumerate(groups):
        y = -0.27 - 0.07 * row
        ax.text(-0.05, y, str(group), transform=ax.transAxes, ha="right", va="center", fontsize=8)
        part = table[table["group"] == group]
        for t, n in zip(part["time_years"], part["at_risk"], strict=True):
            ax.text(t, y, str(int(n)), transform=trans, ha="center", va="center", fontsize=8)


def plot_neda(result: NedaResult, ax: Axes | None = None, *, group: str | None = None) -> Axes:
    """Stacked bars of NEDA / EDA / not evaluable at each horizon (all groups, or one)."""
    ax = ax if ax is not None else _new_axes(6.0, 4.0)
    summary = result.summary
    if group is not None:
        summary = summary[summary["group"] == group]
    totals = summary.groupby("horizon_years")[list(NEDA_STATUSES)].sum()
    labels = [f"{h} y" for h in totals.index]
    bottom = [0] * len(totals)
    for status in NEDA_STATUSES:
        values = totals[status].tolist()
        ax.bar(labels, values, bottom=bottom, color=_STATUS_COLOURS[status],
               label=status.replace("_", " "))
        bottom = [b + v for b, v in zip(bottom, values, strict=True)]
    ax.set_ylabel("Subjects")
    ax.set_xlabel("Years after the index date")
    ax.set_title("NEDA-3 status" + (f" ({group})" if group else ""), fontsize=10)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.legend(fontsize=8, frameon=False, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    return ax


def save_png(ax: Axes, path: str | Path, *, dpi: int = 120) -> Path:
    """Write the figure holding ``ax`` as PNG (tight box, so the at-risk rows fit)."""
    out = Path(path)
    fig = ax.get_figure(root=True)
    if fig is None:  # pragma: no cover - an axes always belongs to a figure once drawn
        raise ValueError("the axes has no figure")
    fig.savefig(out, format="png", dpi=dpi, bbox_inches="tight")
    return out
