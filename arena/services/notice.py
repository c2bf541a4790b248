"""The results notice: the heading the organiser keeps per round, and the document it makes."""

from __future__ import annotations

import datetime as dt
from typing import Any

from arena.documents.notice import NoticeDocument, NoticeHeading, build_notice
from arena.errors import Problem, invalid_all
from arena.models import Notice
from arena.services.rounds import STATUS_NAMES, RoundMeta
from arena.services.standings import RoundResult

LIMITS = {"organ": 60, "number": 40, "addressees": 300}
LABELS = {
    "organ": "发文机关",
    "number": "发文字号",
    "addressees": "主送机关",
    "signed_on": "成文日期",
}


def parse_heading(body: Any) -> NoticeHeading:
    """Check the organiser's form; raise a 422 naming every field that is wrong."""
    problems: list[Problem] = []
    if not isinstance(body, dict):
        raise invalid_all([Problem("", "必须是 JSON 对象")])
    for key in body:
        if key not in LABELS:
            problems.append(Problem(str(key), "未知字段"))
    text: dict[str, str] = {}
    for key, limit in LIMITS.items():
        value = body.get(key)
        if not isinstance(value, str) or not value.strip():
            problems.append(Problem(key, f"请填写{LABELS[key]}"))
            continue
        value = " ".join(value.split())
        if any(ord(c) < 32 or 0xD800 <= ord(c) <= 0xDFFF for c in value):
            problems.append(Problem(key, f"{LABELS[key]}含有不能打印的字符"))
            continue
        if len(value) > limit:
            problems.append(Problem(key, f"{LABELS[key]}不能超过 {limit} 个字"))
        text[key] = value
    number = text.get("number", "")
    if number and not number.endswith("号"):
        problems.append(Problem("number", "发文字号以“号”结尾，如：滨组通〔2025〕12号"))
    elif number and ("[" in number or "(" in number or "（" in number):
        problems.append(Problem("number", "年份用六角括号〔〕括入，如：滨组通〔2025〕12号"))
    signed_on = None
    raw = body.get("signed_on")
    if not isinstance(raw, str) or not raw.strip():
        problems.append(Problem("signed_on", "请填写成文日期"))
    else:
        try:
            signed_on = dt.date.fromisoformat(raw.strip())
        except ValueError:
            problems.append(Problem("signed_on", "成文日期格式为 年-月-日，如 2025-09-20"))
    if problems:
        raise invalid_all(problems)
    assert signed_on is not None
    return NoticeHeading(text["organ"], text["number"], text["addressees"], signed_on)


async def load_heading(round_id: int) -> NoticeHeading | None:
    """The heading saved for a round, or None while the organiser has not filled it in."""
    row = await Notice.get_or_none(round_id=round_id)
    if row is None:
        return None
    return NoticeHeading(row.organ, row.number, row.addressees, row.signed_on)


async def save_heading(round_id: int, heading: NoticeHeading, who: str) -> None:
    """Store the heading (saving again replaces it; the same form twice changes nothing)."""
    await Notice.update_or_create(
        defaults={
            "organ": heading.organ,
            "number": heading.number,
            "addressees": heading.addressees,
            "signed_on": heading.signed_on,
            "updated_by": who,
        },
        round_id=round_id,
    )


def heading_json(heading: NoticeHeading | None) -> dict[str, str] | None:
    """The heading as the API and the form carry it."""
    if heading is None:
        return None
    return {
        "organ": heading.organ,
        "number": heading.number,
        "addressees": heading.addressees,
        "signed_on": heading.signed_on.isoformat(),
    }


def notice_document(
    meta: RoundMeta,
    heading: NoticeHeading,
    snapshot: dict[str, Any],
    result: RoundResult,
) -> NoticeDocument:
    """The notice of a round, with its deductions as the standings counted them."""
    catalogue = {i.code: i.name for i in meta.definition.deduction_items}
    deductions = [
        {
            "village": (meta.village_by_id(d.village_id) or meta).name,
            "item": catalogue.get(d.item, d.item),
            "points": d.points,
            "reason": d.reason,
        }
        for d in result.deductions
    ]
    return build_notice(
        heading,
        meta.name,
        meta.campaign,
        meta.date,
        snapshot,
        deductions,
        STATUS_NAMES[snapshot["round"]["status"]],
    )
