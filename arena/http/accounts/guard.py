"""Organiser pages and forms: who may open them, and where everyone else is sent."""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable

from starlette.requests import Request
from starlette.responses import Response

from arena.auth import Principal
from arena.errors import UserError
from arena.http.accounts.forms import check_token, read_form
from arena.http.common import services
from arena.http.pages import render, to_login

# Every office that uses Arena keeps China Standard Time (UTC+8, no summer time).
CHINA = dt.timezone(dt.timedelta(hours=8))

Page = Callable[[Request, Principal], Awaitable[Response]]
FormHandler = Callable[[Request, Principal, dict[str, str]], Awaitable[Response]]


def local(value: dt.datetime | None, short: bool = False) -> str:
    """A stored time as an office reads it: "2026-11-30 20:15", short "11-30 20:15" (Beijing)."""
    if value is None:
        return "—"
    return value.astimezone(CHINA).strftime("%m-%d %H:%M" if short else "%Y-%m-%d %H:%M")


def refused(request: Request, exc: UserError) -> Response:
    return render(
        request,
        "error.html",
        {"title": "无法打开此页面", "message": exc.message},
        status_code=exc.status,
    )


def organiser_page(handler: Page) -> Callable[[Request], Awaitable[Response]]:
    """A page for signed-in organisers; anyone else is sent to sign in (or told no)."""

    async def endpoint(request: Request) -> Response:
        principal = await services(request).auth.principal(request)
        if principal is None:
            return to_login(request)
        if principal.role != "organiser":
            return refused(request, UserError(403, "forbidden", "此页面仅限组织部使用"))
        response = await handler(request, principal)
        response.headers["Cache-Control"] = "no-store"
        return response

    return endpoint


def organiser_form(handler: FormHandler) -> Callable[[Request], Awaitable[Response]]:
    """A form post by a signed-in organiser, carrying this browser's form token."""

    async def endpoint(request: Request) -> Response:
        principal = await services(request).auth.principal(request)
        if principal is None:
            return to_login(request)
        if principal.role != "organiser":
            return refused(request, UserError(403, "forbidden", "此操作仅限组织部"))
        form = await read_form(request)
        check_token(request, form)
        return await handler(request, principal, form)

    return endpoint


async def credentials_ended(request: Request) -> None:
    """Sessions or a token just ended: this process stops trusting them and closes their live
    sockets at once; other processes follow within token_cache_seconds."""
    svc = services(request)
    svc.auth.forget()
    await svc.sockets.sweep()
