"""What is missing or doubtful in a round before it is locked or published, named one by one."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from arena.errors import Problem, UserError
from arena.models import Sheet
from arena.services.scores import PAPER_NAMES, SHEET_PAPERS
from arena.services.standings import RoundResult

TITLES = {
    "sheets_missing": "评分表未交",
    "sheets_voided": "已作废、尚未重新录入的评分表",
    "satisfaction_missing": "满意度未录入",
    "satisfaction_insufficient": "满意度样本不足",
    "provisional": "暂定名次的村",
}
UNITS = {
    "sheets_missing": "份",
    "sheets_voided": "份",
    "satisfaction_missing": "个村",
    "satisfaction_insufficient": "个村",
    "provisional": "个村",
}


@dataclass(frozen=True)
class Check:
    """One kind of problem and every place it occurs."""

    code: str
    items: list[dict[str, Any]] = field(default_factory=list)

    @property
    def title(self) -> str:
        """The heading the checks page and the confirmation use."""
        return TITLES[self.code]

    def summary(self) -> str:
        """e.g. 满意度未录入 2 个村."""
        return f"{self.title} {len(self.items)} {UNITS[self.code]}"

    def to_json(self) -> dict[str, Any]:
        """The check as GET /api/v1/rounds/{id}/checks lists it."""
        return {
            "code": self.code,
            "title": self.title,
            "count": len(self.items),
            "summary": self.summary(),
            "items": self.items,
        }


async def round_checks(result: RoundResult) -> list[Check]:
    """Every kind of problem that has at least one occurrence, in the order to fix them."""
    meta = result.meta
    rows = await Sheet.filter(round_id=meta.id).values_list(
        "village_id", "judge_id", "paper", "version", "current", "voided_at", "voided_by",
        "void_reason",
    )  # fmt: skip
    latest: dict[tuple[int, int, str], tuple[Any, ...]] = {}
    for row in rows:
        k = (row[0], row[1], row[2])
        if k not in latest or row[3] > latest[k][3]:
            latest[k] = row
    missing, voided = Check("sheets_missing"), Check("sheets_voided")
    for village in meta.villages.values():
        for judge in meta.expected_judges(village):
            for paper in SHEET_PAPERS:
                where = {
                    "village": village.code,
                    "village_name": village.name,
                    "judge": judge.code,
                    "judge_name": judge.name,
                    "paper": paper,
                    "paper_name": PAPER_NAMES[paper],
                }
                text = f"{village.name} · {judge.name} · {PAPER_NAMES[paper]}"
                last = latest.get((village.id, judge.id, paper))
                if last is None:
                    missing.items.append({**where, "text": text})
                elif not last[4] and last[5] is not None:
                    voided.items.append(
                        {
                            **where,
                            "text": f"{text}（{last[6]} 作废：{last[7]}）",
                            "reason": last[7],
                            "voided_by": last[6],
                        }
                    )
    unsurveyed, small, provisional = (
        Check("satisfaction_missing"),
        Check("satisfaction_insufficient"),
        Check("provisional"),
    )
    minimum = meta.definition.min_responses
    for r in result.standings.rows:
        where = {"village": r.code, "village_name": r.name}
        if r.satisfaction_missing:
            unsurveyed.items.append({**where, "text": f"{r.name}：满意度未录入"})
        elif r.satisfaction.source == "counts" and r.satisfaction.insufficient:
            small.items.append(
                {
                    **where,
                    "responses": r.satisfaction.responses,
                    "min_responses": minimum,
                    "text": f"{r.name}：有效问卷 {r.satisfaction.responses} 份，"
                    f"少于 {minimum} 份（样本不足，仍计分）",
                }
            )
        if r.provisional:
            why = []
            if r.sheets_in < r.sheets_expected:
                why.append(f"评分表 {r.sheets_in}/{r.sheets_expected}")
            if r.satisfaction_missing:
                why.append("满意度未录入")
            provisional.items.append({**where, "text": f"{r.name}（暂定）：{'，'.join(why)}"})
    checks = [missing, voided, unsurveyed, small, provisional]
    return [c for c in checks if c.items]


def unconfirmed(checks: list[Check], action: str) -> UserError:
    """The 409 for a lock or publish with problems outstanding and no {"confirm": true}."""
    verb = {"lock": "锁定", "publish": "发布"}[action]
    listed = "；".join(c.summary() for c in checks)
    problems = [Problem(c.code, item["text"]) for c in checks for item in c.items]
    return UserError(
        409,
        "unconfirmed_problems",
        f"尚有问题未处理：{listed}。请在「锁定与发布前检查」页面逐项核对，确认后仍要{verb}"
        f'（接口调用请在请求中带上 {{"confirm": true}}）',
        "confirm",
        problems,
    )
