"""What the deductions, satisfaction and sheets pages show: every record, withdrawn ones too."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from tortoise.expressions import Q

from arena.models import Deduction, Satisfaction, Sheet
from arena.rounds.definition import num
from arena.scoring.numbers import divide, q2
from arena.scoring.papers import MISSING_MARK
from arena.services.scores import PAPER_NAMES, SHEET_PAPERS
from arena.services.standings import RoundResult


def _iso(value: dt.datetime | None) -> str | None:
    return value.astimezone(dt.UTC).isoformat(timespec="seconds") if value else None


def _plain(value: Decimal) -> str:
    """A decimal as people write it: 30 -> "30", 0.60 -> "0.6"."""
    return format(value.normalize(), "f")


def _answer_value(value: Decimal) -> str:
    """A scale value as the survey states it: 1 -> "1.0", 0.8 -> "0.8", 0 -> "0"."""
    return "1.0" if value == 1 else _plain(value)


def satisfaction_arithmetic(
    counts: Mapping[str, int], scale: Mapping[str, Decimal], maximum: Decimal
) -> str:
    """The sum an official checks: 30 × (120×1.0 + 50×0.8) / 170 = 30 × 160 / 170 = 28.24."""
    responses = sum(counts.get(a, 0) for a in scale)
    if responses == 0:
        return ""
    weighted = sum((scale[a] * counts.get(a, 0) for a in scale), Decimal(0))
    terms = " + ".join(f"{counts.get(a, 0)}×{_answer_value(v)}" for a, v in scale.items())
    score = q2(divide(maximum * weighted, responses))
    return (
        f"{_plain(maximum)} × ({terms}) / {responses} = "
        f"{_plain(maximum)} × {_plain(weighted)} / {responses} = {score}"
    )


def rate_arithmetic(rate: Decimal, maximum: Decimal) -> str:
    """30 × 92.5% = 27.75."""
    return f"{_plain(maximum)} × {_plain(rate)}% = {q2(divide(maximum * rate, 100))}"


def _standing(result: RoundResult) -> dict[str, dict[str, Any]]:
    out = {}
    for r in result.standings.rows:
        out[r.code] = {
            "rank": r.rank,
            "total": num(r.total),
            "satisfaction": num(r.satisfaction.score),
            "satisfaction_missing": r.satisfaction_missing,
            "deductions": num(r.deductions.total),
            "deductions_raw": num(r.deductions.raw),
            "capped": r.deductions.capped,
            "provisional": r.provisional,
        }
    return out


async def deductions_view(result: RoundResult) -> dict[str, Any]:
    """Every deduction of the round (withdrawn ones marked), the catalogue and each total."""
    meta = result.meta
    d = meta.definition
    names = {i.code: i.name for i in d.deduction_items}
    rows = await Deduction.filter(round_id=meta.id).order_by("-id")
    standing = _standing(result)
    entries = []
    for row in rows:
        village = meta.village_by_id(row.village_id)  # type: ignore[attr-defined]
        assert village is not None
        entries.append(
            {
                "id": row.id,
                "village": village.code,
                "village_name": village.name,
                "item": row.item,
                "name": names.get(row.item, row.item),
                "points": num(row.points),
                "reason": row.reason,
                "evidence": row.evidence,
                "recorded_by": row.recorded_by,
                "created_at": _iso(row.created_at),
                "withdrawn": row.withdrawn_at is not None,
                "withdrawn_at": _iso(row.withdrawn_at),
                "withdrawn_by": row.withdrawn_by,
                "withdraw_reason": row.withdraw_reason,
            }
        )
    return {
        "round": meta.summary(result.status),
        "cap": num(d.deduction_cap),
        "catalogue": [
            {"code": i.code, "name": i.name, "max": num(i.max), "guide": i.guide}
            for i in d.deduction_items
        ],
        "villages": [
            {"code": v.code, "name": v.name, **standing[v.code]} for v in meta.villages.values()
        ],
        "deductions": entries,
    }


async def satisfaction_view(result: RoundResult) -> dict[str, Any]:
    """Each village's figure (or 未录入), its score and the arithmetic behind it."""
    meta = result.meta
    d = meta.definition
    stored = {
        row.village_id: row  # type: ignore[attr-defined]
        for row in await Satisfaction.filter(village__round_id=meta.id)
    }
    rows = {r.code: r for r in result.standings.rows}
    villages = []
    for village in meta.villages.values():
        r = rows[village.code]
        s = r.satisfaction
        record = stored.get(village.id)
        if s.source == "counts":
            arithmetic = satisfaction_arithmetic(s.counts, d.scale, d.satisfaction_max)
        elif s.source == "rate" and s.rate is not None:
            arithmetic = rate_arithmetic(s.rate, d.satisfaction_max)
        else:
            arithmetic = ""
        withdrawn = record is not None and record.withdrawn_at is not None
        villages.append(
            {
                "code": village.code,
                "name": village.name,
                "source": s.source,
                "missing": r.satisfaction_missing,
                "marker": MISSING_MARK if r.satisfaction_missing else None,
                "counts": s.counts if s.source == "counts" else None,
                # What an organiser entered from paper forms (the form prefills this, never the
                # residents' phone answers, which add up in `counts`: arena/surveys).
                "entered_counts": (
                    s.paper_counts
                    if s.survey_counts is not None
                    else (s.counts if s.source == "counts" else None)
                ),
                "survey_respondents": s.survey_respondents,
                "rate": num(s.rate) if s.rate is not None else None,
                "responses": s.responses,
                "insufficient": s.insufficient,
                "score": None if r.satisfaction_missing else num(s.score),
                "arithmetic": arithmetic,
                "recorded_by": record.recorded_by if record and not withdrawn else None,
                "updated_at": _iso(record.updated_at) if record and not withdrawn else None,
                "withdrawn": (
                    {
                        "by": record.withdrawn_by,
                        "reason": record.withdraw_reason,
                        "at": _iso(record.withdrawn_at),
                    }
                    if record is not None and withdrawn
                    else None
                ),
                "total": num(r.total),
                "provisional": r.provisional,
            }
        )
    return {
        "round": meta.summary(result.status),
        "max": num(d.satisfaction_max),
        "min_responses": d.min_responses,
        "scale": [{"answer": a, "value": num(v)} for a, v in d.scale.items()],
        "villages": villages,
    }


async def sheets_view(result: RoundResult) -> dict[str, Any]:
    """Every village × judge × paper: the counted sheet, a voided one, or nothing yet."""
    meta = result.meta
    rows = await Sheet.filter(round_id=meta.id).order_by("version")
    latest: dict[tuple[int, int, str], Sheet] = {}
    for row in rows:
        latest[(row.village_id, row.judge_id, row.paper)] = row  # type: ignore[attr-defined]
    villages = []
    for village in meta.villages.values():
        cells = []
        for judge in meta.judges.values():
            recused = judge.id in village.recused_judges
            for paper in SHEET_PAPERS:
                sheet = latest.get((village.id, judge.id, paper))
                cell: dict[str, Any] = {
                    "judge": judge.code,
                    "judge_name": judge.name,
                    "paper": paper,
                    "paper_name": PAPER_NAMES[paper],
                    "recused": recused,
                    "state": "recused" if recused else "missing",
                }
                if sheet is not None and not recused:
                    voided = sheet.voided_at is not None
                    cell.update(
                        state="voided" if voided else "in",
                        id=sheet.id,
                        version=sheet.version,
                        items={k: num(Decimal(v)) for k, v in sheet.items.items()},
                        total=num(sheet.total),
                        comment=sheet.comment,
                        submitted_at=_iso(sheet.submitted_at),
                        proxy=bool(sheet.proxy_by),
                        proxy_by=sheet.proxy_by,
                        proxy_reason=sheet.proxy_reason,
                        voided_by=sheet.voided_by,
                        void_reason=sheet.void_reason,
                        voided_at=_iso(sheet.voided_at),
                    )
                cells.append(cell)
        villages.append(
            {
                "code": village.code,
                "name": village.name,
                "targets": [
                    {"code": t.code, "name": t.name, "max": num(t.max)} for t in village.targets
                ],
                "cells": cells,
            }
        )
    d = meta.definition
    return {
        "round": meta.summary(result.status),
        "judges": [{"code": j.code, "name": j.name} for j in meta.judges.values()],
        "papers": {
            "shared": {
                "name": PAPER_NAMES["shared"],
                "max": num(d.shared_max),
                "items": [
                    {"code": i.code, "name": i.name, "max": num(i.max)} for i in d.shared_items
                ],
            },
            "demonstration": {
                "name": PAPER_NAMES["demonstration"],
                "max": num(d.demonstration_max),
            },
        },
        "villages": villages,
    }


async def correction_log(result: RoundResult) -> list[list[Any]]:
    """The workbook's 更正记录: withdrawn deductions and figures, voided and 代录 sheets."""
    meta = result.meta
    names = {i.code: i.name for i in meta.definition.deduction_items}
    lines: list[list[Any]] = [["更正", "试点村", "内容", "原因", "操作人", "时间"]]

    def village_name(village_id: int) -> str:
        village = meta.village_by_id(village_id)
        return village.name if village else ""

    for d in await Deduction.filter(round_id=meta.id, withdrawn_at__isnull=False).order_by("id"):
        lines.append(
            [
                "撤销扣分",
                village_name(d.village_id),  # type: ignore[attr-defined]
                f"{names.get(d.item, d.item)} {num(d.points)} 分（原因：{d.reason}）",
                d.withdraw_reason,
                d.withdrawn_by,
                _iso(d.withdrawn_at),
            ]
        )
    for s in await Satisfaction.filter(village__round_id=meta.id, withdrawn_at__isnull=False):
        figure = f"满意率 {num(s.rate)}%" if s.rate is not None else f"答卷 {s.counts}"
        lines.append(
            [
                "撤销满意度",
                village_name(s.village_id),  # type: ignore[attr-defined]
                figure,
                s.withdraw_reason,
                s.withdrawn_by,
                _iso(s.withdrawn_at),
            ]
        )
    judges = {j.id: j for j in meta.judges.values()}
    sheets = await Sheet.filter(Q(voided_at__isnull=False) | ~Q(proxy_by=""), round_id=meta.id)
    for sheet in sorted(sheets, key=lambda x: x.id):
        judge = judges[sheet.judge_id]  # type: ignore[attr-defined]
        what = (
            f"{judge.name}（评委{judge.position + 1}）{PAPER_NAMES[sheet.paper]}"
            f" 第 {sheet.version} 版，合计 {num(sheet.total)}"
        )
        where = village_name(sheet.village_id)  # type: ignore[attr-defined]
        if sheet.proxy_by:
            lines.append(
                [
                    "代录评分表",
                    where,
                    what,
                    sheet.proxy_reason,
                    sheet.proxy_by,
                    _iso(sheet.submitted_at),
                ]
            )
        if sheet.voided_at is not None:
            lines.append(
                [
                    "作废评分表",
                    where,
                    what,
                    sheet.void_reason,
                    sheet.voided_by,
                    _iso(sheet.voided_at),
                ]
            )
    return lines
