"""Result objects of a meta-analysis; they render themselves (summary, dict, HTML).

Plots are drawn by the renderer layer: ``msstem.reports.forest.plot_forest(result)``
(synthesis does not import reports, so the layers point one way).
"""

from __future__ import annotations

import html
import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from msstem import __version__
from msstem.synthesis.measures import BACKTRANSFORMS
from msstem.synthesis.options import MetaOptions

__all__ = ["Coefficient", "MetaResult", "Prediction", "StudyRow"]


def _num(value: float | None) -> float | None:
    """JSON-safe float: NaN/inf become None."""
    if value is None or not math.isfinite(value):
        return None
    return float(value)


@dataclass(frozen=True)
class Coefficient:
    """One model coefficient (metafor's ``b``, ``se``, ``zval``/``tval``, ``pval``, CI)."""

    name: str
    estimate: float
    se: float
    stat: float
    pval: float
    ci_lb: float
    ci_ub: float

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "estimate": _num(self.estimate), "se": _num(self.se),
                "ci_lb": _num(self.ci_lb), "ci_ub": _num(self.ci_ub), "pval": _num(self.pval)}


@dataclass(frozen=True)
class Prediction:
    """metafor's ``predict()``: the estimate with its CI and prediction interval."""

    estimate: float
    se: float
    ci_lb: float
    ci_ub: float
    pi_lb: float
    pi_ub: float
    measure: str
    mods: tuple[tuple[str, float], ...] = ()

    @property
    def backtransformed(self) -> dict[str, float] | None:
        """Estimate, CI and PI on the proportion scale (0-1); None for GEN."""
        back = BACKTRANSFORMS.get(self.measure)
        if back is None:
            return None
        return {key: back(getattr(self, key))
                for key in ("estimate", "ci_lb", "ci_ub", "pi_lb", "pi_ub")}

    def per(self, scale: float) -> dict[str, float] | None:
        """The back-transformed figures per ``scale`` people (100 or 1,000)."""
        back = self.backtransformed
        return None if back is None else {k: v * scale for k, v in back.items()}

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "estimate": _num(self.estimate), "se": _num(self.se), "ci_lb": _num(self.ci_lb),
            "ci_ub": _num(self.ci_ub), "pi_lb": _num(self.pi_lb), "pi_ub": _num(self.pi_ub),
        }
        if self.mods:
            out["mods"] = dict(self.mods)
        back = self.backtransformed
        if back is not None:
            out["backtransformed"] = {k: _num(v) for k, v in back.items()}
        return out


@dataclass(frozen=True)
class StudyRow:
    """One study as it entered the model (``corrected``: 0.5 was added to its cells)."""

    study: str
    yi: float
    vi: float
    weight: float
    ci_lb: float
    ci_ub: float
    events: float | None = None
    n: float | None = None
    corrected: bool = False
    group: str | None = None


@dataclass(frozen=True)
class MetaResult:
    """A fitted meta-analysis or meta-regression (metafor's ``rma.uni`` object).

    ``pooled`` is the summary estimate of an intercept-only model (None with moderators:
    see ``coefficients`` and :meth:`predict`). Keys of :meth:`to_dict` are metafor's names.
    """

    options: MetaOptions
    k: int
    studies: tuple[StudyRow, ...]
    coefficients: tuple[Coefficient, ...]
    tau2: float
    i2: float
    h2: float
    qe: float
    qe_p: float
    qm: float
    qm_p: float
    qm_df: tuple[int, int | None]
    r2: float | None
    ddf: int | None
    pooled: Prediction | None
    moderators: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    msstem_version: str = field(default=__version__)
    # Private state for predict(): design-column names, means, vb and crit.
    _design: tuple[str, ...] = field(default=(), repr=False)
    _levels: tuple[tuple[str, tuple[str, ...]], ...] = field(default=(), repr=False)
    _vb: Any = field(default=None, repr=False, compare=False)
    _crit: float = field(default=float("nan"), repr=False)

    @property
    def measure(self) -> str:
        return self.options.measure

    @property
    def method(self) -> str:
        return self.options.method

    @property
    def tau(self) -> float:
        return math.sqrt(self.tau2)

    @property
    def weights(self) -> tuple[float, ...]:
        return tuple(s.weight for s in self.studies)

    # --- prediction ------------------------------------------------------------------
    def predict(self, **mods: float | str) -> Prediction:
        """The model's estimate for given moderator values (``predict(res, newmods=...)``).

        Every moderator must be given; a categorical one by its level name.
        """
        from msstem.synthesis.analysis import design_row

        x0 = design_row(self, mods)
        beta = np.array([c.estimate for c in self.coefficients])
        pred = float(x0 @ beta)
        se = float(np.sqrt(x0 @ self._vb @ x0))
        half_ci = self._crit * se
        half_pi = (math.nan if self.method == "FE"
                   else self._crit * math.sqrt(se**2 + self.tau2))
        shown = tuple((k, float(v) if not isinstance(v, str) else math.nan)
                      for k, v in mods.items())
        return Prediction(pred, se, pred - half_ci, pred + half_ci, pred - half_pi,
                          pred + half_pi, self.measure, shown)

    # --- rendering -------------------------------------------------------------------
    @property
    def summary(self) -> pd.DataFrame:
        """One row per study (estimate, CI, weight) and a final row for the pooled estimate."""
        back = BACKTRANSFORMS.get(self.measure)
        rows: list[dict[str, Any]] = []
        for s in self.studies:
            row: dict[str, Any] = {"study": s.study, "yi": s.yi, "vi": s.vi,
                                   "ci_lb": s.ci_lb, "ci_ub": s.ci_ub, "weight": s.weight}
            if back is not None:
                row |= {"proportion": back(s.yi), "prop_ci_lb": back(s.ci_lb),
                        "prop_ci_ub": back(s.ci_ub)}
            rows.append(row)
        if self.pooled is not None:
            p = self.pooled
            row = {"study": f"{self.method} model", "yi": p.estimate, "vi": p.se**2,
                   "ci_lb": p.ci_lb, "ci_ub": p.ci_ub, "weight": 100.0}
            if back is not None:
                row |= {"proportion": back(p.estimate), "prop_ci_lb": back(p.ci_lb),
                        "prop_ci_ub": back(p.ci_ub)}
            rows.append(row)
        return pd.DataFrame(rows)

    @property
    def coefficient_frame(self) -> pd.DataFrame:
        return pd.DataFrame([c.to_dict() for c in self.coefficients])

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready, with metafor's names (docs/synthesis.md lists every key)."""
        p = self.pooled
        out: dict[str, Any] = {
            "k": self.k, "measure": self.measure, "method": self.method,
            "knha": self.options.knha, "level": self.options.level,
            "estimate": _num(p.estimate) if p else None, "se": _num(p.se) if p else None,
            "ci_lb": _num(p.ci_lb) if p else None, "ci_ub": _num(p.ci_ub) if p else None,
            "pi_lb": _num(p.pi_lb) if p else None, "pi_ub": _num(p.pi_ub) if p else None,
            "tau2": _num(self.tau2), "tau": _num(self.tau), "i2": _num(self.i2),
            "h2": _num(self.h2), "qe": _num(self.qe), "qe_p": _num(self.qe_p),
        }
        if self.measure != "GEN":
            back = p.backtransformed if p else None
            out["backtransformed"] = (
                {k: _num(v) for k, v in back.items()} if back is not None else None
            )
        if self.moderators:
            out["coefficients"] = [c.to_dict() for c in self.coefficients]
            out["qm"] = _num(self.qm)
            out["qm_p"] = _num(self.qm_p)
            out["r2"] = _num(self.r2) if self.r2 is not None else None
        out["studies"] = [
            {"study": s.study, "yi": _num(s.yi), "vi": _num(s.vi), "weight": _num(s.weight),
             "ci_lb": _num(s.ci_lb), "ci_ub": _num(s.ci_ub), "corrected": s.corrected}
            for s in self.studies
        ]
        out["notes"] = list(self.notes)
        out["msstem_version"] = self.msstem_version
        return out

    def to_text(self) -> str:
        """metafor-like plain-text printout."""
        o = self.options
        kind = ("Fixed-effect" if o.method == "FE" else "Random-effects") + (
            " meta-regression" if self.moderators else " model")
        lines = [f"{kind} (k = {self.k}; measure {o.measure}; tau² estimator {o.method}"
                 + ("; Knapp-Hartung" if o.knha else "") + ")", ""]
        if o.method != "FE":
            lines.append(f"tau² = {self.tau2:.4f} (tau = {self.tau:.4f}); "
                         f"I² = {self.i2:.2f}%; H² = {self.h2:.2f}")
        else:
            lines.append(f"I² = {self.i2:.2f}%; H² = {self.h2:.2f}")
        lines.append(f"Q(df = {self.k - len(self.coefficients)}) = {self.qe:.4f}, "
                     f"p = {self.qe_p:.4g}")
        if self.moderators:
            df = f"df1 = {self.qm_df[0]}, df2 = {self.qm_df[1]}" if o.knha else \
                f"df = {self.qm_df[0]}"
            lines.append(f"QM({df}) = {self.qm:.4f}, p = {self.qm_p:.4g}"
                         + (f"; R² = {self.r2:.2f}%" if self.r2 is not None else ""))
            lines.append("")
            lines.append(f"{'coefficient':<24}{'estimate':>10}{'se':>10}{'ci.lb':>10}"
                         f"{'ci.ub':>10}{'pval':>10}")
            for c in self.coefficients:
                lines.append(f"{c.name:<24}{c.estimate:>10.4f}{c.se:>10.4f}{c.ci_lb:>10.4f}"
                             f"{c.ci_ub:>10.4f}{c.pval:>10.4g}")
        if self.pooled is not None:
            p = self.pooled
            lines += ["", f"estimate = {p.estimate:.4f} (se {p.se:.4f}); "
                      f"{o.level:g}% CI {p.ci_lb:.4f} to {p.ci_ub:.4f}; "
                      f"PI {p.pi_lb:.4f} to {p.pi_ub:.4f}"]
            back = p.backtransformed
            if back is not None:
                lines.append(
                    f"as a proportion: {back['estimate']:.4f} "
                    f"({o.level:g}% CI {back['ci_lb']:.4f} to {back['ci_ub']:.4f}; "
                    f"PI {back['pi_lb']:.4f} to {back['pi_ub']:.4f}); "
                    f"per 100: {100 * back['estimate']:.2f}; "
                    f"per 1,000: {1000 * back['estimate']:.1f}"
                )
        lines += [f"note: {n}" for n in self.notes]
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        text = html.escape(self.to_text()).replace("\n", "<br>")
        return (f"<div><strong>MetaResult</strong> (msstem {html.escape(self.msstem_version)})"
                f"<br><small>{text}</small>"
                f"{self.summary.to_html(index=False, float_format=lambda v: f'{v:.4f}')}</div>")
