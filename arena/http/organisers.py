"""Organisers during a tour: progress board, judge cards, personal links (the notice: notice.py)."""

from __future__ import annotations

import segno
from markupsafe import Markup
from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.routing import Route

from arena.backup.run import backup_status
from arena.errors import UserError
from arena.http.common import JSON, path_id, services
from arena.http.pages import render
from arena.services.consistency import suspect_view
from arena.services.judging import progress, round_status
from arena.services.rounds import STATUS_NAMES, RoundMeta


async def _organiser_round(request: Request) -> RoundMeta:
    svc = services(request)
    await svc.auth.require(request, "organiser")
    return await svc.rounds.get(path_id(request))


def qr_svg(url: str) -> Markup:
    """The QR code of a personal link as inline SVG, made here (no outside service)."""
    svg = segno.make(url, error="m").svg_inline(scale=4, border=2, title="个人链接二维码")
    return Markup(svg)


async def progress_page(request: Request) -> HTMLResponse:
    meta = await _organiser_round(request)
    return render(request, "admin/progress.html", {"round": meta})


async def progress_data(request: Request) -> JSON:
    try:
        meta = await _organiser_round(request)
        svc = services(request)
        flagged = [suspect_view(meta, x) for x in await svc.consistency.suspects(meta.id)]
        answer = await progress(svc.rounds, meta.id, flagged)
        answer["backup"] = backup_status(svc.settings)  # the last automatic backup, or its failure
    except UserError as exc:  # the board's script reads JSON errors, whatever it accepts
        return JSON(exc.body(), status_code=exc.status, headers={"Cache-Control": "no-store"})
    return JSON(answer, headers={"Cache-Control": "no-store"})


async def cards_page(request: Request) -> HTMLResponse:
    meta = await _organiser_round(request)
    links = await services(request).rounds.links(meta.id)
    cards = [
        {
            "code": j["code"],
            "name": j["name"],
            "unit": meta.judges[j["code"]].unit if j["code"] in meta.judges else "",
            "url": j["url"],
            "qr": qr_svg(j["url"]) if j["url"] else None,
        }
        for j in links["judges"]
    ]
    return render(request, "admin/cards.html", {"round": meta, "cards": cards})


async def links_page(request: Request) -> HTMLResponse:
    meta = await _organiser_round(request)
    links = await services(request).rounds.links(meta.id)
    groups = [("judge", "评委", links["judges"]), ("participant", "试点村", links["villages"])]
    if "screen" in links:
        groups.append(("screen", "大屏", [links["screen"]]))
    status = await round_status(meta.id)
    return render(
        request,
        "admin/links.html",
        {"round": meta, "groups": groups, "status_name": STATUS_NAMES[status]},
    )


routes = [
    Route("/admin/rounds/{round_id}/progress", progress_page),
    Route("/admin/rounds/{round_id}/progress.json", progress_data),
    Route("/admin/rounds/{round_id}/cards", cards_page),
    Route("/admin/rounds/{round_id}/links", links_page),
]
