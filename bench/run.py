"""Progression benchmark: pymsprog 1.0.7 and msstem side by side, then msstem at 1M subjects.

    make bench
    # or: MSSTEM_PEER_PYTHON=.venv-peer/bin/python .venv/bin/python bench/run.py

Steps (one run):
1. Generate seeded synthetic cohorts (bench/progression_bench.py) as Parquet in bench/data/.
2. For each comparison size, run pymsprog (peer venv) and msstem (pymsprog_compat=True) with the
   issue's setting (event=multiple, baseline=roving, RAW/PIRA on, 84-day confirmation), each in
   its own process pinned to 2 CPUs; check the events are identical; report medians, ratio and
   peak RSS.
3. Numba compile time, measured separately (fresh cache dir) and with the on-disk cache.
4. msstem end to end from Parquet at 1,000,000 subjects (default mode), phases and peak RSS.
5. Write bench/RESULTS.md (the numbers, the machine, the command, the bandwidth discussion).
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import progression_bench as B

RESULTS = B.ROOT / "bench" / "RESULTS.md"


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _versions(peer: Path | None) -> dict[str, str]:
    import numba
    import numpy
    import pandas

    from msstem import __version__

    out = {"msstem": __version__, "python": platform.python_version(), "numpy": numpy.__version__,
           "pandas": pandas.__version__, "numba": numba.__version__}
    if peer is not None:
        probe = subprocess.run(
            [str(peer), "-c", "import importlib.metadata as m, numpy, pandas; "
             "print(m.version('pymsprog'), numpy.__version__, pandas.__version__)"],
            capture_output=True, text=True, check=True)
        p, n, pd_ = probe.stdout.split()
        out["pymsprog"] = f"{p} (numpy {n}, pandas {pd_})"
    return out


def _median(runs: list[dict[str, float]], key: str) -> float:
    return statistics.median(r[key] for r in runs)


def compare(n: int, peer: Path, repeats: int, peer_repeats: int, work: Path) -> dict[str, Any]:
    v, r = B.write_cohort(n)
    opts = {**B.BENCH_OPTIONS, "pymsprog_compat": True}
    peer_csv, mine_csv = work / f"peer_{n}.csv", work / f"msstem_{n}.csv"
    print(f"[{n:,} subjects] pymsprog x{peer_repeats} ...", flush=True)
    peer_res, peer_rss = B.run_pymsprog(peer, v, r, opts, peer_repeats, peer_csv)
    print(f"[{n:,} subjects] msstem x{repeats} ...", flush=True)
    mine_res, mine_rss = B.run_msstem(v, r, opts, repeats, events_out=mine_csv)
    same, n_mine, n_peer = B.events_identical(mine_csv, peer_csv)
    peer_t = statistics.median(peer_res["times"])
    mine_t = _median(mine_res["runs"], "total_s")
    return {"n": n, "visits": mine_res["n_visits"], "events": n_mine, "peer_events": n_peer,
            "identical": same, "peer_s": peer_t, "peer_all": peer_res["times"], "msstem_s": mine_t,
            "ratio": peer_t / mine_t, "peer_rss": peer_rss, "msstem_rss": mine_rss,
            "msstem_runs": mine_res["runs"]}


def compile_times(work: Path) -> dict[str, float]:
    v, r = B.write_cohort(1000)
    opts = dict(B.BENCH_OPTIONS)
    with tempfile.TemporaryDirectory(dir=work) as cache:
        cold, _ = B.run_msstem(v, r, opts, 1, env={"NUMBA_CACHE_DIR": cache})
    B.run_msstem(v, r, opts, 1)  # make sure the default on-disk cache is populated
    warm, _ = B.run_msstem(v, r, opts, 1)
    return {"compile_s": cold["times"]["first_call_s"] - cold["times"]["warm_tiny_s"],
            "cache_load_s": warm["times"]["first_call_s"] - warm["times"]["warm_tiny_s"],
            "import_s": warm["times"]["import_s"]}


def big(n: int, repeats: int) -> dict[str, Any]:
    print(f"[{n:,} subjects] generating (first time only) ...", flush=True)
    v, r = B.write_cohort(n)
    print(f"[{n:,} subjects] msstem x{repeats} ...", flush=True)
    t = time.perf_counter()
    res, rss = B.run_msstem(v, r, dict(B.BENCH_OPTIONS), repeats)
    wall = time.perf_counter() - t
    runs = res["runs"]
    return {"n": n, "visits": res["n_visits"], "events": res["n_events"], "rss": rss,
            "total_s": _median(runs, "total_s"),
            "phases": {k: _median(runs, k) for k in runs[0] if k != "total_s"},
            "process_s": res["times"]["import_s"] + res["times"]["first_call_s"]
            + _median(runs, "total_s"), "wall_all_repeats_s": wall,
            "parquet_mb": (v.stat().st_size + r.stat().st_size) / 1e6}


def write_results(info: dict[str, Any], comps: list[dict[str, Any]], comp: dict[str, float],
                  bigres: dict[str, Any] | None, bw: float, command: str) -> None:
    lines = [
        "# Progression benchmark: msstem vs pymsprog",
        "",
        f"Generated by `{command}` on {time.strftime('%Y-%m-%d')}. Do not edit by hand.",
        "",
        "## Machine and versions",
        "",
        f"- CPU: {info['cpu']}; every measured process pinned to **2 cores** "
        f"(`sched_setaffinity`); machine has {os.cpu_count()} logical CPUs.",
        f"- Streaming copy bandwidth (numpy, 1 GiB, one thread): **{bw:.1f} GB/s** (read+write).",
        *[f"- {k}: {v}" for k, v in info["versions"].items()],
        "",
        "## Setting",
        "",
        "Issue #4 benchmark setting: `event=multiple`, `baseline=roving`, RAW/PIRA on, "
        "`conf_days=[84]`, everything else at its default. Cohort: `bench/progression_bench.py` "
        "(seed 2024; ~19 visits per subject; EDSS drift, noise and relapse bumps; 0.25 "
        "relapses/year). msstem runs with `pymsprog_compat=True` for the comparison so that "
        "events must be identical; pymsprog gets the same Parquet data through pandas.",
        "",
        "## pymsprog vs msstem (same data, same settings, one run)",
        "",
        "| subjects | visits | events | identical | pymsprog median (s) | msstem median (s) "
        "| speed-up | pymsprog peak RSS | msstem peak RSS |",
        "| ---: | ---: | ---: | :---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for c in comps:
        same = "yes" if c["identical"] else f"NO ({c['peer_events']} vs {c['events']} events)"
        lines.append(
            f"| {c['n']:,} | {c['visits']:,} | {c['events']:,} | {same} | "
            f"{c['peer_s']:.2f} (n={len(c['peer_all'])}) | "
            f"{c['msstem_s']:.4f} (n={len(c['msstem_runs'])}) | "
            f"**{c['ratio']:,.0f}x** | {c['peer_rss']:.0f} MiB | {c['msstem_rss']:.0f} MiB |")
    lines += [
        "",
        "Times are the analysis call only, medians over the repeats shown (n): pymsprog's "
        "`MSprog(...)`; msstem's load+validate from Parquet, kernel and output tables. Peak RSS "
        "is the whole process (interpreter, imports, data) from `wait4`. pymsprog's per-subject "
        "cost grows with cohort size (it filters the whole table once per subject).",
        "",
        "## Numba compile time (not included above)",
        "",
        f"- first call with an empty cache (compilation): **{comp['compile_s']:.1f} s**",
        f"- first call with the on-disk cache (`cache=True`): **{comp['cache_load_s']:.2f} s**",
        f"- `import msstem.outcomes` (numpy, pandas, numba, pyarrow): {comp['import_s']:.2f} s",
        "",
    ]
    if bigres is not None:
        ph = bigres["phases"]
        nvis = bigres["visits"]
        # bytes the kernel has to stream at least once: day (4) + value (8) + delta (8) per
        # visit in, scratch copies out, event rows out (7 x 8 bytes)
        kernel_bytes = nvis * (4 + 8 + 8) * 2 + bigres["events"] * 56
        lines += [
            f"## msstem at {bigres['n']:,} subjects, end to end from Parquet",
            "",
            f"{nvis:,} visits, {bigres['events']:,} events, {bigres['parquet_mb']:.0f} MB of "
            "Parquet (visits + relapses); default mode, same setting, 2 cores.",
            "",
            "| phase | median (s) |",
            "| --- | ---: |",
            f"| read Parquet, validate (grid, dates, duplicates, relapse ids), sort check, layout "
            f"| {ph['load_validate_s']:.2f} |",
            f"| minimum-change table + kernel | {ph['kernel_s']:.2f} |",
            f"| events and summary DataFrames | {ph['output_s']:.2f} |",
            f"| **total (analysis)** | **{bigres['total_s']:.2f}** |",
            f"| fresh process: imports + cached kernel load + analysis | "
            f"{bigres['process_s']:.2f} |",
            "",
            f"Peak RSS of the process: **{bigres['rss'] / 1024:.2f} GiB** "
            f"(target <= 4 GiB); time target <= 30 s.",
            "",
            "### How close to the memory-bandwidth limit, and what bounds it",
            "",
            f"The kernel streams about {kernel_bytes / 1e9:.2f} GB (each visit's day, value "
            f"and minimum change read once and copied to per-subject scratch, plus the event "
            f"rows), which at the measured {bw:.1f} GB/s would take "
            f"{kernel_bytes / (bw * 1e9):.2f} s; it takes {ph['kernel_s']:.2f} s, i.e. "
            f"{kernel_bytes / ph['kernel_s'] / 1e9:.2f} GB/s, "
            f"about {kernel_bytes / ph['kernel_s'] / 1e9 / bw:.0%} of bandwidth. The kernel is "
            "therefore bound by its per-visit control flow (branchy, data-dependent scans that "
            "cannot be vectorised), not by memory; it is single-threaded, so the second core "
            "only helps Parquet decoding. Splitting subjects across threads (numba `prange` "
            "with a count pass) would roughly halve the kernel phase, but the kernel is a "
            "minority of the total.",
            "",
            "The end-to-end time is dominated by work outside the kernel: Parquet decoding, "
            "the validation passes the issue requires (EDSS grid, duplicates, unknown relapse "
            "subjects: each a full pass over 19M values), and building pandas DataFrames with "
            "Python string objects for the event and summary tables. A bandwidth-bound floor "
            "for the whole pipeline (read the three input columns, a few validation passes, "
            f"write the outputs: roughly 3-4 GB of traffic) is about "
            f"{3.5e9 / (bw * 1e9):.1f} s at {bw:.1f} GB/s; the measured total is "
            f"{bigres['total_s']:.1f} s, so there is headroom mostly in pandas object "
            "construction and in fusing the validation passes, not in the kernel's memory use.",
            "",
        ]
    lines += [
        "## Reproduce",
        "",
        "```",
        "make bench",
        "# or, with the peer venv from `make peer`:",
        "MSSTEM_PEER_PYTHON=.venv-peer/bin/python .venv/bin/python "
        + command.split("python ", 1)[-1],
        "```",
        "",
        "Generated data goes to `bench/data/` (git-ignored) and is reused on later runs.",
        "",
    ]
    # The other benchmarks (bench/web_bench.py, bench/startup_bench.py, ...) write their own
    # RESULTS-<name>.md; keep them all in this one file.
    for other in sorted(RESULTS.parent.glob("RESULTS-*.md")):
        lines += [other.read_text().rstrip(), ""]
    RESULTS.write_text("\n".join(lines))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="1000,10000", help="comparison sizes (subjects)")
    ap.add_argument("--repeats", type=int, default=5, help="msstem repeats per size")
    ap.add_argument("--peer-repeats", type=int, default=3, help="pymsprog repeats per size")
    ap.add_argument("--big", type=int, default=1_000_000, help="msstem-only size; 0 to skip")
    ap.add_argument("--big-repeats", type=int, default=3)
    ap.add_argument("--no-write", action="store_true", help="print only; keep RESULTS.md")
    args = ap.parse_args(argv)

    env_peer = os.environ.get("MSSTEM_PEER_PYTHON")
    peer = Path(env_peer) if env_peer else B.ROOT / ".venv-peer" / "bin" / "python"
    if not peer.exists():
        print(f"peer interpreter {peer} not found: run `make peer` or set MSSTEM_PEER_PYTHON",
              file=sys.stderr)
        return 2
    work = B.DATA / "work"
    work.mkdir(parents=True, exist_ok=True)
    info = {"cpu": _cpu_model(), "versions": _versions(peer)}
    bw = B.memory_bandwidth_gbs()
    print(f"memory bandwidth ~{bw:.1f} GB/s", flush=True)
    comps = [compare(int(s), peer, args.repeats, args.peer_repeats, work)
             for s in args.sizes.split(",") if s]
    for c in comps:
        print(f"  {c['n']:>9,}: pymsprog {c['peer_s']:.2f}s  msstem {c['msstem_s']:.4f}s  "
              f"x{c['ratio']:,.0f}  identical={c['identical']}", flush=True)
    comp = compile_times(work)
    print(f"  compile {comp['compile_s']:.1f}s, cache load {comp['cache_load_s']:.2f}s", flush=True)
    bigres = big(args.big, args.big_repeats) if args.big else None
    if bigres:
        print(f"  {bigres['n']:,}: {bigres['total_s']:.2f}s, peak {bigres['rss']:.0f} MiB",
              flush=True)
    command = "python bench/run.py" + (" " + " ".join(argv if argv is not None else sys.argv[1:])
                                       if (argv if argv is not None else sys.argv[1:]) else "")
    if not args.no_write:
        write_results(info, comps, comp, bigres, bw, command.strip())
        print(f"wrote {RESULTS}")
    return 0 if all(c["identical"] for c in comps) else 1


if __name__ == "__main__":
    raise SystemExit(main())
