"""Participants (村/镇党组织书记): their own village's breakdown, page and live channel."""

from __future__ import annotations

from starlette.requests import HTTPConnection, Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route, WebSocketRoute
from starlette.websockets import WebSocket

from arena.errors import UserError, forbidden, not_found
from arena.http.common import path_id, script_json, services
from arena.http.pages import refused_page as page_error
from arena.http.pages import render
from arena.http.screens import heartbeat, query_round, serve, socket_round
from arena.live.channels import channel
from arena.live.endpoint import POLICY_VIOLATION
from arena.services.rounds import VillageMeta


async def own_village(conn: HTTPConnection, round_id: int, code: str | None) -> VillageMeta:
    """The participant's own village; an organiser may name any village of the round."""
    svc = services(conn)
    meta = await svc.rounds.get(round_id)
    principal = await svc.auth.require(conn, "participant", "organiser")
    if principal.role == "participant":
        if principal.round_id != round_id:
            raise forbidden("只能查看本村的得分")
        village = meta.village_by_id(principal.village_id or -1)
        if village is None or (code is not None and code != village.code):
            raise forbidden("只能查看本村的得分")
        return village
    if code is None or code not in meta.villages:
        raise not_found("该村", "village")
    return meta.villages[code]


async def village_page(request: Request) -> Response:
    try:
        round_id = query_round(request)
        village = await own_village(request, round_id, request.query_params.get("village"))
    except UserError as exc:
        return page_error(request, exc)
    svc = services(request)
    meta = await svc.rounds.get(round_id)
    # The same snapshot the village's channel sends first (freeze rules included), in the page.
    initial = await svc.village_snapshot(round_id, village.code)
    return render(
        request,
        "participant/index.html",
        {
            "round_id": round_id,
            "meta": meta,
            "village": village,
            "heartbeat": heartbeat(request),
            "initial": script_json(initial),
        },
    )


async def village_socket(websocket: WebSocket) -> None:
    try:
        round_id = path_id(websocket)
    except UserError:
        await websocket.close(code=POLICY_VIOLATION)
        return
    if not await socket_round(websocket, round_id):
        return
    svc = services(websocket)
    meta = await svc.rounds.get(round_id)
    code = websocket.path_params["code"]
    village = meta.villages.get(code)
    if village is None:
        await websocket.close(code=POLICY_VIOLATION)
        return
    await serve(
        websocket,
        channel("village", village.id),
        lambda: svc.village_snapshot(round_id, code),
        lambda p: p.role == "organiser" or (p.role == "participant" and p.village_id == village.id),
        full_updates=False,  # "changed" hints: the snapshot is computed on resync
    )


routes: list[BaseRoute] = [
    Route("/village", village_page),
    WebSocketRoute("/ws/rounds/{round_id}/villages/{code}", village_socket),
]
