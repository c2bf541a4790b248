"""Contest definitions (擂台赛): a dict from TOML or JSON checked whole, every problem listed.

Keys (``example_contest.toml`` beside this module is a full definition)::

    name, date = "YYYY-MM-DD", campaign (optional)
    time_limit_seconds   whole seconds > 0 per presentation
    [overtime]           optional: penalty = 0.5 points per started step of step_seconds = 30
    [aggregation]        optional: method = "trimmed" | "mean" | "median", trim = 1,
                         min_judges_for_trim = 3 (fewer judges: plain mean)
    [[contestants]]      code, name, post (职务), unit (单位)
    [[judges]]           code, name
    [[criteria]]         code, name, max, guide (optional); the maxima sum to exactly 100
    [[awards]]           optional: name, count (places ≥ 1); default 一等奖 1, 二等奖 2,
                         三等奖 3; the places may not outnumber the contestants

Unknown keys are problems too, so a misspelt key never silently becomes a default. Paths count
list items from 0.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from arena.checks import Checker, ItemDef
from arena.errors import invalid_all
from arena.rounds.definition import num
from arena.scoring.aggregate import METHODS, Aggregation
from arena.scoring.contest import (
    DEFAULT_AGGREGATION,
    DEFAULT_AWARD_TIERS,
    AwardTier,
    ContestRules,
    Criterion,
)
from arena.textcheck import check_tree

FULL_MARKS = Decimal(100)
DEFAULT_PENALTY = Decimal("0.5")
DEFAULT_STEP_SECONDS = 30
TOP_KEYS = {
    "name",
    "date",
    "campaign",
    "contestants",
    "judges",
    "criteria",
    "time_limit_seconds",
    "overtime",
    "aggregation",
    "awards",
}


@dataclass(frozen=True)
class ContestantDef:
    """A party secretary who presents: name, post (职务) and unit (单位)."""

    code: str
    name: str
    post: str
    unit: str


@dataclass(frozen=True)
class ContestJudgeDef:
    """A judge (评委) of the contest."""

    code: str
    name: str


@dataclass(frozen=True)
class ContestDefinition:
    """A checked contest definition."""

    name: str
    campaign: str
    date: dt.date
    contestants: tuple[ContestantDef, ...]
    judges: tuple[ContestJudgeDef, ...]
    criteria: tuple[ItemDef, ...]
    time_limit_seconds: int
    overtime_penalty: Decimal
    overtime_step_seconds: int
    aggregation: Aggregation
    awards: tuple[AwardTier, ...]

    def rules(self) -> ContestRules:
        """The scoring rules for arena.scoring.contest."""
        return ContestRules(
            criteria=tuple(Criterion(c.code, c.name, c.max) for c in self.criteria),
            time_limit_seconds=self.time_limit_seconds,
            overtime_penalty=self.overtime_penalty,
            overtime_step_seconds=self.overtime_step_seconds,
            aggregation=self.aggregation,
            award_tiers=self.awards,
        )

    def to_json(self) -> dict[str, Any]:
        """The normalised definition in the same shape as it came in (numbers as JSON numbers)."""
        a = self.aggregation
        out: dict[str, Any] = {"name": self.name, "date": self.date.isoformat()}
        if self.campaign:
            out["campaign"] = self.campaign
        out |= {
            "time_limit_seconds": self.time_limit_seconds,
            "overtime": {
                "penalty": num(self.overtime_penalty),
                "step_seconds": self.overtime_step_seconds,
            },
            "aggregation": {
                "method": a.method,
                "trim": a.trim,
                "min_judges_for_trim": a.min_judges_for_trim,
            },
            "contestants": [
                {"code": c.code, "name": c.name, "post": c.post, "unit": c.unit}
                for c in self.contestants
            ],
            "judges": [{"code": j.code, "name": j.name} for j in self.judges],
            "criteria": [c.to_json() for c in self.criteria],
            "awards": [{"name": t.name, "count": t.count} for t in self.awards],
        }
        return out


def parse_contest(data: Any) -> ContestDefinition:
    """Check a contest definition; raise a 422 UserError listing every problem."""
    check_tree(data)  # depth, lone surrogates, NUL: the same 4xx from forms, files and the API
    r = Checker()
    data = r.obj(data, "")
    _unknown(r, data, TOP_KEYS, "")
    name = r.text(data, "name", "")
    campaign = r.text(data, "campaign", "") if "campaign" in data else ""
    date = _date(r, data.get("date"))
    time_limit = _time_limit(r, data.get("time_limit_seconds"))
    overtime = r.obj(data.get("overtime"), "overtime")
    _unknown(r, overtime, {"penalty", "step_seconds"}, "overtime")
    penalty = r.decimal(
        overtime.get("penalty", DEFAULT_PENALTY), "overtime.penalty", high=FULL_MARKS
    )
    step = r.integer(
        overtime.get("step_seconds", DEFAULT_STEP_SECONDS), "overtime.step_seconds", low=1
    )
    aggregation = _aggregation(r, r.obj(data.get("aggregation"), "aggregation"))
    contestants = _contestants(r, data.get("contestants"))
    judges = _judges(r, data.get("judges"))
    raw_criteria = data.get("criteria")
    if isinstance(raw_criteria, list):
        for i, entry in enumerate(raw_criteria):
            if isinstance(entry, dict):
                _unknown(r, entry, {"code", "name", "max", "guide"}, f"criteria[{i}]")
    criteria = r.items(raw_criteria, "criteria", FULL_MARKS, "评分标准")
    awards = _awards(r, data.get("awards"), len(contestants))
    if r.problems:
        raise invalid_all(r.problems, "invalid_definition")
    return ContestDefinition(
        name,
        campaign,
        date,
        contestants,
        judges,
        criteria,
        time_limit,
        penalty,
        step,
        aggregation,
        awards,
    )


def _unknown(r: Checker, entry: dict[str, Any], known: set[str], path: str) -> None:
    for key in sorted(set(entry) - known, key=str):
        r.fail(f"{path}.{key}" if path else str(key), "未知字段")


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


def _time_limit(r: Checker, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        r.fail("time_limit_seconds", "必填，且必须是大于 0 的整数（秒）")
        return 1
    return value


def _aggregation(r: Checker, raw: dict[str, Any]) -> Aggregation:
    _unknown(r, raw, {"method", "trim", "min_judges_for_trim"}, "aggregation")
    default = DEFAULT_AGGREGATION
    method = raw.get("method", default.method)
    if method not in METHODS:
        r.fail("aggregation.method", f"必须是 {' / '.join(METHODS)} 之一")
        method = default.method
    trim = r.integer(raw.get("trim", default.trim), "aggregation.trim")
    least = r.integer(
        raw.get("min_judges_for_trim", default.min_judges_for_trim),
        "aggregation.min_judges_for_trim",
        1,
    )
    if method == "trimmed" and least < 2 * trim + 1:
        r.fail(
            "aggregation.min_judges_for_trim",
            f"去掉最高最低分后至少要留 1 名评委：应不小于 {2 * trim + 1}",
        )
        least = 2 * trim + 1
    return Aggregation(method=method, trim=trim, min_judges_for_trim=least)


def _entries(r: Checker, raw: Any, field: str, what: str) -> list[tuple[str, dict[str, Any]]]:
    if not isinstance(raw, list) or not raw:
        r.fail(field, f"必须是非空列表（{what}）")
        return []
    return [(f"{field}[{i}]", r.obj(entry, f"{field}[{i}]")) for i, entry in enumerate(raw)]


def _code(r: Checker, entry: dict[str, Any], path: str, seen: set[str], what: str) -> str:
    code = r.text(entry, "code", path, max_length=40)
    if code and code in seen:
        r.fail(f"{path}.code", f"{what}编码 {code} 重复")
    seen.add(code)
    return code


def _contestants(r: Checker, raw: Any) -> tuple[ContestantDef, ...]:
    seen: set[str] = set()
    out = []
    for path, entry in _entries(r, raw, "contestants", "选手"):
        _unknown(r, entry, {"code", "name", "post", "unit"}, path)
        code = _code(r, entry, path, seen, "选手")
        name = r.text(entry, "name", path, max_length=100)
        post = r.text(entry, "post", path, max_length=100)
        unit = r.text(entry, "unit", path, max_length=200)
        out.append(ContestantDef(code, name, post, unit))
    return tuple(out)


def _judges(r: Checker, raw: Any) -> tuple[ContestJudgeDef, ...]:
    seen: set[str] = set()
    out = []
    for path, entry in _entries(r, raw, "judges", "评委"):
        _unknown(r, entry, {"code", "name"}, path)
        code = _code(r, entry, path, seen, "评委")
        out.append(ContestJudgeDef(code, r.text(entry, "name", path, max_length=100)))
    return tuple(out)


def _awards(r: Checker, raw: Any, contestants: int) -> tuple[AwardTier, ...]:
    if raw is None:
        return DEFAULT_AWARD_TIERS
    if not isinstance(raw, list):
        r.fail("awards", "必须是列表（奖项）")
        return DEFAULT_AWARD_TIERS
    seen: set[str] = set()
    out = []
    for i, entry in enumerate(raw):
        path = f"awards[{i}]"
        entry = r.obj(entry, path)
        _unknown(r, entry, {"name", "count"}, path)
        name = r.text(entry, "name", path, max_length=40)
        if name and name in seen:
            r.fail(f"{path}.name", f"奖项 {name} 重复")
        seen.add(name)
        out.append(AwardTier(name, r.integer(entry.get("count"), f"{path}.count", low=1)))
    places = sum(tier.count for tier in out)
    if contestants and places > contestants:
        r.fail("awards", f"奖项名额合计 {places} 超过选手人数 {contestants}")
    return tuple(out)
