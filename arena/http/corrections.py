"""Organisers correct a round: deductions, satisfaction figures, judges' sheets, checks.

Pages under /admin/rounds/{id}/…, the JSON they read, and the API v1 writes they call (these
paths sit under /api/v1 and must be routed before the API mount).
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.routing import Route

from arena.errors import UserError
from arena.http.common import JSON, json_body, organiser_write, path_id, services
from arena.http.pages import render
from arena.services.corrections import CorrectionWriter, round_checks, unconfirmed
from arena.services.corrections.views import deductions_view, satisfaction_view, sheets_view
from arena.services.rounds import STATUS_NAMES

PAGES = {
    "deductions": ("扣分项录入", deductions_view),
    "satisfaction": ("满意度录入", satisfaction_view),
    "sheets": ("评分表更正", sheets_view),
}


def _writer(request: Request) -> CorrectionWriter:
    return CorrectionWriter(services(request).scores)


async def page(request: Request) -> HTMLResponse:
    svc = services(request)
    await svc.auth.require(request, "organiser")
    kind = request.url.path.rsplit("/", 1)[1]
    meta = await svc.rounds.get(path_id(request))
    result = await svc.standings.result(meta.id)
    title = PAGES[kind][0] if kind in PAGES else "锁定与发布前检查"
    return render(
        request,
        f"admin/{kind}.html",
        {
            "round": meta,
            "title": title,
            "kind": kind,
            "status": result.status,
            "status_name": STATUS_NAMES[result.status],
        },
    )


async def page_data(request: Request) -> JSON:
    """What a correction page shows, read again after every change."""
    svc = services(request)
    try:
        await svc.auth.require(request, "organiser")
        kind = request.url.path.rsplit("/", 1)[1].removesuffix(".json")
        result = await svc.standings.result(path_id(request))
        answer = await PAGES[kind][1](result)
    except UserError as exc:  # the page's script reads JSON errors, whatever it accepts
        return JSON(exc.body(), status_code=exc.status, headers={"Cache-Control": "no-store"})
    answer["round"]["status_name"] = STATUS_NAMES[answer["round"]["status"]]
    return JSON(answer, headers={"Cache-Control": "no-store"})


async def checks_view(request: Request) -> dict[str, Any]:
    """GET /api/v1/rounds/{id}/checks: what is missing or doubtful, each place named."""
    svc = services(request)
    result = await svc.standings.result(path_id(request))
    checks = await round_checks(result)
    return {
        "round": {**result.meta.summary(result.status), "status_name": STATUS_NAMES[result.status]},
        "ok": not checks,
        "count": sum(len(c.items) for c in checks),
        "problems": [c.to_json() for c in checks],
    }


async def checks(request: Request) -> JSON:
    await services(request).auth.require(request, "organiser")
    return JSON(await checks_view(request), headers={"Cache-Control": "no-store"})


async def require_confirmation(request: Request, action: str) -> None:
    """Publishing with problems outstanding needs {"confirm": true} in the body (else a 409).

    Locking can be undone (unlock), so the API locks without it; the checks page asks anyway.
    """
    if action != "publish":
        return
    empty = request.headers.get("content-length", "0") == "0"
    bodyless = empty and "transfer-encoding" not in request.headers
    # A body, when there is one, is read like every JSON body: size limit, JSON type (415).
    data = {} if bodyless else await json_body(request)
    if data.get("confirm") is True:
        return
    found = await round_checks(await services(request).standings.result(path_id(request)))
    if found:
        raise unconfirmed(found, action)


withdraw_deduction = organiser_write(lambda r: _writer(r).withdraw_deduction, "deduction_id")
withdraw_satisfaction = organiser_write(
    lambda r: _writer(r).withdraw_satisfaction, "code", numeric=False
)
void_sheet = organiser_write(lambda r: _writer(r).void_sheet, "sheet_id")
proxy_sheet = organiser_write(lambda r: _writer(r).proxy_sheet)


API = "/api/v1/rounds/{round_id}"
routes = [
    *(Route(f"/admin/rounds/{{round_id}}/{kind}", page) for kind in (*PAGES, "checks")),
    *(Route(f"/admin/rounds/{{round_id}}/{kind}.json", page_data) for kind in PAGES),
    Route(f"{API}/checks", checks, methods=["GET"]),
    Route(f"{API}/deductions/{{deduction_id}}/withdraw", withdraw_deduction, methods=["POST"]),
    Route(f"{API}/satisfaction/{{code}}/withdraw", withdraw_satisfaction, methods=["POST"]),
    Route(f"{API}/sheets/{{sheet_id}}/void", void_sheet, methods=["POST"]),
    Route(f"{API}/proxy-sheets", proxy_sheet, methods=["POST"]),
]
