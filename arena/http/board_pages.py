"""Index board pages: the big screen, the organiser's page, and a participant's own village."""

from __future__ import annotations

from typing import Any

from starlette.requests import HTTPConnection, Request
from starlette.responses import HTMLResponse
from starlette.routing import BaseRoute, Route

from arena.http.common import path_id, script_json, services
from arena.http.pages import render
from arena.http.screens import page_seconds
from arena.models import Village
from arena.models.boards import FOLLOW_UP_STATUSES
from arena.services.boards import views
from arena.services.boards.followup import follow_ups, incentive_report
from arena.services.boards.service import BoardService

# What one board screen shows (chosen per screen link): everything, the top ten large, the
# bottom-20% follow-up list large, or the distribution and the red flags.
BOARD_LAYOUTS = ("auto", "top10", "followups", "chart")
SCOPE_LEVELS = {"county": "县", "city": "市"}  # whose leaders follow a village up


def board_service(conn: HTTPConnection) -> BoardService:
    """The app's board service."""
    return services(conn).boards


async def board_list(request: Request) -> HTMLResponse:
    await services(request).auth.require(request, "organiser")
    boards = await board_service(request).all_boards()
    archived = await board_service(request).all_boards(archived=True)
    return render(request, "boards/list.html", {"boards": boards, "archived": archived})


async def screen(request: Request) -> HTMLResponse:
    await services(request).auth.require(request, "organiser", "screen")
    c = await board_service(request).computed(path_id(request, "board_id"))
    if c.result is None:
        context: dict[str, Any] = {
            "title": c.meta.board.name,
            "message": "该指数榜尚未导入数值，导入后即可显示。",
        }
        return render(request, "error.html", context, status_code=409)
    rows = await follow_ups(c)
    # Every follow-up row: the screen pages a long list itself (ArenaPages).
    data = views.screen(c, rows)
    svc = services(request)
    layout = request.query_params.get("layout", "auto")
    context = {
        "s": data,
        "follow_up_total": len(rows),
        "data": script_json(data["histogram"]),
        "version": (await svc.board_version(c.meta.id))["version"],
        "board_id": c.meta.id,
        "heartbeat": svc.settings.live.heartbeat_seconds,
        "layout": layout if layout in BOARD_LAYOUTS else "auto",
        "page_seconds": page_seconds(request),
    }
    return render(request, "boards/screen.html", context)


async def admin(request: Request) -> HTMLResponse:
    await services(request).auth.require(request, "organiser")
    c = await board_service(request).computed(path_id(request, "board_id"))
    report = incentive_report(c) if c.result is not None else None
    context = {
        "b": views.board_summary(c),
        "townships": sorted(set(c.meta.townships.tolist())),
        "report": report,
        "statuses": FOLLOW_UP_STATUSES,
    }
    return render(request, "boards/admin.html", context)


async def village(request: Request) -> HTMLResponse:
    principal = await services(request).auth.require(request, "participant")
    own = await Village.get_or_none(id=principal.village_id) if principal.village_id else None
    service = board_service(request)
    found = await service.latest_for(own.name, own.township) if own else None
    if own is None or found is None:
        where = f"{own.township}{own.name}" if own else "本村"
        message = f"暂未找到包含{where}的强村富民指数榜。"
        message += "指数榜由组织部导入数据后，这里会显示本村的位置。"
        context: dict[str, Any] = {"village": own, "detail": None, "message": message}
        return render(request, "boards/village.html", context)
    board_id, code = found
    c = await service.computed(board_id)
    detail = views.village_detail(c, code, await views.trend(service, c.meta, code))
    # the one-to-one follow-up the organiser entered for this village (leader, measures, dates)
    follow = next((r for r in await follow_ups(c) if r["village"] == code), None)
    context = {
        "village": own,
        "detail": detail,
        "follow": follow,
        "level": SCOPE_LEVELS.get(detail["board"]["scope"]["level"], "县"),
        "data": script_json(detail),
        "message": "",
    }
    return render(request, "boards/village.html", context)


routes: list[BaseRoute] = [
    Route("/admin/boards", board_list),
    Route("/admin/boards/{board_id}", admin),
    Route("/screen/boards/{board_id}", screen),
    Route("/village/board", village),
]
