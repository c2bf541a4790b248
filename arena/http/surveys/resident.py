"""The resident's page: /q (type the card's code) and /q/<secret> (the card's QR link).

Plain HTML forms (no script needed, one small one helps), Simplified Chinese, large touch
targets, inline styles: the page and its script weigh a few kilobytes on a weak signal. JSON
requests (Content-Type: application/json) get JSON answers with the same status codes.
"""

from __future__ import annotations

import secrets as pysecrets
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from arena.errors import UserError
from arena.http.common import JSON, json_body, services
from arena.http.pages import render
from arena.services.surveys.resident import (
    STATE_WORDS,
    CardView,
    ResidentSurvey,
    TooManyGuesses,
)

DEVICE_COOKIE = "arena_qdev"  # a random browser id: kept only as a keyed digest, for flags
FORM_MAX = 16_384


def _service(request: Request) -> ResidentSurvey:
    svc = services(request)
    return ResidentSurvey(svc.rounds, svc.rounds.server_key, svc.round_changed)


def _address(request: Request) -> str:
    return request.client.host if request.client else ""


def _wants_json(request: Request) -> bool:
    return "application/json" in request.headers.get("content-type", "")


def _device(request: Request) -> tuple[str, bool]:
    value = request.cookies.get(DEVICE_COOKIE, "")
    if 16 <= len(value) <= 64:
        return value, False
    return pysecrets.token_urlsafe(16), True


def _page(
    request: Request,
    context: dict[str, Any],
    status: int = 200,
    headers: dict[str, str] | None = None,
) -> Response:
    response = render(request, "survey/resident.html", context, status_code=status)
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"  # the secret never leaves in a Referer
    device, fresh = _device(request)
    if fresh:
        response.set_cookie(
            DEVICE_COOKIE, device, max_age=365 * 86400, httponly=True, samesite="lax"
        )
    for k, v in (headers or {}).items():
        response.headers[k] = v
    return response


def _form_context(view: CardView, action: str, **extra: Any) -> dict[str, Any]:
    return {
        "mode": "form",
        "view": view,
        "action": action,
        "key": pysecrets.token_urlsafe(16),
        "chosen": {},
        "problems": {},
        "free_text": "",
        **extra,
    }


def _state_page(request: Request, view: CardView) -> Response:
    if view.used:
        return _page(request, {"mode": "used", "view": view}, 409)
    return _page(request, {"mode": "closed", "view": view, "message": STATE_WORDS[view.state]}, 403)


async def entry(request: Request) -> Response:
    """GET /q: the box to type a card's code."""
    return _page(request, {"mode": "code", "code": "", "error": ""})


async def by_code(request: Request) -> Response:
    """POST /q: a typed code -> the card's questions (bad codes counted per address)."""
    form = await request.form(max_fields=5, max_files=0)
    raw = str(form.get("code", ""))[:40]
    try:
        view = await _service(request).by_code(raw, _address(request))
    except UserError as exc:
        headers = _retry(exc)
        ctx = {"mode": "code", "code": raw, "error": exc.message}
        return _page(request, ctx, exc.status, headers)
    if view.used or view.state != "open":
        return _state_page(request, view)
    return _page(request, _form_context(view, "/q/answer", code=raw))


async def card(request: Request) -> Response:
    """GET /q/<secret>: the card's questions, or what became of the card."""
    view = await _service(request).by_secret(request.path_params["secret"])
    if view is None:
        return _page(request, {"mode": "invalid"}, 404)
    if view.used or view.state != "open":
        return _state_page(request, view)
    return _page(request, _form_context(view, request.url.path))


async def answer_qr(request: Request) -> Response:
    """POST /q/<secret>: the answers of a card reached by its QR link."""
    service = _service(request)
    view = await service.by_secret(request.path_params["secret"])
    if view is None:
        if _wants_json(request):
            return JSON(_error(404, "invalid_card", "卡片无效，请核对二维码"), status_code=404)
        return _page(request, {"mode": "invalid"}, 404)
    data = await _data(request)
    return await _submit(request, service, view, data, "qr", request.url.path)


async def answer_code(request: Request) -> Response:
    """POST /q/answer: the answers of a card reached by its typed code (rate limited)."""
    service = _service(request)
    data = await _data(request)
    raw = data.pop("code", "")
    try:
        view = await service.by_code(str(raw)[:40], _address(request))
    except UserError as exc:
        if _wants_json(request):
            return JSON(exc.body(), status_code=exc.status, headers=_retry(exc))
        ctx = {"mode": "code", "code": str(raw)[:40], "error": exc.message}
        return _page(request, ctx, exc.status, _retry(exc))
    return await _submit(request, service, view, data, "code", "/q/answer", code=raw)


async def _submit(
    request: Request,
    service: ResidentSurvey,
    view: CardView,
    data: dict[str, Any],
    via: str,
    action: str,
    **extra: Any,
) -> Response:
    device, _ = _device(request)
    try:
        status, answer = await service.submit_safely(view, data, _address(request), device, via)
    except UserError as exc:
        if _wants_json(request):
            return JSON(exc.body(), status_code=exc.status)
        if exc.code == "card_used":
            return _page(request, {"mode": "used", "view": view}, 409)
        if exc.code == "survey_closed":
            return _page(request, {"mode": "closed", "view": view, "message": exc.message}, 403)
        problems = {p["field"]: p["message"] for p in exc.body()["error"].get("problems", [])}
        if not problems and exc.field:
            problems = {exc.field: exc.message}
        ctx = _form_context(view, action, **extra)
        raw = data.get("answers")
        ctx.update(
            chosen=raw if isinstance(raw, dict) else {},
            problems=problems,
            free_text=str(data.get("free_text", ""))[:600],
            key=str(data.get("key") or ctx["key"])[:64],
        )
        return _page(request, ctx, exc.status)
    if _wants_json(request):
        return JSON(answer, status_code=status)
    return _page(request, {"mode": "thanks", "view": view, "replayed": status == 200}, status)


async def _data(request: Request) -> dict[str, Any]:
    """The answers from a JSON body, or from the form (fields a.<question>, free_text, key)."""
    if _wants_json(request):
        return await json_body(request)
    form = await request.form(max_fields=64, max_files=0, max_part_size=FORM_MAX)
    data: dict[str, Any] = {"answers": {}}
    for name, value in form.multi_items():
        if not isinstance(value, str):
            continue
        if name.startswith("a."):
            data["answers"][name[2:]] = value
        elif name in ("free_text", "key", "code"):
            data[name] = value
    return data


def _retry(exc: UserError) -> dict[str, str]:
    if isinstance(exc, TooManyGuesses):
        return {"Retry-After": str(exc.retry_after)}
    return {}


def _error(status: int, code: str, message: str) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "field": None}}


routes = [
    Route("/q", entry, methods=["GET"]),
    Route("/q", by_code, methods=["POST"]),
    Route("/q/answer", answer_code, methods=["POST"]),
    Route("/q/{secret}", card, methods=["GET"]),
    Route("/q/{secret}", answer_qr, methods=["POST"]),
]
