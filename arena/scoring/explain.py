"""Explain my score: the arithmetic behind every figure of a village's result, in Chinese.

Each figure gets the lines an official would write with a calculator, with the same numbers as
the workbook. Judges appear only under the village's own labels (评委1…k); nothing here names
another village or its figures, so the explanation gives away no judge and no hidden place.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from arena.scoring.aggregate import Aggregation, PaperResult
from arena.scoring.numbers import divide, q2, q4
from arena.scoring.papers import DeductionResult, SatisfactionResult
from arena.scoring.standings import VillageResult

PAPER_NAMES = {
    "shared": "共性目标",
    "demonstration": "示范目标",
    "satisfaction": "满意度测评",
    "deductions": "扣分",
}


def show(value: Decimal) -> str:
    """A figure as the pages show it: at most 2 decimals, no trailing zeros (36.17, 8.5, 27)."""
    text = f"{q2(value):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def exact(value: Decimal) -> str:
    """An intermediate quotient: exact when it has at most 4 decimals, else ≈ to 4 decimals."""
    rounded = q4(value)
    text = f"{rounded:f}".rstrip("0").rstrip(".")
    return text if rounded == value else f"≈{text}"


@dataclass(frozen=True)
class Context:
    """What the explanation needs from the round besides the village's own result."""

    aggregation: Aggregation
    tie_breaks: tuple[str, ...]
    maxima: Mapping[str, Decimal]  # shared, demonstration, satisfaction
    deduction_cap: Decimal
    scale: Mapping[str, Decimal]
    min_responses: int
    items: Mapping[str, Sequence[tuple[str, str]]]  # paper -> (code, name) in sheet order
    rank_of: int


def _joined(labels: Mapping[str, str], p: PaperResult, judges: Sequence[str]) -> str:
    number = {code: int(labels[code].removeprefix("评委")) for code in judges}
    ordered = sorted(judges, key=lambda code: number[code])
    return "、".join(f"{labels[c]} {show(p.judge_totals[c])}" for c in ordered)


def judged_paper(
    paper: str, p: PaperResult, labels: Mapping[str, str], ctx: Context
) -> dict[str, object]:
    """A judged paper: the judges' totals, who was dropped and why, the mean, each item."""
    name = PAPER_NAMES[paper]
    if not p.judge_totals:
        return {"score": [f"{name}尚无评委评分，暂计 0 分"], "items": {}}
    n = len(p.judge_totals)
    lines = [f"评委总分（共 {n} 位）：{_joined(labels, p, list(p.judge_totals))}"]
    a = ctx.aggregation
    if ctx.aggregation.adjust_judge_severity:
        lines.append("本轮设置按评委宽严调整：以上总分已减去各评委在全轮的宽严效应")
    if p.method_used == "trimmed":
        lines.append(
            f"评委不少于 {a.min_judges_for_trim} 位，去掉最高分 "
            f"{_joined(labels, p, p.dropped_high)}，去掉最低分 {_joined(labels, p, p.dropped_low)}"
            "（总分相同时按固定规则确定去掉哪一位）"
        )
    elif p.method_used == "median":
        lines.append("本轮按中位数计分：取排在中间的评委总分")
    elif a.method == "trimmed":
        lines.append(f"评委少于 {a.min_judges_for_trim} 位，不去高去低，取全部评委平均")
    kept = len(p.kept)
    kept_sum = sum((p.judge_totals[c] for c in p.kept), Decimal(0))
    kept_order = sorted(p.kept, key=lambda c: int(labels[c].removeprefix("评委")))
    terms = " + ".join(show(p.judge_totals[c]) for c in kept_order)
    mean = divide(kept_sum, kept)
    lines.append(
        f"保留 {kept} 位：({terms}) ÷ {kept} = {exact(mean)}，"
        f"四舍五入到两位小数得 {show(p.score)} 分"
    )
    items: dict[str, list[str]] = {}
    for code, item_name in ctx.items.get(paper, ()):
        total = p.item_sums.get(code, Decimal(0))
        item_exact = divide(total, kept)
        line = (
            f"{item_name}：保留的 {kept} 位评委本项合计 {show(total)} 分，"
            f"÷ {kept} = {exact(item_exact)}"
        )
        shown = p.item_means.get(code, Decimal(0))
        if q2(item_exact) != shown:
            line += (
                f"；为使各项之和正好等于卷面分 {show(p.score)}，"
                f"各项按尾差分摊取整到分，本项记 {show(shown)}"
            )
        else:
            line += f"，记 {show(shown)}"
        items[code] = [line]
    return {"score": lines, "items": items}


def satisfaction(s: SatisfactionResult, ctx: Context, missing: bool) -> list[str]:
    """The satisfaction paper from counts (or a rate)."""
    maximum = ctx.maxima["satisfaction"]
    if missing or s.source == "none":
        return ["满意度尚未录入：名次暂定，不按 0 分计"]
    if s.source == "rate":
        assert s.rate is not None
        return [
            f"采用外部测评满意率 {show(s.rate)}%：{show(maximum)} × {show(s.rate)}% = "
            f"{exact(divide(maximum * s.rate, 100))}，得 {show(s.score)} 分"
        ]
    if not s.responses:
        return ["尚无有效问卷，计 0 分"]
    parts = [f"{label} {s.counts.get(label, 0)} 人 × {show(v)}" for label, v in ctx.scale.items()]
    weighted = sum((v * s.counts.get(label, 0) for label, v in ctx.scale.items()), Decimal(0))
    lines = [
        f"{' + '.join(parts)} = {show(weighted)}（有效问卷 {s.responses} 份）",
        f"平均分值 {show(weighted)} ÷ {s.responses} = {exact(divide(weighted, s.responses))}",
        f"得分 = 满分 {show(maximum)} × {show(weighted)} ÷ {s.responses} = "
        f"{exact(divide(maximum * weighted, s.responses))}，四舍五入得 {show(s.score)} 分",
    ]
    if s.insufficient:
        lines.append(f"有效问卷少于 {ctx.min_responses} 份，标注“样本不足”，但照常计分")
    return lines


def deductions(d: DeductionResult, names: Mapping[str, str], ctx: Context) -> list[str]:
    """Each deduction, the sum and the cap."""
    if not d.entries:
        return ["本轮无扣分"]
    lines = [
        f"{names.get(e.item, e.item)} −{show(e.points)}" + (f"（{e.reason}）" if e.reason else "")
        for e in d.entries
    ]
    summed = " + ".join(show(e.points) for e in d.entries)
    lines.append(f"合计 {summed} = {show(d.raw)}")
    if d.capped:
        lines.append(f"超过扣分上限 {show(ctx.deduction_cap)} 分，按 {show(d.total)} 分扣")
    return lines


def total(r: VillageResult) -> list[str]:
    """Total = shared + demonstration + satisfaction − deductions, never below 0."""
    raw = r.shared.score + r.demonstration.score + r.satisfaction.score - r.deductions.total
    line = (
        f"共性目标 {show(r.shared.score)} + 示范目标 {show(r.demonstration.score)} + "
        f"满意度 {show(r.satisfaction.score)}{'（未录入）' if r.satisfaction_missing else ''} − "
        f"扣分 {show(r.deductions.total)} = {show(raw)}"
    )
    lines = [line]
    if raw < 0:
        lines.append("总分不低于 0，记 0 分")
    if r.provisional:
        why = []
        if r.sheets_in < r.sheets_expected:
            why.append(f"评分表已收 {r.sheets_in} / {r.sheets_expected} 份")
        if r.satisfaction_missing:
            why.append("满意度未录入")
        lines.append("暂定：" + ("，".join(why) or "尚有数据未齐") + "，收齐后可能变化")
    return lines


def rank(r: VillageResult, ctx: Context) -> list[str]:
    """The rank and the tie-break rule, with this village's own comparison values only."""
    lines = [
        f"按总分从高到低排名：本村 {show(r.total)} 分，在 {ctx.rank_of} 个村中排第 {r.rank} 名"
    ]
    rules = []
    own = []
    for key in ctx.tie_breaks:
        paper = key.removeprefix("-")
        word = "低者在前" if key.startswith("-") else "高者在前"
        rules.append(f"{PAPER_NAMES[paper]}{word}")
        value = {
            "shared": r.shared.score,
            "demonstration": r.demonstration.score,
            "satisfaction": r.satisfaction.score,
            "deductions": r.deductions.total,
        }[paper]
        own.append(f"{PAPER_NAMES[paper]} {show(value)}")
    if rules:
        lines.append(f"总分相同时依次比较：{'，'.join(rules)}；仍相同则名次并列（如 1、2、2、4）")
        lines.append(f"本村的比较值：{'，'.join(own)}")
    return lines


def delta(r: VillageResult) -> list[str]:
    """The change against the previous round of the same campaign."""
    if r.delta is None:
        return ["首次参评：同一评比中没有更早的一轮可比"]
    before_total = r.total - r.delta.total
    before_rank = r.rank + r.delta.rank
    sign = "+" if r.delta.total > 0 else ""
    moved = (
        f"上升 {r.delta.rank} 位"
        if r.delta.rank > 0
        else f"下降 {-r.delta.rank} 位"
        if r.delta.rank < 0
        else "名次不变"
    )
    return [
        f"总分：本轮 {show(r.total)} − 上一轮 {show(before_total)} = {sign}{show(r.delta.total)}",
        f"名次：上一轮第 {before_rank} 名 → 本轮第 {r.rank} 名，{moved}",
    ]


def explain_village(
    r: VillageResult,
    labels: Mapping[str, str],
    ctx: Context,
    deduction_names: Mapping[str, str],
) -> dict[str, object]:
    """Every figure of one village's result with the arithmetic behind it."""
    return {
        "total": total(r),
        "rank": rank(r, ctx),
        "delta": delta(r),
        "papers": {
            "shared": judged_paper("shared", r.shared, labels, ctx),
            "demonstration": judged_paper("demonstration", r.demonstration, labels, ctx),
            "satisfaction": satisfaction(r.satisfaction, ctx, r.satisfaction_missing),
            "deductions": deductions(r.deductions, deduction_names, ctx),
        },
    }
