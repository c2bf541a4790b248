"""What judges and organisers read during a tour: a judge's own state, the progress grid."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Sequence
from decimal import Decimal
from typing import Any

from arena.auth import Principal
from arena.errors import forbidden
from arena.models import Contest, Contestant, ContestScore, Round, Sheet
from arena.rounds.definition import ItemDef, num
from arena.services.contests.catalogue import ContestCatalogue
from arena.services.contests.flow import PHASE_NAMES
from arena.services.inspection import drawn_route
from arena.services.rounds import STATUS_NAMES, RoundCatalogue
from arena.services.tablets import round_heals

PAPERS = ("shared", "demonstration")
PAPER_NAMES = {"shared": "共性目标", "demonstration": "示范目标"}


def _items(items: tuple[ItemDef, ...]) -> list[dict[str, Any]]:
    return [{"code": i.code, "name": i.name, "max": num(i.max), "guide": i.guide} for i in items]


def _iso(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).isoformat(timespec="seconds")


async def round_status(round_id: int) -> str:
    """The round's lifecycle status (open, locked, published)."""
    rows = await Round.filter(id=round_id).values_list("status", flat=True)
    return str(rows[0])


async def judge_state(
    rounds: RoundCatalogue,
    principal: Principal,
    suspects: Collection[tuple[str, str, str]] = (),
) -> dict[str, Any]:
    """Everything a judge's tablet needs for the day: only this judge's own sheets.

    `suspects` holds (judge, village, paper) of the round's 请核对 sheets; a sheet of this judge
    among them carries "check": true — a boolean only, nothing of the other judges' scores.
    """
    if principal.role != "judge" or principal.round_id is None or principal.judge_id is None:
        raise forbidden("只有本轮评委可以打开评分页面")
    meta = await rounds.get(principal.round_id)
    judge = meta.judge_by_id(principal.judge_id)
    if judge is None:
        raise forbidden("您不是本轮拉练的评委")
    status = await round_status(meta.id)
    # Stops keep the bus's numbering: a recused village is listed apart, with its number.
    # The route is the villages' order, or the order a verifiable draw set (services/inspection).
    route, route_draw = await drawn_route(meta)
    stops = list(enumerate(route, start=1))
    villages = [(n, v) for n, v in stops if judge.id not in v.recused_judges]
    rows = await Sheet.filter(round_id=meta.id, judge_id=judge.id, current=True).values(
        "village_id", "paper", "version", "items", "total", "comment", "submitted_at", "proxy_by"
    )
    by_village: dict[int, dict[str, Any]] = {}
    codes = {v.id: v.code for v in meta.villages.values()}
    for row in rows:
        where = (judge.code, codes.get(row["village_id"], ""), row["paper"])
        by_village.setdefault(row["village_id"], {})[row["paper"]] = {
            "check": where in suspects,  # 请核对: far from the other judges' totals
            "version": row["version"],
            "items": {k: num(Decimal(v)) for k, v in row["items"].items()},
            "total": num(row["total"]),
            "comment": row["comment"],
            "submitted_at": _iso(row["submitted_at"]),
            "proxy": bool(row["proxy_by"]),  # 代录: entered by the organiser for this judge
        }
    voided = await voided_sheets(meta.id, judge.id)
    definition = meta.definition
    return {
        "round": {**meta.summary(status), "status_name": STATUS_NAMES[status]},
        "judge": {"code": judge.code, "name": judge.name},
        "route_draw": route_draw,  # the draw that set today's route (None: the set order)
        "papers": {
            "shared": {
                "name": PAPER_NAMES["shared"],
                "max": num(definition.shared_max),
                "items": _items(definition.shared_items),
            },
            "demonstration": {
                "name": PAPER_NAMES["demonstration"],
                "max": num(definition.demonstration_max),
            },
        },
        "villages": [
            {
                "code": v.code,
                "name": v.name,
                "township": v.township,
                "county": v.county,
                "stop": n,
                "targets": _items(v.targets),
                "sheets": by_village.get(v.id, {}),
                # 作废: the organiser voided this judge's sheet; it must be entered again
                "voided": voided.get(v.id, {}),
            }
            for n, v in villages
        ],
        "recused": [
            {"code": v.code, "name": v.name, "township": v.township, "county": v.county, "stop": n}
            for n, v in stops
            if judge.id in v.recused_judges
        ],
    }


CONTEST_STATUS_NAMES = {"setup": "未开始", "running": "比赛中", "finished": "已结束"}


async def contest_judge_state(contests: ContestCatalogue, principal: Principal) -> dict[str, Any]:
    """A contest judge's tablet: the contestant on stage, the phase, criteria, own scores only."""
    meta = await contests.get(principal.contest_id or 0)
    judge_id = meta.judges.get(principal.subject)
    if principal.role != "judge" or judge_id is None:
        raise forbidden("您不是本场擂台赛的评委")
    row = await Contest.get(id=meta.id)
    people = {c.code: c for c in await Contestant.filter(contest_id=meta.id)}
    codes = {c.id: c.code for c in people.values()}
    rows = await ContestScore.filter(judge_id=judge_id).values(
        "contestant_id", "items", "total", "submitted_at"
    )
    d = meta.definition
    on_stage = people.get(row.current or "")
    current = None
    if on_stage is not None:
        current = {
            "code": on_stage.code,
            "name": on_stage.name,
            "post": on_stage.post,
            "unit": on_stage.unit,
            "position": (row.order or []).index(on_stage.code) + 1,
        }
    return {
        "mode": "contest",
        "contest": {
            "id": meta.id,
            "name": meta.name,
            "date": meta.date.isoformat(),
            "status": row.status,
            "status_name": CONTEST_STATUS_NAMES.get(row.status, row.status),
            "contestants": len(meta.contestants),
        },
        "judge": {
            "code": principal.subject,
            "name": next(j.name for j in d.judges if j.code == principal.subject),
            "label": meta.judge_label(principal.subject),
        },
        "revision": row.revision,
        "phase": row.phase,
        "phase_name": PHASE_NAMES.get(row.phase, row.phase),
        "current": current,
        "criteria": _items(d.criteria),
        "max": 100,
        "scores": {
            codes[r["contestant_id"]]: {
                "name": people[codes[r["contestant_id"]]].name,
                "items": {k: num(Decimal(v)) for k, v in r["items"].items()},
                "total": num(r["total"]),
                "submitted_at": _iso(r["submitted_at"]),
            }
            for r in rows
        },
    }


async def voided_sheets(round_id: int, judge_id: int | None = None) -> dict[Any, Any]:
    """Voided sheets not yet entered again: {village id: {paper: {...}}}, or keyed by judge too."""
    query = Sheet.filter(round_id=round_id, voided_at__isnull=False)
    if judge_id is not None:
        query = query.filter(judge_id=judge_id)
    rows = await query.values(
        "village_id", "judge_id", "paper", "version", "void_reason", "voided_at"
    )
    current = {
        (v, j, p)
        for v, j, p in await Sheet.filter(round_id=round_id, current=True).values_list(
            "village_id", "judge_id", "paper"
        )
    }
    out: dict[Any, Any] = {}
    for row in sorted(rows, key=lambda r: r["version"]):
        where = (row["village_id"], row["judge_id"], row["paper"])
        if where in current:
            continue  # entered again since
        k = row["village_id"] if judge_id is not None else (row["judge_id"], row["village_id"])
        out.setdefault(k, {})[row["paper"]] = {
            "version": row["version"],
            "reason": row["void_reason"],
            "at": _iso(row["voided_at"]),
        }
    return out


async def progress(
    rounds: RoundCatalogue, round_id: int, suspects: Sequence[dict[str, Any]] = ()
) -> dict[str, Any]:
    """The judges × villages grid of sheet states, with counts of sheets in and expected.

    `suspects` are the round's 请核对 sheets (arena/services/consistency.py suspect_view): each
    marks its cell ("check") and is listed for the organiser to ask the judge at once.
    """
    flagged = {(x["judge"], x["village"], x["paper"]) for x in suspects}
    meta = await rounds.get(round_id)
    status = await round_status(round_id)
    rows = await Sheet.filter(round_id=round_id, current=True).values_list(
        "judge_id", "village_id", "paper", "version", "submitted_at", "proxy_by"
    )
    sheets = {(j, v, p): (version, at, by) for j, v, p, version, at, by in rows}
    voided = await voided_sheets(round_id)
    judges: list[dict[str, Any]] = []
    received = expected = 0
    per_village = {v.code: [0, 0] for v in meta.villages.values()}
    for judge in meta.judges.values():
        cells: dict[str, Any] = {}
        done = due = 0
        for village in meta.villages.values():
            if judge.id in village.recused_judges:
                cells[village.code] = None
                continue
            cell = {}
            for paper in PAPERS:
                hit = sheets.get((judge.id, village.id, paper))
                cell[paper] = (
                    None
                    if hit is None
                    else {
                        "version": hit[0],
                        "at": _iso(hit[1]),
                        "proxy": bool(hit[2]),
                        "check": (judge.code, village.code, paper) in flagged,
                    }
                )
                due += 1
                done += hit is not None
                per_village[village.code][0] += hit is not None
                per_village[village.code][1] += 1
            if (judge.id, village.id) in voided:
                cell["voided"] = voided[(judge.id, village.id)]
            cells[village.code] = cell
        judges.append(
            {
                "code": judge.code,
                "name": judge.name,
                "cells": cells,
                "received": done,
                "expected": due,
            }
        )
        received += done
        expected += due
    return {
        "round": {**meta.summary(status), "status_name": STATUS_NAMES[status]},
        "villages": [
            {
                "code": v.code,
                "name": v.name,
                "received": per_village[v.code][0],
                "expected": per_village[v.code][1],
            }
            for v in meta.villages.values()
        ],
        "judges": judges,
        "received": received,
        "expected": expected,
        "heals": await round_heals(meta),
        "suspects": list(suspects),
        "now": _iso(dt.datetime.now(dt.UTC)),
    }
