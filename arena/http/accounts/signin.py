"""Signing in with a name and password, and signing out."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from arena.auth import Principal
from arena.errors import UserError
from arena.http.accounts.device import device
from arena.http.accounts.forms import (
    SEED_COOKIE,
    check_token,
    form_token,
    new_seed,
    read_form,
    set_seed,
)
from arena.http.accounts.guard import credentials_ended
from arena.http.common import services
from arena.http.pages import render
from arena.services.accounts import SignInThrottled
from arena.services.accounts.sessions import end_by_secret

HOME = "/admin"
NOTICES = {
    "out": "您已退出登录。",
    "expired": "登录已过期或已在别处结束，请重新登录。",
    "reset": "密码已重置，请用新密码登录。",
}


def safe_next(raw: str | None) -> str:
    """Where to go after signing in: a path on this server, else the organiser's home."""
    if not raw or not raw.startswith("/") or raw.startswith("//") or "\\" in raw:
        return HOME
    if any(ord(ch) < 0x20 for ch in raw) or len(raw) > 500:
        return HOME
    return raw


async def current_organiser(request: Request) -> Principal | None:
    """The signed-in organiser behind this browser, if any."""
    principal = await services(request).auth.principal(request)
    return principal if principal is not None and principal.role == "organiser" else None


def login_page(
    request: Request,
    *,
    values: dict[str, str] | None = None,
    errors: dict[str, list[str]] | None = None,
    message: str = "",
    status: int = 200,
    signed_in: Principal | None = None,
    headers: dict[str, str] | None = None,
) -> Response:
    values = values or {}
    seed = new_seed(request)
    context: dict[str, Any] = {
        "csrf": form_token(request, seed),
        "name": values.get("name", ""),
        "next": safe_next(values.get("next") or request.query_params.get("next")),
        "errors": errors or {},
        "message": message,
        "notice": NOTICES.get(request.query_params.get("notice", ""), ""),
        "signed_in": signed_in,
    }
    response = render(request, "accounts/login.html", context, status_code=status)
    response.headers["Cache-Control"] = "no-store"
    for key, value in (headers or {}).items():
        response.headers[key] = value
    set_seed(request, response, seed)
    return response


async def login_form(request: Request) -> Response:
    return login_page(request, signed_in=await current_organiser(request))


async def login(request: Request) -> Response:
    svc = services(request)
    form = await read_form(request)
    values = {"name": form.get("name", ""), "next": form.get("next", "")}
    try:
        check_token(request, form)
    except UserError as exc:
        return login_page(request, values=values, message=exc.message, status=exc.status)
    address, agent = device(request)
    try:
        secret, _ = await svc.accounts.sign_in(
            form.get("name", ""), form.get("password", ""), address, agent
        )
    except SignInThrottled as exc:
        return login_page(
            request,
            values=values,
            message=exc.message,
            status=429,
            headers={"Retry-After": str(exc.retry_after)},
        )
    except UserError as exc:
        errors: dict[str, list[str]] = {}
        for p in exc.problems:
            errors.setdefault(p.field, []).append(p.message)
        return login_page(
            request,
            values=values,
            errors=errors,
            message="" if exc.problems else exc.message,
            status=exc.status,
        )
    old = request.cookies.get(svc.settings.auth.cookie_name)
    if old:
        await end_by_secret(old)  # this browser's earlier session (a link's, or a stale one)
    response = RedirectResponse(safe_next(form.get("next")), status_code=303)
    response.set_cookie(
        svc.settings.auth.cookie_name,
        secret,
        httponly=True,
        samesite="lax",
        secure=request.url.scheme == "https",
        path="/",
    )  # no max_age: closing the browser signs out; the server ends it after hours unused
    response.delete_cookie(SEED_COOKIE, path="/")
    response.headers["Cache-Control"] = "no-store"
    return response


async def logout_form(request: Request) -> Response:
    """GET /logout asks before signing out (a link must not change anything)."""
    principal = await services(request).auth.principal(request)
    if principal is None:
        return RedirectResponse("/login", status_code=303)
    response = render(
        request, "accounts/logout.html", {"principal": principal, "csrf": form_token(request)}
    )
    response.headers["Cache-Control"] = "no-store"
    return response


async def logout(request: Request) -> Response:
    svc = services(request)
    form = await read_form(request)
    cookie = request.cookies.get(svc.settings.auth.cookie_name)
    if cookie:
        check_token(request, form)
        await end_by_secret(cookie)
        await credentials_ended(request)
    response = RedirectResponse("/login?notice=out", status_code=303)
    response.delete_cookie(svc.settings.auth.cookie_name, path="/")
    response.headers["Cache-Control"] = "no-store"
    return response
