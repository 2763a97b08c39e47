"""docs/profile.md documents every profile field and every HCT-CI item id."""

from __future__ import annotations

from pathlib import Path

from msstem.clinical.hctci import HCTCI_ITEMS
from msstem.decision import MS_COURSES, Profile


def test_profile_doc_lists_every_field_course_and_item(repo_root: Path) -> None:
    doc = (repo_root / "docs" / "profile.md").read_text(encoding="utf-8")
    for name in Profile.model_fields:
        assert f"| `{name}` |" in doc, name
    for course in MS_COURSES:
        assert f"`{course}`" in doc
    for item in HCTCI_ITEMS.values():
        assert f"| `{item.id}` | {item.weight} |" in doc, item.id
