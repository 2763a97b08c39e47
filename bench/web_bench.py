"""Throughput and latency of the web aid against loopback: the "Your options" page, and the
JSON API (POST /api/assess, POST /api/options) with a different profile in every request.

Targets: >= 300 requests/s with p99 < 50 ms on 2 cores (issue 3: the page; issue 9: the API
with distinct profiles, so no response cache can answer), and the options page under 60 KB.

What it does:
1. starts ``msstem serve --workers 2`` on a free loopback port, pinned to 2 CPU cores with
   ``taskset`` where available (and told to use no more through the worker count);
2. gets a signed answers cookie the way a browser does (GET /about, POST the example profile
   with its CSRF token), so the load test requests exactly what a person's browser requests;
3. warms the page, then runs the load tool for ``--duration`` seconds:
   Debian's ``wrk`` if installed (``apt-get install wrk``), else a bounded asyncio + httpx
   client (slower, so it under-reports the server);
4. prints a Markdown section and, with ``--out FILE``, appends it to FILE.

Run:  .venv/bin/python bench/web_bench.py [--duration 15] [--connections 32] [--out FILE]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import re
import shutil
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx

REPO = Path(__file__).resolve().parents[1]
TARGET_RPS = 300
TARGET_P99_MS = 50.0
PROFILE_FORM = {
    "age": "34", "ms_course": "RRMS", "disease_duration_years": "6", "edss": "3.5",
    "relapses_12m": "2", "relapses_24m": "3", "relapses_36m": "3", "gd_lesions_12m": "2",
    "new_t2_lesions_12m": "4", "activity_on_dmt": "yes", "failed_high_efficacy_dmt": "yes",
    "current_dmt": "natalizumab", "hctci_items": "psychiatric", "pregnant": "no",
}


def distinct_profiles(n: int, seed: int = 9) -> list[dict[str, Any]]:
    """``n`` different, valid profiles spread over every answer (course, EDSS, age, counts,
    treatment), so that caches keyed on a few answers do not make the run look better."""
    import random

    rng = random.Random(seed)
    edss = [0.0, *[x / 2 for x in range(2, 20)], 10.0]
    seen: set[str] = set()
    out: list[dict[str, Any]] = []
    while len(out) < n:
        r12 = rng.randint(0, 3)
        r24 = r12 + rng.randint(0, 2)
        age = rng.randint(18, 70)
        p: dict[str, Any] = {
            "age": age, "ms_course": rng.choice(["RRMS", "SPMS", "PPMS", "CIS"]),
            "disease_duration_years": rng.randint(0, min(30, age)), "edss": rng.choice(edss),
            "relapses_12m": r12, "relapses_24m": r24, "relapses_36m": r24 + rng.randint(0, 2),
            "gd_lesions_12m": rng.randint(0, 5), "new_t2_lesions_12m": rng.randint(0, 8),
            "activity_on_dmt": rng.random() < 0.5,
            "current_dmt": rng.choice(["natalizumab", "ocrelizumab", "fingolimod", None]),
        }
        p["failed_high_efficacy_dmt"] = bool(p["activity_on_dmt"]) and rng.random() < 0.5
        p = {k: v for k, v in p.items() if v is not None}
        key = json.dumps(p, sort_keys=True)
        if key not in seen:
            seen.add(key)
            out.append(p)
    return out


def _lua_for_bodies(path: str, bodies: list[str], folder: Path) -> Path:
    """A wrk script that sends each body once, in turn (then wraps round)."""
    def lua_str(text: str) -> str:
        return "[==[" + text + "]==]"

    script = folder / "bodies.lua"
    lines = ["bodies = {", *(f"  {lua_str(b)}," for b in bodies), "}",
             "counter = 0",
             "request = function()",
             "  counter = counter + 1",
             "  local body = bodies[(counter % #bodies) + 1]",
             f'  return wrk.format("POST", "{path}", '
             '{["Content-Type"] = "application/json"}, body)',
             "end"]
    script.write_text("\n".join(lines), encoding="utf-8")
    return script


def run_api(base: str, path: str, profiles: list[dict[str, Any]], seconds: int,
            connections: int) -> dict[str, Any]:
    """POST a different profile in every request (wrk + Lua if installed, else httpx)."""
    import tempfile

    bodies = [json.dumps(p) for p in profiles]
    if shutil.which("wrk"):
        with tempfile.TemporaryDirectory() as tmp:
            script = _lua_for_bodies(path, bodies, Path(tmp))
            cmd = ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--latency", "-s",
                   str(script), base + path]
            out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
        rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
        pct = {p: _ms(v) for p, v in re.findall(r"^\s+(50|75|90|99)%\s+(\S+)", out, re.M)}
        total = int(re.search(r"(\d+) requests in", out).group(1))  # type: ignore[union-attr]
        non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
        return {"tool": f"wrk -t1 -c{connections} -d{seconds}s -s bodies.lua", "rps": rps,
                "p50": pct["50"], "p90": pct["90"], "p99": pct["99"],
                "non_2xx": int(non2xx.group(1)) if non2xx else 0, "requests": total,
                "distinct": min(total, len(bodies)), "raw": out}
    latencies: list[float] = []
    bad = 0

    async def load() -> float:
        nonlocal bad
        limits = httpx.Limits(max_connections=connections)
        async with httpx.AsyncClient(limits=limits) as client:
            stop = time.perf_counter() + seconds
            counter = iter(range(10**9))

            async def worker() -> None:
                nonlocal bad
                while time.perf_counter() < stop:
                    body = bodies[next(counter) % len(bodies)]
                    t0 = time.perf_counter()
                    r = await client.post(base + path, content=body,
                                          headers={"content-type": "application/json"})
                    latencies.append((time.perf_counter() - t0) * 1000)
                    bad += r.status_code != 200

            started = time.perf_counter()
            await asyncio.gather(*(worker() for _ in range(connections)))
            return time.perf_counter() - started

    elapsed = asyncio.run(load())
    q = statistics.quantiles(latencies, n=100)
    return {"tool": f"asyncio+httpx, {connections} connections", "rps": len(latencies) / elapsed,
            "p50": q[49], "p90": q[89], "p99": q[98], "non_2xx": bad,
            "requests": len(latencies), "distinct": min(len(latencies), len(bodies)), "raw": ""}


def _medians(results: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One row per endpoint: the median run by requests/s, with every run's figures."""
    out = []
    for path in dict.fromkeys(r["path"] for r in results):
        runs = sorted((r for r in results if r["path"] == path), key=lambda r: r["rps"])
        mid = dict(runs[len(runs) // 2])
        mid["p99"] = statistics.median(r["p99"] for r in runs)
        mid["p50"] = statistics.median(r["p50"] for r in runs)
        mid["runs"] = ", ".join(f"{r['rps']:,.0f}/s p99 {r['p99']:.0f} ms" for r in runs)
        out.append(mid)
    return out


def api_markdown(results: list[dict[str, Any]], args: argparse.Namespace,
                 page_bytes: int) -> str:
    lines = [
        "## Web API with distinct profiles (bench/web_bench.py --api)",
        "",
        f"Target (issue 9): >= {TARGET_RPS} requests/s and p99 < {TARGET_P99_MS:.0f} ms on 2 "
        "cores for POST /api/assess and POST /api/options, every request a different profile "
        f"(random over every answer; {args.profiles:,} distinct bodies, sent in turn); the "
        f"options page under 60 KB of HTML (example profile: {page_bytes:,} bytes). Server "
        f"`msstem serve --workers 2` pinned with `taskset -c {args.cores}`; load average "
        f"before the run {args.load_before} (the machine is shared: medians of the runs).",
        "",
        "| endpoint | load tool | requests | distinct profiles | requests/s | p50 ms | p99 ms "
        "| non-2xx | meets target |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for r in results:
        ok = r["rps"] >= TARGET_RPS and r["p99"] < TARGET_P99_MS and r["non_2xx"] == 0
        lines.append(f"| `{r['path']}` | `{r['tool']}` | {r['requests']:,} | "
                     f"{r['distinct']:,} | {r['rps']:,.0f} | {r['p50']:.1f} | "
                     f"{r['p99']:.1f} | {r['non_2xx']} | {'yes' if ok else 'NO'} |")
    lines += [""]
    lines += [f"- `{r['path']}` runs (requests/s, p99): {r.get('runs', '')}" for r in results]
    lines += ["", f"Each run follows a {args.warmup} s warm-up with other profiles; the "
              f"table shows the median of {args.repeats} runs (p50 and p99: medians too).",
              "", "Command: `.venv/bin/python bench/web_bench.py --api --duration "
              f"{args.duration} --connections {' '.join(map(str, args.connections))} "
              f"--profiles {args.profiles} --repeats {args.repeats} --warmup {args.warmup}`",
              ""]
    return "\n".join(lines)


def _descendants(pid: int) -> list[int]:
    out = []
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return out
    for c in map(int, children):
        out += [c, *_descendants(c)]
    return out


def worker_memory(pid: int) -> list[tuple[int, float, float]]:
    """(pid, peak MiB, current MiB) of every process under ``pid`` (Linux /proc)."""
    rows = []
    for child in _descendants(pid):
        try:
            status = Path(f"/proc/{child}/status").read_text()
        except OSError:
            continue
        kb = dict(re.findall(r"^(VmHWM|VmRSS):\s+(\d+) kB", status, re.M))
        if kb:
            rows.append((child, int(kb.get("VmHWM", 0)) / 1024, int(kb.get("VmRSS", 0)) / 1024))
    return rows


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(port: int, workers: int, cores: str) -> subprocess.Popen[bytes]:
    msstem = str(Path(sys.executable).with_name("msstem"))
    cmd = [msstem, "serve", "--host", "127.0.0.1", "--port", str(port), "--workers",
           str(workers)]
    if shutil.which("taskset"):
        cmd = ["taskset", "-c", cores, *cmd]
    env = {**os.environ, "MSSTEM_SECRET_KEY": "bench-secret-key-0123456789abcdef",
           "MSSTEM_ACCESS_LOG": "false", "MSSTEM_DATABASE_URL": "sqlite:///:memory:"}
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/learn", timeout=2).status_code == 200:
                return proc
        except httpx.HTTPError:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit("server did not start: " + (proc.stderr.read().decode() if proc.stderr
                                                  else ""))


def answers_cookie(base: str, form: dict[str, str] | None = None, check: bool = True) -> str:
    """The signed cookie a browser holds after submitting a profile (default: the example).
    ``check`` fetches the options page once to confirm the profile took (it fills a cache)."""
    with httpx.Client(base_url=base) as client:
        page = client.get("/about").text
        match = re.search(r'name="csrf" value="([^"]+)"', page)
        assert match, "no CSRF token on /about"
        r = client.post("/about", data={**(form or PROFILE_FORM), "csrf": match.group(1)})
        assert r.status_code == 303, r.text[:300]
        if check:
            options = client.get("/options")
            assert options.status_code == 200 and "You have not told us" not in options.text
        return "; ".join(f"{k}={v}" for k, v in client.cookies.items())


def first_views(base: str, n: int) -> dict[str, float]:
    """Latency of the options page the first time each of ``n`` different profiles asks
    for it (a cache miss: assessment and rendering), one request at a time."""
    cookies = [answers_cookie(base, {**PROFILE_FORM, "age": str(18 + i % 40),
                                     "relapses_36m": str(3 + i // 40)}, check=False)
               for i in range(n)]
    latencies = []
    with httpx.Client() as client:
        for cookie in cookies:
            t0 = time.perf_counter()
            r = client.get(base + "/options", headers={"Cookie": cookie})
            latencies.append((time.perf_counter() - t0) * 1000)
            assert r.status_code == 200 and "You have not told us" not in r.text
    q = statistics.quantiles(latencies, n=100, method="inclusive")
    return {"n": n, "p50": q[49], "p99": q[98], "max": max(latencies)}


_WRK_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def _ms(text: str) -> float:
    m = re.fullmatch(r"([\d.]+)(us|ms|s)", text.strip())
    assert m, text
    return float(m.group(1)) * _WRK_UNITS[m.group(2)]


def run_wrk(url: str, cookie: str, seconds: int, connections: int, threads: int,
            gzip_ok: bool) -> dict[str, Any]:
    cmd = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency",
           "-H", f"Cookie: {cookie}"]
    if gzip_ok:
        cmd += ["-H", "Accept-Encoding: gzip"]
    cmd.append(url)
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    pct = {p: _ms(v) for p, v in re.findall(r"^\s+(50|75|90|99)%\s+(\S+)", out, re.M)}
    non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    errors = re.search(r"Socket errors:.*", out)
    return {"tool": "wrk " + " ".join(cmd[1:5]) + (" -H 'Accept-Encoding: gzip'" if gzip_ok
                                                   else ""),
            "rps": rps, "p50": pct["50"], "p90": pct["90"], "p99": pct["99"],
            "non_2xx": int(non2xx.group(1)) if non2xx else 0,
            "socket_errors": errors.group(0) if errors else "none", "raw": out}


async def _httpx_load(url: str, cookie: str, seconds: int, connections: int,
                      gzip_ok: bool) -> dict[str, Any]:
    latencies: list[float] = []
    bad = 0
    headers = {"Cookie": cookie, "Accept-Encoding": "gzip" if gzip_ok else "identity"}
    limits = httpx.Limits(max_connections=connections, max_keepalive_connections=connections)
    async with httpx.AsyncClient(limits=limits, headers=headers) as client:
        stop = time.perf_counter() + seconds

        async def worker() -> None:
            nonlocal bad
            while time.perf_counter() < stop:
                t0 = time.perf_counter()
                r = await client.get(url)
                latencies.append((time.perf_counter() - t0) * 1000)
                bad += r.status_code != 200

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(connections)))
        elapsed = time.perf_counter() - started
    q = statistics.quantiles(latencies, n=100)
    return {"tool": f"asyncio+httpx, {connections} connections", "rps": len(latencies) / elapsed,
            "p50": q[49], "p90": q[89], "p99": q[98], "non_2xx": bad, "socket_errors": "n/a",
            "raw": ""}


def markdown(results: list[dict[str, Any]], args: argparse.Namespace, page_bytes: int,
             gz_bytes: int, first: dict[str, float] | None = None) -> str:
    lines = [
        "## Web: the \"Your options\" page (bench/web_bench.py)",
        "",
        f"Target: >= {TARGET_RPS} requests/s and p99 < {TARGET_P99_MS:.0f} ms on 2 cores "
        "(issue 3). Server: `msstem serve --workers 2`, pinned with "
        f"`taskset -c {args.cores}`; load tool on the same machine over loopback. "
        "The page for one profile (the example profile, sent as the signed answers cookie "
        f"a browser holds): {page_bytes:,} bytes of HTML, {gz_bytes:,} gzipped.",
        "",
        f"Machine: {platform.machine()}, {os.cpu_count()} CPUs visible, Python "
        f"{platform.python_version()}, {platform.system()} {platform.release()}; "
        f"load average before the run {args.load_before}. The load tool runs on the same "
        "cores, and anything else running on the machine competes too: tail latencies "
        "move with it.",
        "",
        "| load tool | connections | encoding | requests/s | p50 ms | p90 ms | p99 ms | non-2xx "
        "| meets target |",
        "| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for r in results:
        ok = r["rps"] >= TARGET_RPS and r["p99"] < TARGET_P99_MS and r["non_2xx"] == 0
        lines.append(f"| `{r['tool']}` | {r['connections']} | {r['encoding']} | "
                     f"{r['rps']:,.0f} | {r['p50']:.1f} | "
                     f"{r['p90']:.1f} | {r['p99']:.1f} | {r['non_2xx']} | "
                     f"{'yes' if ok else 'NO'} |")
    if first:
        lines += ["", f"First view of a profile (not yet cached; {first['n']:.0f} different "
                  "profiles, one request at a time): "
                  f"p50 {first['p50']:.1f} ms, p99 {first['p99']:.1f} ms, "
                  f"max {first['max']:.1f} ms. The table above measures repeat views of one "
                  "profile, served from the per-process page cache."]
    lines += ["", "Command: `.venv/bin/python bench/web_bench.py "
              f"--duration {args.duration} --connections "
              f"{' '.join(map(str, args.connections))} --first-views {args.first_views}`", ""]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=15)
    parser.add_argument("--connections", type=int, nargs="+", default=[4, 8, 32],
                        help="Concurrent connections; one run per value.")
    parser.add_argument("--cores", default="0,1", help="CPU list for taskset (server).")
    parser.add_argument("--out", type=Path, help="Append the Markdown section to this file.")
    parser.add_argument("--first-views", type=int, default=40,
                        help="Different profiles whose first (uncached) view is timed; 0: skip.")
    parser.add_argument("--api", action="store_true",
                        help="Measure POST /api/assess and /api/options with distinct profiles.")
    parser.add_argument("--profiles", type=int, default=90000,
                        help="Distinct profiles for --api (more than the runs can send).")
    parser.add_argument("--repeats", type=int, default=3,
                        help="--api: runs per endpoint; the table shows their medians.")
    parser.add_argument("--warmup", type=int, default=3,
                        help="--api: seconds of load before each run (other profiles); 0: none.")
    args = parser.parse_args()
    args.load_before = " / ".join(f"{x:.2f}" for x in os.getloadavg())
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    proc = start_server(port, workers=2, cores=args.cores)
    try:
        if args.api:
            cookie = answers_cookie(base)
            page = httpx.get(base + "/options", headers={"Cookie": cookie,
                                                         "Accept-Encoding": "identity"})
            profiles = distinct_profiles(args.profiles)
            runs = [(path, c) for path in ("/api/assess", "/api/options")
                    for c in args.connections for _ in range(args.repeats)]
            # Each run (and each warm-up) its own slice: nothing it sends was cached before.
            share = len(profiles) // (2 * len(runs))
            results = []
            for i, (path, connections) in enumerate(runs):
                warm = profiles[(2 * i) * share:(2 * i + 1) * share]
                chunk = profiles[(2 * i + 1) * share:(2 * i + 2) * share]
                if args.warmup:
                    # Both workers past their first requests (lazy imports, template and
                    # regex compilation), with profiles the measured run does not send.
                    run_api(base, path, warm, args.warmup, connections)
                r = run_api(base, path, chunk, args.duration, connections)
                r["path"] = path
                results.append(r)
                print(r["raw"] or r, file=sys.stderr)
            results = _medians(results)
            memory = worker_memory(proc.pid)
            text = api_markdown(results, args, len(page.content))
            if memory:
                text += ("\nServer processes after the runs (peak / now, MiB): "
                         + "; ".join(f"{hwm:.0f} / {rss:.0f}" for _, hwm, rss in memory)
                         + " (uvicorn's supervisor and its workers).\n")
            print(text)
            if args.out:
                with args.out.open("a", encoding="utf-8") as fh:
                    fh.write(text + "\n")
            return
        cookie = answers_cookie(base)
        url = base + "/options"
        page = httpx.get(url, headers={"Cookie": cookie, "Accept-Encoding": "identity"})
        gz = httpx.get(url, headers={"Cookie": cookie, "Accept-Encoding": "gzip"})
        gz_bytes = int(gz.headers.get("content-length", len(gz.content)))
        # Warm every worker's cache (each process renders the page once per profile).
        for _ in range(20):
            httpx.get(url, headers={"Cookie": cookie})
        results = []
        for connections in args.connections:
            for gzip_ok in (True, False):
                if shutil.which("wrk"):
                    r = run_wrk(url, cookie, args.duration, connections, threads=1,
                                gzip_ok=gzip_ok)
                else:
                    r = asyncio.run(_httpx_load(url, cookie, args.duration, connections,
                                                gzip_ok))
                r["encoding"] = "gzip" if gzip_ok else "identity"
                r["connections"] = connections
                results.append(r)
                print(r["raw"] or r, file=sys.stderr)
        first = first_views(base, args.first_views) if args.first_views >= 2 else None
        text = markdown(results, args, len(page.content), gz_bytes, first)
        print(text)
        if args.out:
            with args.out.open("a", encoding="utf-8") as fh:
                fh.write(text + "\n")
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()


if __name__ == "__main__":
    main()
