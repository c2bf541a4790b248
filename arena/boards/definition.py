"""Board definitions: a dict from TOML or JSON parsed into frozen dataclasses, every fault listed.

Keys (``example_board.toml`` beside this module is a full definition)::

    name = "2025年度青溪县强村富民指数榜"
    [scope]        level = "county" | "city", name = "青溪县"
    [period]       kind = "year" | "quarter", label = "2025" | "2025Q3"
    [incentives]   optional, yuan: secretary_monthly = 500, other_cadre_monthly = 300,
                   love_supermarket = 10000
    [[indicators]] code, name, unit (optional), direction = "higher" | "lower", weight (> 0),
                   normalisation = "minmax" (default) | "zscore" | "percentile",
                   min, max: the range an imported value must lie in; by default unit "%"
                   means 0–100, units 元 / 万元 / 亿元 mean ≥ 0, any other unit is unbounded;
                   each may be set to override (a growth rate in %: min = -100, max = 10000)
    [[villages]]   code, name, township, county (default: the scope's name on a county board),
                   cadres (number of village cadres besides the party secretary, ≥ 0)
    [[flags]]      scope = "village" | "township", category (one of that scope's five),
                   kind = "top_n" (with n ≥ 1, default 1) | "threshold" (with threshold),
                   indicator (an indicator code, or "index" — the default),
                   exclude_bottom20 = false

Codes are case-sensitive; an indicator code may not be ``village``, ``name`` or ``index`` (the
import file's columns, the flags' name for the index). Unknown keys are faults too: a misspelt
``wieght`` must not silently become a default. Paths count list items from 0.
"""

from __future__ import annotations

import math
import re
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, TypeVar

from arena.boards import Board, BoardScope, Period, ValueBounds, Village
from arena.scoring.flags import (
    FLAG_CATEGORIES,
    INDEX,
    SCOPE_NAMES,
    FlagRule,
    IncentiveRates,
    RuleKind,
    Scope,
)
from arena.scoring.index import DIRECTIONS, NORMALISATIONS, Indicator
from arena.textcheck import check_tree

RESERVED_CODES = frozenset({"village", "name", INDEX})
NON_NEGATIVE_UNITS = frozenset({"元", "万元", "亿元"})
_LABELS = {"year": re.compile(r"\d{4}"), "quarter": re.compile(r"\d{4}Q[1-4]")}
_MISSING = object()
_TOP_KEYS = {"name", "scope", "period", "incentives", "indicators", "villages", "flags"}
_RATE_KEYS = ("secretary_monthly", "other_cadre_monthly", "love_supermarket")
SCOPES: tuple[Scope, ...] = ("village", "township")
RULE_KINDS: tuple[RuleKind, ...] = ("top_n", "threshold")
T = TypeVar("T", bound=str)

__all__ = [
    "Board",
    "BoardScope",
    "DefinitionError",
    "Period",
    "Problem",
    "ValueBounds",
    "Village",
    "parse_board",
    "parse_board_toml",
]


@dataclass(frozen=True, slots=True)
class Problem:
    """One fault in a definition: where (``villages[3].cadres``) and what, in Chinese."""

    path: str
    message: str


class DefinitionError(ValueError):
    """A board definition was refused; ``problems`` lists every fault found."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(f"{p.path or '（整体）'}：{p.message}" for p in problems))


class _Reader:
    """Reads typed fields out of plain dicts, noting every problem instead of stopping."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def problem(self, path: str, message: str) -> None:
        """Note one problem."""
        self.problems.append(Problem(path, message))

    def get(
        self, obj: Mapping[str, Any], key: str, path: str, kind: str, default: Any = _MISSING
    ) -> Any:
        """The value under ``key`` if it is of ``kind`` (text, number, integer, flag, table)."""
        where = f"{path}.{key}" if path else key
        if key not in obj:
            if default is _MISSING:
                self.problem(where, "缺少此项")
                return None
            return default
        value = obj[key]
        if not _KINDS[kind][0](value):
            self.problem(where, f"应为{_KINDS[kind][1]}")
            return None
        if isinstance(value, str) and not value.strip():
            self.problem(where, "不能为空")
        return value.strip() if isinstance(value, str) else value

    def choice(
        self,
        obj: Mapping[str, Any],
        key: str,
        path: str,
        allowed: tuple[T, ...],
        described: str,
        default: T | None = None,
    ) -> T:
        """One of ``allowed``; the first of them stands in when the value is bad."""
        value = self.get(obj, key, path, "text", default if default is not None else _MISSING)
        for option in allowed:
            if value == option:
                return option
        if value is not None:
            self.problem(f"{path}.{key}" if path else key, f"应为 {described}，而不是“{value}”")
        return allowed[0]

    def items(
        self, obj: Mapping[str, Any], key: str, what: str, required: bool = True
    ) -> list[tuple[int, Mapping[str, Any]]]:
        """The tables of a list, with their positions."""
        value = obj.get(key, [])
        if not isinstance(value, list) or (required and not value):
            self.problem(key, "应为列表" if value else f"至少需要一个{what}")
            return []
        for i in (i for i, item in enumerate(value) if not isinstance(item, Mapping)):
            self.problem(f"{key}[{i}]", "应为表（键值对）")
        return [(i, item) for i, item in enumerate(value) if isinstance(item, Mapping)]

    def unknown_keys(self, obj: Mapping[str, Any], allowed: set[str], path: str) -> None:
        """Note every key not in ``allowed``."""
        for key in obj:
            if key not in allowed:
                self.problem(f"{path}.{key}" if path else str(key), f"未知字段“{key}”")

    def code(self, item: Mapping[str, Any], path: str, seen: dict[str, str], what: str) -> str:
        """A code that no earlier item of the list used."""
        code = self.get(item, "code", path, "text") or ""
        if code in seen:
            self.problem(f"{path}.code", f"{what}代码“{code}”重复（{seen[code]} 已使用）")
        elif code:
            seen[code] = path
        return str(code)


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


_KINDS: dict[str, tuple[Callable[[object], bool], str]] = {
    "text": (lambda v: isinstance(v, str), "文本"),
    "number": (_is_number, "有限数值"),
    "integer": (lambda v: isinstance(v, int) and not isinstance(v, bool), "整数"),
    "flag": (lambda v: isinstance(v, bool), "true 或 false"),
    "table": (lambda v: isinstance(v, Mapping), "表（键值对）"),
}


def _bounds(r: _Reader, item: Mapping[str, Any], unit: str, path: str) -> ValueBounds:
    low = 0.0 if unit == "%" or unit in NON_NEGATIVE_UNITS else None
    high = 100.0 if unit == "%" else None
    low = r.get(item, "min", path, "number", low)
    high = r.get(item, "max", path, "number", high)
    if low is not None and high is not None and low >= high:
        r.problem(f"{path}.max", f"上限 {high:g} 必须大于下限 {low:g}")
    return ValueBounds(low, high)


def _indicators(r: _Reader, data: Mapping[str, Any]) -> tuple[list[Indicator], list[ValueBounds]]:
    keys = {"code", "name", "unit", "direction", "weight", "normalisation", "min", "max"}
    indicators: list[Indicator] = []
    bounds: list[ValueBounds] = []
    seen: dict[str, str] = {}
    for i, item in r.items(data, "indicators", "指标"):
        path = f"indicators[{i}]"
        r.unknown_keys(item, keys, path)
        code = r.code(item, path, seen, "指标")
        if code in RESERVED_CODES:
            r.problem(f"{path}.code", f"“{code}”是保留字，不能用作指标代码")
        name = r.get(item, "name", path, "text") or ""
        unit = r.get(item, "unit", path, "text", "") or ""
        direction = r.choice(
            item, "direction", path, DIRECTIONS, "higher（越高越好）或 lower（越低越好）"
        )
        weight = r.get(item, "weight", path, "number")
        if weight is not None and weight <= 0:
            r.problem(f"{path}.weight", f"权重必须大于 0（现为 {weight:g}）")
        normalisation = r.choice(
            item, "normalisation", path, NORMALISATIONS, "minmax、zscore 或 percentile", "minmax"
        )
        indicators.append(
            Indicator(code, name, unit, direction, float(weight or 1.0), normalisation)
        )
        bounds.append(_bounds(r, item, unit, path))
    return indicators, bounds


def _villages(r: _Reader, data: Mapping[str, Any], scope: BoardScope) -> list[Village]:
    keys = {"code", "name", "township", "county", "cadres"}
    villages: list[Village] = []
    seen: dict[str, str] = {}
    for i, item in r.items(data, "villages", "村"):
        path = f"villages[{i}]"
        r.unknown_keys(item, keys, path)
        code = r.code(item, path, seen, "村")
        name = r.get(item, "name", path, "text") or ""
        township = r.get(item, "township", path, "text") or ""
        county_default = scope.name if scope.level == "county" else _MISSING
        county = r.get(item, "county", path, "text", county_default) or ""
        cadres = r.get(item, "cadres", path, "integer")
        if cadres is not None and cadres < 0:
            r.problem(f"{path}.cadres", f"其他村干部人数不能为负数（现为 {cadres}）")
        villages.append(Village(code, name, township, county, max(cadres or 0, 0)))
    return villages


def _flag_rule(r: _Reader, item: Mapping[str, Any], path: str, codes: set[str]) -> FlagRule:
    keys = {"scope", "category", "kind", "indicator", "n", "threshold", "exclude_bottom20"}
    r.unknown_keys(item, keys, path)
    scope = r.choice(item, "scope", path, SCOPES, "village（红旗村）或 township（红旗乡镇）")
    category = r.get(item, "category", path, "text") or ""
    if category and category not in FLAG_CATEGORIES[scope]:
        allowed = "、".join(FLAG_CATEGORIES[scope])
        r.problem(f"{path}.category", f"{SCOPE_NAMES[scope]}的类别应为{allowed}之一")
    kind = r.choice(item, "kind", path, RULE_KINDS, "top_n（前 n 名）或 threshold（达到门槛）")
    indicator = r.get(item, "indicator", path, "text", INDEX) or INDEX
    if indicator != INDEX and indicator not in codes:
        r.problem(f"{path}.indicator", f"未知指标“{indicator}”")
    n, threshold = 1, None
    if kind == "top_n":
        n = r.get(item, "n", path, "integer", 1)
        if n is not None and n < 1:
            r.problem(f"{path}.n", f"名额 n 必须至少为 1（现为 {n}）")
        if "threshold" in item:
            r.problem(f"{path}.threshold", "top_n 规则不使用门槛值 threshold")
    else:
        threshold = r.get(item, "threshold", path, "number")
        if "n" in item:
            r.problem(f"{path}.n", "threshold 规则不使用名额 n")
    exclude = r.get(item, "exclude_bottom20", path, "flag", False)
    return FlagRule(scope, category, kind, indicator, n or 1, threshold, bool(exclude))


def _flag_rules(r: _Reader, data: Mapping[str, Any], codes: set[str]) -> list[FlagRule]:
    rules: list[FlagRule] = []
    seen: dict[tuple[str, str], str] = {}
    for i, item in r.items(data, "flags", "红旗规则", required=False):
        path = f"flags[{i}]"
        rule = _flag_rule(r, item, path, codes)
        key = (rule.scope, rule.category)
        if rule.category and key in seen:
            r.problem(
                f"{path}.category",
                f"{SCOPE_NAMES[rule.scope]}“{rule.category}”已有规则（{seen[key]}）",
            )
        seen.setdefault(key, path)
        rules.append(rule)
    return rules


def _rates(r: _Reader, data: Mapping[str, Any]) -> IncentiveRates:
    table = r.get(data, "incentives", "", "table", {}) or {}
    r.unknown_keys(table, set(_RATE_KEYS), "incentives")
    amounts: dict[str, Decimal] = {}
    for key in _RATE_KEYS:
        amount = r.get(table, key, "incentives", "number", getattr(IncentiveRates(), key))
        if amount is not None and amount < 0:
            r.problem(f"incentives.{key}", f"金额不能为负数（现为 {amount:g}）")
        # str() keeps what was written: 500 stays 500, 312.5 stays 312.5 (no binary residue)
        amounts[key] = Decimal(str(amount)) if amount is not None else Decimal(0)
    return IncentiveRates(**amounts)


def parse_board(data: Mapping[str, Any]) -> Board:
    """Parse a board definition; raise DefinitionError listing every problem."""
    if not isinstance(data, Mapping):
        raise DefinitionError([Problem("", "定义应为表（键值对）")])
    check_tree(data)  # depth, lone surrogates, NUL: the same 4xx from forms, files and the API
    r = _Reader()
    r.unknown_keys(data, _TOP_KEYS, "")
    name = r.get(data, "name", "", "text") or ""
    scope_table = r.get(data, "scope", "", "table") or {}
    r.unknown_keys(scope_table, {"level", "name"}, "scope")
    level = r.choice(scope_table, "level", "scope", ("county", "city"), "county（县）或 city（市）")
    scope = BoardScope(level, r.get(scope_table, "name", "scope", "text") or "")
    period_table = r.get(data, "period", "", "table") or {}
    r.unknown_keys(period_table, {"kind", "label"}, "period")
    kind = r.choice(
        period_table, "kind", "period", ("year", "quarter"), "year（年度）或 quarter（季度）"
    )
    label = r.get(period_table, "label", "period", "text") or ""
    if label and not _LABELS[kind].fullmatch(label):
        example = "2025" if kind == "year" else "2025Q3"
        r.problem("period.label", f"期次“{label}”格式不对，应形如“{example}”")
    rates = _rates(r, data)
    indicators, bounds = _indicators(r, data)
    villages = _villages(r, data, scope)
    rules = _flag_rules(r, data, {ind.code for ind in indicators})
    if r.problems:
        raise DefinitionError(r.problems)
    return Board(
        name,
        scope,
        Period(kind, label),
        tuple(indicators),
        tuple(bounds),
        tuple(villages),
        tuple(rules),
        rates,
    )


def parse_board_toml(text: str) -> Board:
    """Parse a board definition written in TOML."""
    try:
        data = tomllib.loads(text)
    except RecursionError:
        raise DefinitionError([Problem("", "TOML 嵌套层数过多")]) from None
    except tomllib.TOMLDecodeError as exc:
        raise DefinitionError([Problem("", f"TOML 格式错误：{exc}")]) from None
    return parse_board(data)
