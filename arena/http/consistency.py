"""Organisers: the judges' consistency page of a round and the JSON it polls."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from arena.errors import UserError
from arena.http.common import JSON, path_id, services
from arena.http.pages import refused_page, render
from arena.services.consistency import review_view


async def judges_page(request: Request) -> Response:
    """评委一致性: severity, agreement, patterns, suspect sheets and the what-if ranking."""
    svc = services(request)
    try:
        await svc.auth.require(request, "organiser")
        meta = await svc.rounds.get(path_id(request))
    except UserError as exc:
        return refused_page(request, exc)
    return render(request, "admin/judges.html", {"round": meta})


async def judges_data(request: Request) -> JSON:
    """The page's figures, polled every few seconds while sheets arrive."""
    svc = services(request)
    try:
        await svc.auth.require(request, "organiser")
        meta = await svc.rounds.get(path_id(request))
        answer = review_view(await svc.consistency.reviewed(meta.id))
    except UserError as exc:  # the page's script reads JSON errors, whatever it accepts
        return JSON(exc.body(), status_code=exc.status, headers={"Cache-Control": "no-store"})
    return JSON(answer, headers={"Cache-Control": "no-store"})


routes = [
    Route("/admin/rounds/{round_id}/judges", judges_page),
    Route("/admin/rounds/{round_id}/judges.json", judges_data),
]
