"""Shared fixtures. Package-specific fixtures live in each tests/<package>/conftest.py."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return REPO_ROOT


@pytest.fixture()
def example_profile_data() -> dict[str, Any]:
    data: dict[str, Any] = json.loads((REPO_ROOT / "examples" / "profile.json").read_text())
    return data
