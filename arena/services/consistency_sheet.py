"""The workbook's 评委一致性 sheet: the consistency page's figures, for organisers."""

from __future__ import annotations

from typing import Any

from arena.scoring.agreement import icc_reading, w_reading
from arena.scoring.review import review_round
from arena.services.consistency import DEFINITIONS, PAPER_NAMES, PATTERN_NAMES, typed_papers
from arena.services.standings import RoundResult, rules_of
from arena.services.xlsx_style import score, table

JUDGE_COLUMNS = [
    "考卷",
    "宽严排序",
    "评委编码",
    "评委姓名",
    "宽严度",
    "95%区间下限",
    "95%区间上限",
    "依据村数",
    "评分表数",
    "被去掉（最高）",
    "被去掉（最低）",
    "评委效应",
    "光环",
    "全满分",
    "请核对",
]


async def consistency_sheet(book: Any, result: RoundResult) -> None:
    """Add 评委一致性: per judge and paper, agreement, patterns, suspect sheets, what-if."""
    meta = result.meta
    papers = await typed_papers(meta)
    review = review_round(rules_of(meta), result.standings, papers, list(meta.judges))
    names = {j.code: j.name for j in meta.judges.values()}
    villages = {c: v.name for c, v in meta.villages.items()}
    sheet = book.create_sheet("评委一致性")
    sheet.append(JUDGE_COLUMNS)
    for p in review.papers.values():
        for row in p.judges:
            s = row.severity
            sheet.append(
                [
                    PAPER_NAMES[p.paper],
                    row.leniency,
                    row.judge,
                    names.get(row.judge, row.judge),
                    score(s.mean),
                    score(s.low),
                    score(s.high),
                    s.n,
                    row.sheets,
                    row.trimmed_high,
                    row.trimmed_low,
                    score(row.effect),
                    row.halo,
                    row.all_max,
                    row.suspects,
                ]
            )
    table(sheet, signed=("宽严度", "95%区间下限", "95%区间上限", "评委效应"))
    sheet.append([])
    sheet.append(["考卷", "一致性", "数值", "解读", "依据村数", "依据评委数"])
    for p in review.papers.values():
        a = p.agreement
        for label, value, reading in (
            ("ICC(2,1)", a.icc_single, icc_reading(a.icc_single)),
            ("ICC(2,k)", a.icc_average, icc_reading(a.icc_average)),
            ("肯德尔 W", a.kendall_w, w_reading(a.kendall_w)),
        ):
            sheet.append([PAPER_NAMES[p.paper], label, score(value), reading, a.villages, a.judges])
    sheet.append([])
    sheet.append(["请核对", "考卷", "试点村", "评委姓名", "总分", "其他评委中位数", "相差"])
    for x in review.suspects:
        sheet.append(
            [
                "",
                PAPER_NAMES[x.paper],
                villages[x.village],
                names.get(x.judge, x.judge),
                score(x.total),
                score(x.median_others),
                score(x.gap),
            ]
        )
    sheet.append([])
    sheet.append(["评分模式", "考卷", "试点村", "评委姓名", "模式", "得分率"])
    for p in review.papers.values():
        for m in p.patterns:
            sheet.append(
                [
                    "",
                    PAPER_NAMES[p.paper],
                    villages[m.village],
                    names.get(m.judge, m.judge),
                    PATTERN_NAMES[m.kind],
                    score(m.fraction),
                ]
            )
    sheet.append([])
    w = review.what_if
    sheet.append(["假设排名", "试点村", "正式名次", "正式总分", "假设名次", "假设总分", "名次变化"])
    for r in sorted(w.rows, key=lambda r: (r.official_rank, r.code)):
        sheet.append(
            [
                "",
                r.name,
                r.official_rank,
                score(r.official_total),
                r.adjusted_rank,
                score(r.adjusted_total),
                r.moved,
            ]
        )
    applied = meta.definition.aggregation.adjust_judge_severity
    why = "本轮已按评委宽严调整正式分数" if applied else "只供参考，正式分数不变"
    sheet.append(["", f"名次会变化的村：{w.changed} 个（{why}）"])
    sheet.append([])
    for text in DEFINITIONS.values():
        sheet.append([text])
