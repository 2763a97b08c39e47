"""``meta_analysis(frame, ...)``: validate a study table, compute effect sizes, fit, wrap.

The table has a ``study`` column and either ``events`` and ``n`` (``PLO``/``PR``) or ``yi``
with ``vi`` or ``sei`` (``GEN``); moderator columns are named in ``mods``. Every bad cell is
an :class:`~msstem.errors.DataError` naming the column and row (row 1 is the first data
row); no study is ever dropped.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from msstem.errors import DataError, OptionsError
from msstem.synthesis.engine import Array, fit_rma, predict, r2_of
from msstem.synthesis.measures import effect_sizes
from msstem.synthesis.options import MetaOptions
from msstem.synthesis.result import Coefficient, MetaResult, Prediction, StudyRow

__all__ = ["design_row", "meta_analysis"]

INTERCEPT = "intercept"


def _row_label(frame: pd.DataFrame, i: int, study_col: str) -> str:
    label = f"row {i + 1}"
    if study_col in frame.columns:
        name = frame[study_col].iloc[i]
        if isinstance(name, str) and name.strip():
            label += f" (study {name.strip()!r})"
    return label


def _numeric(frame: pd.DataFrame, col: str, study_col: str) -> Array:
    values = frame[col].tolist()
    out = np.empty(len(values), dtype=float)
    for i, raw in enumerate(values):
        where = f"column {col!r}, {_row_label(frame, i, study_col)}"
        if raw is None or (isinstance(raw, float) and math.isnan(raw)) or (
            isinstance(raw, str) and not raw.strip()
        ):
            raise DataError(f"{where}: empty cell; every study needs a value", field=col)
        if isinstance(raw, bool):
            raise DataError(f"{where}: {raw!r} is not a number", field=col)
        try:
            value = float(raw.strip()) if isinstance(raw, str) else float(raw)
        except (TypeError, ValueError):
            raise DataError(f"{where}: {str(raw)!r} is not a number", field=col) from None
        if not math.isfinite(value):
            raise DataError(f"{where}: {str(raw)!r} is not a finite number", field=col)
        out[i] = value
    return out


def _as_frame(frame: Any) -> pd.DataFrame:
    if isinstance(frame, pd.DataFrame):
        return frame.reset_index(drop=True)
    if hasattr(frame, "to_pandas"):  # polars / pyarrow
        return pd.DataFrame(frame.to_pandas())
    if isinstance(frame, Mapping):
        return pd.DataFrame(dict(frame))
    raise DataError("frame: give a pandas DataFrame (or a mapping of columns)", field="frame")


def _require(frame: pd.DataFrame, cols: Sequence[str], why: str) -> None:
    for col in cols:
        if col not in frame.columns:
            have = ", ".join(map(str, frame.columns)) or "none"
            raise DataError(f"column {col!r} is missing ({why}); columns given: {have}",
                            field=col)


def _moderator_columns(
    frame: pd.DataFrame, mods: Sequence[str], study_col: str,
) -> tuple[list[str], list[Array], list[tuple[str, tuple[str, ...]]]]:
    names: list[str] = []
    columns: list[Array] = []
    levels: list[tuple[str, tuple[str, ...]]] = []
    for col in mods:
        _require(frame, [col], "named in mods")
        raw = frame[col].tolist()
        numeric = True
        for value in raw:
            if isinstance(value, str):
                try:
                    float(value)
                except ValueError:
                    numeric = False
                    break
        if numeric:
            values = _numeric(frame, col, study_col)
            if np.unique(values).size < 2:
                raise DataError(
                    f"column {col!r}: the moderator has one value ({values[0]:g}) in every "
                    "row; a moderator must vary", field=col)
            names.append(col)
            columns.append(values)
            levels.append((col, ()))
            continue
        texts: list[str] = []
        for i, value in enumerate(raw):
            if value is None or (isinstance(value, float) and math.isnan(value)) or (
                isinstance(value, str) and not value.strip()
            ):
                raise DataError(f"column {col!r}, {_row_label(frame, i, study_col)}: empty "
                                "cell; every study needs a value", field=col)
            texts.append(str(value).strip())
        found = tuple(sorted(set(texts)))
        if len(found) < 2:
            raise DataError(f"column {col!r}: the moderator has one value ({found[0]!r}) in "
                            "every row; a moderator must vary", field=col)
        levels.append((col, found))
        for level in found[1:]:  # R's treatment coding: the first level is the reference
            names.append(f"{col}{level}")
            columns.append(np.array([1.0 if t == level else 0.0 for t in texts]))
    return names, columns, levels


def meta_analysis(
    frame: Any,
    *,
    measure: str = "PLO",
    method: str = "REML",
    knha: bool = False,
    mods: Sequence[str] = (),
    level: float = 95.0,
    add: float = 0.5,
    study: str = "study",
    options: MetaOptions | None = None,
) -> MetaResult:
    """Pool a table of studies as ``metafor::rma(escalc(...), mods, method, test)`` does.

        >>> import pandas as pd
        >>> from msstem.synthesis import meta_analysis
        >>> t = pd.DataFrame({"study": ["a", "b", "c"], "events": [1, 0, 4], "n": [30, 20, 50]})
        >>> res = meta_analysis(t, measure="PLO", method="DL")
        >>> round(res.pooled.backtransformed["estimate"], 4)
        0.0608
    """
    opts = options or MetaOptions(measure=measure, method=method,
                                  knha=knha, level=level, add=add)
    table = _as_frame(frame)
    if isinstance(mods, str):
        mods = (mods,)
    _require(table, [study], "every row names its study")
    k = len(table)
    if k == 0:
        raise DataError("the table has no rows; give at least one study", field=study)
    labels: list[str] = []
    for i, raw in enumerate(table[study].tolist()):
        if raw is None or (isinstance(raw, float) and math.isnan(raw)) or not str(raw).strip():
            raise DataError(f"column {study!r}, row {i + 1}: empty study name", field=study)
        labels.append(str(raw).strip())

    events = n = None
    if opts.measure == "GEN":
        var_col = "vi" if "vi" in table.columns else "sei"
        _require(table, ["yi", var_col], "GEN needs yi and vi (or sei)")
        yi = _numeric(table, "yi", study)
        spread = _numeric(table, var_col, study)
        for i, value in enumerate(spread):
            if value <= 0:
                what = "variance" if var_col == "vi" else "standard error"
                raise DataError(f"column {var_col!r}, {_row_label(table, i, study)}: the "
                                f"{what} must be above 0 (given {value:g})", field=var_col)
        vi = spread if var_col == "vi" else spread**2
    else:
        _require(table, ["events", "n"], f"{opts.measure} needs events and n")
        events = _numeric(table, "events", study)
        n = _numeric(table, "n", study)
        for i in range(k):
            where = _row_label(table, i, study)
            if n[i] <= 0:
                raise DataError(f"column 'n', {where}: n must be above 0 (given {n[i]:g})",
                                field="n")
            if events[i] < 0:
                raise DataError(f"column 'events', {where}: events must be 0 or more "
                                f"(given {events[i]:g})", field="events")
            if events[i] > n[i]:
                raise DataError(f"column 'events', {where}: {events[i]:g} events is more "
                                f"than n = {n[i]:g}", field="events")
        yi, vi, _ = effect_sizes(opts.measure, events=events, n=n, add=opts.add)

    if opts.random_effects and k < 2:
        raise DataError(f"column {study!r}: {k} study given; random effects ({opts.method}) "
                        "need at least 2 (use method FE for one study)", field=study)
    names, columns, levels = _moderator_columns(table, mods, study)
    x = np.column_stack([np.ones(k), *columns]) if columns else np.ones((k, 1))
    p = x.shape[1]
    if p > 1 and k <= p:
        raise DataError(f"column {study!r}: {k} studies cannot fit {p} coefficients "
                        "(intercept and moderators); give more studies or fewer moderators",
                        field=study)
    if np.linalg.matrix_rank(x) < p:
        raise DataError(f"column {mods[-1]!r}: the moderators are collinear (one is a "
                        "combination of the others)", field=str(mods[-1]))
    return _fit_result(opts, labels, yi, vi, x, (INTERCEPT, *names), tuple(mods),
                       tuple(levels), events, n)


def _fit_result(
    opts: MetaOptions, labels: Sequence[str], yi: Array, vi: Array, x: Array,
    design: tuple[str, ...], moderators: tuple[str, ...],
    levels: tuple[tuple[str, tuple[str, ...]], ...],
    events: Array | None, n: Array | None, groups: Sequence[str] | None = None,
) -> MetaResult:
    fit = fit_rma(yi, vi, x, method=opts.method, knha=opts.knha, level=opts.level)
    zcrit = float(stats.norm.isf((1 - opts.level / 100) / 2))
    corrected = np.zeros(len(yi), dtype=bool)
    if events is not None and n is not None:
        corrected = (events == 0) | (events == n)
    studies = tuple(
        StudyRow(
            study=labels[i], yi=float(yi[i]), vi=float(vi[i]), weight=float(fit.weights[i]),
            ci_lb=float(yi[i] - zcrit * math.sqrt(vi[i])),
            ci_ub=float(yi[i] + zcrit * math.sqrt(vi[i])),
            events=None if events is None else float(events[i]),
            n=None if n is None else float(n[i]), corrected=bool(corrected[i]),
            group=None if groups is None else groups[i],
        )
        for i in range(len(yi))
    )
    coefficients = tuple(
        Coefficient(design[j], float(fit.beta[j]), float(fit.se[j]), float(fit.stat[j]),
                    float(fit.pval[j]), float(fit.ci_lb[j]), float(fit.ci_ub[j]))
        for j in range(len(design))
    )
    pooled: Prediction | None = None
    if not moderators:
        pred = predict(fit, np.ones(1))
        pooled = Prediction(*pred, measure=opts.measure)
    notes: list[str] = []
    if opts.method == "FE" and opts.knha:
        notes.append("Knapp-Hartung is not meant for fixed-effect models (metafor warns the "
                     "same); it was applied as asked")
    n_corr = int(corrected.sum())
    if n_corr:
        notes.append(f"{n_corr} stud{'y' if n_corr == 1 else 'ies'} with 0 or n events: "
                     f"{opts.add:g} added to both cells (escalc's default)")
    return MetaResult(
        options=opts, k=len(yi), studies=studies, coefficients=coefficients, tau2=fit.tau2,
        i2=fit.i2, h2=fit.h2, qe=fit.qe, qe_p=fit.qe_p, qm=fit.qm, qm_p=fit.qm_p,
        qm_df=fit.qm_df, r2=r2_of(fit, yi, vi, x) if moderators else None, ddf=fit.ddf,
        pooled=pooled, moderators=moderators, notes=tuple(notes), _design=design,
        _levels=levels, _vb=fit.vb, _crit=fit.crit,
    )


def design_row(result: MetaResult, mods: Mapping[str, float | str]) -> Array:
    """The design-matrix row for moderator values (the intercept included)."""
    unknown = sorted(set(mods) - set(result.moderators))
    if unknown:
        raise OptionsError(f"mods: unknown moderator {unknown[0]!r}; the model has "
                           f"{', '.join(result.moderators) or 'none'}", field="mods")
    row = [1.0]
    for col, found in result._levels:
        if col not in mods:
            raise OptionsError(f"mods: give a value for moderator {col!r}", field="mods")
        value = mods[col]
        if found:
            if str(value) not in found:
                raise OptionsError(f"mods: {col!r} has no level {value!r}; levels: "
                                   f"{', '.join(found)}", field="mods")
            row += [1.0 if str(value) == lev else 0.0 for lev in found[1:]]
        else:
            if isinstance(value, str):
                raise OptionsError(f"mods: {col!r} is numeric (given {value!r})", field="mods")
            row.append(float(value))
    return np.array(row)
