"""Contest (擂台赛) pages: the host's console, the links page, the big screen, the contestant's."""

from __future__ import annotations

from starlette.requests import HTTPConnection, Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from arena.auth import Principal
from arena.errors import UserError, forbidden, not_found
from arena.http.common import path_id, services
from arena.http.organisers import qr_svg
from arena.http.pages import refused_page as page_error
from arena.http.pages import render
from arena.http.screens import heartbeat, page_seconds
from arena.services.contests.catalogue import ContestMeta


def query_contest(conn: HTTPConnection) -> int:
    """The ?contest= id of a page, or a 404."""
    raw = conn.query_params.get("contest", "")
    if not raw.isdigit() or len(raw) > 12:
        raise not_found("该擂台赛", "contest")
    return int(raw)


async def _viewer(conn: HTTPConnection, contest_id: int, *roles: str) -> Principal:
    """An organiser, or someone holding one of `roles` on this contest's links."""
    svc = services(conn)
    await svc.contests.get(contest_id)
    principal = await svc.auth.require(conn, "organiser", *roles)
    if principal.role != "organiser" and principal.contest_id != contest_id:
        raise forbidden("无权查看该擂台赛")
    return principal


async def _organiser_contest(request: Request) -> ContestMeta:
    svc = services(request)
    await svc.auth.require(request, "organiser")
    return await svc.contests.get(path_id(request, "contest_id"))


def _judges(meta: ContestMeta) -> list[dict[str, str]]:
    return [
        {"label": meta.judge_label(j.code), "code": j.code, "name": j.name}
        for j in meta.definition.judges
    ]


async def console_page(request: Request) -> Response:
    try:
        meta = await _organiser_contest(request)
    except UserError as exc:
        return page_error(request, exc)
    return render(
        request,
        "contest/console.html",
        {"meta": meta, "judges": _judges(meta), "heartbeat": heartbeat(request)},
    )


async def links_page(request: Request) -> Response:
    try:
        meta = await _organiser_contest(request)
    except UserError as exc:
        return page_error(request, exc)
    links = await services(request).contests.links(meta.id)
    groups = [
        ("judge", "评委", links["judges"]),
        ("participant", "选手", links["contestants"]),
        ("screen", "大屏", [links["screen"]]),
    ]
    cards = [
        (role, title, [{**e, "qr": qr_svg(e["url"]) if e["url"] else None} for e in entries])
        for role, title, entries in groups
    ]
    return render(request, "contest/links.html", {"meta": meta, "groups": cards})


async def screen_page(request: Request) -> Response:
    try:
        contest_id = query_contest(request)
        await _viewer(request, contest_id, "screen", "judge", "participant")
    except UserError as exc:
        return page_error(request, exc)
    meta = await services(request).contests.get(contest_id)
    context = {"meta": meta, "heartbeat": heartbeat(request), "page_seconds": page_seconds(request)}
    return render(request, "contest/screen.html", context)


async def mine_page(request: Request) -> Response:
    try:
        contest_id = query_contest(request)
        principal = await _viewer(request, contest_id, "participant")
        meta = await services(request).contests.get(contest_id)
        code = principal.subject if principal.role == "participant" else None
        code = code or request.query_params.get("code", "")
        if code not in meta.contestants:
            raise not_found("该选手", "code")
    except UserError as exc:
        return page_error(request, exc)
    person = next(c for c in meta.definition.contestants if c.code == code)
    return render(
        request,
        "contest/mine.html",
        {"meta": meta, "person": person, "heartbeat": heartbeat(request)},
    )


routes: list[BaseRoute] = [
    Route("/admin/contests/{contest_id}/console", console_page),
    Route("/admin/contests/{contest_id}/links", links_page),
    Route("/screen/contest", screen_page),
    Route("/contest/mine", mine_page),
]
