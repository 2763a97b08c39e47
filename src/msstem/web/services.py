"""The library calls behind the web pages, with the caches that make pages fast.

Routes stay thin: they parse, call these, and render. The assessment of a profile
and the rendered options page are cached per profile (keyed by the profile's
canonical JSON, kept only in process memory, never written anywhere): the
assessment is pure, so the same profile always gives the same page.
"""

from __future__ import annotations

import gzip
import json
from collections import OrderedDict
from collections.abc import Callable
from functools import cached_property
from typing import Any, Generic, TypeVar

import orjson

from msstem.clinical.profile import Profile
from msstem.decision import Assessment, assess
from msstem.evidence import EvidenceBase, load_evidence
from msstem.offers import MAX_OFFER_CHARS, OfferCheck, check_offer
from msstem.reports.document import as_document

__all__ = ["CachedPage", "LruCache", "Services", "profile_key"]

T = TypeVar("T")


def profile_key(profile: Profile) -> str:
    """Canonical JSON of the known fields: equal profiles give equal keys."""
    return json.dumps(profile.known_fields(), sort_keys=True, separators=(",", ":"))


class LruCache(Generic[T]):
    """A small bounded LRU map (functools.lru_cache cannot be sized per app instance)."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._data: OrderedDict[str, T] = OrderedDict()

    def get_or_make(self, key: str, make: Callable[[], T]) -> T:
        try:
            value = self._data[key]
        except KeyError:
            value = make()
            if self.size > 0:
                self._data[key] = value
                if len(self._data) > self.size:
                    self._data.popitem(last=False)
            return value
        self._data.move_to_end(key)
        return value

    def __len__(self) -> int:
        return len(self._data)


class CachedPage:
    """A rendered page kept as UTF-8 bytes and gzip bytes (compressed once, served many
    times). Only pages without a CSRF token or echoed input are cached, so compressing
    them cannot leak a secret (BREACH)."""

    __slots__ = ("body", "gzipped")

    def __init__(self, html: str) -> None:
        self.body = html.encode("utf-8")
        self.gzipped = gzip.compress(self.body, compresslevel=6)


class Services:
    """Evidence, cached assessments and the offer checker for one app instance."""

    max_offer_chars: int = MAX_OFFER_CHARS
    profile_key = staticmethod(profile_key)

    def __init__(self, cache_size: int = 1024) -> None:
        self._assessments: LruCache[Assessment] = LruCache(cache_size)
        self.pages: LruCache[Any] = LruCache(cache_size)

    @cached_property
    def evidence(self) -> EvidenceBase:
        return load_evidence()

    def assessment(self, profile: Profile) -> Assessment:
        return self._assessments.get_or_make(
            profile_key(profile), lambda: assess(profile, self.evidence)
        )

    def assessment_json(self, profile: Profile) -> bytes:
        """The ``msstem assess --format json`` document for ``profile``, as UTF-8 JSON (the
        same document as the CLI's; compact, encoded with orjson: ~0.3 ms, not ~3 ms)."""
        data: bytes = self.pages.get_or_make(
            "assess-json:" + profile_key(profile),
            lambda: orjson.dumps(as_document(self.assessment(profile))),
        )
        return data

    def check_offer(self, text: str) -> OfferCheck:
        return check_offer(text)

    def source_label(self, source_id: str) -> str:
        sources = self.evidence.sources
        return sources[source_id].label if source_id in sources else source_id
