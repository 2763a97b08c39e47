"""uvicorn glue for ``msstem serve``: an HTTP protocol that sheds slow clients.

uvicorn alone closes an idle *kept-alive* connection (``timeout_keep_alive``) and caps
header size (``h11_max_incomplete_event_size``), but it has no time limit for reading a
request: a new connection that sends nothing, a request line sent a byte at a time,
headers one every 2 s or a body at 10 bytes/s each hold a connection (and its memory)
for as long as the client likes, and 1,000 such connections exhaust a server. uvicorn's
``limit_concurrency`` only answers 503 once a whole request has arrived, so parked
connections are never counted against it.

:class:`GuardedH11Protocol` is uvicorn's h11 protocol with three limits per connection
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
from typing import ClassVar

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

__all__ = ["GuardedH11Protocol", "NoDelayH11Protocol", "ServerLimits"]

log = logging.getLogger("msstem.web.serving")


@dataclass(frozen=True, slots=True)
class ServerLimits:
    """Per-connection limits of :class:`GuardedH11Protocol` (seconds, connections)."""

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


class NoDelayH11Protocol(H11Protocol):
    """uvicorn's h11 protocol, with Nagle's algorithm switched off on every connection."""

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        sock = transport.get_extra_info("socket")
        if sock is not None and sock.family in (socket.AF_INET, socket.AF_INET6):
            with contextlib.suppress(OSError):
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        super().connection_made(transport)


class GuardedH11Protocol(NoDelayH11Protocol):
    """:class:`NoDelayH11Protocol` with read time limits and a connection cap (see module)."""

    #: Limits for every connection; None = read from the settings on first use (per process).
    limits: ClassVar[ServerLimits | None] = None

    _read_timer: asyncio.TimerHandle | None = None
    _phase: str = ""  # "head", "body" or "" (no read in progress)

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
        self._start("head", limits.request_head_timeout)

    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        self._follow_state(just_received=True)

    def on_response_complete(self) -> None:
        super().on_response_complete()
        self._follow_state(just_received=False)

    def connection_lost(self, exc: Exception | None) -> None:
        self._stop()
        super().connection_lost(exc)

    # --- the read timer -------------------------------------------------------------

    def _follow_state(self, *, just_received: bool) -> None:
        if self.transport is None or self.transport.is_closing():
            self._stop()
            return
        state = self.conn.their_state
        limits = self._limits()
        if state is h11.IDLE:
            if just_received or self.conn.trailing_data[0]:
                # Part of a request head is here: the clock runs until the rest is.
                if self._phase != "head":
                    self._start("head", limits.request_head_timeout)
            else:
                # Between requests with nothing buffered: uvicorn's keep-alive timer.
                self._stop()
        elif state is h11.SEND_BODY:
            if self._phase != "body":
                self._start("body", limits.request_body_timeout)
        else:  # DONE, MUST_CLOSE, CLOSED, ERROR: the request is in; the app takes its time
            self._stop()

    def _start(self, phase: str, seconds: float) -> None:
        self._stop()
        self._phase = phase
        self._read_timer = self.loop.call_later(seconds, self._timed_out, phase)

    def _stop(self) -> None:
        if self._read_timer is not None:
            self._read_timer.cancel()
            self._read_timer = None
        self._phase = ""

    def _timed_out(self, phase: str) -> None:
        self._read_timer = None
        self._phase = ""
        if self.transport.is_closing():
            return
        log.debug("connection closed: request %s not received in time", phase)
        cycle = self.cycle
        answered = cycle is not None and cycle.response_started
        if cycle is not None and not cycle.response_complete:
            cycle.disconnected = True
            cycle.message_event.set()
        if not answered:
            self.transport.write(_TIMEOUT_408)
        self.transport.close()
