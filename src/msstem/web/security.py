"""One pure-ASGI middleware: security headers, request size limits, a data-free access log.

Pure ASGI (not ``BaseHTTPMiddleware``) keeps the per-request cost to a few dict
operations, which matters for the options page's throughput target.

* Headers: a strict Content-Security-Policy (scripts only from this origin, no inline
  script, no ``unsafe-inline``), ``nosniff``, ``Referrer-Policy: no-referrer``,
  ``frame-ancestors 'none'``, a Permissions-Policy that switches off device APIs, and
  ``Cache-Control: no-store`` on everything except static files (pages carry answers).
* Size: a body over the route's limit raises :class:`~msstem.web.errors.PayloadTooLarge`
  when the route reads it, so the one error handler answers 413.
* HEAD: the answer's body is dropped here, whatever the route wrote, so a HEAD gets
  the GET's status and headers (``Content-Length`` included) and nothing else.
* Host: a request whose ``Host`` header names none of the configured names
  (:meth:`~msstem.web.settings.WebSettings.host_names`) gets 400 ``invalid_host`` before
  any route runs. A page on another site that resolves its own name to 127.0.0.1 (DNS
  rebinding) then cannot read this aid's pages or post to it.
* Log: method, the matched route *template* (``/s/{token}``, never the real path or
  query string), status and milliseconds. Bodies are never logged.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from msstem.web.errors import PayloadTooLarge

__all__ = ["CSP", "SECURITY_HEADERS", "SecurityMiddleware", "host_name"]

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

access_log = logging.getLogger("msstem.web.access")

CSP = "; ".join(
    [
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "form-action 'self'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
    ]
)

SECURITY_HEADERS: tuple[tuple[bytes, bytes], ...] = (
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (
        b"permissions-policy",
        b"camera=(), microphone=(), geolocation=(), payment=(), usb=(), "
        b"accelerometer=(), gyroscope=(), magnetometer=()",
    ),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
)
_NO_STORE = (b"cache-control", b"no-store")
_STATIC_CACHE = (b"cache-control", b"public, max-age=3600")


class SecurityMiddleware:
    """Wraps the app; ``limit_for(path)`` gives the body limit in bytes for a path."""

    def __init__(
        self, app: ASGIApp, *, limit_for: Callable[[str], int], log_requests: bool = True,
        allowed_hosts: frozenset[str] | None = None,
    ) -> None:
        self.app = app
        self.limit_for = limit_for
        self.log_requests = log_requests
        self.allowed_hosts = allowed_hosts  # None: any Host

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        if self.allowed_hosts is not None and not self._host_allowed(scope):
            await _send_error(send, 400, "invalid_host",
                              "host: this server does not answer to that name; open it at "
                              "the address msstem serve printed", "host")
            if self.log_requests:
                access_log.info("%s <invalid host> 400", scope.get("method", "-"))
            return
        path: str = scope.get("path", "")
        limit = self.limit_for(path)
        declared = _content_length(scope)
        received = 0
        status_holder = [0]
        is_static = path.startswith("/static/")
        is_head = scope.get("method") == "HEAD"

        async def limited_receive() -> Message:
            nonlocal received
            if declared is not None and declared > limit:
                raise PayloadTooLarge(declared, limit)
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise PayloadTooLarge(None, limit)
            return message

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                status_holder[0] = message["status"]
                headers = [
                    (k, v)
                    for k, v in message.get("headers", [])
                    if k.lower() != b"cache-control" or is_static
                ]
                headers.extend(SECURITY_HEADERS)
                headers.append(_STATIC_CACHE if is_static else _NO_STORE)
                message["headers"] = headers
            elif is_head and message["type"] == "http.response.body" and message.get("body"):
                message = {**message, "body": b""}
            await send(message)

        try:
            await self.app(scope, limited_receive, send_with_headers)
        finally:
            if self.log_requests:
                route = scope.get("route")
                template = getattr(route, "path", None) or "<unmatched>"
                access_log.info(
                    "%s %s %d %.1fms",
                    scope.get("method", "-"),
                    template,
                    status_holder[0],
                    (time.perf_counter() - started) * 1000,
                )


    def _host_allowed(self, scope: Scope) -> bool:
        assert self.allowed_hosts is not None
        hosts = [v for k, v in scope.get("headers", []) if k == b"host"]
        if not hosts:
            return True  # HTTP/1.0 without Host: nothing to rebind
        if len(hosts) > 1:
            return False
        return host_name(hosts[0]) in self.allowed_hosts


def host_name(header: bytes) -> str:
    """The name in a Host header, lowercased, without the port (``[::1]`` keeps brackets)."""
    text = header.decode("latin-1").strip().lower()
    if text.startswith("["):
        end = text.find("]")
        return text[: end + 1] if end > 0 else text
    return text.rsplit(":", 1)[0] if text.count(":") == 1 else text


async def _send_error(send: Send, status: int, code: str, message: str, field: str) -> None:
    body = json.dumps({"error": {"code": code, "message": message, "field": field}}).encode()
    headers = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(body)).encode()),
        *SECURITY_HEADERS,
        _NO_STORE,
    ]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def _content_length(scope: Scope) -> int | None:
    for key, value in scope.get("headers", []):
        if key == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None
