"""Run pymsprog on one cohort for many settings (executed by the PEER interpreter).

Usage: python pymsprog_driver.py JOB.json

JOB.json: {"visits": csv, "relapses": csv, "out": dir, "configs": [{"name": ..., "options": {...}}]}
with options named as msstem's ProgressionOptions fields. For each config this writes
``<name>.events.csv`` (id, nevent, event_type, cdw_type, date, value, bl_date, bl_value,
conf_date = earliest conf<m>_date, pira_conf_date = earliest PIRA_conf<m>_date, time2event,
bl2event, sust_days, sust_last), ``<name>.summary.csv`` and ``<name>.unconfirmed.csv``, or
``<name>.error.txt`` with the exception pymsprog raised. It imports only pymsprog, numpy and pandas.
"""

from __future__ import annotations

import json
import math
import sys
import traceback
from pathlib import Path

import pandas as pd
import pymsprog

RENAME = {"raw_pira": "RAW_PIRA"}
DROP = {"pymsprog_compat", "duplicate_visits", "unknown_relapse_subjects", "subject_col",
        "date_col", "relapse_subject_col", "relapse_date_col", "relapse_end_col",
        "pira_definition"}


def _num(x):  # JSON has no inf
    if x == "inf":
        return math.inf
    if isinstance(x, list):
        return [_num(i) for i in x]
    if isinstance(x, dict):
        return {k: (tuple(_num(v)) if isinstance(v, list) else _num(v)) for k, v in x.items()}
    return x


def run(job: dict) -> None:
    visits = pd.read_csv(job["visits"])
    relapses = pd.read_csv(job["relapses"])
    out = Path(job["out"])
    for cfg in job["configs"]:
        name = cfg["name"]
        opts = {RENAME.get(k, k): _num(v) for k, v in cfg["options"].items() if k not in DROP}
        outcome = opts.pop("outcome", "edss")
        value_col = opts.pop("value_col", "sdmt" if outcome == "sdmt" else "edss")
        try:
            summary, results, unconfirmed = pymsprog.MSprog(
                visits, "id", value_col, "date", outcome, relapse=relapses,
                include_dates=True, include_value=True, verbose=0, return_unconfirmed=True,
                **opts,
            )
        except Exception as exc:  # we record what pymsprog raised
            (out / f"{name}.error.txt").write_text(
                f"{type(exc).__name__}: {exc}\n{traceback.format_exc()}"
            )
            continue
        ev = results[results["nevent"] > 0].copy()
        conf_cols = [c for c in ev.columns if c.startswith("conf") and c.endswith("_date")]
        pira_cols = [c for c in ev.columns if c.startswith("PIRA_conf") and c.endswith("_date")]
        frame = pd.DataFrame({
            "id": ev["id"],
            "nevent": ev["nevent"],
            "event_type": ev["event_type"],
            "cdw_type": ev["CDW_type"] if "CDW_type" in ev.columns else
            ev["event_type"].map({"CDW": "", "CDI": ""}),
            "date": ev["date"],
            "value": ev["value"],
            "bl_date": ev["bl_date"],
            "bl_value": ev["bl_value"],
            "conf_date": ev[conf_cols].min(axis=1) if conf_cols else pd.NaT,
            "pira_conf_date": ev[pira_cols].min(axis=1) if pira_cols else pd.NaT,
            "time2event": ev["time2event"],
            "bl2event": ev["bl2event"],
            "sust_days": ev["sust_days"],
            "sust_last": ev["sust_last"].astype(bool),
        })
        frame.to_csv(out / f"{name}.events.csv", index=False, date_format="%Y-%m-%d")
        summary.rename_axis("id").reset_index().to_csv(out / f"{name}.summary.csv", index=False)
        unconfirmed.to_csv(out / f"{name}.unconfirmed.csv", index=False, date_format="%Y-%m-%d")


if __name__ == "__main__":
    run(json.loads(Path(sys.argv[1]).read_text()))
