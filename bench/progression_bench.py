"""Synthetic cohorts and timing helpers for the progression benchmark (see bench/run.py).

The cohort is seeded and vectorised: ~19 visits per subject (13-25), mostly 6-monthly with
3-monthly and yearly gaps and +/-14 days of jitter; EDSS follows a latent linear drift per
subject (baseline 0-6, slope N(0.1, 0.15)/year) plus visit noise and a +1.0 bump at visits
within 60 days after a relapse, rounded to the EDSS grid; relapses arrive at 0.25/year,
from 180 days before the first visit to the last visit.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "bench" / "data"
EPOCH_DAY = int(np.datetime64("2005-01-01", "D").astype(np.int64))
#: The issue's benchmark setting (other settings at their defaults).
BENCH_OPTIONS: dict[str, Any] = {
    "event": "multiple", "baseline": "roving", "raw_pira": True, "conf_days": [84],
}


def generate_cohort(n_subjects: int, seed: int = 2024) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Visits (id, date, edss) and relapses (id, date); dates as datetime64[s] days."""
    rng = np.random.default_rng(seed)
    nvis = rng.integers(13, 26, size=n_subjects)
    total = int(nvis.sum())
    subj = np.repeat(np.arange(n_subjects, dtype=np.int64), nvis)
    starts = np.zeros(n_subjects + 1, dtype=np.int64)
    np.cumsum(nvis, out=starts[1:])
    first_row = np.zeros(total, dtype=bool)
    first_row[starts[:-1]] = True

    gaps = rng.choice(np.array([91, 182, 365]), size=total, p=[0.2, 0.6, 0.2])
    gaps = gaps + rng.integers(-14, 15, size=total)
    gaps[first_row] = 0
    csum = np.cumsum(gaps)
    rel_day = csum - np.repeat(csum[starts[:-1]], nvis)  # days since the subject's first visit
    origin = EPOCH_DAY + rng.integers(0, 3650, size=n_subjects)
    day = np.repeat(origin, nvis) + rel_day

    # relapses: Poisson(0.25/year) over [first - 180, last]
    last_rel = rel_day[starts[1:] - 1]
    span = last_rel + 180
    n_rel = rng.poisson(0.25 * span / 365.25)
    r_subj = np.repeat(np.arange(n_subjects, dtype=np.int64), n_rel)
    r_day = (np.repeat(origin - 180, n_rel)
             + (rng.random(len(r_subj)) * np.repeat(span, n_rel)).astype(np.int64))
    r_order = np.lexsort((r_day, r_subj))
    r_subj, r_day = r_subj[r_order], r_day[r_order]
    # one relapse per subject and day (a repeated onset is an input error, issue 12)
    first = np.r_[True, (r_subj[1:] != r_subj[:-1]) | (r_day[1:] != r_day[:-1])]
    r_subj, r_day = r_subj[first], r_day[first]

    # bump: a relapse within the 60 days before a visit (same subject)
    key_v = subj * (1 << 24) + (day - EPOCH_DAY + 1000)
    key_r = r_subj * (1 << 24) + (r_day - EPOCH_DAY + 1000)
    idx = np.searchsorted(key_r, key_v, side="right") - 1
    ok = idx >= 0
    prev_same = np.zeros(total, dtype=bool)
    prev_same[ok] = (r_subj[idx[ok]] == subj[ok]) & (day[ok] - r_day[idx[ok]] <= 60)

    base = rng.uniform(0.0, 6.0, size=n_subjects)
    slope = rng.normal(0.1, 0.15, size=n_subjects)
    latent = (np.repeat(base, nvis) + np.repeat(slope, nvis) * rel_day / 365.25
              + rng.normal(0.0, 0.35, size=total) + 1.0 * prev_same)
    edss = np.clip(np.round(latent * 2) / 2, 0.0, 10.0)
    edss[edss == 0.5] = 1.0  # no 0.5 step on the EDSS grid

    visits = pd.DataFrame({
        "id": subj + 1,
        "date": day.astype("datetime64[D]"),
        "edss": edss,
    })
    relapses = pd.DataFrame({"id": r_subj + 1, "date": r_day.astype("datetime64[D]")})
    return visits, relapses


def write_cohort(n_subjects: int, seed: int = 2024) -> tuple[Path, Path]:
    """Parquet files (date32 dates) under bench/data/, reused when already there."""
    DATA.mkdir(parents=True, exist_ok=True)
    v_path = DATA / f"visits_{n_subjects}_{seed}.parquet"
    r_path = DATA / f"relapses_{n_subjects}_{seed}.parquet"
    if not (v_path.exists() and r_path.exists()):
        import pyarrow as pa
        import pyarrow.parquet as pq

        visits, relapses = generate_cohort(n_subjects, seed)
        for frame, path in ((visits, v_path), (relapses, r_path)):
            table = pa.Table.from_pandas(frame, preserve_index=False)
            table = table.set_column(1, "date", table.column("date").cast(pa.date32()))
            pq.write_table(table, path)
    return v_path, r_path


def run_child(argv: Sequence[str], env: dict[str, str] | None = None,
              cpus: int | None = None) -> tuple[dict[str, Any], float]:
    """Run a Python child; return its last JSON line and its peak RSS in MiB (wait4)."""
    full_env = {**os.environ, **(env or {})}

    def _affinity() -> None:
        if cpus is not None and hasattr(os, "sched_setaffinity"):
            avail = sorted(os.sched_getaffinity(0))
            os.sched_setaffinity(0, avail[:cpus])

    proc = subprocess.Popen(list(argv), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env=full_env, preexec_fn=_affinity if cpus else None)
    assert proc.stdout is not None and proc.stderr is not None
    out = proc.stdout.read().decode()
    err = proc.stderr.read().decode()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise RuntimeError(f"{argv[:3]} failed ({proc.returncode}):\n{err[-3000:]}")
    lines = [ln for ln in out.splitlines() if ln.startswith("{")]
    return json.loads(lines[-1]), usage.ru_maxrss / 1024.0


def memory_bandwidth_gbs(n_bytes: int = 1 << 30, repeats: int = 5) -> float:
    """Single-thread streaming copy bandwidth (read + write bytes per second), GB/s."""
    src = np.ones(n_bytes // 8, dtype=np.float64)
    dst = np.empty_like(src)
    best = float("inf")
    for _ in range(repeats):
        t = time.perf_counter()
        np.copyto(dst, src)
        best = min(best, time.perf_counter() - t)
    return 2 * n_bytes / best / 1e9


MSSTEM_CHILD = r"""
import json, sys, time
t0 = time.perf_counter()
import numpy as np
from msstem.outcomes import ProgressionOptions, detect_progression
from msstem.outcomes import progression as P
from msstem.outcomes.inputs import load_cohort
t_import = time.perf_counter() - t0
job = json.loads(sys.argv[1])
opts = ProgressionOptions(**job["options"])
times = {"import_s": t_import}
# first call: compiles (or loads the cached machine code) on a 1-subject cohort
import pandas as pd
tiny = pd.DataFrame({"id": [1, 1, 1], "date": pd.to_datetime(["2020-01-01", "2020-04-01",
                     "2020-07-01"]), "edss": [2.0, 3.0, 3.0]})
for key in ("first_call_s", "warm_tiny_s"):
    t = time.perf_counter()
    detect_progression(tiny, None, opts)
    times[key] = time.perf_counter() - t
runs = []
for _ in range(job["repeats"]):
    ph = {}
    t = time.perf_counter()
    cohort = load_cohort(job["visits"], job["relapses"], opts)
    ph["load_validate_s"] = time.perf_counter() - t
    t1 = time.perf_counter()
    deltas = P._delta_per_visit(cohort.visit_values, opts, None)
    raw = P._run_kernel(cohort, deltas, opts)
    ph["kernel_s"] = time.perf_counter() - t1
    t1 = time.perf_counter()
    events = P._build_events(cohort, raw)
    summary = P._build_summary(cohort, raw)
    ph["output_s"] = time.perf_counter() - t1
    ph["total_s"] = time.perf_counter() - t
    runs.append(ph)
    n_vis, n_sub, n_ev = len(cohort.visit_days), cohort.n_subjects, len(events)
    del cohort, deltas, raw
if job.get("events_out"):
    res = detect_progression(job["visits"], job["relapses"], opts)
    res.events.to_csv(job["events_out"], index=False, date_format="%Y-%m-%d")
print(json.dumps({"times": times, "runs": runs, "n_visits": n_vis, "n_subjects": n_sub,
                  "n_events": n_ev}))
"""

PEER_CHILD = r"""
import json, sys, time
import pandas as pd
import pymsprog
job = json.loads(sys.argv[1])
# CSV copies: the peer venv need not have a Parquet engine
visits = pd.read_csv(job["visits"]); relapses = pd.read_csv(job["relapses"])
visits["date"] = pd.to_datetime(visits["date"]); relapses["date"] = pd.to_datetime(relapses["date"])
o = dict(job["options"]); raw_pira = o.pop("raw_pira", False)
times = []
for _ in range(job["repeats"]):
    t = time.perf_counter()
    summary, res = pymsprog.MSprog(visits, "id", "edss", "date", "edss", relapse=relapses,
                                   RAW_PIRA=raw_pira, include_dates=True, include_value=True,
                                   verbose=0, **o)
    times.append(time.perf_counter() - t)
ev = res[res["nevent"] > 0]
conf = [c for c in ev.columns if c.startswith("conf") and c.endswith("_date")]
pd.DataFrame({"id": ev["id"], "event_index": ev["nevent"], "event_type": ev["event_type"],
              "cdw_type": ev["CDW_type"], "date": ev["date"], "value": ev["value"],
              "baseline_date": ev["bl_date"], "baseline_value": ev["bl_value"],
              "confirmation_date": ev[conf].min(axis=1)}).to_csv(
    job["events_out"], index=False, date_format="%Y-%m-%d")
print(json.dumps({"times": times, "n_events": int(len(ev))}))
"""


def run_msstem(visits: Path, relapses: Path, options: dict[str, Any], repeats: int,
               events_out: Path | None = None, cpus: int | None = 2,
               env: dict[str, str] | None = None) -> tuple[dict[str, Any], float]:
    job = {"visits": str(visits), "relapses": str(relapses), "options": options,
           "repeats": repeats, "events_out": str(events_out) if events_out else None}
    return run_child([sys.executable, "-c", MSSTEM_CHILD, json.dumps(job)], env=env, cpus=cpus)


def run_pymsprog(peer_python: Path, visits: Path, relapses: Path, options: dict[str, Any],
                 repeats: int, events_out: Path,
                 cpus: int | None = 2) -> tuple[dict[str, Any], float]:
    opts = {k: v for k, v in options.items() if k != "pymsprog_compat"}
    v_csv, r_csv = visits.with_suffix(".csv"), relapses.with_suffix(".csv")
    for src, dst in ((visits, v_csv), (relapses, r_csv)):
        if not dst.exists():
            pd.read_parquet(src).to_csv(dst, index=False, date_format="%Y-%m-%d")
    job = {"visits": str(v_csv), "relapses": str(r_csv), "options": opts,
           "repeats": repeats, "events_out": str(events_out)}
    return run_child([str(peer_python), "-c", PEER_CHILD, json.dumps(job)], cpus=cpus)


def events_identical(a_csv: Path, b_csv: Path) -> tuple[bool, int, int]:
    """Compare two events.csv files row by row (after normalising types)."""
    def load(p: Path) -> pd.DataFrame:
        f = pd.read_csv(p, dtype=str, keep_default_na=False)
        for c in ("value", "baseline_value"):
            f[c] = f[c].astype(float).map(repr)
        return f.sort_values(["id", "event_index"], key=lambda s: s.astype(int),
                             kind="stable").reset_index(drop=True)

    a, b = load(a_csv), load(b_csv)
    return a.equals(b), len(a), len(b)
