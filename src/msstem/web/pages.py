"""The seven HTML pages, in the order a person walks them, plus save/forget.

Every page works without JavaScript: plain links and POST forms, then a redirect
(POST/redirect/GET) so reloading never re-posts. Answers travel in the signed
cookie (:mod:`msstem.web.state`); no profile data goes in a URL. Every GET page also
answers HEAD (link checkers, uptime probes): same status and headers, no body.
"""

from __future__ import annotations

import hmac
from collections.abc import Callable, Mapping
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.types import DecoratedCallable
from starlette.datastructures import FormData

from msstem.clinical.profile import Profile, parse_profile
from msstem.errors import InputError, MsstemError
from msstem.reports import options, quiz, readiness, summary, values
from msstem.web import learn
from msstem.web.app import WebContext, get_context
from msstem.web.errors import CsrfError
from msstem.web.forms import (
    COURSE_LABELS,
    FIELD_SPECS,
    HCTCI_NONE,
    display_errors,
    edss_choices,
    form_values_from_profile,
    hctci_choices,
    parse_profile_form,
)
from msstem.web.services import CachedPage
from msstem.web.state import COOKIE_NAME, AnswerState

__all__ = ["router"]

router = APIRouter(include_in_schema=False)
Ctx = Depends(get_context)

#: Where a deleted saved summary sends the browser (outside ``/s/`` so no token matches it).
DELETED_PATH = "/summary/deleted"


def _get(path: str) -> Callable[[DecoratedCallable], DecoratedCallable]:
    """A GET page that answers HEAD too (FastAPI routes, unlike Starlette's, don't).

    The security middleware drops the body of a HEAD answer; a 405 on the path then
    lists HEAD in its ``Allow`` header.
    """
    return router.api_route(path, methods=["GET", "HEAD"])


# --- helpers -------------------------------------------------------------------------


def _state(request: Request, ctx: WebContext) -> tuple[AnswerState, bool]:
    """The answers in the cookie, or a fresh state (True when it must be set)."""
    state = ctx.codec.decode(request.cookies.get(COOKIE_NAME))
    return (state, False) if state is not None else (AnswerState.fresh(), True)


def _set_state(response: Response, ctx: WebContext, state: AnswerState) -> Response:
    response.set_cookie(
        COOKIE_NAME,
        ctx.codec.encode(state),
        httponly=True,
        samesite="strict",
        secure=ctx.settings.secure_cookies,
        path="/",
    )
    return response


def _page(
    ctx: WebContext, template: str, state: AnswerState | None, new: bool, **context: Any
) -> HTMLResponse:
    response = HTMLResponse(ctx.renderer.render(template, **context))
    if state is not None and new:
        _set_state(response, ctx, state)
    return response


def _redirect(ctx: WebContext, to: str, state: AnswerState | None = None) -> Response:
    response = RedirectResponse(to, status_code=303)
    if state is not None:
        _set_state(response, ctx, state)
    return response


async def _checked_form(request: Request, ctx: WebContext = Ctx) -> tuple[FormData, AnswerState]:
    """The posted form, after checking its CSRF token against the cookie's.

    A dependency: the form is read on the event loop, and the route that uses it is a
    plain ``def`` that FastAPI runs in its thread pool, so rendering never stalls the loop.
    """
    form = await request.form()
    state = ctx.codec.decode(request.cookies.get(COOKIE_NAME))
    token = form.get("csrf")
    # Compared as bytes: compare_digest refuses non-ASCII str (a TypeError, once a 500).
    if state is None or not isinstance(token, str) or not hmac.compare_digest(
        token.encode("utf-8", "surrogatepass"), state.csrf.encode("utf-8", "surrogatepass")
    ):
        raise CsrfError()
    return form, state


#: What the form says when its token expired or the answers cookie was lost.
LOST_MESSAGE = (
    "We could not save this yet: the page was open for a long time, or your browser lost "
    "its saved answers. What you typed is still below. Check it and press the button again."
)


async def _form_keeping_answers(
    request: Request, ctx: WebContext = Ctx
) -> tuple[FormData, AnswerState, bool]:
    """The posted form and the state; ``True`` when the token did not match (expired form,
    lost cookie). Then nothing is saved: the caller shows the typed answers again with a
    fresh token, so a person loses nothing and a cross-site post changes nothing."""
    form = await request.form()
    state = ctx.codec.decode(request.cookies.get(COOKIE_NAME))
    token = form.get("csrf")
    if state is None or not isinstance(token, str) or not hmac.compare_digest(
        token.encode("utf-8", "surrogatepass"), state.csrf.encode("utf-8", "surrogatepass")
    ):
        fresh = (state or AnswerState.fresh()).with_(csrf=AnswerState.fresh().csrf)
        return form, fresh, True
    return form, state, False


Checked = tuple[FormData, AnswerState]
FormCheck = Depends(_checked_form)
Kept = tuple[FormData, AnswerState, bool]
FormKeep = Depends(_form_keeping_answers)


def _profile(state: AnswerState | None) -> Profile | None:
    if state is None or state.profile is None:
        return None
    try:
        return parse_profile(state.profile)
    except MsstemError:
        return None  # a cookie from an older version: ask again rather than fail


# --- 1. Learn ------------------------------------------------------------------------


@_get("/")
def home() -> Response:
    return RedirectResponse("/learn", status_code=307)


def _cached_html(request: Request, page: CachedPage) -> Response:
    """A cached page, gzipped when the browser accepts it."""
    headers = {"Vary": "Accept-Encoding"}
    if "gzip" in request.headers.get("accept-encoding", ""):
        headers["Content-Encoding"] = "gzip"
        return Response(page.gzipped, media_type="text/html; charset=utf-8", headers=headers)
    return Response(page.body, media_type="text/html; charset=utf-8", headers=headers)


@_get("/learn")
def learn_page(request: Request, ctx: WebContext = Ctx) -> Response:
    page = ctx.services.pages.get_or_make(
        "page:learn",
        lambda: CachedPage(ctx.renderer.render(
            "learn.html.j2", current="/learn", page_title="Learn",
            learn=learn.build_learn(ctx.services.evidence),
        )),
    )
    return _cached_html(request, page)


@_get("/reset")
async def reset_page(request: Request, ctx: WebContext = Ctx) -> Response:
    page = ctx.services.pages.get_or_make(
        "page:reset",
        lambda: CachedPage(ctx.renderer.render(
            "reset.html.j2", current=None, page_title="Can it reset my immune system?",
            reset=learn.build_reset(ctx.services.evidence),
        )),
    )
    return _cached_html(request, page)


# --- 2. About you --------------------------------------------------------------------


_FIELD_LABELS = {spec.name: spec.label for spec in FIELD_SPECS}


def _about(ctx: WebContext, state: AnswerState, new: bool, values_: Mapping[str, Any],
           errors: Mapping[str, str], ready: Mapping[str, str] | None = None,
           lost: bool = False) -> HTMLResponse:
    return _page(
        ctx, "about.html.j2", state, new, current="/about", page_title="About you",
        specs=FIELD_SPECS, labels=_FIELD_LABELS, values=values_, errors=errors, csrf=state.csrf,
        course_choices=list(COURSE_LABELS.items()), edss_choices=edss_choices(),
        hctci_choices=hctci_choices(), readiness=ready if ready is not None else state.readiness,
        stages=readiness.STAGES, roles=readiness.ROLES, sure_items=readiness.SURE_ITEMS,
        readiness_sources=readiness.READINESS_SOURCES, lost=LOST_MESSAGE if lost else None,
    )


@_get("/about")
def about_page(request: Request, ctx: WebContext = Ctx) -> Response:
    state, new = _state(request, ctx)
    return _about(ctx, state, new, form_values_from_profile(state.profile), {})


@router.post("/about")
def about_submit(ctx: WebContext = Ctx, kept: Kept = FormKeep) -> Response:
    form, state, lost = kept
    raw = {k: v for k, v in form.items() if isinstance(v, str)}
    items = [v for v in form.getlist("hctci_items") if isinstance(v, str)]
    result = parse_profile_form(raw, items, hctci_none=bool(form.get(HCTCI_NONE)))
    errors = dict(result.errors)
    typed_ready = {k: v for k, v in raw.items()
                   if k in ("stage", "role") or k.startswith("sure_start_")}
    try:
        ready = {**{k: v for k, v in state.readiness.items()
                    if k not in ("stage", "role") and not k.startswith("sure_start_")},
                 **readiness.parse_readiness(raw, "start")}
    except InputError as exc:
        errors[exc.field or "readiness"] = str(exc)
        ready = typed_ready
    if lost:
        response = _about(ctx, state, False, result.values, display_errors(errors), typed_ready,
                          lost=True)
        return _set_state(response, ctx, state)
    if errors or result.profile is None:
        # Re-render with what they typed and every message beside its field, at once.
        return _about(ctx, state, False, result.values, display_errors(errors), typed_ready)
    return _redirect(ctx, "/options", state.with_(profile=result.profile.known_fields(),
                                                  readiness=ready))


# --- 3. Your options -----------------------------------------------------------------


@_get("/options")
def options_page(request: Request, ctx: WebContext = Ctx) -> Response:
    state = ctx.codec.decode(request.cookies.get(COOKIE_NAME))
    profile = _profile(state)
    has_profile = profile is not None
    profile = profile or Profile()

    def make() -> CachedPage:
        assessment = ctx.services.assessment(profile)
        page = options.build_page(assessment)
        return CachedPage(ctx.renderer.render(
            "options.html.j2", current="/options", page_title="Your options",
            page=page, notes=page["notes"], has_profile=has_profile,
        ))

    key = f"page:options:{has_profile}:{ctx.services.profile_key(profile)}"
    return _cached_html(request, ctx.services.pages.get_or_make(key, make))


@_get("/options/criteria")
def criteria_page(request: Request, ctx: WebContext = Ctx) -> Response:
    """Every criterion of every rule set: the options page's screening, on demand."""
    state = ctx.codec.decode(request.cookies.get(COOKIE_NAME))
    profile = _profile(state) or Profile()

    def make() -> CachedPage:
        page = options.build_criteria_page(ctx.services.assessment(profile))
        return CachedPage(ctx.renderer.render(
            "criteria.html.j2", current="/options", page_title="Every criterion, one by one",
            page=page, notes=page["notes"],
        ))

    key = f"page:criteria:{ctx.services.profile_key(profile)}"
    return _cached_html(request, ctx.services.pages.get_or_make(key, make))


# --- 4. What matters to you ----------------------------------------------------------


def _values_page(ctx: WebContext, state: AnswerState, new: bool,
                 errors: Mapping[str, str] | None = None, lost: bool = False) -> HTMLResponse:
    profile = _profile(state) or Profile()
    assessment = ctx.services.assessment(profile)
    alignment = values.build_alignment(assessment, state.priorities) if state.priorities else None
    return _page(
        ctx, "values.html.j2", state, new, current="/values", page_title="What matters to you",
        priorities=values.PRIORITIES, scale=values.SCALE, chosen=state.priorities,
        alignment=None if lost else alignment, errors=errors or {}, csrf=state.csrf,
        lost=LOST_MESSAGE if lost else None,
    )


@_get("/values")
def values_page(request: Request, ctx: WebContext = Ctx) -> Response:
    state, new = _state(request, ctx)
    return _values_page(ctx, state, new)


@router.post("/values")
def values_submit(ctx: WebContext = Ctx, kept: Kept = FormKeep) -> Response:
    form, state, lost = kept
    try:
        chosen = values.parse_priorities({k: v for k, v in form.items() if isinstance(v, str)})
    except InputError as exc:
        return _values_page(ctx, state, False, {exc.field or "priorities": str(exc)})
    if lost:
        response = _values_page(ctx, state.with_(priorities=chosen), False, lost=True)
        return _set_state(response, ctx, state)
    return _redirect(ctx, "/values#alignment", state.with_(priorities=chosen))


# --- 5. Check your understanding -----------------------------------------------------


def _quiz_page(ctx: WebContext, state: AnswerState, new: bool) -> HTMLResponse:
    questions = quiz.build_quiz(ctx.services.evidence)
    graded = quiz.grade(questions, state.quiz) if state.quiz else None
    return _page(
        ctx, "quiz.html.j2", state, new, current="/quiz", page_title="Check your understanding",
        questions=questions, answers=state.quiz, graded=graded, csrf=state.csrf,
    )


@_get("/quiz")
def quiz_page(request: Request, ctx: WebContext = Ctx) -> Response:
    state, new = _state(request, ctx)
    return _quiz_page(ctx, state, new)


@router.post("/quiz")
def quiz_submit(ctx: WebContext = Ctx, checked: Checked = FormCheck) -> Response:
    form, state = checked
    questions = quiz.build_quiz(ctx.services.evidence)
    answers = quiz.parse_answers(questions, {k: v for k, v in form.items() if isinstance(v, str)})
    return _redirect(ctx, "/quiz#results", state.with_(quiz=answers))


# --- 6. Is this offer legitimate? ----------------------------------------------------


def _offer_page(ctx: WebContext, state: AnswerState, new: bool, text: str = "",
                result: dict[str, Any] | None = None,
                errors: Mapping[str, str] | None = None) -> HTMLResponse:
    return _page(
        ctx, "offer.html.j2", state, new, current="/offer",
        page_title="Is this offer legitimate?", text=text, result=result,
        errors=errors or {}, csrf=state.csrf, limit=ctx.services.max_offer_chars,
        signs=ctx.services.evidence.warning_signs,
    )


@_get("/offer")
def offer_page(request: Request, ctx: WebContext = Ctx) -> Response:
    state, new = _state(request, ctx)
    return _offer_page(ctx, state, new)


@router.post("/offer")
def offer_submit(ctx: WebContext = Ctx, kept: Kept = FormKeep) -> Response:
    form, state, lost = kept
    text = form.get("text")
    text = text if isinstance(text, str) else ""
    if lost:
        response = _offer_page(ctx, state, False, text, errors={"text": LOST_MESSAGE})
        return _set_state(response, ctx, state)
    try:
        result = ctx.services.check_offer(text).to_dict()
    except InputError as exc:
        return _offer_page(ctx, state, False, text, errors={exc.field or "text": str(exc)})
    # The verdict (how many warning signs, never the text) goes on the summary, if asked.
    signs = len(result.get("warning_signs", []))
    verdict = (f"{signs} warning sign{'s' if signs != 1 else ''} of an unproven clinic found"
               if signs else "no warning signs found in the text checked")
    state = state.with_(readiness={**state.readiness, "offer": verdict})
    response = _offer_page(ctx, state, False, text, result=result)
    return _set_state(response, ctx, state)


# --- 7. Your summary -----------------------------------------------------------------


def _summary_doc(ctx: WebContext, state: AnswerState) -> dict[str, Any]:
    profile = _profile(state) or Profile()
    return summary.build_summary(
        ctx.services.assessment(profile), ctx.services.evidence,
        priorities=state.priorities, quiz_answers=state.quiz,
        has_profile=state.profile is not None, readiness=state.readiness,
    )


def _summary_extra(state: AnswerState) -> dict[str, Any]:
    return {"sure_items": readiness.SURE_ITEMS, "ready_answers": state.readiness}


@_get("/summary")
def summary_page(request: Request, ctx: WebContext = Ctx) -> Response:
    state, new = _state(request, ctx)
    return _page(
        ctx, "summary.html.j2", state, new, current="/summary", page_title="Your summary",
        doc=_summary_doc(ctx, state), csrf=state.csrf, saved=None, **_summary_extra(state),
    )


@router.post("/summary/sure")
async def summary_sure(request: Request, ctx: WebContext = Ctx) -> Response:
    form, state = await _checked_form(request, ctx)
    raw = {k: v for k, v in form.items() if isinstance(v, str)}
    try:
        answers = readiness.parse_readiness(raw, "end")
    except InputError:
        answers = {}  # radio buttons can only send the allowed values; ignore anything else
    kept = {k: v for k, v in state.readiness.items() if not k.startswith("sure_end_")}
    return _redirect(ctx, "/summary#ready", state.with_(readiness={**kept, **answers}))


@_get("/summary/clinician")
async def clinician_page(request: Request, ctx: WebContext = Ctx) -> Response:
    state, new = _state(request, ctx)
    return _page(
        ctx, "clinician.html.j2", state, new, current=None,
        page_title="Summary for the neurologist", doc=_summary_doc(ctx, state),
    )


@_get("/summary.pdf")
def summary_pdf(request: Request, ctx: WebContext = Ctx) -> Response:
    state, _ = _state(request, ctx)
    return _pdf_response(ctx.services.summary_pdf(_summary_doc(ctx, state), _client(request)))


def _client(request: Request) -> str:
    """Who the PDF rate limit counts against: the peer address (the proxy's, behind one)."""
    return request.client.host if request.client is not None else "-"


def _pdf_response(data: bytes) -> Response:
    return Response(
        data, media_type="application/pdf",
        headers={"Content-Disposition": 'attachment; filename="msstem-summary.pdf"'},
    )


@router.post("/summary/save")
def summary_save(ctx: WebContext = Ctx, checked: Checked = FormCheck) -> Response:
    _, state = checked
    token = ctx.store.save(_summary_doc(ctx, state))
    return _redirect(ctx, f"/s/{token}")


@_get("/s/{token}")
def saved_summary(token: str, request: Request, ctx: WebContext = Ctx) -> Response:
    doc, saved_at = ctx.store.load(token)
    state, new = _state(request, ctx)
    return _page(
        ctx, "summary.html.j2", state, new, current=None, page_title="Your saved summary",
        doc=doc, csrf=state.csrf, saved={"token": token, "at": saved_at.date().isoformat()},
        **_summary_extra(state),
    )


@_get("/s/{token}/pdf")
def saved_summary_pdf(token: str, request: Request, ctx: WebContext = Ctx) -> Response:
    doc, _ = ctx.store.load(token)
    return _pdf_response(ctx.services.summary_pdf(doc, _client(request)))


@router.post("/s/{token}/delete")
def saved_summary_delete(token: str, ctx: WebContext = Ctx,
                         checked: Checked = FormCheck) -> Response:
    ctx.store.delete(token)
    # POST/redirect/GET: a reload then shows the notice again, not the dead link's 404.
    # The notice's URL carries no token, so it says nothing about which summary it was.
    return _redirect(ctx, DELETED_PATH)


@_get(DELETED_PATH)
def saved_summary_deleted(ctx: WebContext = Ctx) -> Response:
    return _page(ctx, "deleted.html.j2", None, False, current=None,
                 page_title="Saved summary deleted")


# --- forget my answers ---------------------------------------------------------------


@_get("/forget")
def forget_page(request: Request, ctx: WebContext = Ctx) -> Response:
    state, new = _state(request, ctx)
    return _page(ctx, "forget.html.j2", state, new, current=None,
                 page_title="Forget my answers", csrf=state.csrf)


@router.post("/forget")
def forget_submit(ctx: WebContext = Ctx, checked: Checked = FormCheck) -> Response:
    response = RedirectResponse("/learn", status_code=303)
    response.delete_cookie(COOKIE_NAME, path="/", samesite="strict", httponly=True)
    return response
