"""Refuse the judges' app over plain http on a venue address, where it could not work offline."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

from arena.http.common import JSON
from arena.http.pages import render
from arena.venue.addresses import host_of, is_loopback


def is_judge_path(path: str) -> bool:
    """The judges' app: its page, worker and state (/judge…) and their personal links (/j/…)."""
    return path == "/judge" or path.startswith(("/judge/", "/j/"))


def refuses(scheme: str, host: str, path: str, allow_plain_http_judges: bool) -> bool:
    """Whether a request for ``path`` must be refused: plain http, not the laptop, judge app.

    ``scheme`` is the one uvicorn reports: a TLS-terminating proxy's X-Forwarded-Proto counts
    only from the addresses in ``[tls] trusted_proxies``.
    """
    return (
        scheme == "http"
        and not allow_plain_http_judges
        and is_judge_path(path)
        and not is_loopback(host)
    )


class PlainHttpJudgeGuard:
    """ASGI middleware answering refused judge requests with a page that says why and what to do."""

    def __init__(self, app: ASGIApp, allow_plain_http_judges: bool = False) -> None:
        self.app = app
        self.allow = allow_plain_http_judges

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            request = Request(scope)
            host = request.headers.get("host", "")
            if refuses(scope.get("scheme", "http"), host, scope["path"], self.allow):
                await _refusal(request, host)(scope, receive, send)
                return
        await self.app(scope, receive, send)


def _refusal(request: Request, host: str) -> Response:
    message = (
        "评分页面只能通过 https:// 打开：用 http:// 时平板浏览器不允许离线保存评分页面，"
        "没有信号时就无法使用。"
    )
    headers = {"Cache-Control": "no-store"}
    if request.url.path.startswith("/judge/api/") or request.url.path == "/judge/sw.js":
        body = {"error": {"code": "https_required", "message": message, "field": None}}
        return JSON(body, status_code=403, headers=headers)
    response = render(
        request, "venue/refused.html", {"host": host_of(host) or "本机", "message": message}, 403
    )
    response.headers.update(headers)
    return response
