"""Differential test: msstem (pymsprog_compat=True) against pymsprog 1.0.7 over a settings grid.

pymsprog runs in its own interpreter (``$MSSTEM_PEER_PYTHON`` or ``.venv-peer``) through
``pymsprog_driver.py``; msstem runs here. Every subject's events must be identical: type, CDW
type, onset date and value, baseline date and value, confirmation date (the earliest
``conf<m>_date``), PIRA confirmation date (the earliest ``PIRA_conf<m>_date``), time2event,
bl2event, sust_days, sust_last, the per-subject event sequence, and the unconfirmed changes
(``return_unconfirmed``). Some settings use a ``validconf`` column (visits that may not
confirm). Settings on which pymsprog crashes are
recorded, and msstem must still produce a result for them (in both modes).
"""

from __future__ import annotations

import itertools
import json
import math
import random
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from msstem.outcomes import ProgressionOptions, detect_progression

from .cohorts import make_cohort

pytestmark = pytest.mark.peer

DRIVER = Path(__file__).with_name("pymsprog_driver.py")
N_SUBJECTS = 140
N_CHUNKS = 8

MERGED = {"prec": [0, None], "event": [None, 30], "conf": [90, 30], "prec_type": "baseline"}
INDEP_VARIANTS: list[dict[str, Any] | None] = [
    None,
    {"prec": [0, 0], "event": [90, 30], "conf": [90, 30], "prec_type": "last"},
    {"prec": [0, 0], "event": [90, 30], "conf": [90, 30], "prec_type": "last_delta"},
    {"prec": [30, 30], "event": [90, 30], "conf": [0, 0], "prec_type": "baseline"},
    MERGED,
]


def _grid() -> list[tuple[str, dict[str, Any]]]:
    """Structured configs (every event mode x baseline scheme) plus seeded random combos."""
    dims: dict[str, list[Any]] = {
        "raw_pira": [False, True, True],
        "conf_days": [[84], [84], [84, 168]],
        "conf_tol_days": [[7, 730.5], [7, 730.5], 30, [7, "inf"]],
        "proceed_from": ["firstconf", "firstconf", "event"],
        "sub_threshold_rebl": ["none", "none", "event", "improvement", "worsening"],
        "check_intermediate": [True, True, False],
        "require_sust_days": [0, 0, 84, "inf"],
        "relapse_to_bl": [30, 30, [30, 30], 0],
        "relapse_to_event": [0, 0, 30, [30, 30]],
        "relapse_to_conf": [30, 30, 0, [30, 15]],
        "relapse_assoc": [90, 90, [90, 30]],
        "relapse_rebl": [False, False, False, True],
        "bl_geq": [False, False, True],
        "skip_local_extrema": ["none", "none", "strict", "all"],
        "relapse_indep": INDEP_VARIANTS,
        "impute_last_visit": [0, 0, 0, 1, 400],
        "outcome": ["edss", "edss", "sdmt"],
        "validconf_col": [None, None, "validconf"],
    }
    rng = random.Random(20240607)
    configs: list[tuple[str, dict[str, Any]]] = []
    events = ["firstCDW", "firstCDI", "first", "firstPIRA", "firstRAW", "multiple"]
    baselines = ["fixed", "roving", "roving_impr", "roving_wors"]
    for i, (event, baseline) in enumerate(itertools.product(events, baselines)):
        opts: dict[str, Any] = {"event": event, "baseline": baseline}
        if i % 3 == 0:  # one in three keeps every other setting at its default
            configs.append((f"s{i:02d}_{event}_{baseline}_defaults", opts))
            continue
        for key, choices in dims.items():
            opts[key] = rng.choice(choices)
        configs.append((f"s{i:02d}_{event}_{baseline}", opts))
    # the benchmark setting, and pinned combinations of rarely drawn features
    pinned: list[dict[str, Any]] = [
        {"event": "multiple", "baseline": "roving", "raw_pira": True},
        {"event": "multiple", "baseline": "roving", "raw_pira": True, "conf_days": [84, 168]},
        {"event": "multiple", "baseline": "roving", "raw_pira": True, "relapse_rebl": True,
         "bl_geq": True},
        {"event": "multiple", "baseline": "fixed", "raw_pira": True, "relapse_rebl": True},
        {"event": "firstPIRA", "baseline": "roving", "relapse_rebl": True},
        {"event": "multiple", "baseline": "roving", "raw_pira": True, "relapse_indep": MERGED},
        {"event": "multiple", "baseline": "roving", "raw_pira": True,
         "relapse_indep": INDEP_VARIANTS[2], "skip_local_extrema": "strict"},
        {"event": "multiple", "baseline": "roving", "skip_local_extrema": "all",
         "sub_threshold_rebl": "event"},
        {"event": "multiple", "baseline": "roving", "outcome": "sdmt", "raw_pira": True,
         "sub_threshold_rebl": "event", "proceed_from": "event"},
        {"event": "multiple", "baseline": "roving", "impute_last_visit": 1, "raw_pira": True},
        {"event": "multiple", "baseline": "fixed", "require_sust_days": "inf",
         "check_intermediate": False},
        {"event": "multiple", "baseline": "roving", "require_sust_days": 168,
         "check_intermediate": False, "conf_days": [84, 168]},
        {"event": "multiple", "baseline": "roving", "raw_pira": True,
         "validconf_col": "validconf"},
        {"event": "multiple", "baseline": "fixed", "raw_pira": True, "conf_days": [84, 168],
         "validconf_col": "validconf", "require_sust_days": 365},
    ]
    configs += [(f"p{i:02d}", opts) for i, opts in enumerate(pinned)]
    for i in range(28):
        opts = {"event": rng.choice(events), "baseline": rng.choice(baselines)}
        for key, choices in dims.items():
            if rng.random() < 0.5:
                opts[key] = rng.choice(choices)
        configs.append((f"r{i:02d}", opts))
    return configs


GRID = _grid()


def _msstem_options(opts: dict[str, Any], compat: bool) -> ProgressionOptions:
    def fix(x: Any) -> Any:
        if x == "inf":
            return math.inf
        if isinstance(x, list):
            return [fix(i) for i in x]
        if isinstance(x, dict):
            return {k: fix(v) for k, v in x.items()}
        return x

    kwargs = {k: fix(v) for k, v in opts.items() if v is not None}
    outcome = kwargs.get("outcome", "edss")
    kwargs["value_col"] = "sdmt" if outcome == "sdmt" else "edss"
    return ProgressionOptions(**kwargs, pymsprog_compat=compat)


def _fmt_date(col: pd.Series) -> pd.Series:
    return pd.to_datetime(col).dt.strftime("%Y-%m-%d").fillna("")


def _msstem_table(events: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({
        "id": events["id"].astype(int),
        "nevent": events["event_index"].astype(int),
        "event_type": events["event_type"],
        "cdw_type": events["cdw_type"].fillna(""),
        "date": _fmt_date(events["date"]),
        "value": events["value"].astype(float),
        "bl_date": _fmt_date(events["baseline_date"]),
        "bl_value": events["baseline_value"].astype(float),
        "conf_date": _fmt_date(events["confirmation_date"]),
        "pira_conf_date": _fmt_date(events["pira_confirmation_date"]),
        "time2event": events["time2event"].astype(float),
        "bl2event": events["bl2event"].astype(float),
        "sust_days": events["sust_days"].astype(float),
        "sust_last": events["sust_last"].astype(bool),
    }).reset_index(drop=True)


def _peer_table(path: Path) -> pd.DataFrame:
    raw = pd.read_csv(path, dtype={"event_type": str, "cdw_type": str}, keep_default_na=False)
    if raw.empty:
        return pd.DataFrame(columns=["id", "nevent", "event_type", "cdw_type", "date", "value",
                                     "bl_date", "bl_value", "conf_date", "pira_conf_date",
                                     "time2event", "bl2event", "sust_days", "sust_last"])
    return pd.DataFrame({
        "id": raw["id"].astype(int),
        "nevent": raw["nevent"].astype(int),
        "event_type": raw["event_type"],
        "cdw_type": raw["cdw_type"],
        "date": raw["date"].astype(str),
        "value": raw["value"].astype(float),
        "bl_date": raw["bl_date"].astype(str),
        "bl_value": raw["bl_value"].astype(float),
        "conf_date": raw["conf_date"].astype(str),
        "pira_conf_date": raw["pira_conf_date"].astype(str),
        "time2event": raw["time2event"].astype(float),
        "bl2event": raw["bl2event"].astype(float),
        "sust_days": raw["sust_days"].astype(float),
        "sust_last": raw["sust_last"].astype(str) == "True",
    }).reset_index(drop=True)


def _unconfirmed_tables(mine: pd.DataFrame, path: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """msstem's and pymsprog's unconfirmed changes in one shape (no relapse: NaN)."""
    cols = ["id", "date", "value", "bl_date", "bl_value", "before", "after"]
    a = pd.DataFrame({
        "id": mine["id"].astype(int), "date": _fmt_date(mine["date"]),
        "value": mine["value"].astype(float), "bl_date": _fmt_date(mine["baseline_date"]),
        "bl_value": mine["baseline_value"].astype(float),
        "before": mine["closest_rel_before"].astype(float),
        "after": mine["closest_rel_after"].astype(float),
    }, columns=cols).reset_index(drop=True)
    raw = pd.read_csv(path, keep_default_na=False) if path.stat().st_size > 1 else pd.DataFrame()
    if raw.empty:
        return a, pd.DataFrame({c: a[c].iloc[:0] for c in cols})
    def dist(col: pd.Series) -> pd.Series:
        out = col.astype(float).abs()  # pymsprog can print -0.0
        return out.where(~out.isin([float("inf")]))
    b = pd.DataFrame({
        "id": raw["id"].astype(int), "date": raw["date"].astype(str),
        "value": raw["value"].astype(float), "bl_date": raw["bl_date"].astype(str),
        "bl_value": raw["bl_value"].astype(float),
        "before": dist(raw["closest_rel-"]), "after": dist(raw["closest_rel+"]),
    }, columns=cols).reset_index(drop=True)
    return a, b


@pytest.fixture(scope="module")
def cohort_files(tmp_path_factory: pytest.TempPathFactory) -> dict[int, tuple[Path, Path]]:
    files = {}
    for seed in (1, 2):
        visits, relapses = make_cohort(N_SUBJECTS, seed=seed)
        # visits that may not confirm (msprog's validconf_col), drawn apart from the cohort
        visits["validconf"] = np.random.default_rng(100 + seed).random(len(visits)) > 0.2
        d = tmp_path_factory.mktemp(f"cohort{seed}")
        visits.to_csv(d / "visits.csv", index=False, date_format="%Y-%m-%d")
        relapses.to_csv(d / "relapses.csv", index=False, date_format="%Y-%m-%d")
        files[seed] = (d / "visits.csv", d / "relapses.csv")
    return files


def test_grid_is_wide() -> None:
    """The grid covers every event mode with every baseline scheme and the main switches."""
    seen = {(o["event"], o["baseline"]) for _, o in GRID}
    assert len(seen) == 24
    for key in ("conf_days", "relapse_rebl", "skip_local_extrema", "sub_threshold_rebl",
                "require_sust_days", "check_intermediate", "relapse_indep", "outcome"):
        assert len({json.dumps(o.get(key)) for _, o in GRID}) >= 3, key


@pytest.mark.parametrize("chunk", range(N_CHUNKS))
def test_identical_events(chunk: int, peer_python: Path, cohort_files: dict[int, tuple[Path, Path]],
                          tmp_path: Path) -> None:
    seed = 1 + chunk % 2
    visits_csv, relapses_csv = cohort_files[seed]
    configs = GRID[chunk::N_CHUNKS]
    job = {
        "visits": str(visits_csv),
        "relapses": str(relapses_csv),
        "out": str(tmp_path),
        "configs": [{"name": name, "options": opts} for name, opts in configs],
    }
    (tmp_path / "job.json").write_text(json.dumps(job))
    proc = subprocess.run([str(peer_python), str(DRIVER), str(tmp_path / "job.json")],
                          capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr[-3000:]

    visits = pd.read_csv(visits_csv)
    relapses = pd.read_csv(relapses_csv)
    problems: list[str] = []
    compared = 0
    for name, opts in configs:
        res = detect_progression(visits, relapses, _msstem_options(opts, compat=True))
        err = tmp_path / f"{name}.error.txt"
        if err.exists():
            # pymsprog crashed: msstem must still answer, in both modes
            detect_progression(visits, relapses, _msstem_options(opts, compat=False))
            print(f"{name}: pymsprog raised {err.read_text().splitlines()[0]}", file=sys.stderr)
            continue
        compared += 1
        mine = _msstem_table(res.events)
        peer = _peer_table(tmp_path / f"{name}.events.csv")
        if not mine.equals(peer):
            diff_ids = [
                i for i in sorted(set(mine["id"]) | set(peer["id"]))
                if not mine[mine["id"] == i].reset_index(drop=True).equals(
                    peer[peer["id"] == i].reset_index(drop=True))
            ]
            problems.append(f"{name} {opts}: events differ for subjects {diff_ids[:10]}\n"
                            f"msstem:\n{mine[mine['id'].isin(diff_ids[:3])]}\n"
                            f"pymsprog:\n{peer[peer['id'].isin(diff_ids[:3])]}")
            continue
        mine_u, peer_u = _unconfirmed_tables(res.unconfirmed, tmp_path / f"{name}.unconfirmed.csv")
        if not mine_u.equals(peer_u):
            problems.append(f"{name} {opts}: unconfirmed changes differ\nmsstem:\n"
                            f"{mine_u.head(8)}\npymsprog:\n{peer_u.head(8)}")
        # pymsprog's summary keeps only the columns of the event mode; compare those
        peer_sum = pd.read_csv(tmp_path / f"{name}.summary.csv", keep_default_na=False)
        mine_sum = res.summary.set_index(res.summary["id"].astype(int))
        for col in peer_sum.columns.drop("id"):
            peer_col = dict(zip(peer_sum["id"].astype(int), peer_sum[col], strict=True))
            if peer_col != mine_sum[col].to_dict():
                problems.append(f"{name}: summary column {col} differs")
    assert not problems, "\n\n".join(problems)
    assert compared >= len(configs) // 2, "pymsprog crashed on most settings of this chunk"
