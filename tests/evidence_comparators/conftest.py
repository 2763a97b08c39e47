"""Fixtures for the Part II (comparator DMT) evidence data.

These tests read the YAML with ``yaml.safe_load`` only, so they do not depend on the
evidence-core loader (test_comparators_loader.py checks that integration separately).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

DATA_DIR = Path(__file__).resolve().parents[2] / "src" / "msstem" / "evidence" / "data"
SOURCES_FILE = "sources_comparators.yaml"
DMTS_FILE = "dmts.yaml"
FACT_GLOB = "facts_comparators*.yaml"


def _load_list(path: Path) -> list[dict[str, Any]]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, list), f"{path.name}: expected a list of entries"
    for entry in data:
        assert isinstance(entry, dict), f"{path.name}: every entry must be a mapping"
    return data


def fact_files() -> list[Path]:
    return sorted(DATA_DIR.glob(FACT_GLOB))


@pytest.fixture(scope="session")
def comparator_sources() -> list[dict[str, Any]]:
    return _load_list(DATA_DIR / SOURCES_FILE)


@pytest.fixture(scope="session")
def comparator_facts_by_file() -> dict[str, list[dict[str, Any]]]:
    return {p.name: _load_list(p) for p in fact_files()}


@pytest.fixture(scope="session")
def comparator_facts(
    comparator_facts_by_file: dict[str, list[dict[str, Any]]],
) -> list[dict[str, Any]]:
    return [f for facts in comparator_facts_by_file.values() for f in facts]


@pytest.fixture(scope="session")
def facts_by_id(comparator_facts: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {f["id"]: f for f in comparator_facts}


@pytest.fixture(scope="session")
def dmts() -> list[dict[str, Any]]:
    return _load_list(DATA_DIR / DMTS_FILE)
