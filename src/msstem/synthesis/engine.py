"""The numerical core: metafor's ``rma.uni`` on arrays (numpy/scipy only).

Every formula follows metafor 3.8's ``rma.uni`` source (Viechtbauer 2010,
viechtbauer-2010-metafor): the tau² estimators (HE, DL, SJ, PM, ML, REML), the
weighted least-squares fit, the Knapp-Hartung adjustment (``s2w``), Q_E, I² and H²
(``i2def = "1"``), QM, R² (``r2def = "1"``) and ``predict()``'s prediction interval.
Iterative estimators converge far tighter than metafor's defaults (``threshold = 1e-5``)
so that results equal metafor run with tight control settings (docs/synthesis.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import numpy as np
import numpy.typing as npt
from scipy import optimize, stats

from msstem.errors import InputError

__all__ = ["Fit", "fit_rma", "tau2_estimate"]

Array = npt.NDArray[np.float64]

#: Convergence threshold on the change in tau² (metafor's default is 1e-5).
THRESHOLD: Final = 1e-12
MAX_ITER: Final = 10_000
#: Fisher-scoring steps before switching to Brent's method on the score equation.
FISHER_STEPS: Final = 100
#: Below this, an ML/REML iterate whose score at 0 is not positive is taken as 0.
BOUNDARY: Final = 1e-10
#: Upper end of the PM search interval (metafor's ``tau2.max`` default).
TAU2_MAX: Final = 100.0
_EPS: Final = float(np.finfo(float).eps)


@dataclass(frozen=True)
class Fit:
    """Raw results of one rma.uni fit (arrays indexed like the columns of X)."""

    beta: Array
    vb: Array
    se: Array
    stat: Array
    pval: Array
    ci_lb: Array
    ci_ub: Array
    crit: float
    ddf: int | None
    tau2: float
    s2w: float
    weights: Array
    qe: float
    qe_p: float
    i2: float
    h2: float
    vt: float
    qm: float
    qm_p: float
    qm_df: tuple[int, int | None]
    k: int
    p: int
    method: str
    knha: bool


def _inv(a: Array) -> Array:
    return np.asarray(np.linalg.inv(a), dtype=float)


def _proj(w: Array, x: Array) -> Array:
    """P = W - W X (X'WX)^-1 X' W."""
    wx = x * w[:, None]
    return np.diag(w) - wx @ _inv(x.T @ wx) @ wx.T


def _q(y: Array, vi: Array, x: Array, tau2: float) -> float:
    return float(y @ _proj(1.0 / (vi + tau2), x) @ y)


def tau2_estimate(y: Array, vi: Array, x: Array, method: str) -> float:
    """tau² by ``method`` (metafor's definitions, truncated at 0 like metafor)."""
    k, p = int(x.shape[0]), int(x.shape[1])
    y = y - y.mean()  # metafor works on the mean-centred outcomes (Ymc)
    if method == "FE":
        return 0.0
    if method == "HE" or method in ("ML", "REML"):
        p0 = np.eye(k) - x @ _inv(x.T @ x) @ x.T
        tau2 = (float(y @ p0 @ y) - float(np.sum(np.diag(p0) * vi))) / (k - p)
        if method == "HE":
            return max(0.0, tau2)
        return _fisher_scoring(y, vi, x, max(0.0, tau2), method)
    if method == "DL":
        pw = _proj(1.0 / vi, x)
        tau2 = (float(y @ pw @ y) - (k - p)) / float(np.trace(pw))
        return max(0.0, tau2)
    if method == "SJ":
        tau0 = float(np.var(y))  # var(yi) * (k - 1) / k
        if tau0 == 0.0:
            return 0.0
        return max(0.0, tau0 * _q(y, vi, x, tau0) / (k - p))
    if method == "PM":
        target = float(k - p)
        if _q(y, vi, x, 0.0) < target:
            return 0.0
        if _q(y, vi, x, TAU2_MAX) > target:
            raise InputError(
                "method: the Paule-Mandel tau² is above 100; choose another method",
                field="method",
            )
        return float(optimize.brentq(lambda t: _q(y, vi, x, t) - target, 0.0, TAU2_MAX,
                                     xtol=1e-15, rtol=4 * _EPS, maxiter=MAX_ITER))
    raise InputError(f"method: unknown method {method!r}", field="method")  # pragma: no cover


def _fisher_scoring(y: Array, vi: Array, x: Array, tau2: float, method: str) -> float:
    """metafor's Fisher scoring for ML/REML, with its step halving at tau² = 0.

    Where scoring creeps (it can need thousands of steps when the start is far), the
    remaining distance is closed by solving the score equation with Brent's method, which
    has the same root.
    """
    for _ in range(FISHER_STEPS):
        w = 1.0 / (vi + tau2)
        pm = _proj(w, x)
        pp = pm @ pm
        if method == "ML":
            adj = (float(y @ pp @ y) - float(w.sum())) / float(np.sum(w**2))
        else:
            adj = (float(y @ pp @ y) - float(np.trace(pm))) / float(np.trace(pp))
        if not np.isfinite(adj):
            adj = 0.0
        while tau2 + adj < 0.0:
            adj /= 2.0
        old, tau2 = tau2, tau2 + adj
        if abs(old - tau2) <= THRESHOLD * max(1.0, tau2):
            return _ll0_check(y, vi, x, tau2, method)
        if 0.0 < tau2 < BOUNDARY and _score(y, vi, x, 0.0, method) <= 0.0:
            # Heading for the boundary: metafor's halving steps creep towards 0 and stop
            # within its threshold of it; the limit is exactly 0.
            return 0.0
    return _ll0_check(y, vi, x, _score_root(y, vi, x, method), method)


def _score_root(y: Array, vi: Array, x: Array, method: str) -> float:
    """The root of the ML/REML score in tau² (0 if the score is not positive at 0)."""
    if _score(y, vi, x, 0.0, method) <= 0.0:
        return 0.0
    hi = 1.0
    while _score(y, vi, x, hi, method) > 0.0:
        hi *= 2.0
        if hi > 1e8:  # pragma: no cover - metafor fails the same way
            raise InputError(f"method: the {method} estimator did not converge",
                             field="method")
    return float(optimize.brentq(lambda t: _score(y, vi, x, t, method), 0.0, hi,
                                 xtol=1e-15, rtol=4 * _EPS, maxiter=MAX_ITER))


def _score(y: Array, vi: Array, x: Array, tau2: float, method: str) -> float:
    """The numerator of the Fisher-scoring step (the sign of the score) at ``tau2``."""
    w = 1.0 / (vi + tau2)
    pm = _proj(w, x)
    if method == "ML":
        return float(y @ pm @ pm @ y) - float(w.sum())
    return float(y @ pm @ pm @ y) - float(np.trace(pm))


def _loglik(y: Array, vi: Array, x: Array, tau2: float, method: str) -> float:
    k, p = int(x.shape[0]), int(x.shape[1])
    w = 1.0 / (vi + tau2)
    xtwx = x.T @ (x * w[:, None])
    beta = _inv(xtwx) @ (x.T @ (w * y))
    rss = float(np.sum(w * (y - x @ beta) ** 2))
    if method == "ML":
        return float(-0.5 * k * np.log(2 * np.pi) - 0.5 * np.sum(np.log(vi + tau2)) - 0.5 * rss)
    return float(-0.5 * (k - p) * np.log(2 * np.pi) - 0.5 * np.sum(np.log(vi + tau2))
                 - 0.5 * np.linalg.slogdet(xtwx)[1] - 0.5 * rss)


def _ll0_check(y: Array, vi: Array, x: Array, tau2: float, method: str) -> float:
    """metafor's ``ll0check``: if tau² = 0 fits better than the iterate, take 0."""
    tol = _EPS**0.25
    if tau2 > 1e-5 and _loglik(y, vi, x, 0.0, method) - _loglik(y, vi, x, tau2, method) > tol:
        return 0.0
    return tau2


def fit_rma(
    y: Array, vi: Array, x: Array, *, method: str, knha: bool, level: float,
    btt: tuple[int, ...] | None = None,
) -> Fit:
    """Fit metafor's ``rma(yi, vi, mods = X[, -1], method, test)``; ``level`` in percent."""
    k, p = int(x.shape[0]), int(x.shape[1])
    tau2 = tau2_estimate(y, vi, x, method)
    w = 1.0 / (vi + tau2)
    xtwx_inv = _inv(x.T @ (x * w[:, None]))
    beta = xtwx_inv @ (x.T @ (w * y))
    vb = xtwx_inv
    s2w = 1.0
    if knha:
        rss = float(np.sum(w * (y - x @ beta) ** 2))
        s2w = 0.0 if rss <= _EPS else rss / (k - p)
        vb = s2w * vb
    se = np.sqrt(np.diag(vb))
    alpha = 1.0 - level / 100.0
    if btt is None:
        btt = tuple(range(1, p)) if p > 1 else (0,)
    m = len(btt)
    bsel = beta[list(btt)]
    qm = float(bsel @ _inv(vb[np.ix_(btt, btt)]) @ bsel)
    stat = beta / se
    ddf: int | None
    if knha:
        ddf = k - p
        qm /= m
        qm_p = float(stats.f.sf(qm, m, ddf)) if ddf > 0 else float("nan")
        pval = 2 * stats.t.sf(np.abs(stat), ddf) if ddf > 0 else np.full(p, np.nan)
        crit = float(stats.t.isf(alpha / 2, ddf)) if ddf > 0 else float("nan")
    else:
        ddf = None
        qm_p = float(stats.chi2.sf(qm, m))
        pval = 2 * stats.norm.sf(np.abs(stat))
        crit = float(stats.norm.isf(alpha / 2))
    # Residual heterogeneity from the fixed-effect weights (metafor's QE, I², H²).
    if k > p:
        pfe = _proj(1.0 / vi, x)
        yc = y - y.mean()
        qe = max(0.0, float(yc @ pfe @ yc))
        qe_p = float(stats.chi2.sf(qe, k - p))
        vt = (k - p) / float(np.trace(pfe))
        if method == "FE":
            i2 = max(0.0, 100.0 * (qe - (k - p)) / qe) if qe > 0 else 0.0
            h2 = qe / (k - p)
        else:
            i2 = 100.0 * tau2 / (vt + tau2)
            h2 = tau2 / vt + 1.0
    else:
        qe, qe_p, i2, h2, vt = 0.0, 1.0, 0.0, 1.0, 0.0
    return Fit(
        beta=beta, vb=vb, se=se, stat=stat, pval=np.asarray(pval, dtype=float),
        ci_lb=beta - crit * se, ci_ub=beta + crit * se, crit=crit, ddf=ddf, tau2=tau2,
        s2w=s2w, weights=100.0 * w / w.sum(), qe=qe, qe_p=qe_p, i2=i2, h2=h2, vt=vt,
        qm=qm, qm_p=qm_p, qm_df=(m, ddf), k=k, p=p, method=method, knha=knha,
    )


def predict(fit: Fit, x0: Array) -> tuple[float, float, float, float, float, float]:
    """metafor's ``predict()`` at one row of moderators: pred, se, CI and PI bounds."""
    pred = float(x0 @ fit.beta)
    se = float(np.sqrt(x0 @ fit.vb @ x0))
    half_ci = fit.crit * se
    if fit.method == "FE":  # metafor gives no prediction interval for a fixed-effect model
        return pred, se, pred - half_ci, pred + half_ci, float("nan"), float("nan")
    half_pi = fit.crit * float(np.sqrt(se**2 + fit.tau2))
    return pred, se, pred - half_ci, pred + half_ci, pred - half_pi, pred + half_pi


def r2_of(fit: Fit, y: Array, vi: Array, x: Array) -> float | None:
    """metafor's R² (``r2def = "1"``) for a model with moderators and an intercept."""
    if fit.p < 2:
        return None
    if fit.method == "FE":
        if float(np.var(y)) == 0.0:
            return 0.0
        w = 1.0 / vi
        fitted = x @ fit.beta
        resid = y - fitted
        mean_f = float(np.sum(w * fitted) / np.sum(w))
        mss = float(np.sum(w * (fitted - mean_f) ** 2))
        rss = float(np.sum(w * resid**2))
        r2 = mss / (mss + rss)
        adj = 1.0 - (1.0 - r2) * (fit.k - 1) / (fit.k - fit.p)
        return max(0.0, 100.0 * adj)
    tau2_re = tau2_estimate(y, vi, np.ones((fit.k, 1)), fit.method)
    if tau2_re == 0.0:
        return 0.0
    return max(0.0, 100.0 * (tau2_re - fit.tau2) / tau2_re)
