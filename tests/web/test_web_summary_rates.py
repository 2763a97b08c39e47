"""Every rate on the one-page summary carries its uncertainty, as on the options page."""

from __future__ import annotations

import json
from pathlib import Path

from msstem.decision import assess, parse_profile
from msstem.evidence import load_evidence
from msstem.reports.summary import build_summary

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "profile.json"


def test_summary_rates_show_their_interval() -> None:
    evidence = load_evidence()
    assessment = assess(parse_profile(json.loads(EXAMPLE.read_text())))
    doc = build_summary(assessment, evidence)
    rows = [r for o in doc["options"] if o["id"] != "trial" for r in o["rows"]]
    assert rows, "the summary lists the aHSCT and DMT figures"
    by_fact = {e.fact_id: e for e in assessment.estimates}
    for row in rows:
        estimate = by_fact[row["fact_id"]]
        if estimate.interval is None:
            assert "interval not reported" in row["text"]
        else:
            assert estimate.interval.kind in row["text"], row["text"]
