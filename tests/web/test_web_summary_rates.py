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
    cells = [t for row in doc["grid"] for t in row["cells"].values() if t != "no figure"]
    assert len(cells) >= 8, "the summary lists the aHSCT and DMT figures"
    for text in cells:
        # The uncertainty goes with every rate, on paper too (or says it was not reported).
        assert any(w in text for w in ("likely ", "studies ranged ", "middle half ",
                                       "uncertainty not reported", "a range from the source"))
        assert "certainty" in text and "fit" in text
