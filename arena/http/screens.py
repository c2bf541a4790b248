"""Meeting screens and the organiser's side of the results meeting: pages, reveal, live channels."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from starlette.requests import HTTPConnection, Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route, WebSocketRoute
from starlette.websockets import WebSocket

from arena.auth import Principal
from arena.errors import UserError, forbidden, not_found
from arena.http.common import JSON, path_id, services
from arena.http.pages import refused_page as page_error
from arena.http.pages import render
from arena.live.channels import channel
from arena.live.endpoint import POLICY_VIOLATION, serve_channel
from arena.services.socket_watch import credential_key

REVEAL_ACTIONS = ("freeze", "step", "release")


def query_round(conn: HTTPConnection) -> int:
    """The ?round= id of a page, or a 404."""
    raw = conn.query_params.get("round", "")
    if not raw.isdigit() or len(raw) > 12:
        raise not_found("该轮拉练", "round")
    return int(raw)


async def round_viewer(conn: HTTPConnection, round_id: int) -> Principal:
    """An organiser, or anyone whose link belongs to this round (screens, judges, villages)."""
    svc = services(conn)
    await svc.rounds.get(round_id)
    principal = await svc.auth.require(conn)
    if principal.role != "organiser" and principal.round_id != round_id:
        raise forbidden("无权查看该轮拉练")
    return principal


async def screen_page(request: Request) -> Response:
    try:
        round_id = query_round(request)
        await round_viewer(request, round_id)
    except UserError as exc:
        return page_error(request, exc)
    meta = await services(request).rounds.get(round_id)
    return render(
        request,
        "screen/index.html",
        {
            "round_id": round_id,
            "meta": meta,
            "heartbeat": heartbeat(request),
            "layout": screen_layout(request),
            "page_seconds": page_seconds(request),
        },
    )


# What one screen shows (chosen per screen link): the whole ranking with the change chart beside
# it where the screen is wide enough, the table alone, the bottom 20% large, or the top ten.
LAYOUTS = ("auto", "chart", "full", "bottom20", "top10")


def screen_layout(request: Request) -> str:
    layout = request.query_params.get("layout", "auto")
    return layout if layout in LAYOUTS else "auto"


def page_seconds(request: Request) -> int:
    """Seconds each page of a long ranking stays up (2–120; 12 unless the link says)."""
    raw = request.query_params.get("page_seconds", "")
    return min(120, max(2, int(raw))) if raw.isdigit() and len(raw) < 4 else 12


def heartbeat(conn: HTTPConnection) -> float:
    """Seconds between the server's heartbeats (live pages detect a dead link from it)."""
    return services(conn).settings.live.heartbeat_seconds


async def organiser(request: Request) -> Principal:
    """The organiser behind a console request."""
    return await services(request).auth.require(request, "organiser")


async def console_page(request: Request) -> Response:
    try:
        await organiser(request)
        round_id = path_id(request)
        meta = await services(request).rounds.get(round_id)
    except UserError as exc:
        return page_error(request, exc)
    return render(
        request,
        "admin/console.html",
        {"round_id": round_id, "meta": meta, "heartbeat": heartbeat(request)},
    )


async def reveal_state(request: Request) -> JSON:
    await organiser(request)
    return JSON(await services(request).reveal_state(path_id(request)))


async def reveal_action(request: Request) -> JSON:
    principal = await organiser(request)
    action = request.path_params["action"]
    if action not in REVEAL_ACTIONS:
        raise not_found("该操作", "action")
    svc = services(request)
    return JSON(await svc.reveal_action(path_id(request), action, principal.actor))


Snapshot = Callable[[], Awaitable[Any]]
Authorise = Callable[[Principal], bool]


async def serve(
    websocket: WebSocket,
    name: str,
    snapshot: Snapshot,
    allowed: Authorise,
    full_updates: bool = True,
) -> None:
    """Check the handshake's credential (cookie or bearer), then serve the channel."""
    svc = services(websocket)
    principal = await svc.auth.principal(websocket)
    if principal is None or not allowed(principal):
        await websocket.close(code=POLICY_VIOLATION)  # before accept: the client sees HTTP 403
        return
    live = svc.settings.live
    # Watched so a link replaced (or a session ended) later closes this socket too.
    key = credential_key(websocket, svc.auth.cookie_name) or ""
    svc.sockets.add(key, websocket)
    try:
        await serve_channel(
            websocket,
            hub=svc.hub,
            channel=name,
            snapshot=snapshot,
            heartbeat_seconds=live.heartbeat_seconds,
            allowed_origins=live.allowed_origins or None,
            full_updates=full_updates,
        )
    finally:
        svc.sockets.discard(key, websocket)


async def socket_round(websocket: WebSocket, round_id: int) -> bool:
    """True if the round exists; otherwise refuse the handshake."""
    try:
        await services(websocket).rounds.get(round_id)
    except UserError:
        await websocket.close(code=POLICY_VIOLATION)
        return False
    return True


async def round_socket(websocket: WebSocket, *, private: bool) -> None:
    """The live channel of a round: public (what screens may show) or private (organisers only)."""
    try:
        round_id = path_id(websocket)
    except UserError:
        await websocket.close(code=POLICY_VIOLATION)
        return
    if not await socket_round(websocket, round_id):
        return
    svc = services(websocket)
    snapshot = svc.round_snapshot if private else svc.public_snapshot
    await serve(
        websocket,
        channel("round", round_id, private=private),
        lambda: snapshot(round_id),
        lambda p: p.role == "organiser" or (not private and p.round_id == round_id),
    )


async def public_socket(websocket: WebSocket) -> None:
    await round_socket(websocket, private=False)


async def live_socket(websocket: WebSocket) -> None:
    await round_socket(websocket, private=True)


routes: list[BaseRoute] = [
    Route("/screen", screen_page),
    Route("/admin/rounds/{round_id}/console", console_page),
    Route("/admin/rounds/{round_id}/reveal", reveal_state, methods=["GET"]),
    Route("/admin/rounds/{round_id}/reveal/{action}", reveal_action, methods=["POST"]),
    WebSocketRoute("/ws/rounds/{round_id}", public_socket),
    WebSocketRoute("/ws/rounds/{round_id}/live", live_socket),
]
