"""Fuzz suites (issue 12): hostile profiles, API bodies and form posts.

Each suite counts the inputs it generated and records them (``fuzz_inputs``); the run's
summary line adds them up (see ``pytest_terminal_summary`` in tests/conftest.py). In CI
the Hypothesis ``ci`` profile makes every run the same (derandomised).

``MSSTEM_FUZZ_SCALE`` multiplies every suite's example count for a longer local run::

    MSSTEM_FUZZ_SCALE=20 .venv/bin/pytest tests/fuzz -q -p no:randomly   # ~200,000 inputs
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

SCALE = float(os.environ.get("MSSTEM_FUZZ_SCALE", "1"))


def examples(n: int) -> int:
    """``n`` examples, times ``MSSTEM_FUZZ_SCALE``."""
    return max(1, round(n * SCALE))


@pytest.fixture()
def tried(record_property: pytest.RecordProperty) -> Iterator[list[int]]:
    """A counter the test bumps once per generated input; recorded when it ends."""
    counter = [0]
    yield counter
    record_property("fuzz_inputs", counter[0])
