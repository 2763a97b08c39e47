"""Source links go to the DOI, PubMed, the registry or the body's own page: never a copy."""

from __future__ import annotations

from msstem.evidence import load_evidence
from msstem.evidence.models import Source
from msstem.reports.citations import is_copy, links_for

EB = load_evidence()


def _copy_hosts(source: Source) -> set[str]:
    parts = (source.read_at or "").lower().split(";")
    return {p.strip().split()[0] for p in parts if "copy" in p and p.strip()}


def test_no_source_links_to_a_copy() -> None:
    checked = 0
    for source in EB.sources.values():
        hosts = _copy_hosts(source)
        for link in links_for(source):
            host = link["href"].split("//", 1)[-1].split("/")[0].removeprefix("www.")
            assert host not in hosts, (source.id, link)
        checked += bool(hosts)
    assert checked >= 2  # the notes read several pages through copies


def test_the_fda_2019_update_read_via_a_copy_is_not_linked() -> None:
    copy = EB.sources["fda-2019-consumer"]
    assert is_copy(copy) and links_for(copy) == []
    # The 2021 FDA page was read on fda.gov itself (copies too): its own page is linked.
    own = EB.sources["fda-2021-regenerative"]
    assert not is_copy(own)
    assert [link["href"] for link in links_for(own)] == ["https://" + str(own.url)]


def test_is_copy_boundaries() -> None:
    base = {"id": "x", "kind": "regulator", "label": "L", "citation": "C"}
    assert is_copy(Source(**base, url="mirror.example/page", read_at="mirror.example copy"))
    assert is_copy(Source(**base, url="https://www.mirror.example/p",
                          read_at="fda.gov; mirror.example copy"))
    assert not is_copy(Source(**base, url="fda.gov/page", read_at="fda.gov; other.org copy"))
    assert not is_copy(Source(**base, url="fda.gov/page"))
