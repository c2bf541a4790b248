"""Server-rendered pages: the Jinja2 environment and the pages that belong to no single audience."""

from __future__ import annotations

from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.routing import Route

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


async def home(request: Request) -> HTMLResponse:
    return render(request, "index.html", {})


routes = [Route("/", home)]
