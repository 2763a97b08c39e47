"""Locate the peer interpreter (pymsprog 1.0.7 lives in its own venv: it pins numpy<2)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[3]


def find_peer_python() -> Path | None:
    env = os.environ.get("MSSTEM_PEER_PYTHON")
    candidate = Path(env) if env else REPO_ROOT / ".venv-peer" / "bin" / "python"
    return candidate if candidate.exists() else None


@pytest.fixture(scope="session")
def peer_python() -> Path:
    """The peer interpreter; skip (fail under CI) when it is not installed."""
    found = find_peer_python()
    if found is None:
        reason = (
            "pymsprog peer environment not found: set MSSTEM_PEER_PYTHON or run `make peer` "
            "(creates .venv-peer with pymsprog 1.0.7)"
        )
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    probe = subprocess.run(
        [str(found), "-c", "import pymsprog"], capture_output=True, text=True, check=False
    )
    if probe.returncode != 0:
        reason = f"{found} cannot import pymsprog: {probe.stderr.strip().splitlines()[-1:]}"
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    return found


@pytest.fixture(scope="session")
def toy_data(peer_python: Path) -> tuple[Path, Path]:
    """pymsprog's shipped toy CSVs (read from the peer install, not copied into the repo)."""
    out = subprocess.run(
        [str(peer_python), "-c",
         "import pymsprog, pathlib; print(pathlib.Path(pymsprog.__file__).parent / 'data')"],
        capture_output=True, text=True, check=True,
    )
    data = Path(out.stdout.strip())
    return data / "MSprog_toydata_visits.csv", data / "MSprog_toydata_relapses.csv"
