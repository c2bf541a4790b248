"""The results notice (通报) as an official document: its parts, worked out from the standings.

Pure: no I/O. The page (web/templates/admin/notice.html) and the PDF (notice_pdf.py) both lay
out the same `NoticeDocument`, so what the organiser previews is what is printed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

COLUMNS = ("名次", "试点村", "乡镇", "共性目标", "示范目标", "满意度", "扣分", "总分", "较上轮")


@dataclass(frozen=True)
class NoticeHeading:
    """What the organiser fills in: 发文机关, 发文字号, 主送机关, 成文日期."""

    organ: str
    number: str
    addressees: str
    signed_on: dt.date


@dataclass(frozen=True)
class RankingLine:
    """One village in the annex's table, every figure as printed."""

    cells: tuple[str, ...]  # in COLUMNS order
    bottom20: bool
    provisional: bool


@dataclass(frozen=True)
class NoticeDocument:
    """Every part of the notice in reading order."""

    heading: NoticeHeading
    mark: str  # 发文机关标志: the organ's name and 文件, printed in red
    title: str
    addressees: str  # with the closing full-width colon
    sections: tuple[tuple[str, tuple[str, ...]], ...]  # (一、heading or "", paragraphs)
    annex_title: str
    annex_line: str  # 附件说明: 附件：…
    lines: tuple[RankingLine, ...]
    annex_notes: tuple[str, ...]  # below the table: what the marks mean, the audit hash
    signature: str
    date_text: str


def chinese_date(day: dt.date) -> str:
    """成文日期 with Arabic numerals, no padding: 2025年9月16日."""
    return f"{day.year}年{day.month}月{day.day}日"


def _cents(value: Any) -> str:
    return f"{float(value):.2f}"


def _change(delta: Mapping[str, Any] | None) -> str:
    if not delta:
        return "—"
    rank = int(delta["rank"])
    return f"上升{rank}位" if rank > 0 else f"下降{-rank}位" if rank < 0 else "持平"


def build_notice(
    heading: NoticeHeading,
    round_name: str,
    campaign: str,
    tour_date: dt.date,
    snapshot: Mapping[str, Any],
    deductions: Sequence[Mapping[str, Any]],
    status: str,
) -> NoticeDocument:
    """The notice of a round from its standings snapshot and its deductions."""
    rows = snapshot["rows"]
    annex_title = f"{round_name}评比结果排名表"
    opening = (
        f"{chinese_date(tour_date)}，{campaign}拉练组对{len(rows)}个试点村进行了现场拉练评比，"
        "按共性目标、示范目标、满意度测评、扣分项“四张考卷”计分"
        "（评委打分去掉一个最高分、一个最低分后取平均）。现将评比结果通报如下。"
    )
    results: list[str] = []
    if not snapshot["complete"]:
        results.append(
            f"本通报印发时尚有评分未收齐（已收{snapshot['sheets_in']}份，"
            f"应收{snapshot['sheets_expected']}份），标“暂定”者为暂定名次。"
        )
    if rows:
        top = rows[0]
        text = f"{top['name']}以{_cents(top['total'])}分排名第一，请在通报会上分享经验做法。"
        bottom = [r["name"] for r in rows if r["bottom20"]]
        if bottom:
            text += (
                f"排名后20%的是{'、'.join(bottom)}，"
                "请对照短板弱项提出整改措施，由县级领导一对一跟进。"
            )
        results.append(text + "各村得分和名次见附件。")
    sections: list[tuple[str, tuple[str, ...]]] = [("", (opening,))]
    sections.append(("一、评比结果", tuple(results)))
    if deductions:
        sections.append(
            (
                "二、扣分情况",
                tuple(
                    f"{d['village']}：{d['item']}，扣{_cents(d['points'])}分。{d['reason']}"
                    for d in deductions
                ),
            )
        )
    lines = tuple(
        RankingLine(
            (
                str(r["rank"]),
                r["name"] + ("（暂定）" if r["provisional"] else ""),
                r["township"],
                _cents(r["shared"]),
                _cents(r["demonstration"]),
                "未录入" if r.get("satisfaction_missing") else _cents(r["satisfaction"]),
                _cents(r["deductions"]),
                _cents(r["total"]),
                _change(r.get("delta")),
            ),
            bool(r["bottom20"]),
            bool(r["provisional"]),
        )
        for r in rows
    )
    notes = ["注：底色加深者为排名后20%的村；分数可由评分明细表（Excel）逐项复核。"]
    notes.append(f"审计链最新哈希：{snapshot['audit_hash']}（状态：{status}）")
    addressees = heading.addressees.rstrip("：:，, ")
    return NoticeDocument(
        heading=heading,
        mark=heading.organ if heading.organ.endswith("文件") else f"{heading.organ}文件",
        title=f"关于{round_name}评比结果的通报",
        addressees=f"{addressees}：",
        sections=tuple(sections),
        annex_title=annex_title,
        annex_line=f"附件：{annex_title}",
        lines=lines,
        annex_notes=tuple(notes),
        signature=heading.organ,
        date_text=chinese_date(heading.signed_on),
    )
