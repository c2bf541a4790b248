"""A round's survey settings: `papers.satisfaction.survey` in the round definition.

    survey = {questions = [{code = "q1", text = "您对村里的环境整治满意吗？"}],
              free_text = "您还有什么意见和建议？", sample_size = 40,
              opens_at = "2025-09-16T08:00:00+08:00", closes_at = "2025-09-16T18:00:00+08:00"}

Each question is answered on the round's scale (`papers.satisfaction.scale`), or on a subset of
its labels (`scale = ["满意", "不满意"]`). Times without an offset are Beijing time (+08:00).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from arena.checks import Checker

BEIJING = dt.timezone(dt.timedelta(hours=8))
SURVEY_KEYS = {"questions", "free_text", "sample_size", "opens_at", "closes_at"}
QUESTION_KEYS = {"code", "text", "scale"}
MAX_QUESTIONS = 20
MAX_SAMPLE = 5000


@dataclass(frozen=True)
class Question:
    """One survey question and the answers it offers (labels of the round's scale)."""

    code: str
    text: str
    options: tuple[str, ...]
    own_scale: bool = False  # the question named its labels (kept when written back)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"code": self.code, "text": self.text}
        if self.own_scale:
            out["scale"] = list(self.options)
        return out


@dataclass(frozen=True)
class SurveyDef:
    """The residents' survey of a round."""

    questions: tuple[Question, ...]
    free_text: str
    sample_size: int
    opens_at: dt.datetime | None
    closes_at: dt.datetime | None

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "questions": [q.to_json() for q in self.questions],
            "free_text": self.free_text,
            "sample_size": self.sample_size,
        }
        if self.opens_at is not None:
            out["opens_at"] = self.opens_at.isoformat()
        if self.closes_at is not None:
            out["closes_at"] = self.closes_at.isoformat()
        return out

    def state_at(self, now: dt.datetime) -> str:
        """ "pending" before it opens, "over" after it closes, else "open"."""
        if self.opens_at is not None and now < self.opens_at:
            return "pending"
        if self.closes_at is not None and now >= self.closes_at:
            return "over"
        return "open"


def parse_survey(r: Checker, raw: Any, scale: dict[str, Decimal]) -> SurveyDef | None:
    """Check `papers.satisfaction.survey`; every problem goes to `r`. None when absent."""
    if raw is None:
        return None
    base = "papers.satisfaction.survey"
    data = r.obj(raw, base)
    for key in sorted(set(data) - SURVEY_KEYS):
        r.fail(f"{base}.{key}", "未知字段")
    questions = _questions(r, data.get("questions"), scale)
    free_text = data.get("free_text", "")
    if not isinstance(free_text, str) or len(free_text) > 200:
        r.fail(f"{base}.free_text", "必须是不超过 200 个字符的字符串（留空表示不设开放题）")
        free_text = ""
    sample = data.get("sample_size", 40)
    if isinstance(sample, bool) or not isinstance(sample, int) or not 1 <= sample <= MAX_SAMPLE:
        r.fail(f"{base}.sample_size", f"必须是 1 到 {MAX_SAMPLE} 之间的整数（每村发放卡片数）")
        sample = 40
    opens = _when(r, data.get("opens_at"), f"{base}.opens_at")
    closes = _when(r, data.get("closes_at"), f"{base}.closes_at")
    if opens is not None and closes is not None and closes <= opens:
        r.fail(f"{base}.closes_at", "结束时间必须晚于开始时间")
    return SurveyDef(questions, free_text.strip(), sample, opens, closes)


def _questions(r: Checker, raw: Any, scale: dict[str, Decimal]) -> tuple[Question, ...]:
    field = "papers.satisfaction.survey.questions"
    if not isinstance(raw, list) or not raw:
        r.fail(field, "必须是非空列表（至少 1 道题）")
        return ()
    if len(raw) > MAX_QUESTIONS:
        r.fail(field, f"最多 {MAX_QUESTIONS} 道题")
    seen: set[str] = set()
    out = []
    for i, entry in enumerate(raw):
        path = f"{field}[{i}]"
        entry = r.obj(entry, path)
        for key in sorted(set(entry) - QUESTION_KEYS):
            r.fail(f"{path}.{key}", "未知字段")
        code = r.text(entry, "code", path, max_length=40)
        if code and code in seen:
            r.fail(f"{path}.code", f"题目编码 {code} 重复")
        seen.add(code)
        text = r.text(entry, "text", path, max_length=200)
        own = entry.get("scale")
        options: tuple[str, ...] = tuple(scale)
        if own is not None:
            if (
                not isinstance(own, list)
                or len(own) < 2
                or not all(isinstance(x, str) for x in own)
                or len(set(own)) != len(own)
            ):
                r.fail(f"{path}.scale", "必须是至少 2 个不重复答案的列表")
                own = None
            else:
                unknown = [x for x in own if x not in scale]
                if unknown:
                    r.fail(
                        f"{path}.scale",
                        f"答案 {'、'.join(unknown)} 不在本轮量表中（{'、'.join(scale)}）",
                    )
                options = tuple(x for x in own if x in scale) or options
        out.append(Question(code, text, options, own_scale=own is not None))
    return tuple(out)


def _when(r: Checker, value: Any, field: str) -> dt.datetime | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        at = value
    elif isinstance(value, str):
        try:
            at = dt.datetime.fromisoformat(value)
        except ValueError:
            r.fail(field, "必须是日期时间，如 2025-09-16T08:00:00+08:00")
            return None
    else:
        r.fail(field, "必须是日期时间，如 2025-09-16T08:00:00+08:00")
        return None
    return at if at.tzinfo is not None else at.replace(tzinfo=BEIJING)
