"""The library calls behind the web pages, with the caches that make pages fast.

Routes stay thin: they parse, call these, and render. The assessment of a profile
and the rendered options page are cached per profile (keyed by the profile's
canonical JSON, kept only in process memory, never written anywhere): the
assessment is pure, so the same profile always gives the same page.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import math
import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable, Mapping
from functools import cached_property
from typing import Any, Generic, TypeVar

import orjson

from msstem.clinical.profile import Profile
from msstem.decision import Assessment, assess
from msstem.evidence import EvidenceBase, load_evidence
from msstem.offers import MAX_OFFER_CHARS, OfferCheck, check_offer
from msstem.reports.document import as_document

__all__ = ["CachedPage", "LruCache", "RateLimiter", "Services", "profile_key"]

T = TypeVar("T")


def profile_key(profile: Profile) -> str:
    """Canonical JSON of the known fields: equal profiles give equal keys."""
    return json.dumps(profile.known_fields(), sort_keys=True, separators=(",", ":"))


class LruCache(Generic[T]):
    """A small bounded LRU map (functools.lru_cache cannot be sized per app instance).

    Thread-safe: routes run in FastAPI's thread pool. ``make`` runs outside the lock (two
    threads may both make a missing value; both are equal, one is kept)."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._data: OrderedDict[str, T] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str) -> T | None:
        with self._lock:
            value = self._data.get(key)
            if value is not None:
                self._data.move_to_end(key)
            return value

    def put(self, key: str, value: T) -> None:
        if self.size <= 0:
            return
        with self._lock:
            self._data[key] = value
            self._data.move_to_end(key)
            while len(self._data) > self.size:
                self._data.popitem(last=False)

    def get_or_make(self, key: str, make: Callable[[], T]) -> T:
        value = self.get(key)
        if value is None:
            value = make()
            self.put(key, value)
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


class RateLimiter:
    """At most ``per_minute`` events per client in any 60 s (a sliding window), for the
    expensive PDF drawing. Remembers at most ``max_clients`` clients (the least recent
    are forgotten), so a flood of addresses cannot grow it without bound."""

    WINDOW_S = 60.0

    def __init__(self, per_minute: int, max_clients: int = 10_000) -> None:
        self.per_minute = per_minute
        self.max_clients = max_clients
        self._events: OrderedDict[str, deque[float]] = OrderedDict()
        self._lock = threading.Lock()

    def check(self, client: str, now: float | None = None) -> int:
        """0 and count one event if ``client`` may go on, else the seconds to wait."""
        now = time.monotonic() if now is None else now
        with self._lock:
            events = self._events.pop(client, None) or deque()
            while events and now - events[0] >= self.WINDOW_S:
                events.popleft()
            self._events[client] = events
            while len(self._events) > self.max_clients:
                self._events.popitem(last=False)
            if len(events) >= self.per_minute:
                return max(1, math.ceil(self.WINDOW_S - (now - events[0])))
            events.append(now)
            return 0


def document_key(doc: Mapping[str, Any]) -> str:
    """SHA-256 of a summary document's canonical JSON: equal documents, equal PDFs."""
    raw = json.dumps(doc, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(raw.encode("utf-8", "surrogatepass")).hexdigest()


#: Assessments kept per worker (a person moving between pages needs one).
ASSESSMENTS_KEPT = 64


class Services:
    """Evidence, cached assessments and the offer checker for one app instance."""

    max_offer_chars: int = MAX_OFFER_CHARS
    profile_key = staticmethod(profile_key)

    def __init__(self, cache_size: int = 1024, pdf_per_minute: int = 30) -> None:
        # Assessments are object graphs (~180 objects each) that every full garbage
        # collection walks: keep the few in use; pages and JSON are cached as bytes.
        self._assessments: LruCache[Assessment] = LruCache(min(cache_size,
                                                               ASSESSMENTS_KEPT))
        self.pages: LruCache[Any] = LruCache(cache_size)
        # PDFs are ~5 KB each but cost ~0.5-1 s to draw: keep the last ones drawn.
        self._pdfs: LruCache[bytes] = LruCache(min(cache_size, 256))
        self.pdf_limiter = RateLimiter(pdf_per_minute)

    def summary_pdf(self, doc: Mapping[str, Any], client: str) -> bytes:
        """The PDF of ``doc``: from the cache, or drawn if ``client`` is within its rate.

        Raises :class:`~msstem.web.errors.RateLimited` (429) past ``pdf_per_minute``
        drawings a minute for one client; cached PDFs never count."""
        from msstem.reports.pdf import render_summary_pdf
        from msstem.web.errors import RateLimited

        key = document_key(doc)
        cached = self._pdfs.get(key)
        if cached is not None:
            return cached
        wait = self.pdf_limiter.check(client)
        if wait:
            raise RateLimited("pdf", wait)
        pdf = render_summary_pdf(doc)
        self._pdfs.put(key, pdf)
        return pdf

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
