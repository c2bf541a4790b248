"""The results notice (通报): the organiser's page, its heading form's API, and its PDF.

The /api/v1 paths here must be routed before the API mount.
"""

from __future__ import annotations

from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

from arena.documents.notice import COLUMNS
from arena.errors import UserError
from arena.http.common import JSON, json_body, path_id, services
from arena.http.pages import render
from arena.services.inspection import InspectionService, draw_notes
from arena.services.notice import (
    heading_json,
    load_heading,
    notice_document,
    parse_heading,
    save_heading,
)
from arena.services.rounds import RoundMeta


async def _round(request: Request) -> tuple[RoundMeta, str]:
    svc = services(request)
    who = await svc.auth.require(request, "organiser")
    return await svc.rounds.get(path_id(request)), who.name


async def notice_page(request: Request) -> HTMLResponse:
    """The notice: its heading form, then the document as it will print."""
    meta, _ = await _round(request)
    svc = services(request)
    heading = await load_heading(meta.id)
    doc = None
    if heading is not None:
        snapshot = await svc.round_snapshot(meta.id)
        doc = notice_document(meta, heading, snapshot, await svc.standings.result(meta.id))
        doc = await draw_notes(InspectionService(svc.rounds), meta.id, doc)  # 随机抽取
    return render(
        request,
        "admin/notice.html",
        {"meta": meta, "heading": heading_json(heading), "doc": doc, "columns": COLUMNS},
    )


async def notice_pdf(request: Request) -> Response:
    """GET /admin/rounds/{id}/notice.pdf: the notice as an A4 PDF with embedded fonts."""
    from arena.documents.notice_pdf import notice_pdf as render_pdf

    meta, _ = await _round(request)
    svc = services(request)
    heading = await load_heading(meta.id)
    if heading is None:
        raise UserError(
            409,
            "notice_heading_missing",
            "请先在通报页填写发文机关、发文字号、主送机关和成文日期",
            "organ",
        )
    snapshot = await svc.round_snapshot(meta.id)
    doc = notice_document(meta, heading, snapshot, await svc.standings.result(meta.id))
    doc = await draw_notes(InspectionService(svc.rounds), meta.id, doc)  # 随机抽取
    filename = quote(f"{doc.title}.pdf")
    return Response(
        render_pdf(doc),
        media_type="application/pdf",
        headers={
            "Content-Disposition": (
                f"inline; filename=notice-{meta.id}.pdf; filename*=UTF-8''{filename}"
            ),
            "Cache-Control": "no-store",
        },
    )


async def heading_api(request: Request) -> JSON:
    """GET or PUT /api/v1/rounds/{id}/notice: the heading the notice prints."""
    meta, who = await _round(request)
    if request.method == "PUT":
        heading = parse_heading(await json_body(request))
        await save_heading(meta.id, heading, who)
    return JSON({"heading": heading_json(await load_heading(meta.id))})


routes = [
    Route("/admin/rounds/{round_id}/notice", notice_page),
    Route("/admin/rounds/{round_id}/notice.pdf", notice_pdf),
    Route("/api/v1/rounds/{round_id}/notice", heading_api, methods=["GET", "PUT"]),
]
