"""Integration API v1 (DESIGN.md): the stable JSON contract other systems drive Arena through."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from arena.errors import forbidden, not_found
from arena.http.common import JSON, json_body, path_id, services
from arena.http.corrections import require_confirmation
from arena.services.audit import latest_hash
from arena.services.round_export import export_round


async def create_round(request: Request) -> JSON:
    svc = services(request)
    principal = await svc.auth.require(request, "organiser")
    data = await json_body(request)
    return JSON(await svc.rounds.create(data, principal.actor), status_code=201)


async def get_round(request: Request) -> JSON:
    svc = services(request)
    round_id = path_id(request)
    principal = await svc.auth.require(request)
    if principal.role != "organiser" and principal.round_id != round_id:
        raise forbidden("无权查看该轮拉练")
    meta = await svc.rounds.get(round_id)
    result = await svc.standings.result(round_id)
    definition = meta.definition.to_json()
    if principal.role != "organiser":
        # Judges are anonymous to everyone but organisers: no names, no order, no recusals.
        definition["judges"] = len(definition["judges"])
    return JSON(
        {
            "id": round_id,
            "status": result.status,
            "revision": result.revision,
            **definition,
        }
    )


async def round_links(request: Request) -> JSON:
    svc = services(request)
    await svc.auth.require(request, "organiser")
    return JSON(await svc.rounds.links(path_id(request)))


async def reissue_link(request: Request) -> JSON:
    svc = services(request)
    principal = await svc.auth.require(request, "organiser")
    data = await json_body(request)
    role, code = data.get("role"), data.get("code")
    if role not in ("judge", "participant", "screen") or not isinstance(code, str):
        raise not_found("该链接", "code")
    answer = await svc.rounds.reissue(path_id(request), role, code, principal.actor)
    svc.auth.forget()
    await svc.sockets.sweep()  # this process at once; the others within token_cache_seconds
    return JSON(answer, status_code=201)


async def submit_sheet(request: Request) -> JSON:
    svc = services(request)
    principal = await svc.auth.require(request, "judge")
    round_id = path_id(request)
    await svc.rounds.get(round_id)
    if principal.round_id != round_id:  # authorise before reading the body
        raise forbidden("您不是本轮拉练的评委")
    status, answer = await svc.scores.submit_sheet(principal, round_id, await json_body(request))
    return JSON(answer, status_code=status)


async def add_deduction(request: Request) -> JSON:
    svc = services(request)
    principal = await svc.auth.require(request, "organiser")
    round_id = path_id(request)
    await svc.rounds.get(round_id)
    status, answer = await svc.scores.add_deduction(principal, round_id, await json_body(request))
    return JSON(answer, status_code=status)


async def set_satisfaction(request: Request) -> JSON:
    svc = services(request)
    principal = await svc.auth.require(request, "organiser")
    round_id = path_id(request)
    await svc.rounds.get(round_id)
    status, answer = await svc.scores.set_satisfaction(
        principal, round_id, await json_body(request)
    )
    return JSON(answer, status_code=status)


async def standings(request: Request) -> JSON:
    svc = services(request)
    round_id = path_id(request)
    principal = await svc.auth.require(request)
    if principal.role != "organiser" and principal.round_id != round_id:
        raise forbidden("无权查看该轮拉练")
    # From the freeze until each place is announced only organisers see live figures.
    return JSON(await svc.standings_json(round_id, live=principal.role == "organiser"))


async def village(request: Request) -> JSON:
    svc = services(request)
    round_id = path_id(request)
    code = request.path_params["code"]
    principal = await svc.auth.require(request, "organiser", "participant")
    meta = await svc.rounds.get(round_id)
    if code not in meta.villages:
        raise not_found("该村", "code")
    if principal.role == "participant" and (
        principal.round_id != round_id or principal.village_id != meta.villages[code].id
    ):
        raise forbidden("只能查看本村的得分")
    return JSON(
        await svc.village_breakdown(round_id, code, identities=principal.role == "organiser")
    )


async def export(request: Request) -> Response:
    svc = services(request)
    await svc.auth.require(request, "organiser")
    round_id = path_id(request)
    result = await svc.standings.result(round_id)
    content = await export_round(result, await latest_hash(), svc.settings.zone)
    return Response(
        content,
        media_type=XLSX,
        headers={"Content-Disposition": f"attachment; filename=round-{round_id}.xlsx"},
    )


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def transition(action: str):  # type: ignore[no-untyped-def]
    async def endpoint(request: Request) -> JSON:
        svc = services(request)
        principal = await svc.auth.require(request, "organiser")
        round_id = path_id(request)
        await require_confirmation(request, action)  # publish over open problems: 409
        status = await svc.rounds.transition(round_id, action, principal.actor)
        svc.round_changed(round_id)
        return JSON({"id": round_id, "status": status})

    return endpoint


routes = [
    Route("/rounds", create_round, methods=["POST"]),
    Route("/rounds/{round_id}", get_round, methods=["GET"]),
    Route("/rounds/{round_id}/links", round_links, methods=["GET"]),
    Route("/rounds/{round_id}/links", reissue_link, methods=["POST"]),
    Route("/rounds/{round_id}/sheets", submit_sheet, methods=["POST"]),
    Route("/rounds/{round_id}/deductions", add_deduction, methods=["POST"]),
    Route("/rounds/{round_id}/satisfaction", set_satisfaction, methods=["POST"]),
    Route("/rounds/{round_id}/standings", standings, methods=["GET"]),
    Route("/rounds/{round_id}/villages/{code}", village, methods=["GET"]),
    Route("/rounds/{round_id}/export.xlsx", export, methods=["GET"]),
    *(
        Route(f"/rounds/{{round_id}}/{action}", transition(action), methods=["POST"])
        for action in ("lock", "unlock", "publish")
    ),
]
