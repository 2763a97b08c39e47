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

from msstem.base import as_json, describe_validation_error
from msstem.errors import EvidenceError, InputError, MsstemError, NotFoundError

#: Location parts of FastAPI's errors that are not field names.
_NOT_NAMES = ("body", "query", "path")

__all__ = [
    "ERROR_CODES",
    "CsrfError",
    "PayloadTooLarge",
    "error_body",
    "install_error_handlers",
    "validation_message",
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
    500: "internal_error",
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


def error_body(code: str, message: str, field: str | None = None) -> dict[str, Any]:
    return {"error": {"code": code, "message": " ".join(message.split()), "field": field}}


def validation_message(exc: RequestValidationError) -> tuple[str, str]:
    """(field, one-line message) for the first problem FastAPI found in a request."""
    errors = exc.errors()
    if not errors:
        return "body", "body: invalid request"
    err = errors[0]
    loc = [str(p) for p in err.get("loc", ()) if p not in _NOT_NAMES]
    kind = err.get("type", "")
    if kind == "json_invalid":
        return "body", "body: not valid JSON; send a JSON object with Content-Type application/json"
    if loc == [] and kind in {"dict_type", "model_attributes_type"}:
        return "body", "body: expected a JSON object (Content-Type application/json)"
    _, message = describe_validation_error(err, skip_loc=_NOT_NAMES, noun="field",
                                           show=as_json, given_suffix=False)
    if not loc:
        return "body", f"body: {message}"
    return loc[-1], message


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
        if isinstance(exc, InputError):
            return respond(request, 422, "invalid_input", str(exc), exc.field)
        if isinstance(exc, NotFoundError):
            return respond(request, 404, "not_found", str(exc), None)
        if isinstance(exc, RequestValidationError):
            field, message = validation_message(exc)
            return respond(request, 422, "invalid_input", message, field)
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
            if "Allow" in headers:
                headers["Allow"] = ", ".join(sorted(m.strip() for m in headers["Allow"].split(",")))
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
