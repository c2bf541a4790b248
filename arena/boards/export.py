"""Computed boards and red-flag incentives as Excel workbooks an official can check by hand."""

from __future__ import annotations

import io
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

import numpy as np
import openpyxl
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from arena.boards import Board
from arena.scoring.flags import SCOPE_NAMES, FlagAward, Incentive
from arena.scoring.index import BoardDelta, BoardResult
from arena.services.xlsx_style import MAX_WIDTH, text_width

_BOLD = Font(bold=True)
_DIRECTION = {"higher": "越高越好", "lower": "越低越好"}
_METHOD = {"minmax": "最小-最大", "zscore": "Z分数（T分）", "percentile": "百分位"}


def _cell(sheet: Any, value: Any, number_format: str | None = None, bold: bool = False) -> Any:
    cell = WriteOnlyCell(sheet, value=value)
    if number_format:
        cell.number_format = number_format
    if bold:
        cell.font = _BOLD
    return cell


def _layout(sheet: Any, header: Sequence[str], rows: int) -> None:
    """Frozen header, filter over the whole table, columns wide enough for their header."""
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(header))}{rows}"
    for i, title in enumerate(header, start=1):
        width = max(text_width(title), 8 if i > 4 else 6) + 2
        sheet.column_dimensions[get_column_letter(i)].width = min(width, MAX_WIDTH)


def _save(book: openpyxl.Workbook) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def export_board_xlsx(board: Board, result: BoardResult, delta: BoardDelta | None = None) -> bytes:
    """The computed board as an Excel workbook (sheets 指数榜 and 指标说明)."""
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("指数榜")
    header = ["名次", "村代码", "村名", "乡镇", "指数"]
    for ind in result.indicators:
        header += [f"{ind.name}（{ind.unit}）" if ind.unit else ind.name, f"{ind.name}得分"]
    header += ["指数变化", "名次变化", "后20%"]
    _layout(sheet, header, len(result.order) + 1)
    sheet.append([_cell(sheet, h, bold=True) for h in header])
    villages = {v.code: v for v in board.villages}
    for i in result.order.tolist():
        code = str(result.village_codes[i])
        village = villages.get(code)
        line: list[Any] = [
            int(result.rank[i]),
            code,
            village.name if village else "",
            village.township if village else "",
            _cell(sheet, int(result.index_cents[i]) / 100, "0.00"),
        ]
        for value, score in zip(
            result.values[i].tolist(), result.normalised[i].tolist(), strict=True
        ):
            # scores to the cent, as the page shows them; the index is computed from the
            # unrounded scores (see 指标说明), so Σ w·score / Σ w may differ from it by 0.01
            line += [value, _cell(sheet, round(score, 2), "0.00")]
        if delta is not None and delta.present[i]:
            change = int(delta.index_change_cents[i]) / 100
            line += [_cell(sheet, change, "+0.00;-0.00;0.00"), int(delta.rank_change[i])]
        else:
            line += [None, None]
        line.append("是" if result.bottom20[i] else "")
        sheet.append(line)
    notes = book.create_sheet("指标说明")
    notes.append([_cell(notes, t, bold=True) for t in _NOTE_TITLES])
    values = result.values
    stats = (values.min(axis=0), values.max(axis=0), values.mean(axis=0), values.std(axis=0))
    for j, ind in enumerate(result.indicators):
        method = (_DIRECTION[ind.direction], ind.weight, _METHOD[ind.normalisation])
        figures = [float(s[j]) for s in stats] + [float(np.median(values[:, j]))]
        notes.append([ind.code, ind.name, ind.unit, *method, *figures])
    notes.append([])
    for note in _METHOD_NOTES:
        notes.append([note])
    return _save(book)


_NOTE_TITLES = (
    "指标代码 指标 单位 方向 权重 标准化方法 最小值 最大值 平均值 标准差（总体） 中位数".split()
)
_INCENTIVE_TITLES = (
    "类别 代码/乡镇 村名 乡镇 红旗数 所获红旗 村党组织书记每月增加（元） 其他村干部人数 "
    "其他村干部每人每月增加（元） 其他村干部每月合计（元） 爱心超市补助（元） 全年合计（元）"
).split()
_METHOD_NOTES = (
    "得分：最小-最大法 =（数值−最小值）÷（最大值−最小值）×100，越低越好的指标为（最大值−数值）÷"
    "（最大值−最小值）×100，各村数值相同时均为100；",
    "Z分数法 = 50 + 10 ×（数值−平均值）÷ 标准差（总体标准差，越低越好时取反），限定在0到100之间；",
    "百分位法 = 超过的其他村数（相同者算一半）÷（村数−1）×100。",
    "指数 = Σ（权重 × 得分）÷ Σ 权重，四舍五入保留两位小数；指数相同的村名次相同。"
    "表中得分保留两位小数，指数由未舍入的得分算出，用表中得分复算可能相差0.01。",
    "后20%：名次排在最后 ceil(0.2×村数) 位的村，与分界处指数相同的村一并列入。",
)


def export_incentives_xlsx(
    board: Board, awards: Sequence[FlagAward], incentives: Sequence[Incentive]
) -> bytes:
    """Red flags and what they bring, as an Excel workbook (sheets 红旗激励 and 红旗名单)."""
    villages = {v.code: v for v in board.villages}
    names = {ind.code: ind.name for ind in board.indicators} | {"index": "指数"}
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("红旗激励")
    _layout(sheet, _INCENTIVE_TITLES, len(incentives) + 2)  # + header and 合计
    sheet.append([_cell(sheet, t, bold=True) for t in _INCENTIVE_TITLES])
    for row in incentives:
        village = villages.get(row.recipient) if row.scope == "village" else None
        who = (row.recipient, village.name if village else "", village.township if village else "")
        flags = (len(row.flags), "、".join(row.flags))
        money = (
            row.secretary_monthly,
            row.other_cadres,
            row.other_cadre_monthly_each,
            row.other_cadres_monthly_total,
            row.love_supermarket,
            row.annual_total,
        )
        sheet.append([SCOPE_NAMES[row.scope], *who, *flags, *money])
    totals = [sum((getattr(r, key) for r in incentives), Decimal(0)) for key in _SUMMED]
    count = sum(len(r.flags) for r in incentives)
    sheet.append(
        [
            _cell(sheet, "合计", bold=True),
            None,
            None,
            None,
            count,
            None,
            totals[0],
            None,
            None,
            *totals[1:],
        ]
    )
    listing = book.create_sheet("红旗名单")
    _layout(listing, "类别 红旗 获得者 村名 依据指标 依据值".split(), len(awards) + 1)
    listing.append(
        [_cell(listing, t, bold=True) for t in "类别 红旗 获得者 村名 依据指标 依据值".split()]
    )
    for award in awards:
        village = villages.get(award.recipient) if award.scope == "village" else None
        basis = (names.get(award.indicator, award.indicator), award.basis)
        name = village.name if village else ""
        listing.append([SCOPE_NAMES[award.scope], award.category, award.recipient, name, *basis])
    return _save(book)


_SUMMED = ("secretary_monthly", "other_cadres_monthly_total", "love_supermarket", "annual_total")
