"""The one way tests reach the shared source material beside the repository.

CI lays the repository out as ``<root>/<repo>`` next to ``<root>/shared`` (the seeds, the
evidence notes, the per-study data), so tests find them at ``../shared/...`` relative to the
repository, never by absolute path. Where the folder is absent (a bare clone), tests that
need it skip; in CI (``CI=true``) they fail instead, so the golden checks cannot silently
stop running.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
SHARED = REPO_ROOT.parent / "shared"


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


def _missing(relative: str) -> str:
    return (f"../shared/{relative} is not beside the repository (CI lays it out as "
            "<root>/shared next to the clone)")


def find_shared(relative: str) -> Path | None:
    """``../shared/<relative>``, or ``None`` where it is absent; in CI, absence is an error.

    For module-level use (``skipif`` conditions, parametrize lists).
    """
    path = SHARED / relative
    if path.exists():
        return path
    if in_ci():
        raise RuntimeError(_missing(relative))
    return None


def require_shared(relative: str) -> Path:
    """``../shared/<relative>`` inside a test or fixture: skips where absent, fails in CI."""
    path = SHARED / relative
    if path.exists():
        return path
    if in_ci():
        pytest.fail(_missing(relative))
    pytest.skip(_missing(relative))
