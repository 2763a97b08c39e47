"""uvicorn glue for ``msstem serve``: an HTTP protocol that sheds slow clients.

uvicorn alone closes an idle *kept-alive* connection (``timeout_keep_alive``), but it has
no time limit for reading a request: a new connection that sends nothing, a request line
sent a byte at a time, headers one every 2 s or a body at 10 bytes/s each hold a
connection (and its memory) for as long as the client likes, and 1,000 such connections
exhaust a server. uvicorn's
``limit_concurrency`` only answers 503 once a whole request has arrived, so parked
connections are never counted against it.

:class:`GuardedHttpToolsProtocol` is uvicorn's httptools protocol (a C parser: about a
millisecond less per request than h11, which matters at hundreds of requests a second) with
four limits per connection
(the values come from :class:`~msstem.web.settings.WebSettings`, so from ``MSSTEM_*``
variables in every worker process):

* **request head** (``request_head_timeout``): from the moment the connection opens (or
  the first byte of the next request on a kept-alive connection) to the end of the
  headers. Covers idle connections, partial request lines and slow headers. Over it: a
  ``408 Request Timeout`` and the connection is closed.
* **request body** (``request_body_timeout``): from the end of the headers to the end of
  the body. Over it: 408 (if the app has not answered yet) and closed; the app sees a
  client disconnect.
* **connections** (``max_connections`` per worker): a connection over the cap gets
  ``503`` and is closed at once, before any of it is read.
* **request head size** (:data:`MAX_HEAD_BYTES`): a request line and headers still
  incomplete after that many bytes get ``431`` and the connection is closed (h11 had this
  limit built in; httptools has none).

It also sets TCP_NODELAY on every connection: with ``--workers N > 1`` uvicorn binds the
listening socket itself with protocol 0, and asyncio then skips TCP_NODELAY on accepted
connections, so small responses waited ~40 ms for the client's delayed ACK.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import socket
from dataclasses import dataclass
from typing import ClassVar, Final

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

__all__ = ["MAX_HEAD_BYTES", "GuardedHttpToolsProtocol", "NoDelayHttpToolsProtocol",
           "ServerLimits"]

log = logging.getLogger("msstem.web.serving")


@dataclass(frozen=True, slots=True)
class ServerLimits:
    """Per-connection limits of :class:`GuardedHttpToolsProtocol` (seconds, connections)."""

    request_head_timeout: float
    request_body_timeout: float
    max_connections: int

    @classmethod
    def from_settings(cls) -> ServerLimits:
        from msstem.web.settings import WebSettings

        s = WebSettings()
        return cls(s.request_head_timeout, s.request_body_timeout, s.max_connections)


def _plain_response(status: str, text: str) -> bytes:
    body = text.encode("ascii")
    return (
        f"HTTP/1.1 {status}\r\ncontent-type: text/plain; charset=utf-8\r\n"
        f"content-length: {len(body)}\r\nconnection: close\r\n\r\n"
    ).encode("ascii") + body


_TIMEOUT_408 = _plain_response("408 Request Timeout", "Request not received in time.\n")
_BUSY_503 = _plain_response("503 Service Unavailable", "Too many connections; try again.\n")
_HEAD_431 = _plain_response("431 Request Header Fields Too Large",
                            "Request line and headers too large.\n")
#: Largest request line + headers accepted (the 16 KiB uvicorn's h11 allowed).
MAX_HEAD_BYTES: Final = 16 * 1024


class NoDelayHttpToolsProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol, with Nagle's algorithm switched off on every connection."""

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        sock = transport.get_extra_info("socket")
        if sock is not None and sock.family in (socket.AF_INET, socket.AF_INET6):
            with contextlib.suppress(OSError):
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        super().connection_made(transport)


class GuardedHttpToolsProtocol(NoDelayHttpToolsProtocol):
    """:class:`NoDelayHttpToolsProtocol` with read time limits, a head size limit and a
    connection cap (see module).

    The parser's callbacks move the connection through four states: ``head`` (from the
    first byte, or the connection's opening, to the end of the headers), ``body`` (to the
    end of the body), ``app`` (the request is in; the app takes its time) and ``idle``
    (between requests: uvicorn's keep-alive timer runs).
    """

    #: Limits for every connection; None = read from the settings on first use (per process).
    limits: ClassVar[ServerLimits | None] = None

    _read_timer: asyncio.TimerHandle | None = None
    _state: str = "idle"
    _head_bytes: int = 0

    @classmethod
    def _limits(cls) -> ServerLimits:
        if cls.limits is None:
            cls.limits = ServerLimits.from_settings()
        return cls.limits

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        limits = self._limits()
        if len(self.connections) > limits.max_connections:
            log.debug("connection refused: over %d connections", limits.max_connections)
            transport.write(_BUSY_503)
            transport.close()
            return
        self._enter("head", limits.request_head_timeout)

    def data_received(self, data: bytes) -> None:
        if self._state == "idle":
            # Part of the next request head is here: the clock runs until the rest is.
            self._enter("head", self._limits().request_head_timeout)
        super().data_received(data)
        if self._state == "head" and not self.transport.is_closing():
            self._head_bytes += len(data)
            if self._head_bytes > MAX_HEAD_BYTES:
                log.debug("connection closed: request head over %d bytes", MAX_HEAD_BYTES)
                self._stop()
                self.transport.write(_HEAD_431)
                self.transport.close()

    def on_message_begin(self) -> None:
        super().on_message_begin()
        if self._state != "head":
            self._enter("head", self._limits().request_head_timeout)

    def on_headers_complete(self) -> None:
        super().on_headers_complete()
        # A request without a body completes at once (on_message_complete follows).
        self._enter("body", self._limits().request_body_timeout)

    def on_message_complete(self) -> None:
        super().on_message_complete()
        self._stop()
        self._state = "app"

    def on_response_complete(self) -> None:
        super().on_response_complete()
        if self._state == "app":
            self._state = "idle"  # nothing of the next request has arrived yet

    def connection_lost(self, exc: Exception | None) -> None:
        self._stop()
        super().connection_lost(exc)

    # --- the read timer -------------------------------------------------------------

    def _enter(self, state: str, seconds: float) -> None:
        self._stop()
        self._state = state
        self._head_bytes = 0
        self._read_timer = self.loop.call_later(seconds, self._timed_out, state)

    def _stop(self) -> None:
        if self._read_timer is not None:
            self._read_timer.cancel()
            self._read_timer = None

    def _timed_out(self, phase: str) -> None:
        self._read_timer = None
        self._state = "idle"
        if self.transport.is_closing():
            return
        log.debug("connection closed: request %s not received in time", phase)
        cycle = getattr(self, "cycle", None)
        answered = cycle is not None and cycle.response_started
        if cycle is not None and not cycle.response_complete:
            cycle.disconnected = True
            cycle.message_event.set()
        if not answered:
            self.transport.write(_TIMEOUT_408)
        self.transport.close()
