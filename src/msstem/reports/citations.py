"""Numbered citation notes: one source list per page, strongest source first.

A page asks :class:`Notes` for the numbers of the sources behind each statement; the
numbers are given in first-cited order and the page ends with one list. Within one
statement the strongest source comes first (a trial, a pooled analysis, a guideline, a
regulator; a consumer page last). Links go to the DOI, PubMed, the trial registry or a
regulator's own page, never to a mirror copy where the text happened to be read. A
commercial page never stands alone behind a statement: such a statement is marked.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Final
from urllib.parse import quote

from msstem.evidence import EvidenceBase
from msstem.evidence.models import Source

__all__ = ["COMMERCIAL_SOURCES", "KIND_RANK", "Notes", "links_for"]

#: Strongest first.
KIND_RANK: Final = {
    "trial": 0, "meta-analysis": 1, "guideline": 2, "regulator": 3, "registry": 4,
    "cohort": 5, "review": 6, "software": 7, "secondary": 8, "seed": 9,
}
#: Sources that sell something: never the only support for a statement.
COMMERCIAL_SOURCES: Final = frozenset({"seed-002"})
#: Kinds whose own web address is the authority (not a copy of a paper).
_OWN_PAGE_KINDS: Final = frozenset({"regulator", "guideline", "registry"})


def is_copy(source: Source) -> bool:
    """True when the source's web address is a copy of the page (its ``read_at`` says
    "<that address> copy"), not the regulator's or body's own page: never linked."""
    url = (source.url or "").strip().removeprefix("https://").removeprefix("http://")
    host = url.split("/")[0].removeprefix("www.")
    read_at = (source.read_at or "").lower()
    return bool(host) and any(part.strip().startswith(host.lower()) and "copy" in part
                              for part in read_at.split(";"))


def links_for(source: Source) -> list[dict[str, str]]:
    """DOI, PubMed and registry links; the web address only for a regulator's (or a
    guideline body's or registry's) own page when no DOI or PMID exists."""
    out: list[dict[str, str]] = []
    if source.doi:
        out.append({"text": f"DOI {source.doi}",
                    "href": "https://doi.org/" + quote(source.doi, safe="/")})
    if source.pmid:
        out.append({"text": f"PubMed {source.pmid}",
                    "href": f"https://pubmed.ncbi.nlm.nih.gov/{source.pmid}/"})
    for reg in source.registry_ids:
        if reg.upper().startswith("NCT"):
            out.append({"text": reg, "href": f"https://clinicaltrials.gov/study/{quote(reg)}"})
        elif reg.upper().startswith("ISRCTN"):
            out.append({"text": reg, "href": f"https://www.isrctn.com/{quote(reg)}"})
    url = (source.url or "").strip()
    if (not out and source.kind in _OWN_PAGE_KINDS and url and not is_copy(source)
            and "..." not in url
            and "\u2026" not in url and " " not in url and "." in url.split("/")[0]):
        href = url if url.startswith(("https://", "http://")) else "https://" + url
        out.append({"text": "web page", "href": href})
    return out


class Notes:
    """The numbered notes of one page."""

    def __init__(self, evidence: EvidenceBase) -> None:
        self._evidence = evidence
        self._numbers: dict[str, int] = {}

    def _order(self, ids: Iterable[str]) -> list[str]:
        known = [i for i in dict.fromkeys(ids) if i in self._evidence.sources]
        return sorted(known, key=lambda i: KIND_RANK.get(self._evidence.sources[i].kind, 10))

    def ref(self, ids: Iterable[str]) -> dict[str, Any]:
        """The note numbers for one statement, and whether it rests on a commercial page only."""
        ordered = self._order(ids)
        numbers = []
        for sid in ordered:
            if sid not in self._numbers:
                self._numbers[sid] = len(self._numbers) + 1
            numbers.append(self._numbers[sid])
        commercial_only = bool(ordered) and all(s in COMMERCIAL_SOURCES for s in ordered)
        return {"n": numbers, "commercial_only": commercial_only}

    def listing(self) -> list[dict[str, Any]]:
        """The page's source list, in note order."""
        out = []
        for sid, n in sorted(self._numbers.items(), key=lambda kv: kv[1]):
            s = self._evidence.sources[sid]
            out.append({"n": n, "id": sid, "label": s.label, "citation": s.citation,
                        "year": s.year, "kind": s.kind, "links": links_for(s),
                        "caution": s.caution,
                        "commercial": sid in COMMERCIAL_SOURCES})
        return out
