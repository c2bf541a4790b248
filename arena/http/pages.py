"""Server-rendered pages: the Jinja2 environment and the pages that belong to no single audience."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route

from arena.errors import UserError
from arena.http.assets import asset_url
from arena.settings import ROOT
from arena.venue.warnings import link_warnings_for

TEMPLATES = ROOT / "web" / "templates"

_env = Environment(
    loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"]), auto_reload=False
)
_env.globals["asset"] = asset_url
_env.globals["venue_link_warnings"] = link_warnings_for  # venue/_link_warnings.html


def render(
    request: Request, template: str, context: dict[str, Any], status_code: int = 200
) -> HTMLResponse:
    """Render a page (Simplified Chinese, everything served by Arena itself)."""
    html = _env.get_template(template).render(request=request, **context)
    return HTMLResponse(
        html,
        status_code=status_code,
        headers={"Content-Security-Policy": CSP, "Cache-Control": "no-cache"},
    )


# Venues are offline: nothing may load from outside Arena.
CSP = (
    "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; "
    "script-src 'self' 'unsafe-eval'; connect-src 'self'; frame-ancestors 'self'"
)


def to_login(request: Request) -> Response:
    """Send a signed-out organiser to the sign-in form, and back here afterwards."""
    target = request.url.path if request.method == "GET" else "/admin"
    return RedirectResponse(f"/login?next={quote(target)}", status_code=303)


def refused_page(request: Request, exc: UserError) -> Response:
    """A page that was refused: the organiser's pages send a signed-out browser to sign in
    (scripts keep their 401); every other page says, in Chinese, what to do."""
    browser = "text/html" in request.headers.get("accept", "")
    if exc.status == 401 and browser and request.url.path.startswith("/admin"):
        return to_login(request)
    hint = {401: "请通过组织部发给您的个人链接打开此页面，组织部工作人员请先登录。"}
    message = hint.get(exc.status, exc.message)
    context = {"title": "无法打开此页面", "message": message}
    return render(request, "error.html", context, status_code=exc.status)


async def home(request: Request) -> HTMLResponse:
    return render(request, "index.html", {})


routes = [Route("/", home)]
