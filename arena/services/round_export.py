"""A round's results as an Excel workbook an official can check by hand, cell by cell."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

from arena.checks import num
from arena.models import Sheet
from arena.scoring.standings import VillageResult
from arena.services.corrections.views import correction_log
from arena.services.standings import RoundResult
from arena.services.views import DROP_REASONS, METHOD_NOTES

PAPER_NAMES = {"shared": "共性目标", "demonstration": "示范目标"}


async def export_round(result: RoundResult, audit_hash: str) -> bytes:
    """The workbook: ranking, every judge's sheet (kept or dropped), surveys, deductions."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

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
            "共性目标",
            "示范目标",
            "满意度测评",
            "扣分",
            "总分",
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
                num(r.shared.score),
                num(r.demonstration.score),
                num(r.satisfaction.score),
                num(r.deductions.total),
                num(r.total),
                "是" if r.provisional else "",
                "是" if r.bottom20 else "",
                num(r.delta.total) if r.delta else None,
                r.delta.rank if r.delta else None,
            ]
        )
    _sheets(book, result, rows, await sheet_items(meta.id), await proxy_sheets(meta.id))
    _satisfaction(book, result, rows)
    _deductions(book, result)
    log = book.create_sheet("更正记录")  # withdrawn entries, voided and 代录 sheets
    for line in await correction_log(result):
        log.append(line)
    notes = book.create_sheet("说明")
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
        [f"审计链最新哈希：{audit_hash}"],
    ):
        notes.append(line)
    for sheet in book.worksheets:
        for cell in sheet[1]:
            cell.font = Font(bold=True)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _sheets(
    book: Any,
    result: RoundResult,
    rows: tuple[VillageResult, ...],
    stored: dict[tuple[int, int, str], dict[str, str]],
    proxies: dict[tuple[int, int, str], tuple[str, str]],
) -> None:
    meta = result.meta
    detail = book.create_sheet("评委评分明细")
    detail.append(
        [
            "试点村",
            "考卷",
            "评委",
            "评委姓名",
            "各项得分",
            "合计",
            "是否计入",
            "说明",
            "卷面得分",
            "计算方法",
            "录入方式",
        ]
    )
    for r in rows:
        village = meta.villages[r.code]
        for paper, catalogue in (
            ("shared", meta.definition.shared_items),
            ("demonstration", village.targets),
        ):
            p = getattr(r, paper)
            for code, total in p.judge_totals.items():
                judge = meta.judges[code]
                points = stored.get((village.id, judge.id, paper), {})
                proxy = proxies.get((village.id, judge.id, paper))
                text = "；".join(
                    f"{i.name} {num(Decimal(points[i.code]))}"
                    for i in catalogue
                    if i.code in points
                )
                dropped = (
                    "high" if code in p.dropped_high else "low" if code in p.dropped_low else ""
                )
                detail.append(
                    [
                        r.name,
                        PAPER_NAMES[paper],
                        f"评委{judge.position + 1}",
                        judge.name,
                        text,
                        num(total),
                        "否" if dropped else "是",
                        DROP_REASONS.get(dropped, ""),
                        num(p.score),
                        METHOD_NOTES[p.method_used],
                        f"代录（{proxy[0]}：{proxy[1]}）" if proxy else "评委提交",
                    ]
                )
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
                        num(item.max),
                        num(means.get(item.code, Decimal(0))),
                    ]
                )


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
                float(s.mean) if s.mean is not None else None,
                num(s.rate) if s.rate is not None else None,
                num(s.score),
                "是" if s.insufficient else "",
            ]
        )


def _deductions(book: Any, result: RoundResult) -> None:
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
                num(d.points),
                d.reason,
                d.evidence,
                d.recorded_by,
                d.created_at,
            ]
        )


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
