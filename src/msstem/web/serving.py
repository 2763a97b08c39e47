"""uvicorn glue for ``msstem serve``: an HTTP protocol that always sets TCP_NODELAY.

With ``--workers N > 1`` uvicorn binds the listening socket itself with protocol 0, and
asyncio then skips TCP_NODELAY on accepted connections (it only sets it when the socket
says IPPROTO_TCP). Small responses then wait for the client's delayed ACK: about 40 ms
each, capping a connection at ~25 requests/s. Setting the option per connection fixes it.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket

from uvicorn.protocols.http.h11_impl import H11Protocol

__all__ = ["NoDelayH11Protocol"]


class NoDelayH11Protocol(H11Protocol):
    """uvicorn's h11 protocol, with Nagle's algorithm switched off on every connection."""

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        sock = transport.get_extra_info("socket")
        if sock is not None and sock.family in (socket.AF_INET, socket.AF_INET6):
            with contextlib.suppress(OSError):
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        super().connection_made(transport)
