"""Shared fixtures. Package-specific fixtures live in each tests/<package>/conftest.py."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return REPO_ROOT


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """``../shared`` beside the repository (skips where absent, fails in CI)."""
    from shared_files import require_shared

    return require_shared(".")


@pytest.fixture()
def example_profile_data() -> dict[str, Any]:
    data: dict[str, Any] = json.loads((REPO_ROOT / "examples" / "profile.json").read_text())
    return data


# Hypothesis: no per-example deadline (that would be a timing assertion on a small, noisy
# machine); in CI, derandomised so a run is reproducible from the commit alone.
from hypothesis import settings as _hypothesis_settings  # noqa: E402

_hypothesis_settings.register_profile("default", deadline=None)
_hypothesis_settings.register_profile("ci", deadline=None, derandomize=True, print_blob=True)
_hypothesis_settings.load_profile("ci" if os.environ.get("CI") else "default")


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """One line: how many inputs the fuzz suites (the ``tried`` fixture) generated."""
    counts: dict[str, int] = {}
    for reports in terminalreporter.stats.values():
        for report in reports:
            # Recorded when the counting fixture ends, so it rides on the teardown report.
            for key, value in getattr(report, "user_properties", ()):
                if key == "fuzz_inputs":
                    counts[report.nodeid] = int(value)
    if counts:
        terminalreporter.write_line(
            f"fuzz suites: {sum(counts.values()):,} generated inputs in {len(counts)} tests")
