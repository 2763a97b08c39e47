"""Leave-one-out, Egger's regression test and subgroup analysis (metafor's ways).

* :func:`leave_one_out` is ``leave1out(res)``: the model refitted without each study.
* :func:`regtest` is ``regtest(res)`` (model ``"rma"``, predictor ``"sei"``): the standard
  error added as a moderator; its test is Egger's test, the intercept the limit estimate.
  msstem runs it only with at least 10 studies (too little power below that).
* :func:`subgroups` fits the model within each level of a column and tests the difference
  between subgroups (a fixed-effect Q test on the subgroup estimates, as in metafor's
  "subgroup analysis" example); the common-tau² alternative is the meta-regression
  ``meta_analysis(..., mods=[column])``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Final

import numpy as np
import pandas as pd

from msstem.errors import DataError
from msstem.synthesis.analysis import _fit_result
from msstem.synthesis.engine import fit_rma
from msstem.synthesis.result import MetaResult, _num

__all__ = [
    "MIN_STUDIES_FOR_REGTEST",
    "LeaveOneOut",
    "RegTest",
    "SubgroupResult",
    "leave_one_out",
    "regtest",
    "subgroups",
]

#: Egger's test and the funnel plot need at least this many studies (issue 8; the
#: Cochrane handbook's usual advice, stated in docs/synthesis.md).
MIN_STUDIES_FOR_REGTEST: Final = 10


def _arrays(result: MetaResult) -> tuple[np.ndarray, np.ndarray]:
    yi = np.array([s.yi for s in result.studies])
    vi = np.array([s.vi for s in result.studies])
    return yi, vi


@dataclass(frozen=True)
class LeaveOneOut:
    """One row per omitted study (metafor's ``leave1out`` columns)."""

    rows: tuple[dict[str, Any], ...]

    @property
    def summary(self) -> pd.DataFrame:
        return pd.DataFrame(list(self.rows))

    def to_dict(self) -> dict[str, Any]:
        return {"leave_one_out": [{k: (_num(v) if isinstance(v, float) else v)
                                   for k, v in r.items()} for r in self.rows]}


def leave_one_out(result: MetaResult) -> LeaveOneOut:
    """Refit the intercept-only model without each study in turn."""
    if result.moderators:
        raise DataError("leave-one-out: only for models without moderators", field="mods")
    if result.options.random_effects and result.k < 3:
        raise DataError(f"column 'study': leave-one-out of a random-effects model needs at "
                        f"least 3 studies ({result.k} given)", field="study")
    yi, vi = _arrays(result)
    o = result.options
    rows = []
    for i, s in enumerate(result.studies):
        keep = np.arange(result.k) != i
        fit = fit_rma(yi[keep], vi[keep], np.ones((result.k - 1, 1)), method=o.method,
                      knha=o.knha, level=o.level)
        rows.append({
            "study": s.study, "estimate": float(fit.beta[0]), "se": float(fit.se[0]),
            "stat": float(fit.stat[0]), "pval": float(fit.pval[0]),
            "ci_lb": float(fit.ci_lb[0]), "ci_ub": float(fit.ci_ub[0]), "qe": fit.qe,
            "qe_p": fit.qe_p, "tau2": fit.tau2, "i2": fit.i2, "h2": fit.h2,
        })
    return LeaveOneOut(tuple(rows))


@dataclass(frozen=True)
class RegTest:
    """Egger's regression test: ``stat`` (z or t), ``pval``, and the limit estimate."""

    stat: float
    pval: float
    ddf: int | None
    limit_estimate: float
    limit_ci_lb: float
    limit_ci_ub: float

    def to_dict(self) -> dict[str, Any]:
        return {"zval" if self.ddf is None else "tval": _num(self.stat),
                "pval": _num(self.pval), "dfs": self.ddf, "est": _num(self.limit_estimate),
                "ci_lb": _num(self.limit_ci_lb), "ci_ub": _num(self.limit_ci_ub)}


def regtest(result: MetaResult) -> RegTest:
    """metafor's ``regtest(res)`` for an intercept-only model (predictor: the SE)."""
    if result.moderators:
        raise DataError("regtest: only for models without moderators", field="mods")
    if result.k < MIN_STUDIES_FOR_REGTEST:
        raise DataError(f"column 'study': Egger's test needs at least "
                        f"{MIN_STUDIES_FOR_REGTEST} studies ({result.k} given)", field="study")
    yi, vi = _arrays(result)
    x = np.column_stack([np.ones(result.k), np.sqrt(vi)])
    o = result.options
    fit = fit_rma(yi, vi, x, method=o.method, knha=o.knha, level=o.level)
    return RegTest(float(fit.stat[1]), float(fit.pval[1]), fit.ddf, float(fit.beta[0]),
                   float(fit.ci_lb[0]), float(fit.ci_ub[0]))


@dataclass(frozen=True)
class SubgroupResult:
    """A model per subgroup, and the test of differences between them."""

    column: str
    groups: tuple[tuple[str, MetaResult], ...]
    q_between: float
    q_between_df: int
    q_between_p: float

    def group(self, name: str) -> MetaResult:
        for label, res in self.groups:
            if label == name:
                return res
        raise KeyError(name)

    @property
    def summary(self) -> pd.DataFrame:
        rows = []
        for label, res in self.groups:
            p = res.pooled
            assert p is not None
            back = p.backtransformed or {}
            rows.append({"group": label, "k": res.k, "estimate": p.estimate, "ci_lb": p.ci_lb,
                         "ci_ub": p.ci_ub, "pi_lb": p.pi_lb, "pi_ub": p.pi_ub,
                         "tau2": res.tau2, "i2": res.i2,
                         **{f"prop_{k}": v for k, v in back.items()}})
        return pd.DataFrame(rows)

    def to_dict(self) -> dict[str, Any]:
        return {"by": self.column,
                "groups": [{"group": g, **r.to_dict()} for g, r in self.groups],
                "q_between": _num(self.q_between), "q_between_df": self.q_between_df,
                "q_between_p": _num(self.q_between_p)}


def subgroups(result: MetaResult, labels: list[str], column: str = "group") -> SubgroupResult:
    """Fit ``result``'s model separately within each subgroup label (one per study)."""
    if len(labels) != result.k:
        raise DataError(f"column {column!r}: {len(labels)} labels for {result.k} studies",
                        field=column)
    o = result.options
    yi, vi = _arrays(result)
    names = [s.study for s in result.studies]
    ev = [s.events for s in result.studies]
    nn = [s.n for s in result.studies]
    fits: list[tuple[str, MetaResult]] = []
    for label in sorted(set(labels)):
        idx = [i for i, g in enumerate(labels) if g == label]
        events = None if ev[0] is None else np.array([ev[i] for i in idx], dtype=float)
        n = None if nn[0] is None else np.array([nn[i] for i in idx], dtype=float)
        sub_opts = o
        if o.random_effects and len(idx) < 2:
            from msstem.synthesis.options import MetaOptions

            sub_opts = MetaOptions(measure=o.measure, method="FE", knha=False,
                                   level=o.level, add=o.add)
        res = _fit_result(sub_opts, [names[i] for i in idx], yi[idx], vi[idx],
                          np.ones((len(idx), 1)), ("intercept",), (), (), events, n,
                          [label] * len(idx))
        if sub_opts is not o:
            res = _with_note(res, "one study in this subgroup: its own estimate (fixed "
                             "effect), no heterogeneity can be estimated")
        fits.append((label, res))
    est = np.array([r.pooled.estimate for _, r in fits if r.pooled is not None])
    var = np.array([r.pooled.se ** 2 for _, r in fits if r.pooled is not None])
    if len(fits) >= 2:
        fe = fit_rma(est, var, np.ones((len(fits), 1)), method="FE", knha=False, level=o.level)
        qb, dfb, pb = fe.qe, len(fits) - 1, fe.qe_p
    else:
        qb, dfb, pb = 0.0, 0, math.nan
    return SubgroupResult(column, tuple(fits), qb, dfb, pb)


def _with_note(res: MetaResult, note: str) -> MetaResult:
    from dataclasses import replace

    return replace(res, notes=(*res.notes, note))
