"""The replay page, its frames (JSON) and the self-contained HTML export."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import BaseRoute, Route

from arena.errors import UserError
from arena.http.assets import STATIC
from arena.http.common import JSON, path_id, script_json, services
from arena.http.pages import refused_page, render
from arena.http.screens import round_viewer
from arena.services.replay import ReplayService, granularity


def _service(request: Request) -> ReplayService:
    """The app's replay service (made on first use; it keeps recent frames)."""
    service = getattr(request.app.state, "replay", None)
    if service is None:
        svc = services(request)
        service = ReplayService(svc.standings, svc.settings.zone)
        request.app.state.replay = service
    return service  # type: ignore[no-any-return]


async def replay_page(request: Request) -> Response:
    try:
        round_id = path_id(request)
        principal = await round_viewer(request, round_id)
    except UserError as exc:
        return refused_page(request, exc)
    meta = await services(request).rounds.get(round_id)
    organiser = principal.role == "organiser"
    return render(
        request,
        "screen/replay.html",
        {"round_id": round_id, "meta": meta, "organiser": organiser, "inline": None},
    )


async def replay_data(request: Request) -> JSON:
    """GET /api/v1/rounds/{id}/replay?by=stop|sheet[&village=CODE]."""
    round_id = path_id(request)
    principal = await round_viewer(request, round_id)
    organiser = principal.role == "organiser"
    by = granularity(request.query_params.get("by"), organiser)
    village = request.query_params.get("village") or None
    return JSON(await _service(request).view(round_id, by, organiser, village))


async def replay_export(request: Request) -> Response:
    """One HTML file with the frames, script and style inside: plays with no network."""
    svc = services(request)
    try:
        await svc.auth.require(request, "organiser")
        round_id = path_id(request)
        meta = await svc.rounds.get(round_id)
    except UserError as exc:
        return refused_page(request, exc)
    # Sent to townships: stop by stop, as a village may see it (no sheet-by-sheet detail).
    try:
        data = await _service(request).view(round_id, "stop", organiser=False)
    except UserError as exc:
        if exc.code != "reveal_pending":
            raise
        exc = UserError(409, "reveal_pending", "名次全部揭晓后才能导出复盘（导出件将发给各乡镇）")
        return refused_page(request, exc)
    inline = {
        "css": (STATIC / "css" / "replay.css").read_text(encoding="utf-8"),
        "js": (STATIC / "js" / "replay.js").read_text(encoding="utf-8"),
        "data": script_json(data),
    }
    html = render(
        request,
        "screen/replay.html",
        {"round_id": round_id, "meta": meta, "organiser": False, "inline": inline},
    ).body
    name = f"replay-round-{round_id}.html"
    return HTMLResponse(
        html,
        headers={
            "Content-Disposition": f'attachment; filename="{name}"',
            "Cache-Control": "no-store",
        },
    )


routes: list[BaseRoute] = [
    Route("/screen/rounds/{round_id}/replay", replay_page),
    Route("/api/v1/rounds/{round_id}/replay", replay_data),
    Route("/admin/rounds/{round_id}/replay.html", replay_export),
]
