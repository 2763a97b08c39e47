"""The labelled corpus of real pages (``tests/offers/corpus/pages``) and its fixed split.

A page is held out for testing when ``int(sha256(url)[:8], 16) % 4 == 0`` (about a quarter);
see the corpus README. Nothing here may depend on a page's content or on detector output.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import yaml

PAGES = Path(__file__).resolve().parent / "corpus" / "pages"

Split = Literal["dev", "test", "fresh"]
Kind = Literal["clinic", "legitimate"]
_KEYS = {"url", "read", "language", "kind", "about", "labels", "paraphrase"}


#: Pages added in a second round of searches, after the hash-split test set had been used;
#: their paraphrases and labels were written before the checker ran on them, and they are a
#: fresh held-out set (see the corpus README).
FRESH: frozenset[str] = frozenset({
    "plexusnc-ms", "orientpublication-nutech", "biospectrum-nutech", "stemrx-cured",
    "biocord-ensayos", "neurologiacastellon-turismo", "meneame-clinic", "eluniverso-cart",
    "globalregenerative-complications", "stemcellpioneers-eurostemcell",
})


def split_of(url: str) -> Split:
    """The fixed split of a page: "test" for about a quarter of URLs, by hash."""
    digest = hashlib.sha256(url.encode("utf-8")).hexdigest()
    return "test" if int(digest[:8], 16) % 4 == 0 else "dev"


@dataclass(frozen=True)
class Page:
    name: str
    url: str
    read: str
    language: str
    kind: Kind
    about: str
    text: str
    labels: dict[str, str] = field(default_factory=dict)

    @property
    def split(self) -> Split:
        return "fresh" if self.name in FRESH else split_of(self.url)


def _load(path: Path) -> Page:
    data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    if set(data) != _KEYS:
        raise ValueError(f"{path.name}: keys {sorted(data)}; expected {sorted(_KEYS)}")
    return Page(
        name=path.stem,
        url=str(data["url"]),
        read=str(data["read"]),
        language=str(data["language"]),
        kind=data["kind"],
        about=str(data["about"]),
        text=str(data["paraphrase"]),
        labels=dict(data["labels"] or {}),
    )


def load_pages(split: Split | None = None) -> list[Page]:
    pages = [_load(p) for p in sorted(PAGES.glob("*.yaml"))]
    return [p for p in pages if split is None or p.split == split]


def by_kind(pages: Iterable[Page], kind: Kind) -> list[Page]:
    return [p for p in pages if p.kind == kind]
