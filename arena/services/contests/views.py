"""What a contest shows: the live state (screen, console, tablets), results, and the XLSX export."""

from __future__ import annotations

import io
import time
from collections.abc import Mapping
from typing import Any

from arena.models import Contest, Contestant, ContestScore
from arena.rounds.definition import num
from arena.scoring.aggregate import JudgeSheet
from arena.scoring.contest import ContestantResult, rank_contest, score_contestant
from arena.scoring.draw import draw_steps
from arena.scoring.numbers import to_decimal
from arena.services.contests.catalogue import ContestMeta


async def load(meta: ContestMeta) -> tuple[Contest, list[Contestant], dict[str, list[JudgeSheet]]]:
    """The contest row, its contestants and every judge sheet by contestant code."""
    row = await Contest.get(id=meta.id)
    contestants = await Contestant.filter(contest_id=meta.id).order_by("position")
    judge_codes = {i: c for c, i in meta.judges.items()}
    codes = {c.id: c.code for c in contestants}
    sheets: dict[str, list[JudgeSheet]] = {}
    for contestant_id, judge_id, items in await ContestScore.filter(
        contestant__contest_id=meta.id
    ).values_list("contestant_id", "judge_id", "items"):
        sheets.setdefault(codes[contestant_id], []).append(
            JudgeSheet(judge_codes[judge_id], {k: to_decimal(v) for k, v in items.items()})
        )
    return row, contestants, sheets


def results(
    meta: ContestMeta, contestants: list[Contestant], sheets: Mapping[str, list[JudgeSheet]]
) -> dict[str, ContestantResult]:
    """Every revealed contestant's final score."""
    rules = meta.definition.rules()
    return {
        c.code: score_contestant(sheets.get(c.code, []), c.elapsed_seconds, rules)
        for c in contestants
        if c.state == "revealed"
    }


def result_view(meta: ContestMeta, r: ContestantResult, identities: bool) -> dict[str, Any]:
    """One contestant's scores: each judge (评委N), the dropped ones, mean, penalty, final."""
    judges = []
    for code in meta.judges:
        if code not in r.judge_totals:
            continue
        dropped = "high" if code in r.dropped_high else "low" if code in r.dropped_low else None
        entry: dict[str, Any] = {
            "label": meta.judge_label(code),
            "total": num(r.judge_totals[code]),
            "dropped": dropped,
        }
        if identities:
            entry.update(code=code, name=_judge_name(meta, code))
        judges.append(entry)
    return {
        "judges": judges,
        "mean": num(r.mean),
        "over_seconds": r.over_seconds,
        "penalty": num(r.penalty),
        "final": num(r.final),
        "criteria": {k: num(v) for k, v in r.criterion_means.items()},
    }


def _judge_name(meta: ContestMeta, code: str) -> str:
    return next(j.name for j in meta.definition.judges if j.code == code)


async def state_view(meta: ContestMeta, host: bool = False) -> dict[str, Any]:
    """The live state every screen, console and tablet of the contest shows."""
    row, contestants, sheets = await load(meta)
    by_code = {c.code: c for c in contestants}
    done = results(meta, contestants, sheets)
    standings = rank_contest(done, meta.definition.rules().award_tiers)
    current = by_code.get(row.current or "")
    d = meta.definition
    view: dict[str, Any] = {
        "contest": {
            "id": meta.id,
            "name": meta.name,
            "date": meta.date.isoformat(),
            "status": row.status,
            "seed": row.seed,
            "seed_source": row.seed_source or None,  # "host", "server"; None before the draw
            "time_limit_seconds": d.time_limit_seconds,
        },
        "revision": row.revision,
        "phase": row.phase,
        "server_time": time.time(),
        "draw": draw_steps(list(meta.contestants), row.seed) if row.seed else None,
        "order": [_person(by_code[c]) for c in row.order or []],
        "current": None,
        "ranking": [
            {"rank": s.rank, **_person(by_code[s.code]), "final": num(s.final), "award": s.award}
            for s in standings
        ],
    }
    if current is not None:
        submitted = {s.judge for s in sheets.get(current.code, [])}
        view["current"] = {
            **_person(current),
            "elapsed_seconds": current.elapsed_seconds,
            "timer_started_at": row.timer_started_at,
            "judges": [
                {
                    "label": meta.judge_label(j),
                    "submitted": j in submitted,
                    **({"code": j, "name": _judge_name(meta, j)} if host else {}),
                }
                for j in meta.judges
            ],
            "result": (
                result_view(meta, done[current.code], host) if current.code in done else None
            ),
        }
    return view


def _person(c: Contestant) -> dict[str, Any]:
    return {"code": c.code, "name": c.name, "post": c.post, "unit": c.unit, "state": c.state}


async def results_view(meta: ContestMeta, identities: bool) -> dict[str, Any]:
    """Final (or so far) ranking with every judge's score for each revealed contestant."""
    row, contestants, sheets = await load(meta)
    done = results(meta, contestants, sheets)
    by_code = {c.code: c for c in contestants}
    return {
        "contest": {
            "id": meta.id,
            "name": meta.name,
            "date": meta.date.isoformat(),
            "status": row.status,
            "seed": row.seed,
            "seed_source": row.seed_source or None,
            "order": row.order,
        },
        "rows": [
            {
                "rank": s.rank,
                **_person(by_code[s.code]),
                "award": s.award,
                "elapsed_seconds": by_code[s.code].elapsed_seconds,
                **result_view(meta, done[s.code], identities),
            }
            for s in rank_contest(done, meta.definition.rules().award_tiers)
        ],
    }


async def export_xlsx(meta: ContestMeta) -> bytes:
    """The results workbook: ranking, and every judge's score on every criterion."""
    from openpyxl import Workbook

    view = await results_view(meta, identities=True)
    row, contestants, sheets = await load(meta)
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "成绩排名"
    labels = [meta.judge_label(j) for j in meta.judges]
    sheet.append(
        [
            "名次",
            "选手",
            "职务",
            "单位",
            *labels,
            "去掉最高分",
            "去掉最低分",
            "平均分",
            "用时(秒)",
            "超时扣分",
            "最后得分",
            "奖项",
        ]
    )
    for r in view["rows"]:
        totals = {j["label"]: j["total"] for j in r["judges"]}
        high = next((j["label"] for j in r["judges"] if j["dropped"] == "high"), "")
        low = next((j["label"] for j in r["judges"] if j["dropped"] == "low"), "")
        sheet.append(
            [
                r["rank"],
                r["name"],
                r["post"],
                r["unit"],
                *[totals.get(label) for label in labels],
                high,
                low,
                r["mean"],
                r["elapsed_seconds"],
                r["penalty"],
                r["final"],
                r["award"] or "",
            ]
        )
    detail = book.create_sheet("评委评分明细")
    criteria = meta.definition.criteria
    detail.append(["选手", "评委", "姓名", *[f"{c.name}({num(c.max)})" for c in criteria], "合计"])
    for c in contestants:
        for s in sorted(sheets.get(c.code, []), key=lambda s: list(meta.judges).index(s.judge)):
            detail.append(
                [
                    c.name,
                    meta.judge_label(s.judge),
                    _judge_name(meta, s.judge),
                    *[num(s.items[i.code]) for i in criteria],
                    num(s.total),
                ]
            )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
