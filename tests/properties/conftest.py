"""Counting fuzz inputs: each fuzz suite adds how many inputs it tried; the run says so.

With pytest-xdist each worker reports its counts to the controller, which prints one line
per suite in the terminal summary (``fuzz inputs tried: ...``).
"""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

import pytest

FUZZ_COUNTS: Counter[str] = Counter()


@pytest.fixture(scope="session")
def fuzz_counts() -> Counter[str]:
    return FUZZ_COUNTS


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
