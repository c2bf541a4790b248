"""The round form (new, copy, edit), its as-you-type check, and the Excel template and upload."""

from __future__ import annotations

import json
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from arena.errors import UserError
from arena.http.boards import upload
from arena.http.common import JSON, json_body, path_id, script_json, services
from arena.http.pages import refused_page as page_error
from arena.http.pages import render
from arena.http.rounds.common import json_endpoint, organiser, setup
from arena.http.rounds.round_page import round_page
from arena.models import Campaign, Round, Sheet
from arena.rounds import workbook
from arena.services.round_setup import check, has_scores
from arena.services.rounds import STATUS_NAMES, RoundMeta

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _blank() -> dict[str, Any]:
    """A new round's starting point: the settings every round uses, no villages or judges yet."""
    d = json.loads(json.dumps(workbook.EXAMPLE))
    d.update(name="", date="", villages=[], judges=[])
    return d


async def _form(
    request: Request, mode: str, definition: dict[str, Any], meta: Any = None, **extra: Any
) -> Response:
    campaigns = await Campaign.all().order_by("-id").values_list("name", flat=True)
    state = {"mode": mode, "definition": definition, "campaigns": campaigns, **extra}
    return render(
        request,
        "admin/round_form.html",
        {
            "mode": mode,
            "state": script_json(state),  # read by the page script from a JSON block
            "round": meta,
            "title": {"new": "新建评比", "copy": "复制上一轮", "edit": "修改评比设置"}[mode],
            "source": extra.get("source"),
        },
    )


async def new_page(request: Request) -> Response:
    try:
        await organiser(request)
    except UserError as exc:
        return page_error(request, exc)
    return await _form(request, "new", _blank())


@round_page
async def copy_page(request: Request, meta: RoundMeta) -> Response:
    """The new-round form filled from an earlier round: same route, judges, items; new name/date."""
    definition = meta.definition.to_json()
    definition.update(name="", date="")
    return await _form(request, "copy", definition, source={"id": meta.id, "name": meta.name})


@round_page
async def edit_page(request: Request, meta: RoundMeta) -> Response:
    row = await Round.get(id=meta.id)
    scored = await has_scores(meta.id)
    pairs = await Sheet.filter(round_id=meta.id).values_list("judge__code", "village__code")
    return await _form(
        request,
        "edit",
        meta.definition.to_json(),
        round={"id": meta.id, "name": meta.name, "status": row.status},
        meta=meta,
        scored=scored,
        status_name=STATUS_NAMES[row.status],
        scored_pairs=sorted({f"{j}|{v}" for j, v in pairs}),
    )


async def check_draft(request: Request) -> Response:
    """Check a draft definition without storing anything (the form calls this as you type)."""
    await organiser(request)
    raw = request.query_params.get("round", "")
    round_id = int(raw) if raw.isdigit() and len(raw) <= 12 else None
    return JSON(
        await check(await json_body(request), round_id), headers={"Cache-Control": "no-store"}
    )


async def edit_round(request: Request) -> Response:
    principal = await organiser(request)
    round_id = path_id(request)
    answer = await setup(request).edit(round_id, await json_body(request), principal.actor)
    svc = services(request)
    svc.auth.forget()
    svc.round_changed(round_id)  # screens, tablets and village pages redraw with the new names
    return JSON(answer)


async def template_file(request: Request) -> Response:
    try:
        await organiser(request)
    except UserError as exc:
        return page_error(request, exc)
    return _xlsx(workbook.template(), "round-template.xlsx")


@round_page
async def setup_file(request: Request, meta: RoundMeta) -> Response:
    """A round's setup as a filled template (to keep, or to start the next round from)."""
    return _xlsx(workbook.write(meta.definition.to_json()), f"round-{meta.id}-setup.xlsx")


def _xlsx(content: bytes, filename: str) -> Response:
    return Response(
        content,
        media_type=XLSX,
        headers={"Content-Disposition": f"attachment; filename={filename}"},
    )


async def import_workbook(request: Request) -> Response:
    """Create a round from a filled template; with any problem nothing is stored."""
    principal = await organiser(request)
    _, content = await upload(request, "file")
    data, problems = workbook.read(content)
    if problems:
        first = problems[0]
        return JSON(
            {
                "error": {
                    "code": "invalid_workbook",
                    "message": f"工作簿中有 {len(problems)} 处问题，未建立评比",
                    "field": first["field"] or "file",
                    "problems": problems,
                }
            },
            status_code=422,
        )
    answer = await services(request).rounds.create(data, principal.actor)
    return JSON({"id": answer["id"], "url": f"/admin/rounds/{answer['id']}"}, status_code=201)


routes = [
    Route("/admin/rounds/new", new_page),
    Route("/admin/rounds/template.xlsx", template_file),
    Route("/admin/rounds/check", json_endpoint(check_draft), methods=["POST"]),
    Route("/admin/rounds/import", json_endpoint(import_workbook), methods=["POST"]),
    Route("/admin/rounds/{round_id}/copy", copy_page),
    Route("/admin/rounds/{round_id}/edit", edit_page, methods=["GET"]),
    Route("/admin/rounds/{round_id}/edit", json_endpoint(edit_round), methods=["POST"]),
    Route("/admin/rounds/{round_id}/setup.xlsx", setup_file),
]
