"""Hypothesis property tests live together here (one file per package they test).

They reuse the factories and strategies of the packages they test, so those folders are
importable from here too.

Counting fuzz inputs: each fuzz suite adds how many inputs it tried; the run says so. The
cohort-file suites add to ``fuzz_counts``, printed here; the profile and web suites bump the
``tried`` fixture, recorded per test and summed by tests/conftest.py.
With pytest-xdist each worker reports its counts to the controller, which prints one line
per suite in the terminal summary (``fuzz inputs tried: ...``).
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

TESTS = Path(__file__).resolve().parents[1]
for folder in ("clinical", "eligibility", "offers", "decision", "outcomes/analytics", "reports",
               "web"):
    path = str(TESTS / folder)
    if path not in sys.path:
        sys.path.append(path)

FUZZ_COUNTS: Counter[str] = Counter()


@pytest.fixture(scope="session")
def fuzz_counts() -> Counter[str]:
    return FUZZ_COUNTS


@pytest.fixture()
def tried(record_property: pytest.RecordProperty) -> Iterator[list[int]]:
    """A counter the test bumps once per generated input; recorded when it ends."""
    counter = [0]
    yield counter
    record_property("fuzz_inputs", counter[0])


def pytest_sessionfinish(session: pytest.Session) -> None:
    workeroutput = getattr(session.config, "workeroutput", None)
    if workeroutput is not None:
        workeroutput["msstem_fuzz_counts"] = json.dumps(dict(FUZZ_COUNTS))


def pytest_testnodedown(node: Any, error: Any) -> None:
    raw = getattr(node, "workeroutput", {}).get("msstem_fuzz_counts")
    if raw:
        FUZZ_COUNTS.update(json.loads(raw))


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if FUZZ_COUNTS:
        parts = ", ".join(f"{name} {count:,}" for name, count in sorted(FUZZ_COUNTS.items()))
        terminalreporter.write_line(f"fuzz inputs tried: {parts}")
