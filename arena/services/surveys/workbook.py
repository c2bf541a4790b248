"""The workbook's survey sheet: per village, per question, per answer; then the paper's sum.

An official checks a village by hand: add each answer's column over the question rows (= the
"手机测评合计" row), add the "纸质问卷" row (= "合计（计分）"), then 满分 × Σ(分值 × 人数) / Σ人数
is the satisfaction score on the ranking sheet.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from arena.models import SurveyAnswer
from arena.services.standings import RoundResult
from arena.services.xlsx_style import score, table

SHEET = "群众测评明细"


async def survey_sheet(book: Any, result: RoundResult) -> None:
    """Add the survey sheet when the round runs a residents' survey."""
    meta = result.meta
    survey = meta.definition.survey
    if survey is None:
        return
    scale = list(meta.definition.scale)
    rows = await SurveyAnswer.filter(round_id=meta.id, voided_at__isnull=True).values_list(
        "village_id", "answers"
    )
    voided_ids: list[int] = await SurveyAnswer.filter(
        round_id=meta.id, voided_at__isnull=False
    ).values_list("village_id", flat=True)  # type: ignore[assignment]
    voided = Counter(voided_ids)
    sheet = book.create_sheet(SHEET)
    sheet.append(["试点村", "行", "题目", *scale, "人数合计", "有效卡数", "作废", "得分", "状态"])
    by_code = {r.code: r for r in result.standings.rows}
    for village in meta.villages.values():
        mine = [answers for v, answers in rows if v == village.id]
        total: Counter[str] = Counter()
        for i, q in enumerate(survey.questions, start=1):
            tally = Counter(a.get(q.code) for a in mine)
            counts = [tally.get(label, 0) if label in q.options else None for label in scale]
            total.update({label: tally.get(label, 0) for label in q.options})
            sheet.append(
                [village.name, f"第{i}题", q.text, *counts, len(mine), None, None, None, None]
            )
        sat = by_code[village.code].satisfaction
        phone = [total.get(label, 0) for label in scale]
        sheet.append(
            [
                village.name,
                "手机测评合计",
                "",
                *phone,
                sum(phone),
                len(mine),
                voided[village.id],
                None,
                None,
            ]
        )
        paper = sat.paper_counts or {}
        if paper:
            entered = [paper.get(label, 0) for label in scale]
            sheet.append(
                [
                    village.name,
                    "纸质问卷",
                    "组织者录入的人数",
                    *entered,
                    sum(entered),
                    None,
                    None,
                    None,
                    None,
                ]
            )
        both = [sat.counts.get(label, 0) for label in scale] if sat.source == "counts" else phone
        state = (
            "外部测评满意率（替代问卷）"
            if sat.source == "rate"
            else ("进行中，暂定" if sat.provisional else "已结束")
        )
        if sat.insufficient and sat.source != "rate":
            state += "；样本不足"
        sheet.append(
            [
                village.name,
                "合计（计分）",
                "",
                *both,
                sum(both),
                None,
                None,
                score(sat.score),
                state,
            ]
        )
    table(sheet, scores=("得分",))
