"""Each documented pymsprog bug, shown on pymsprog itself, next to msstem's answer.

These pin the claims in docs/outcomes-progression.md: if a future pymsprog fixes a bug, the
test says so (and the docs need updating).
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from msstem.outcomes import ProgressionOptions, detect_progression

pytestmark = pytest.mark.peer

SCRIPT = """
import json, sys, pandas as pd, pymsprog
job = json.loads(sys.argv[1])
v = pd.read_csv(job['visits']); r = pd.read_csv(job['relapses']) if job['relapses'] else None
try:
    s, res = pymsprog.MSprog(v, 'id', job['value_col'], 'date', job['outcome'], relapse=r,
                             verbose=0, **job['kwargs'])
    print(json.dumps({'ok': dict(zip(map(str, s.index), s['event_sequence']))
                      if 'event_sequence' in s else {}}))
except Exception as exc:
    print(json.dumps({'error': type(exc).__name__}))
"""


START = pd.Timestamp("2020-01-01")


def visits_frame(subjects: dict[int, list[tuple[int, float]]], col: str = "edss") -> pd.DataFrame:
    rows = [(sid, START + pd.Timedelta(days=d), v) for sid, pts in subjects.items()
            for d, v in pts]
    return pd.DataFrame(rows, columns=["id", "date", col])


def relapses_frame(subjects: dict[int, list[int]]) -> pd.DataFrame:
    rows = [(sid, START + pd.Timedelta(days=d)) for sid, days in subjects.items() for d in days]
    return pd.DataFrame(rows, columns=["id", "date"])


def _pymsprog(peer: Path, tmp: Path, visits: pd.DataFrame, relapses: pd.DataFrame | None,
              value_col: str = "edss", outcome: str = "edss", **kwargs: Any) -> dict[str, Any]:
    visits.to_csv(tmp / "v.csv", index=False, date_format="%Y-%m-%d")
    if relapses is not None:
        relapses.to_csv(tmp / "r.csv", index=False, date_format="%Y-%m-%d")
    job = {"visits": str(tmp / "v.csv"), "relapses": str(tmp / "r.csv") if relapses is not None
           else None, "value_col": value_col, "outcome": outcome, "kwargs": kwargs}
    out = subprocess.run([str(peer), "-c", SCRIPT, json.dumps(job)], capture_output=True,
                         text=True, check=True)
    result: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def _msstem(visits: pd.DataFrame, relapses: pd.DataFrame | None, **opts: Any) -> str:
    res = detect_progression(visits, relapses, ProgressionOptions(**opts))
    return str(res.summary.loc[0, "event_sequence"])


def test_bug1_no_events_without_stable_rows(peer_python: Path, tmp_path: Path) -> None:
    v = visits_frame({1: [(0, 2.0), (100, 2.0)]})
    assert _pymsprog(peer_python, tmp_path, v, None, include_stable=False) == {
        "error": "KeyError"}
    assert _msstem(v, None) == ""


def test_bug2_unsustained_cdi_two_windows(peer_python: Path, tmp_path: Path) -> None:
    v = visits_frame({1: [(0, 4.0), (100, 3.0), (190, 3.0), (280, 4.0)]})
    kw: dict[str, Any] = {"event": "multiple", "conf_days": [84, 168], "require_sust_days": 365}
    assert _pymsprog(peer_python, tmp_path, v, None, **kw) == {"error": "ValueError"}
    kw["conf_days"] = (84, 168)
    assert _msstem(v, None, **kw) == ""


def test_bug3_prec_window_none(peer_python: Path, tmp_path: Path) -> None:
    v = visits_frame({1: [(0, 2.0), (200, 3.0), (300, 3.0)]})
    r = relapses_frame({1: [100]})
    indep = {"prec": (None, None), "event": (None, 30), "conf": (90, 30)}
    assert _pymsprog(peer_python, tmp_path, v, r, RAW_PIRA=True, relapse_indep=indep) == {
        "error": "UnboundLocalError"}
    assert _msstem(v, r, raw_pira=True, relapse_indep=indep) == "CDW"


def test_bug4_relapse_before_follow_up(peer_python: Path, tmp_path: Path) -> None:
    v = visits_frame({1: [(0, 2.0), (40, 3.0), (140, 3.0)]})
    r = relapses_frame({1: [-50]})
    assert _pymsprog(peer_python, tmp_path, v, r, RAW_PIRA=True) == {"ok": {"1": "PIRA"}}
    assert _msstem(v, r, raw_pira=True) == "RAW"
    assert _msstem(v, r, raw_pira=True, pymsprog_compat=True) == "PIRA"


def test_bug5_bl_geq_ignored(peer_python: Path, tmp_path: Path) -> None:
    v = visits_frame({1: [(0, 4.0), (100, 3.0), (190, 3.0), (280, 4.0), (370, 4.0)]})
    kw = {"event": "multiple", "baseline": "roving", "bl_geq": True}
    assert _pymsprog(peer_python, tmp_path, v, None, **kw) == {"ok": {"1": "CDI, CDW"}}
    assert _msstem(v, None, **kw) == "CDI"
    assert _msstem(v, None, **kw, pymsprog_compat=True) == "CDI, CDW"


def test_sub_threshold_direction_for_sdmt(peer_python: Path, tmp_path: Path) -> None:
    v = visits_frame({1: [(0, 50.0), (100, 48.0), (190, 48.0), (280, 44.0), (370, 44.0)]},
                     "sdmt")
    kw = {"event": "multiple", "baseline": "roving", "sub_threshold_rebl": "improvement"}
    assert _pymsprog(peer_python, tmp_path, v, None, "sdmt", "sdmt", **kw) == {"ok": {"1": ""}}
    assert _msstem(v, None, value_col="sdmt", outcome="sdmt", **kw) == "CDW"


def test_skipped_worsening_with_two_windows(peer_python: Path, tmp_path: Path) -> None:
    # firstPIRA with a fixed baseline skips the RAW at day 100 (relapse at day 50); its
    # 168-day window only has day 280, where the worsening is already lost. pymsprog keeps
    # that empty window and fails on min() of nothing.
    v = visits_frame({1: [(0, 2.0), (100, 3.0), (190, 3.0), (280, 2.0)]})
    r = relapses_frame({1: [50]})
    kw: dict[str, Any] = {"event": "firstPIRA", "conf_days": [84, 168]}
    assert _pymsprog(peer_python, tmp_path, v, r, **kw) == {"error": "ValueError"}
    kw["conf_days"] = (84, 168)
    assert _msstem(v, r, **kw) == ""
    assert _msstem(v, r, **kw, pymsprog_compat=True) == ""
