"""Arena contests over HTTP: the API (organisers, judges, contestants) and the live channel."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route, WebSocketRoute
from starlette.websockets import WebSocket

from arena.auth import Principal
from arena.errors import UserError, forbidden, not_found
from arena.http.common import JSON, json_body, path_id, services
from arena.http.screens import serve
from arena.live.channels import channel
from arena.services.contests.catalogue import ContestMeta
from arena.services.core import Services


def _contest_id(request: Request | WebSocket) -> int:
    return path_id(request, "contest_id")


def may_see(principal: Principal, contest_id: int) -> bool:
    """Organisers see every contest; everyone else only their own."""
    return principal.role == "organiser" or principal.contest_id == contest_id


async def create_contest(request: Request) -> JSON:
    svc = services(request)
    principal = await svc.auth.require(request, "organiser")
    return JSON(
        await svc.contests.create(await json_body(request), principal.actor), status_code=201
    )


async def contest_links(request: Request) -> JSON:
    svc = services(request)
    await svc.auth.require(request, "organiser")
    return JSON(await svc.contests.links(_contest_id(request)))


async def _visible(request: Request) -> tuple[Services, ContestMeta, Principal]:
    """The contest of the path and the caller, who must be allowed to see it."""
    svc = services(request)
    contest_id = _contest_id(request)
    principal = await svc.auth.require(request)
    meta = await svc.contests.get(contest_id)
    if not may_see(principal, contest_id):
        raise forbidden("无权查看该擂台赛")
    return svc, meta, principal


async def contest_state(request: Request) -> JSON:
    svc, meta, principal = await _visible(request)
    return JSON(await svc.contest_state(meta.id, host=principal.role == "organiser"))


async def contest_step(request: Request) -> JSON:
    svc = services(request)
    principal = await svc.auth.require(request, "organiser")
    contest_id = _contest_id(request)
    return JSON(await svc.contest_flow.step(principal, contest_id, await json_body(request)))


async def contest_score(request: Request) -> JSON:
    svc = services(request)
    principal = await svc.auth.require(request, "judge")
    contest_id = _contest_id(request)
    if principal.contest_id != contest_id:  # authorise before reading the body
        raise forbidden("您不是本场擂台赛的评委")
    await svc.contests.get(contest_id)
    status, answer = await svc.contest_flow.submit(principal, contest_id, await json_body(request))
    return JSON(answer, status_code=status)


async def contest_results(request: Request) -> JSON:
    _, meta, principal = await _visible(request)
    from arena.services.contests.views import results_view

    return JSON(await results_view(meta, identities=principal.role == "organiser"))


async def contestant_result(request: Request) -> JSON:
    svc = services(request)
    contest_id = _contest_id(request)
    code = request.path_params["code"]
    principal = await svc.auth.require(request, "organiser", "participant")
    if principal.role == "participant" and principal.contest_id != contest_id:
        raise forbidden("只能查看本人的得分")
    meta = await svc.contests.get(contest_id)
    if code not in meta.contestants:
        raise not_found("该选手", "code")
    if principal.role == "participant" and (
        principal.contest_id != contest_id or principal.subject != code
    ):
        raise forbidden("只能查看本人的得分")
    from arena.services.contests.views import results_view

    view = await results_view(meta, identities=principal.role == "organiser")
    row = next((r for r in view["rows"] if r["code"] == code), None)
    if row is None:
        raise UserError(409, "not_revealed", "该选手的成绩尚未揭晓", "code")
    return JSON({"contest": view["contest"], "of": len(meta.contestants), **row})


async def contest_export(request: Request) -> Response:
    svc = services(request)
    await svc.auth.require(request, "organiser")
    meta = await svc.contests.get(_contest_id(request))
    from arena.services.contests.views import export_xlsx

    return Response(
        await export_xlsx(meta),
        media_type=XLSX,
        headers={"Content-Disposition": f"attachment; filename=contest-{meta.id}.xlsx"},
    )


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


async def contest_socket(websocket: WebSocket) -> None:
    svc = services(websocket)
    try:
        contest_id = _contest_id(websocket)
        await svc.contests.get(contest_id)
    except UserError:
        await websocket.close(code=1008)
        return
    await serve(
        websocket,
        channel("contest", contest_id),
        lambda: svc.contest_state(contest_id),
        lambda p: may_see(p, contest_id),
    )


routes: list[BaseRoute] = [
    Route("/api/v1/contests", create_contest, methods=["POST"]),
    Route("/api/v1/contests/{contest_id}", contest_state, methods=["GET"]),
    Route("/api/v1/contests/{contest_id}/links", contest_links, methods=["GET"]),
    Route("/api/v1/contests/{contest_id}/steps", contest_step, methods=["POST"]),
    Route("/api/v1/contests/{contest_id}/scores", contest_score, methods=["POST"]),
    Route("/api/v1/contests/{contest_id}/results", contest_results, methods=["GET"]),
    Route("/api/v1/contests/{contest_id}/results.xlsx", contest_export, methods=["GET"]),
    Route("/api/v1/contests/{contest_id}/contestants/{code}", contestant_result, methods=["GET"]),
    WebSocketRoute("/ws/contests/{contest_id}", contest_socket),
]
