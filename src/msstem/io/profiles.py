"""Profile files: read a JSON file and validate it as a :class:`~msstem.clinical.Profile`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from msstem.clinical.profile import Profile, parse_profile
from msstem.errors import ProfileError

__all__ = ["load_profile"]


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    # json.loads keeps the last of two equal keys silently; a health profile must not.
    seen: dict[str, Any] = {}
    for key, value in pairs:
        if key in seen:
            raise ProfileError(
                f"{key}: given twice in the profile file; give each field once", field=key
            )
        seen[key] = value
    return seen


def load_profile(path: str | Path) -> Profile:
    """Read and validate a profile JSON file."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ProfileError(f"profile file {str(p)!r} does not exist", field="profile") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ProfileError(
            f"profile file {str(p)!r} cannot be read: {exc.__class__.__name__}", field="profile"
        ) from None
    try:
        data = json.loads(text, object_pairs_hook=_no_duplicate_keys)
    except json.JSONDecodeError as exc:
        raise ProfileError(
            f"profile file {str(p)!r} is not valid JSON: {exc.msg} at line {exc.lineno} "
            f"column {exc.colno}",
            field="profile",
        ) from None
    return parse_profile(data)
