"""Hypothesis property tests live together here (one file per package they test).

They reuse the factories and strategies of the packages they test, so those folders are
importable from here too.
"""

from __future__ import annotations

import sys
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]
for folder in ("eligibility", "offers", "decision", "outcomes/analytics", "web"):
    path = str(TESTS / folder)
    if path not in sys.path:
        sys.path.append(path)
