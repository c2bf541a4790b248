"""HTML forms: the urlencoded body within the size limit, and a token against cross-site posts.

A form's token is HMAC-SHA256(server key, "form:" + what the browser holds): the SHA-256 of its
session cookie once signed in, or, on the sign-in page, a random value kept in a short-lived
HttpOnly cookie (`arena_form`). Another site can make a browser post but cannot read the token,
so a post without it (or without the X-Arena-Request header scripts send) is refused.
"""

from __future__ import annotations

import hashlib
import hmac
from urllib.parse import parse_qsl

from starlette.requests import Request
from starlette.responses import Response

from arena.auth import CSRF_HEADER, digest, new_secret
from arena.errors import UserError
from arena.http.common import services

SEED_COOKIE = "arena_form"
FORM_TYPE = "application/x-www-form-urlencoded"
MAX_FIELDS = 20


def _key(request: Request) -> bytes:
    return services(request).rounds.server_key


def _basis(request: Request, seed: str | None = None) -> str:
    session = request.cookies.get(services(request).settings.auth.cookie_name)
    if session:
        return "s:" + digest(session)
    return "f:" + (seed or request.cookies.get(SEED_COOKIE, ""))


def form_token(request: Request, seed: str | None = None) -> str:
    """The token a page puts in its forms' hidden `csrf` field."""
    basis = _basis(request, seed)
    return hmac.new(_key(request), f"form:{basis}".encode(), hashlib.sha256).hexdigest()


def new_seed(request: Request) -> str | None:
    """A fresh seed when the browser holds neither a session nor a seed cookie (else None)."""
    cookies = request.cookies
    if cookies.get(services(request).settings.auth.cookie_name) or cookies.get(SEED_COOKIE):
        return None
    return new_secret()


def set_seed(request: Request, response: Response, seed: str | None) -> None:
    """Give the browser the seed its sign-in form's token was made from."""
    if seed:
        response.set_cookie(
            SEED_COOKIE,
            seed,
            max_age=12 * 3600,
            httponly=True,
            samesite="strict",
            secure=request.url.scheme == "https",
            path="/",
        )


async def read_form(request: Request) -> dict[str, str]:
    """The posted form's fields (first value of each); 415, 413 or 400 when it is not one."""
    if request.headers.get("content-type", "").split(";")[0].strip().lower() != FORM_TYPE:
        raise UserError(415, "unsupported_media_type", "请通过页面上的表单提交", None)
    limit = services(request).settings.max_body_bytes
    size = 0
    chunks: list[bytes] = []
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise UserError(413, "body_too_large", f"请求体超过上限 {limit} 字节", None)
        chunks.append(chunk)
    try:
        text = b"".join(chunks).decode("ascii")
        pairs = parse_qsl(text, keep_blank_values=True, max_num_fields=MAX_FIELDS, errors="strict")
    except (UnicodeDecodeError, ValueError):
        raise UserError(400, "malformed_form", "表单内容无法识别", None) from None
    form: dict[str, str] = {}
    for key, value in pairs:
        if "\x00" in value or "\x00" in key:
            raise UserError(400, "malformed_form", "表单内容含有无法使用的字符", key)
        form.setdefault(key, value)
    return form


def check_token(request: Request, form: dict[str, str]) -> None:
    """Refuse a post that carries neither this browser's form token nor the script header."""
    if CSRF_HEADER in request.headers:
        return
    if not hmac.compare_digest(form.get("csrf", ""), form_token(request)):
        raise UserError(403, "csrf", "页面已过期，请刷新页面后重试", "csrf")
