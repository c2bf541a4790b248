"""A round's results as an Excel workbook an official can check by hand, cell by cell."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from arena.checks import ItemDef
from arena.models import Sheet
from arena.scoring.standings import VillageResult
from arena.services.consistency_sheet import consistency_sheet
from arena.services.corrections.views import correction_log
from arena.services.standings import RoundResult
from arena.services.surveys.workbook import survey_sheet
from arena.services.views import DROP_REASONS, METHOD_NOTES
from arena.services.xlsx_style import local_time, notes, score, table

PAPER_NAMES = {"shared": "共性目标", "demonstration": "示范目标"}
RANKING_SCORES = ("共性目标", "示范目标", "满意度测评", "扣分", "总分")
SHEET_SCORES = ("合计", "卷面得分")


async def export_round(result: RoundResult, audit_hash: str, zone: ZoneInfo) -> bytes:
    """The workbook: ranking, every judge's sheet (kept or dropped), surveys, deductions."""
    from openpyxl import Workbook

    meta, rows = result.meta, result.standings.rows
    book = Workbook()
    ranking = book.active
    assert ranking is not None
    ranking.title = "排名"
    ranking.append(
        [
            "名次",
            "村编码",
            "试点村",
            "乡镇",
            *RANKING_SCORES,
            "暂定",
            "后20%",
            "总分变化",
            "名次变化",
        ]
    )
    for r in rows:
        village = meta.villages[r.code]
        ranking.append(
            [
                r.rank,
                r.code,
                r.name,
                village.township,
                score(r.shared.score),
                score(r.demonstration.score),
                score(r.satisfaction.score),
                score(r.deductions.total),
                score(r.total),
                "是" if r.provisional else "",
                "是" if r.bottom20 else "",
                score(r.delta.total) if r.delta else None,
                r.delta.rank if r.delta else None,
            ]
        )
    table(ranking, scores=RANKING_SCORES, signed=("总分变化",))
    stored, proxies = await sheet_items(meta.id), await proxy_sheets(meta.id)
    _shared_sheets(book, result, rows, stored, proxies)
    _demonstration_sheets(book, result, rows, stored, proxies)
    _item_means(book, result, rows)
    _satisfaction(book, result, rows)
    await survey_sheet(book, result)  # residents' answers: per village, question and answer
    _deductions(book, result, zone)
    log = book.create_sheet("更正记录")  # withdrawn entries, voided and 代录 sheets
    for i, line in enumerate(await correction_log(result)):
        log.append(line if i == 0 else [*line[:-1], local_time(line[-1], zone)])
    table(log, times=("时间",))
    await consistency_sheet(book, result)  # 评委一致性: the consistency page's figures
    explain = book.create_sheet("说明")
    for line in (
        [f"{meta.name}（{meta.date.isoformat()}）"],
        [
            "每张考卷：评委人数不少于去高去低门槛时，去掉一个最高分和一个最低分后取平均；"
            "同分时去掉评委编码靠前者。"
        ],
        [
            "每张考卷先四舍五入到两位小数，"
            "总分 = 共性目标 + 示范目标 + 满意度测评 − 扣分（不低于 0）。"
        ],
        ["各项平均分为保留评委的平均，按最大余数法取两位小数，合计等于该卷得分。"],
        [
            "“示范目标评分”表中目标1、目标2……依各村自己的示范目标排列，"
            "目标名称见同一行最后几列和“各项平均分”表。"
        ],
        [f"表中时间均为当地时间（{zone.key}）。"],
        [f"审计链最新哈希：{audit_hash}"],
    ):
        explain.append(line)
    notes(explain)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _judge_columns(
    result: RoundResult,
    r: VillageResult,
    paper: str,
    judge_code: str,
    total: Decimal,
    proxies: dict[tuple[int, int, str], tuple[str, str]],
) -> tuple[list[Any], list[Any]]:
    """(评委, 评委姓名) and (合计, 是否计入, 说明, 卷面得分, 计算方法, 录入方式) of one sheet."""
    meta = result.meta
    village, judge = meta.villages[r.code], meta.judges[judge_code]
    p = getattr(r, paper)
    proxy = proxies.get((village.id, judge.id, paper))
    dropped = (
        "high" if judge_code in p.dropped_high else "low" if judge_code in p.dropped_low else ""
    )
    return [f"评委{judge.position + 1}", judge.name], [
        score(total),
        "否" if dropped else "是",
        DROP_REASONS.get(dropped, ""),
        score(p.score),
        METHOD_NOTES[p.method_used],
        f"代录（{proxy[0]}：{proxy[1]}）" if proxy else "评委提交",
    ]


_TAIL = ["合计", "是否计入", "说明", "卷面得分", "计算方法", "录入方式"]


def _points(points: dict[str, str], item: ItemDef) -> float | int | None:
    return score(Decimal(points[item.code])) if item.code in points else None


def _shared_sheets(
    book: Any,
    result: RoundResult,
    rows: tuple[VillageResult, ...],
    stored: dict[tuple[int, int, str], dict[str, str]],
    proxies: dict[tuple[int, int, str], tuple[str, str]],
) -> None:
    """共性目标评分: one row per judge's sheet, one numeric column per shared item."""
    meta = result.meta
    catalogue = meta.definition.shared_items
    sheet = book.create_sheet("共性目标评分")
    items = [f"{i.name}（{score(i.max)}分）" for i in catalogue]
    sheet.append(["试点村", "评委", "评委姓名", *items, *_TAIL])
    for r in rows:
        village = meta.villages[r.code]
        for code, total in r.shared.judge_totals.items():
            who, tail = _judge_columns(result, r, "shared", code, total, proxies)
            points = stored.get((village.id, meta.judges[code].id, "shared"), {})
            sheet.append([r.name, *who, *(_points(points, i) for i in catalogue), *tail])
    table(sheet, scores=(*items, *SHEET_SCORES))


def _demonstration_sheets(
    book: Any,
    result: RoundResult,
    rows: tuple[VillageResult, ...],
    stored: dict[tuple[int, int, str], dict[str, str]],
    proxies: dict[tuple[int, int, str], tuple[str, str]],
) -> None:
    """示范目标评分: each village's own targets as 目标1, 目标2…, named at the row's end."""
    meta = result.meta
    width = max((len(meta.villages[r.code].targets) for r in rows), default=0)
    sheet = book.create_sheet("示范目标评分")
    slots = [f"目标{n}" for n in range(1, width + 1)]
    names = [f"目标{n}名称" for n in range(1, width + 1)]
    sheet.append(["试点村", "评委", "评委姓名", *slots, *_TAIL, *names])
    for r in rows:
        village = meta.villages[r.code]
        targets = list(village.targets)
        pad = [None] * (width - len(targets))
        labels = [f"{t.name}（{score(t.max)}分）" for t in targets]
        for code, total in r.demonstration.judge_totals.items():
            who, tail = _judge_columns(result, r, "demonstration", code, total, proxies)
            points = stored.get((village.id, meta.judges[code].id, "demonstration"), {})
            values = [_points(points, t) for t in targets]
            sheet.append([r.name, *who, *values, *pad, *tail, *labels, *pad])
    table(sheet, scores=(*slots, *SHEET_SCORES))


def _item_means(book: Any, result: RoundResult, rows: tuple[VillageResult, ...]) -> None:
    meta = result.meta
    items = book.create_sheet("各项平均分")
    items.append(["试点村", "考卷", "项目", "满分", "保留评委平均分"])
    for r in rows:
        village = meta.villages[r.code]
        for paper, catalogue in (
            ("shared", meta.definition.shared_items),
            ("demonstration", village.targets),
        ):
            means = getattr(r, paper).item_means
            for item in catalogue:
                items.append(
                    [
                        r.name,
                        PAPER_NAMES[paper],
                        item.name,
                        score(item.max),
                        score(means.get(item.code, Decimal(0))),
                    ]
                )
    table(items, scores=("满分", "保留评委平均分"))


def _satisfaction(book: Any, result: RoundResult, rows: tuple[VillageResult, ...]) -> None:
    scale = result.meta.definition.scale
    sheet = book.create_sheet("满意度测评")
    sheet.append(["试点村", "来源", *scale, "答卷数", "平均分值", "满意率(%)", "得分", "样本不足"])
    for r in rows:
        s = r.satisfaction
        source = {"counts": "问卷", "rate": "外部测评", "none": "未录入"}[s.source]
        sheet.append(
            [
                r.name,
                source,
                *[s.counts.get(a, 0) for a in scale],
                s.responses,
                _mean(s.mean),
                score(s.rate) if s.rate is not None else None,
                score(s.score),
                "是" if s.insufficient else "",
            ]
        )
    table(sheet, scores=("满意率(%)", "得分"))
    column = [c.value for c in sheet[1]].index("平均分值") + 1
    for (cell,) in sheet.iter_rows(min_row=2, min_col=column, max_col=column):
        if cell.value is not None:
            cell.number_format = "0.0000"


def _mean(mean: Decimal | None) -> float | None:
    """The mean scale value to 4 decimals: 满分 × it gives the score to the cent."""
    if mean is None:
        return None
    return float(Decimal(mean).quantize(Decimal("0.0001"), rounding="ROUND_HALF_UP"))


def _deductions(book: Any, result: RoundResult, zone: ZoneInfo) -> None:
    meta = result.meta
    names = {i.code: i.name for i in meta.definition.deduction_items}
    sheet = book.create_sheet("扣分项")
    sheet.append(["试点村", "扣分项", "扣分", "原因", "佐证", "录入人", "录入时间"])
    for d in result.deductions:
        village = meta.village_by_id(d.village_id)
        sheet.append(
            [
                village.name if village else "",
                names.get(d.item, d.item),
                score(d.points),
                d.reason,
                d.evidence,
                d.recorded_by,
                local_time(d.created_at, zone),
            ]
        )
    table(sheet, scores=("扣分",), times=("录入时间",))


async def sheet_items(round_id: int) -> dict[tuple[int, int, str], dict[str, str]]:
    """The items of every current sheet, by (village id, judge id, paper)."""
    rows = await Sheet.filter(round_id=round_id, current=True).values_list(
        "village_id", "judge_id", "paper", "items"
    )
    return {(v, j, p): items for v, j, p, items in rows}


async def proxy_sheets(round_id: int) -> dict[tuple[int, int, str], tuple[str, str]]:
    """(organiser, reason) of every current sheet entered on a judge's behalf (代录)."""
    rows = (
        await Sheet.filter(round_id=round_id, current=True)
        .exclude(proxy_by="")
        .values_list("village_id", "judge_id", "paper", "proxy_by", "proxy_reason")
    )
    return {(v, j, p): (by, why) for v, j, p, by, why in rows}
