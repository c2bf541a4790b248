"""A round definition (DESIGN.md "Integration API v1"): checked whole, every problem listed."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from arena.checks import Checker, ItemDef, num
from arena.errors import Problem, UserError, invalid_all
from arena.scoring.aggregate import METHODS, Aggregation
from arena.scoring.papers import DEFAULT_SCALE
from arena.scoring.ranking import parse_tie_breaks
from arena.surveys.definition import SurveyDef, parse_survey
from arena.textcheck import check_tree

DEFAULT_TIE_BREAKS = ("shared", "satisfaction", "-deductions")
TOP_KEYS = {"name", "campaign", "date", "aggregation", "tie_breaks", "papers", "villages", "judges"}


@dataclass(frozen=True)
class VillageDef:
    code: str
    name: str
    township: str
    county: str
    targets: tuple[ItemDef, ...]


@dataclass(frozen=True)
class JudgeDef:
    code: str
    name: str
    recuse: tuple[str, ...]
    unit: str = ""  # 工作单位 (shown on cards and lists; optional)

    def to_json(self) -> dict[str, Any]:
        """The judge as a definition writes it (the unit only when there is one)."""
        out: dict[str, Any] = {"code": self.code, "name": self.name}
        if self.unit:
            out["unit"] = self.unit
        out["recuse"] = list(self.recuse)
        return out


@dataclass(frozen=True)
class RoundDefinition:
    """A checked round definition."""

    name: str
    campaign: str
    date: dt.date
    aggregation: Aggregation
    tie_breaks: tuple[str, ...]
    shared_max: Decimal
    shared_items: tuple[ItemDef, ...]
    demonstration_max: Decimal
    satisfaction_max: Decimal
    min_responses: int
    scale: dict[str, Decimal]
    deduction_cap: Decimal
    deduction_items: tuple[ItemDef, ...]
    villages: tuple[VillageDef, ...]
    judges: tuple[JudgeDef, ...]
    survey: SurveyDef | None = None  # papers.satisfaction.survey: residents answer on phones

    def to_json(self) -> dict[str, Any]:
        """The normalised definition in the same shape as it came in (numbers as JSON numbers)."""
        a = self.aggregation
        return {
            "name": self.name,
            "campaign": self.campaign,
            "date": self.date.isoformat(),
            "aggregation": {
                "method": a.method,
                "trim": a.trim,
                "min_judges_for_trim": a.min_judges_for_trim,
                # written only when opted in, so older definitions read back unchanged
                **({"adjust_judge_severity": True} if a.adjust_judge_severity else {}),
            },
            "tie_breaks": list(self.tie_breaks),
            "papers": {
                "shared": {
                    "max": num(self.shared_max),
                    "items": [i.to_json() for i in self.shared_items],
                },
                "demonstration": {"max": num(self.demonstration_max)},
                "satisfaction": {
                    "max": num(self.satisfaction_max),
                    "min_responses": self.min_responses,
                    "scale": {k: num(v) for k, v in self.scale.items()},
                    **({"survey": self.survey.to_json()} if self.survey is not None else {}),
                },
                "deductions": {
                    "cap": num(self.deduction_cap),
                    "items": [i.to_json() for i in self.deduction_items],
                },
            },
            "villages": [
                {
                    "code": v.code,
                    "name": v.name,
                    "township": v.township,
                    "county": v.county,
                    "targets": [t.to_json() for t in v.targets],
                }
                for v in self.villages
            ],
            "judges": [j.to_json() for j in self.judges],
        }


def parse_definition(data: Any) -> RoundDefinition:
    """Check a round definition; raise a 422 UserError listing every problem."""
    check_tree(data)  # depth, lone surrogates, NUL: the same 4xx from forms, files and the API
    r = Checker()
    data = r.obj(data, "")
    for key in sorted(set(data) - TOP_KEYS):
        r.fail(key, "未知字段")
    name = r.text(data, "name", "")
    campaign = r.text(data, "campaign", "")
    date = _date(r, data.get("date"))
    aggregation = _aggregation(r, r.obj(data.get("aggregation"), "aggregation"))
    tie_breaks = _tie_breaks(r, data.get("tie_breaks", list(DEFAULT_TIE_BREAKS)))
    papers = r.obj(data.get("papers"), "papers")
    if "papers" not in data:
        r.fail("papers", "必填")
    shared = r.obj(papers.get("shared"), "papers.shared")
    shared_max = r.decimal(shared.get("max", 40), "papers.shared.max", positive=True)
    shared_items = r.items(shared.get("items"), "papers.shared.items", shared_max, "共性目标")
    demo = r.obj(papers.get("demonstration"), "papers.demonstration")
    demo_max = r.decimal(demo.get("max", 30), "papers.demonstration.max", positive=True)
    sat = r.obj(papers.get("satisfaction"), "papers.satisfaction")
    sat_max = r.decimal(sat.get("max", 30), "papers.satisfaction.max", positive=True)
    min_responses = r.integer(sat.get("min_responses", 30), "papers.satisfaction.min_responses")
    scale = _scale(r, sat.get("scale"))
    survey = parse_survey(r, sat.get("survey"), scale)
    ded = r.obj(papers.get("deductions"), "papers.deductions")
    cap = r.decimal(ded.get("cap", 10), "papers.deductions.cap")
    ded_items = r.items(ded.get("items"), "papers.deductions.items", None, "扣分项")
    villages = _villages(r, data.get("villages"), demo_max)
    judges = _judges(r, data.get("judges"), {v.code for v in villages})
    if r.problems:
        raise invalid_all(r.problems, "invalid_definition")
    return RoundDefinition(
        name,
        campaign,
        date,
        aggregation,
        tie_breaks,
        shared_max,
        shared_items,
        demo_max,
        sat_max,
        min_responses,
        scale,
        cap,
        ded_items,
        villages,
        judges,
        survey,
    )


def _date(r: Checker, value: Any) -> dt.date:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    r.fail("date", "必须是 YYYY-MM-DD 格式的日期")
    return dt.date(1970, 1, 1)


def _aggregation(r: Checker, raw: dict[str, Any]) -> Aggregation:
    method = raw.get("method", "trimmed")
    if method not in METHODS:
        r.fail("aggregation.method", f"必须是 {' / '.join(METHODS)} 之一")
        method = "trimmed"
    trim = r.integer(raw.get("trim", 1), "aggregation.trim")
    least = r.integer(raw.get("min_judges_for_trim", 5), "aggregation.min_judges_for_trim", 1)
    if method == "trimmed" and least < 2 * trim + 1:
        r.fail(
            "aggregation.min_judges_for_trim",
            f"去掉最高最低分后至少要留 1 名评委：应不小于 {2 * trim + 1}",
        )
        least = 2 * trim + 1
    adjust = raw.get("adjust_judge_severity", False)
    if not isinstance(adjust, bool):
        r.fail("aggregation.adjust_judge_severity", "必须是 true 或 false")
        adjust = False
    return Aggregation(
        method=method, trim=trim, min_judges_for_trim=least, adjust_judge_severity=adjust
    )


def _tie_breaks(r: Checker, raw: Any) -> tuple[str, ...]:
    if not isinstance(raw, list) or not all(isinstance(k, str) for k in raw):
        r.fail("tie_breaks", "必须是字符串列表")
        return DEFAULT_TIE_BREAKS
    try:
        return parse_tie_breaks(raw)
    except ValueError as exc:
        r.fail("tie_breaks", str(exc))
        return DEFAULT_TIE_BREAKS


def _scale(r: Checker, raw: Any) -> dict[str, Decimal]:
    if raw is None:
        return dict(DEFAULT_SCALE)
    if not isinstance(raw, dict) or not raw:
        r.fail("papers.satisfaction.scale", "必须是非空对象（答案 → 分值）")
        return dict(DEFAULT_SCALE)
    scale = {
        str(k): r.decimal(v, f"papers.satisfaction.scale.{k}", high=Decimal(1))
        for k, v in raw.items()
    }
    # Highest value first (满意 … 不满意), whatever order the stored JSON keeps: PostgreSQL's
    # jsonb reorders keys, and every form, page and workbook lists the answers in this order.
    return dict(sorted(scale.items(), key=lambda answer: -answer[1]))


def _villages(r: Checker, raw: Any, demo_max: Decimal) -> tuple[VillageDef, ...]:
    if not isinstance(raw, list) or not raw:
        r.fail("villages", "必须是非空列表")
        return ()
    seen: set[str] = set()
    out = []
    for i, entry in enumerate(raw):
        path = f"villages[{i}]"
        entry = r.obj(entry, path)
        code = r.text(entry, "code", path, max_length=40)
        if code in seen:
            r.fail(f"{path}.code", f"村编码 {code} 重复")
        seen.add(code)
        targets = r.items(entry.get("targets"), f"{path}.targets", demo_max, "示范目标")
        out.append(
            VillageDef(
                code,
                r.text(entry, "name", path),
                r.text(entry, "township", path),
                r.text(entry, "county", path),
                targets,
            )
        )
    return tuple(out)


def _judges(r: Checker, raw: Any, villages: set[str]) -> tuple[JudgeDef, ...]:
    if not isinstance(raw, list) or not raw:
        r.fail("judges", "必须是非空列表")
        return ()
    seen: set[str] = set()
    out = []
    for i, entry in enumerate(raw):
        path = f"judges[{i}]"
        entry = r.obj(entry, path)
        code = r.text(entry, "code", path, max_length=40)
        if code in seen:
            r.fail(f"{path}.code", f"评委编码 {code} 重复")
        seen.add(code)
        recuse = entry.get("recuse", [])
        if not isinstance(recuse, list) or not all(isinstance(v, str) for v in recuse):
            r.fail(f"{path}.recuse", "必须是村编码列表")
            recuse = []
        for v in recuse:
            if v not in villages:
                r.fail(f"{path}.recuse", f"回避的村 {v} 不在本轮名单中")
        unit = entry.get("unit", "")
        if not isinstance(unit, str) or len(unit) > 100:
            r.fail(f"{path}.unit", "必须是不超过 100 个字符的字符串")
            unit = ""
        out.append(JudgeDef(code, r.text(entry, "name", path), tuple(recuse), unit.strip()))
    return tuple(out)


def definition_error(problems: list[Problem]) -> UserError:
    """The error raised for a refused definition (kept for callers building their own list)."""
    return invalid_all(problems, "invalid_definition")
