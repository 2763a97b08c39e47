"""The one error shape, and the one handler that produces it.

Every 4xx (and the rare 5xx) leaves the app as::

    {"error": {"code": "invalid_input", "message": "<one line naming the field>", "field": "edss"}}

API clients (``/api/...`` or anything not asking for HTML) get that JSON; a browser
on a page gets the same code and message on an HTML page with the same status.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from typing import Any

from fastapi import FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import ClientDisconnect

from msstem.base import as_json, describe_validation_error
from msstem.errors import (
    EvidenceError,
    InputError,
    MsstemError,
    NotFoundError,
    StorageError,
)

#: Location parts of FastAPI's errors that are not field names.
_NOT_NAMES = ("body", "query", "path")

__all__ = [
    "ERROR_CODES",
    "BodyInputError",
    "CsrfError",
    "PayloadTooLarge",
    "RateLimited",
    "error_body",
    "install_error_handlers",
]

log = logging.getLogger("msstem.web")

#: Status -> code for errors that do not name their own code.
ERROR_CODES: dict[int, str] = {
    400: "bad_request",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "invalid_input",
    429: "rate_limited",
    500: "internal_error",
    503: "storage_unavailable",
}


class PayloadTooLarge(HTTPException):
    """The request body is over the size limit for its route.

    A FastAPI ``HTTPException`` so that FastAPI's body parsing re-raises it unchanged.
    """

    def __init__(self, size: int | None, limit: int) -> None:
        given = f"{size:,} bytes" if size is not None else f"more than {limit:,} bytes"
        super().__init__(413, f"request body: {given}; the limit is {limit:,} bytes")


class CsrfError(HTTPException):
    """A form was posted without the token from this site's own page."""

    def __init__(self) -> None:
        super().__init__(
            403,
            "csrf: the form was not sent from this site's page, or it has expired; "
            "reload the page and try again",
        )


class BodyInputError(HTTPException):
    """A JSON body that breaks a reading limit or repeats a key (422, naming the field).

    A FastAPI ``HTTPException`` so that FastAPI's body reading re-raises it unchanged
    (anything else there becomes a bare 400 without a field)."""

    def __init__(self, message: str, field: str | None) -> None:
        super().__init__(422, message)
        self.field = field


class RateLimited(HTTPException):
    """Too many expensive requests (PDFs) from one client in a short time."""

    def __init__(self, what: str, retry_after: int) -> None:
        super().__init__(
            429, f"{what}: too many requests; try again in {retry_after} seconds",
            headers={"Retry-After": str(retry_after)},
        )


def _encodable(text: str) -> str:
    # A lone surrogate from a request cannot be written as UTF-8: show it as \udXXX.
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def error_body(code: str, message: str, field: str | None = None) -> dict[str, Any]:
    text = _encodable(" ".join(message.split()))
    if len(text) > 300:  # a safety net: messages are written to stay well below
        text = text[:299] + "…"
    return {"error": {"code": code, "message": text,
                      "field": None if field is None else _encodable(field)[:200]}}


def _allowed_methods(request: Request, first: str) -> list[str]:
    """Every method any route on this path answers (``app.state.route_methods``)."""
    methods = {m.strip() for m in first.split(",") if m.strip()}
    path = request.scope.get("path", "")
    for regex, route_methods in getattr(request.app.state, "route_methods", ()):
        if regex.match(path):
            methods |= route_methods
    return sorted(methods)


def _wants_html(request: Request) -> bool:
    if request.url.path.startswith("/api/") or request.url.path == "/openapi.json":
        return False
    return "text/html" in request.headers.get("accept", "")


def install_error_handlers(app: FastAPI, render_error_page: Callable[..., str]) -> None:
    """Register the one handler for every error type the app can raise."""

    def respond(
        request: Request, status: int, code: str, message: str, field: str | None,
        headers: Mapping[str, str] | None = None,
    ) -> Response:
        body = error_body(code, message, field)
        if _wants_html(request):
            html = render_error_page(request=request, status=status, error=body["error"])
            return HTMLResponse(html, status_code=status, headers=headers)
        return JSONResponse(body, status_code=status, headers=headers)

    async def handle(request: Request, exc: Exception) -> Response:
        if isinstance(exc, CsrfError):
            return respond(request, 403, "csrf_failed", str(exc.detail), "csrf")
        if isinstance(exc, PayloadTooLarge):
            return respond(request, 413, "payload_too_large", str(exc.detail), "body")
        if isinstance(exc, BodyInputError):
            return respond(request, 422, "invalid_input", str(exc.detail), exc.field)
        if isinstance(exc, ClientDisconnect):
            # The client went away (or was cut off by a read time limit): nobody to answer.
            return Response(status_code=400)
        if isinstance(exc, StorageError):
            log.error("saved summaries: %s", exc)
            return respond(request, 503, "storage_unavailable", str(exc), None)
        if isinstance(exc, InputError):
            return respond(request, 422, "invalid_input", str(exc), exc.field)
        if isinstance(exc, NotFoundError):
            return respond(request, 404, "not_found", str(exc), None)
        if isinstance(exc, RequestValidationError):
            errors = exc.errors()
            first = errors[0] if errors else {"type": "value_error", "loc": (),
                                              "msg": "invalid request"}
            field, message = describe_validation_error(
                first, noun="field", show=as_json, skip_loc=_NOT_NAMES, root="body",
                root_hint="send a JSON object with Content-Type application/json",
                given_suffix=False,
            )
            return respond(request, 422, "invalid_input", message, field or "body")
        if isinstance(exc, StarletteHTTPException):
            status = exc.status_code
            code = ERROR_CODES.get(status, "http_error")
            default = {404: "path: no such page", 405: "method: not allowed on this path"}
            detail = str(exc.detail) if exc.detail else ""
            # Starlette's own details ("Not Found") are replaced by a line naming what is wrong.
            starlette_default = detail in {"Not Found", "Method Not Allowed"}
            message = default.get(status, detail) if starlette_default else detail
            # Keep the exception's headers: a 405 carries the route's ``Allow`` list (a set
            # in Starlette, so sorted here to read the same on every run).
            headers = dict(exc.headers or {})
            if status == 405:
                # Starlette lists only the first matching route's methods; a path with a GET
                # and a POST route must list both (as the OpenAPI schema does).
                headers["Allow"] = ", ".join(_allowed_methods(request, headers.get("Allow", "")))
            return respond(request, status, code, message or code, None, headers)
        if isinstance(exc, EvidenceError | MsstemError):
            log.error("evidence or internal error: %s", exc.__class__.__name__)
            return respond(request, 500, "internal_error", "server: internal error", None)
        log.exception("unhandled error")  # pragma: no cover - defensive
        return respond(request, 500, "internal_error", "server: internal error", None)

    for exc_type in (
        MsstemError,
        RequestValidationError,
        StarletteHTTPException,
        Exception,
    ):
        app.add_exception_handler(exc_type, handle)
