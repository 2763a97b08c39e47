"""The FastAPI app factory: settings -> services, renderer, cookie codec, storage, routes."""

from __future__ import annotations

import gc
from dataclasses import dataclass
from importlib import resources

from fastapi import FastAPI
from fastapi.routing import APIRoute
from fastapi.staticfiles import StaticFiles
from markupsafe import Markup
from starlette.requests import Request

from msstem import __version__
from msstem.reports.citations import Notes
from msstem.reports.icons import icon_array_svg, icon_pattern_defs, person_symbol_defs
from msstem.web.errors import install_error_handlers
from msstem.web.render import Renderer
from msstem.web.security import SecurityMiddleware
from msstem.web.services import Services
from msstem.web.settings import WebSettings
from msstem.web.state import StateCodec
from msstem.web.storage import SummaryStore

__all__ = ["OFFER_PATHS", "WebContext", "create_app", "get_context"]

#: Routes that accept a pasted offer: their body limit leaves room for the offer
#: text limit even when every character is percent-encoded 4-byte UTF-8 (12 bytes).
OFFER_PATHS = frozenset({"/offer", "/api/offer-check"})


def icon_array(per_100: float, label: str, kind: str) -> Markup:
    """The shared report icon array (inline SVG, no script, colours as attributes)."""
    kind_ = kind if kind in ("benefit", "harm") else "other"
    return Markup(icon_array_svg(per_100, label=label, kind=kind_))  # type: ignore[arg-type]


def person_defs() -> Markup:
    """The person symbol the icon arrays use, once per page (hidden by ``.svg-defs``)."""
    return Markup(person_symbol_defs())


def icon_defs() -> Markup:
    """The person symbol and tiling patterns of the compact icon arrays, once per page."""
    return Markup(icon_pattern_defs())


@dataclass(frozen=True, slots=True)
class WebContext:
    """Everything a route needs; one per app, on ``app.state.ctx``."""

    settings: WebSettings
    services: Services
    renderer: Renderer
    codec: StateCodec
    store: SummaryStore


async def get_context(request: Request) -> WebContext:
    """The app's services (async: FastAPI runs a sync dependency in the thread pool, a hop
    of its own for every request)."""
    ctx: WebContext = request.app.state.ctx
    return ctx


def _refine_schema(app: FastAPI, services: Services) -> None:
    """Serve the schema :func:`msstem.web.openapi.refine_openapi` makes (built once)."""
    from msstem.web.openapi import refine_openapi

    generate = app.openapi

    def openapi() -> dict[str, object]:
        if app.openapi_schema is None:
            app.openapi_schema = refine_openapi(generate(), services)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


def create_app(settings: WebSettings | None = None) -> FastAPI:
    """Build the web app. Loads the evidence base now, so a broken one fails at start."""
    settings = settings or WebSettings()
    services = Services(cache_size=settings.cache_size, pdf_per_minute=settings.pdf_per_minute)
    evidence = services.evidence
    renderer = Renderer(
        {
            "evidence_date": evidence.evidence_date.isoformat(),
            "source_label": services.source_label,
            "icon_array": icon_array,
            "person_defs": person_defs,
            "icon_defs": icon_defs,
        },
        notes_factory=lambda: Notes(evidence),
    )
    ctx = WebContext(
        settings=settings,
        services=services,
        renderer=renderer,
        codec=StateCodec(settings.signing_key()),
        store=SummaryStore(settings.database_url),
    )
    app = FastAPI(
        title="msstem decision aid API",
        version=__version__,
        description=(
            "JSON for every page of the msstem decision aid on stem cell therapy in MS. "
            "msstem supports decisions; it does not make them. Every 4xx answer has the shape "
            '{"error": {"code": ..., "message": ..., "field": ...}}.'
        ),
        docs_url=None,  # Swagger/ReDoc pages load scripts from a CDN: not under our CSP.
        redoc_url=None,
    )
    app.state.ctx = ctx

    def render_error_page(*, request: Request, status: int, error: dict[str, object]) -> str:
        titles = {403: "Please reload the page", 404: "Page not found", 413: "Too much text",
                  429: "Please wait a moment", 503: "Saved summaries are not available"}
        return renderer.render(
            "error.html.j2", current=None, status=status, error=error,
            page_title=titles.get(status, "Something went wrong"),
        )

    install_error_handlers(app, render_error_page)
    # The evidence base and compiled templates live as long as the process: move them out
    # of the garbage collector's view so full collections stay short (tail latency).
    gc.collect()
    gc.freeze()

    from msstem.web import api, pages  # the route modules import this module's helpers

    app.include_router(pages.router)
    app.include_router(api.router)
    _refine_schema(app, services)
    # Path pattern -> methods, for the ``Allow`` header of a 405 (all routes on the path).
    app.state.route_methods = [
        (route.path_regex, frozenset(route.methods))
        for router in (pages.router, api.router)
        for route in router.routes
        if isinstance(route, APIRoute) and route.methods
    ]
    app.mount(
        "/static",
        StaticFiles(directory=str(resources.files("msstem.web") / "static")),
        name="static",
    )
    offer_limit = max(settings.max_body_bytes, services.max_offer_chars * 12 + 4096)

    def limit_for(path: str) -> int:
        return offer_limit if path in OFFER_PATHS else settings.max_body_bytes

    app.add_middleware(
        SecurityMiddleware, limit_for=limit_for, log_requests=settings.access_log,
        allowed_hosts=settings.host_names(),
    )
    return app
