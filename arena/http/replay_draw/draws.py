"""Verifiable draws (随机抽取): the organiser's page, the screen, the API (commit, draw, list)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from arena.errors import UserError
from arena.http.common import JSON, json_body, path_id, services
from arena.http.pages import refused_page, render
from arena.http.screens import round_viewer
from arena.scoring.inspection_draw import recipe
from arena.services.inspection import InspectionService
from arena.services.rounds import STATUS_NAMES


def _service(request: Request) -> InspectionService:
    return InspectionService(services(request).rounds)


async def admin_page(request: Request) -> Response:
    svc = services(request)
    try:
        await svc.auth.require(request, "organiser")
        meta = await svc.rounds.get(path_id(request))
    except UserError as exc:
        return refused_page(request, exc)
    result = await svc.standings.result(meta.id)
    townships = sorted({v.township for v in meta.villages.values()})
    return render(
        request,
        "admin/draws.html",
        {
            "meta": meta,
            "round_id": meta.id,
            "status": result.status,
            "status_name": STATUS_NAMES[result.status],
            "villages": list(meta.villages.values()),
            "townships": townships,
            "recipe": recipe(),
        },
    )


async def screen_page(request: Request) -> Response:
    try:
        round_id = path_id(request)
        await round_viewer(request, round_id)
    except UserError as exc:
        return refused_page(request, exc)
    meta = await services(request).rounds.get(round_id)
    return render(request, "screen/draw.html", {"round_id": round_id, "meta": meta})


async def list_draws(request: Request) -> JSON:
    round_id = path_id(request)
    await round_viewer(request, round_id)
    return JSON({"round": round_id, "draws": await _service(request).views(round_id)})


async def commit(request: Request) -> JSON:
    svc = services(request)
    principal = await svc.auth.require(request, "organiser")
    round_id = path_id(request)
    data = await json_body(request)
    status, answer = await _service(request).commit(principal, round_id, data)
    return JSON(answer, status_code=status)


async def perform(request: Request) -> JSON:
    svc = services(request)
    principal = await svc.auth.require(request, "organiser")
    round_id = path_id(request)
    draw_id = path_id(request, "draw_id")
    data = await json_body(request)
    status, answer = await _service(request).draw(principal, round_id, draw_id, data)
    return JSON(answer, status_code=status)


routes: list[BaseRoute] = [
    Route("/admin/rounds/{round_id}/draws", admin_page),
    Route("/screen/rounds/{round_id}/draw", screen_page),
    Route("/api/v1/rounds/{round_id}/draws", list_draws, methods=["GET"]),
    Route("/api/v1/rounds/{round_id}/draws", commit, methods=["POST"]),
    Route("/api/v1/rounds/{round_id}/draws/{draw_id}/draw", perform, methods=["POST"]),
]
