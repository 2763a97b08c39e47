"""JSON for every page under ``/api/...``; the OpenAPI schema is at ``/openapi.json``.

Bodies are JSON only (a cross-site HTML form cannot send ``application/json``, so
the API needs no CSRF token). Every 4xx uses the one error shape.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Annotated, Any

import orjson
from fastapi import APIRouter, Body, Depends, Request
from fastapi.responses import Response
from fastapi.routing import APIRoute
from pydantic import BaseModel, ConfigDict, Field

from msstem.clinical.profile import Profile, parse_profile
from msstem.errors import InputError, ProfileError
from msstem.io.bounded_json import JsonLimits, loads_bounded
from msstem.offers import MAX_OFFER_CHARS
from msstem.reports import options, quiz, summary, values
from msstem.web import learn
from msstem.web.app import WebContext, get_context
from msstem.web.errors import BodyInputError
from msstem.web.forms import FIELD_SPECS

__all__ = ["router"]

#: Request bodies: the body size limit is the security middleware's; a text may be a whole
#: offer, each character written as a 6-character ``\uXXXX`` escape.
API_JSON_LIMITS = JsonLimits(max_bytes=1 << 30, max_string_chars=MAX_OFFER_CHARS * 6)


class _BoundedJsonRequest(Request):
    """A request whose JSON body is read within :data:`API_JSON_LIMITS` (duplicate keys,
    depth, number and key length refused as 422 naming the field, as the CLI does)."""

    async def json(self) -> Any:
        if not hasattr(self, "_json"):
            try:
                self._json = loads_bounded(await self.body(), root="body",
                                           limits=API_JSON_LIMITS)
            except InputError as exc:
                # An HTTPException, so FastAPI's body reading passes it through unchanged.
                raise BodyInputError(str(exc), exc.field) from None
        return self._json


class BoundedJsonRoute(APIRoute):
    """An API route that reads its JSON body with :class:`_BoundedJsonRequest`."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def bounded_handler(request: Request) -> Response:
            return await handler(_BoundedJsonRequest(request.scope, request.receive))

        return bounded_handler


router = APIRouter(prefix="/api", tags=["api"], route_class=BoundedJsonRoute)
Ctx = Depends(get_context)

_ERROR_SCHEMA = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["code", "message", "field"],
            "properties": {
                "code": {"type": "string", "examples": ["invalid_input"]},
                "message": {"type": "string", "examples": ["edss: 5.25 is not on the EDSS grid"]},
                "field": {"type": ["string", "null"], "examples": ["edss"]},
            },
        }
    },
}
_ERRORS: dict[int | str, dict[str, Any]] = {
    status: {"description": text, "content": {"application/json": {"schema": _ERROR_SCHEMA}}}
    for status, text in (
        (413, "Body over the size limit"),
        (422, "Invalid input: the message names the field"),
    )
}
_PROFILE_SCHEMA = Profile.model_json_schema()
_PROFILE_BODY = {
    "requestBody": {
        "required": True,
        "content": {"application/json": {"schema": _PROFILE_SCHEMA}},
    }
}

ProfileBody = Annotated[dict[str, Any], Body(description="A profile (see docs/profile.md).")]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


class OfferRequest(_Strict):
    text: str = Field(description="The text of a clinic's offer, pasted as it is.")


class WithProfile(_Strict):
    profile: dict[str, Any] = Field(
        default_factory=dict, description="A profile, as for POST /api/assess ({} = unknown)."
    )


class ValuesRequest(WithProfile):
    priorities: dict[str, int] = Field(
        description="Priority id -> importance 0 (not important) to 4 (extremely important)."
    )


class QuizRequest(_Strict):
    answers: dict[str, str] = Field(description="Question id -> chosen answer id.")


class SummaryRequest(WithProfile):
    priorities: dict[str, int] = Field(default_factory=dict)
    quiz_answers: dict[str, str] = Field(default_factory=dict)


def _parse(data: dict[str, Any], prefix: str = "") -> Profile:
    try:
        return parse_profile(data)
    except ProfileError as exc:
        if not prefix:
            raise
        message = str(exc)
        where = f"{prefix}.{message}" if exc.field and message.startswith(f"{exc.field}:") \
            else f"{prefix}: {message}"
        raise ProfileError(where, field=exc.field) from None


@router.post("/assess", responses=_ERRORS, openapi_extra=_PROFILE_BODY,
             summary="Assess a profile: exactly the `msstem assess --format json` document")
async def api_assess(payload: ProfileBody, ctx: WebContext = Ctx) -> Response:
    # On the event loop, not the thread pool: a few milliseconds of CPU that the GIL would
    # serialise anyway, without two thread hops per request.
    return Response(ctx.services.assessment_json(_parse(payload)), media_type="application/json")


@router.get("/learn", summary="The Learn page: stem cell types, aHSCT steps, regulators, FAQ")
def api_learn(ctx: WebContext = Ctx) -> dict[str, Any]:
    return learn.build_learn(ctx.services.evidence)


@router.get("/about", summary="The profile form: every field with its help text")
def api_about() -> dict[str, Any]:
    return {
        "fields": [
            {"name": s.name, "label": s.label, "kind": s.kind, "help": s.help,
             "sources": list(s.source_ids)}
            for s in FIELD_SPECS
        ],
        "unknown": "Leave a field out, or send null, for 'I don't know'.",
    }


@router.post("/options", responses=_ERRORS, openapi_extra=_PROFILE_BODY,
             summary="Your options: aHSCT, a high-efficacy DMT and a registered trial")
async def api_options(payload: ProfileBody, ctx: WebContext = Ctx) -> Response:
    # orjson straight to bytes: FastAPI's generic encoder takes ~10 ms on this document.
    body = orjson.dumps(options.build_options(ctx.services.assessment(_parse(payload))))
    return Response(body, media_type="application/json")


@router.get("/values", summary="The priorities asked about on 'What matters to you'")
def api_values_questions() -> dict[str, Any]:
    return values.describe()


@router.post("/values", responses=_ERRORS,
             summary="How each option lines up with stated priorities (no recommendation)")
def api_values(body: ValuesRequest, ctx: WebContext = Ctx) -> dict[str, Any]:
    chosen = values.check_priorities(body.priorities)
    return values.build_alignment(ctx.services.assessment(_parse(body.profile, "profile")), chosen)


@router.get("/quiz", summary="The knowledge quiz (questions and choices, without the answers)")
def api_quiz(ctx: WebContext = Ctx) -> dict[str, Any]:
    return {"questions": [q.public_dict() for q in quiz.build_quiz(ctx.services.evidence)]}


@router.post("/quiz", responses=_ERRORS, summary="Grade quiz answers, with feedback and sources")
def api_quiz_grade(body: QuizRequest, ctx: WebContext = Ctx) -> dict[str, Any]:
    questions = quiz.build_quiz(ctx.services.evidence)
    return quiz.grade(questions, quiz.check_answers(questions, body.answers, "answers"))


@router.post("/offer-check", responses=_ERRORS,
             summary="Warning signs of an unproven clinic in the text of an offer")
def api_offer_check(body: OfferRequest, ctx: WebContext = Ctx) -> dict[str, Any]:
    return ctx.services.check_offer(body.text).to_dict()


def _summary(body: SummaryRequest, ctx: WebContext) -> dict[str, Any]:
    profile = _parse(body.profile, "profile")
    priorities = values.check_priorities(body.priorities)
    questions = quiz.build_quiz(ctx.services.evidence)
    answers = quiz.check_answers(questions, body.quiz_answers)
    return summary.build_summary(
        ctx.services.assessment(profile), ctx.services.evidence,
        priorities=priorities, quiz_answers=answers, has_profile=bool(body.profile),
    )


@router.post("/summary", responses=_ERRORS, summary="The one-page summary as JSON")
def api_summary(body: SummaryRequest, ctx: WebContext = Ctx) -> dict[str, Any]:
    return _summary(body, ctx)


@router.post(
    "/summary.pdf",
    responses={**_ERRORS, 200: {"content": {"application/pdf": {}},
                                "description": "The one-page summary as PDF"}},
    response_class=Response,
    summary="The one-page summary as PDF",
)
def api_summary_pdf(body: SummaryRequest, request: Request, ctx: WebContext = Ctx) -> Response:
    client = request.client.host if request.client is not None else "-"
    return Response(
        ctx.services.summary_pdf(_summary(body, ctx), client),
        media_type="application/pdf",
        headers={"Content-Disposition": 'attachment; filename="msstem-summary.pdf"'},
    )
