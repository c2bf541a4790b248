"""The organiser's home (rounds by campaign) and a round's home: status, progress, audit."""

from __future__ import annotations

import dataclasses
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from arena.errors import UserError
from arena.http.common import JSON, path_id, services
from arena.http.pages import refused_page as page_error
from arena.http.pages import render
from arena.http.rounds.common import json_endpoint, organiser, setup
from arena.http.rounds.round_page import round_page
from arena.models import AuditEvent, Round
from arena.services import audit
from arena.services.round_setup import has_scores
from arena.services.rounds import STATUS_NAMES, RoundMeta

ACTION_NAMES = {
    "round.create": "创建本轮",
    "round.edit": "修改设置",
    "round.lock": "锁定评分",
    "round.unlock": "解除锁定",
    "round.publish": "公布结果",
    "round.archive": "归档",
    "round.unarchive": "取消归档",
    "link.reissue": "更换个人链接",
}


async def admin_home(request: Request) -> Response:
    """Rounds grouped by campaign (newest first), with new-round and copy buttons; contests."""
    try:
        await organiser(request)
    except UserError as exc:
        return page_error(request, exc)
    svc = services(request)
    show_archived = request.query_params.get("archived") == "1"
    archived = dict(await Round.all().values_list("id", "archived"))
    campaigns: dict[str, dict[str, Any]] = {}
    hidden = 0
    for r in await svc.rounds_overview():
        r["archived"] = bool(archived.get(r["id"]))
        group = campaigns.setdefault(r["campaign"], {"name": r["campaign"], "rounds": []})
        group.setdefault("latest", r["id"])  # newest first: the round to copy next
        if r["archived"] and not show_archived:
            hidden += 1
            continue
        group["rounds"].append(r)
    contests = await svc.contests_overview()
    return render(
        request,
        "admin/index.html",
        {
            "campaigns": list(campaigns.values()),
            "hidden": hidden,
            "show_archived": show_archived,
            "contests": contests,
        },
    )


@round_page
async def round_home(request: Request, meta: RoundMeta) -> Response:
    """Everything about one round on one page, every action one click away."""
    svc = services(request)
    row = await Round.get(id=meta.id)
    snapshot = await svc.round_snapshot(meta.id)
    by_code = {r["village"]: r for r in snapshot["rows"]}
    villages = [
        {
            "code": v.code,
            "name": v.name,
            "township": v.township,
            "county": v.county,
            "judges": len(meta.expected_judges(v)),
            **{
                k: by_code.get(v.code, {}).get(k)
                for k in ("sheets_in", "sheets_expected", "provisional", "rank", "total")
            },
            "satisfaction_missing": by_code.get(v.code, {}).get("satisfaction_missing", False),
        }
        for v in meta.villages.values()
    ]
    events = await AuditEvent.filter(subject=f"round:{meta.id}").order_by("-id").limit(8)
    return render(
        request,
        "admin/round_home.html",
        {
            "round": meta,
            "status": row.status,
            "status_name": STATUS_NAMES[row.status],
            "archived": row.archived,
            "scored": await has_scores(meta.id),
            "snapshot": snapshot,
            "villages": villages,
            "judges": list(meta.judges.values()),
            "events": [
                {
                    "id": e.id,
                    "at": e.at[:19].replace("T", " "),
                    "actor": e.actor,
                    "action": ACTION_NAMES.get(e.action, e.action),
                }
                for e in events
            ],
            "head": await audit.latest_hash(),
        },
    )


async def verify_audit(request: Request) -> Response:
    """Check the whole hash chain and this round's stored rows against it, as `arena audit
    verify` does, and say what was found."""
    from arena.services.audit_state import verify_all

    await organiser(request)
    round_id = path_id(request)
    await services(request).rounds.get(round_id)
    report = await verify_all()
    mine = [str(d) for d in report.differences if d.subject == f"round:{round_id}"]
    answer = dataclasses.asdict(report.chain)
    if answer["ok"] and mine:
        answer.update(ok=False, reason=f"数据与审计链不符：{mine[0]}" + (
            f"等共 {len(mine)} 处" if len(mine) > 1 else ""
        ))  # fmt: skip
    return JSON({**answer, "differences": mine[:50]}, headers={"Cache-Control": "no-store"})


async def delete_round(request: Request) -> Response:
    principal = await organiser(request)
    round_id = path_id(request)
    answer = await setup(request).delete(round_id, principal.actor)
    services(request).auth.forget()
    return JSON(answer)


def archiving(archived: bool):  # type: ignore[no-untyped-def]
    async def endpoint(request: Request) -> Response:
        principal = await organiser(request)
        return JSON(await setup(request).archive(path_id(request), archived, principal.actor))

    return endpoint


routes = [
    Route("/admin", admin_home),
    Route("/admin/rounds/{round_id}", round_home),
    Route("/admin/rounds/{round_id}/audit", json_endpoint(verify_audit), methods=["POST"]),
    Route("/admin/rounds/{round_id}/delete", json_endpoint(delete_round), methods=["POST"]),
    Route("/admin/rounds/{round_id}/archive", json_endpoint(archiving(True)), methods=["POST"]),
    Route("/admin/rounds/{round_id}/unarchive", json_endpoint(archiving(False)), methods=["POST"]),
]
