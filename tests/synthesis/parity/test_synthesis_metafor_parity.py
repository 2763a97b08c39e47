"""Differential suite: msstem.synthesis against R metafor on the same data sets.

Two R runs (one per family): metafor's own example data (metadat: dat.bcg log risk ratios
as GEN, dat.pritz1997 and dat.debruin2009 proportions) and generated proportion tables
with zero-event and full-count studies. Every estimator with and without Knapp-Hartung,
with and without moderators; every figure within 1e-6 relative.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from msstem.synthesis import leave_one_out, meta_analysis, regtest

from .conftest import run_metafor

METHODS = ("REML", "DL", "PM", "ML", "SJ", "HE", "FE")
REL = 1e-6
#: tau² that metafor's iteration leaves near (not at) its 0 boundary: absolute slack.
ABS = 1e-9


def _fits(mod_sets: list[list[str]], *, loo: bool = False, reg: bool = False) -> list[dict]:
    fits = []
    for mods in mod_sets:
        for method in METHODS:
            for knha in (False, True):
                fits.append({"id": f"{method}-{int(knha)}-{'+'.join(mods) or 'none'}",
                             "method": method, "knha": knha, "mods": mods,
                             "loo": loo and not mods, "regtest": reg and not mods})
    return fits


def _generated(seed: int, k: int) -> dict[str, list[Any]]:
    rng = np.random.default_rng(seed)
    n = rng.integers(8, 250, size=k)
    p = rng.beta(1.2, 12.0, size=k)
    xi = rng.binomial(n, p)
    xi[0] = 0  # zero-event studies, as aHSCT mortality series have
    xi[1] = 0
    xi[2] = n[2]  # one full count
    return {
        "study": [f"s{i + 1}" for i in range(k)], "xi": xi.tolist(), "ni": n.tolist(),
        "year": rng.integers(1995, 2024, size=k).tolist(),
        "edss": np.round(rng.uniform(2.0, 7.0, size=k), 1).tolist(),
        "group": [("low", "intermediate", "high")[i % 3] for i in range(k)],
    }


METADAT_SPEC: dict[str, Any] = {"datasets": [
    {"id": "bcg", "metadat": "dat.bcg", "escalc": {"measure": "RR"}, "measure": "GEN",
     "fits": _fits([[], ["ablat"], ["ablat", "year"], ["alloc"]], loo=True, reg=True)},
    {"id": "pritz", "metadat": "dat.pritz1997", "escalc": {"measure": "PLO"}, "measure": "PLO",
     "fits": _fits([[]], loo=True)},
    {"id": "debruin", "metadat": "dat.debruin2009", "escalc": {"measure": "PLO"},
     "measure": "PLO", "fits": _fits([[], ["scq"], ["scq", "ethnicity"]], reg=True)},
]}

GEN_DATA = {seed: _generated(seed, k) for seed, k in ((1, 12), (7, 6), (42, 20))}
GENERATED_SPEC: dict[str, Any] = {"datasets": [
    *({"id": f"gen{seed}-{measure}", "measure": measure, "data": data,
       "fits": _fits([[], ["year"], ["year", "edss"], ["group"]],
                     loo=True, reg=len(data["xi"]) >= 10)}
      for seed, data in GEN_DATA.items() for measure in ("PLO", "PR")),
]}


@pytest.fixture(scope="module")
def metadat_r(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    return run_metafor(METADAT_SPEC, Path(tmp_path_factory.mktemp("metadat")))


@pytest.fixture(scope="module")
def generated_r(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    return run_metafor(GENERATED_SPEC, Path(tmp_path_factory.mktemp("generated")))


def close(ours: float | None, theirs: float | None, what: str) -> None:
    if theirs is None or (isinstance(theirs, float) and math.isnan(theirs)):
        assert ours is None or not math.isfinite(ours), f"{what}: metafor has none, ours {ours}"
        return
    assert ours is not None, f"{what}: ours is missing, metafor {theirs}"
    assert ours == pytest.approx(theirs, rel=REL, abs=ABS), f"{what}: ours {ours} vs {theirs}"


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _frame(spec_ds: dict[str, Any], r_ds: dict[str, Any]) -> tuple[pd.DataFrame, str]:
    measure = spec_ds["measure"]
    if "data" in spec_ds:
        d = spec_ds["data"]
        frame = pd.DataFrame({"study": d["study"], "events": d["xi"], "n": d["ni"],
                              "year": d["year"], "edss": d["edss"], "group": d["group"]})
        return frame, measure
    k = len(r_ds["yi"])
    columns = r_ds["columns"] or {}
    cols = {col: _as_list(v) for col, v in columns.items()}
    study = [f"{spec_ds['id']}{i + 1}" for i in range(k)]
    if measure == "GEN":
        return pd.DataFrame({"study": study, "yi": r_ds["yi"], "vi": r_ds["vi"], **cols}), "GEN"
    frame = pd.DataFrame({"study": study, "events": r_ds["xi"], "n": r_ds["ni"], **cols})
    return frame, measure


def _compare(spec: dict[str, Any], r_out: dict[str, Any]) -> int:
    compared = 0
    for spec_ds, r_ds in zip(spec["datasets"], r_out["datasets"], strict=True):
        frame, measure = _frame(spec_ds, r_ds)
        for f, r in zip(spec_ds["fits"], r_ds["fits"], strict=True):
            where = f"{spec_ds['id']} {f['id']}"
            res = meta_analysis(frame, measure=measure, method=f["method"], knha=f["knha"],
                                mods=f["mods"])
            if measure != "GEN":  # escalc parity, including the 0.5 correction
                for s, yi, vi in zip(res.studies, r_ds["yi"], r_ds["vi"], strict=True):
                    close(s.yi, yi, f"{where} yi")
                    close(s.vi, vi, f"{where} vi")
            b, se = _as_list(r["b"]), _as_list(r["se"])
            assert len(res.coefficients) == len(b), where
            for c, rb, rse, rlb, rub, rp in zip(res.coefficients, b, se, _as_list(r["ci_lb"]),
                                               _as_list(r["ci_ub"]), _as_list(r["pval"]),
                                               strict=True):
                close(c.estimate, rb, f"{where} {c.name} estimate")
                close(c.se, rse, f"{where} {c.name} se")
                close(c.ci_lb, rlb, f"{where} {c.name} ci_lb")
                close(c.ci_ub, rub, f"{where} {c.name} ci_ub")
                close(c.pval, rp, f"{where} {c.name} pval")
            close(res.tau2, r["tau2"], f"{where} tau2")
            close(res.i2, r["I2"], f"{where} I2")
            close(res.h2, r["H2"], f"{where} H2")
            close(res.qe, r["QE"], f"{where} QE")
            close(res.qe_p, r["QEp"], f"{where} QEp")
            close(res.qm, r["QM"], f"{where} QM")
            close(res.qm_p, r["QMp"], f"{where} QMp")
            for w, rw in zip(res.weights, _as_list(r["weights"]), strict=True):
                close(w, rw, f"{where} weight")
            if f["mods"]:
                close(res.r2, r.get("R2"), f"{where} R2")
            else:
                p, rp_ = res.pooled, r["pred"]
                assert p is not None
                for key in ("se", "ci_lb", "ci_ub", "pi_lb", "pi_ub"):
                    close(getattr(p, key), rp_.get(key), f"{where} predict {key}")
                close(p.estimate, rp_["pred"], f"{where} predict estimate")
            if r.get("loo"):
                loo = leave_one_out(res)
                for key, rkey in (("estimate", "estimate"), ("se", "se"), ("ci_lb", "ci_lb"),
                                  ("ci_ub", "ci_ub"), ("qe", "Q"), ("tau2", "tau2"),
                                  ("i2", "I2")):
                    theirs = r["loo"].get(rkey)
                    if theirs is None:  # metafor omits tau² (and I²) for FE models
                        continue
                    for row, rv in zip(loo.rows, _as_list(theirs), strict=True):
                        close(row[key], rv, f"{where} leave1out {key}")
            if r.get("regtest"):
                g = regtest(res)
                close(g.stat, r["regtest"]["stat"], f"{where} regtest stat")
                close(g.pval, r["regtest"]["pval"], f"{where} regtest pval")
                close(g.limit_estimate, r["regtest"]["est"], f"{where} regtest est")
                close(g.limit_ci_lb, r["regtest"]["ci_lb"], f"{where} regtest ci_lb")
            compared += 1
    return compared


def test_metadat_data_sets_match_metafor(metadat_r: dict[str, Any]) -> None:
    assert metadat_r["metafor_version"].startswith("3.") or metadat_r["metafor_version"]
    n = _compare(METADAT_SPEC, metadat_r)
    assert n == sum(len(d["fits"]) for d in METADAT_SPEC["datasets"])


def test_generated_zero_event_data_sets_match_metafor(generated_r: dict[str, Any]) -> None:
    n = _compare(GENERATED_SPEC, generated_r)
    assert n == sum(len(d["fits"]) for d in GENERATED_SPEC["datasets"])


def test_bcg_reml_golden_values(metadat_r: dict[str, Any]) -> None:
    """A guard that the suite compares real numbers: metafor's documented dat.bcg result."""
    bcg = metadat_r["datasets"][0]
    reml = next(f for f in bcg["fits"] if f["id"] == "REML-0-none")
    # metafor's help page for dat.bcg: REML estimate -0.7145, tau² 0.3132.
    assert reml["b"] == pytest.approx(-0.7145, abs=5e-5)
    assert reml["tau2"] == pytest.approx(0.3132, abs=5e-5)
