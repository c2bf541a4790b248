"""Red flags (红旗村、红旗乡镇): award them by rules on a computed board and price them.

A rule names a scope (``village`` or ``township``), a category of that scope, a metric (an
indicator code, or ``index`` for the board's index) and a kind:

- ``top_n``: the ``n`` best on the metric, respecting the indicator's direction; everyone equal to
  the n-th best is included too, so a tie at the boundary can award more than ``n`` flags;
- ``threshold``: the metric is ≥ ``threshold`` (≤ when lower is better; the index is higher-better).

With ``exclude_bottom20`` only those outside the bottom 20% compete (eligibility first, then the n
best of the rest). A township's metric is the mean of its villages' values (the index: of their
rounded indexes), rounded to 2 decimals half-up; that rounded figure is compared and reported. A
township is in the bottom 20% when its mean index is, among the townships, by the rule of the
village board (last ceil(0.2·T), ties at the boundary included).

Money (seed 000, per flag): the village party secretary's basic pay +500 yuan a month, each other
village cadre +300 yuan a month, the village's 爱心超市 10,000 yuan once. Township flags carry the
non-cash measures of the document only and are reported with 0.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

import numpy as np
import numpy.typing as npt

from arena.scoring.index import BoardResult, to_cents

Scope = Literal["village", "township"]
RuleKind = Literal["top_n", "threshold"]

VILLAGE_FLAGS: tuple[str, ...] = ("产业兴旺", "生态宜居", "乡风文明", "治理有效", "生活富裕")
TOWNSHIP_FLAGS: tuple[str, ...] = ("党建引领", "产业振兴", "绿色生态", "乡风文明", "平安建设")
FLAG_CATEGORIES: dict[str, tuple[str, ...]] = {"village": VILLAGE_FLAGS, "township": TOWNSHIP_FLAGS}
SCOPE_NAMES: dict[str, str] = {"village": "红旗村", "township": "红旗乡镇"}
INDEX = "index"  # the metric name meaning the board's index


@dataclass(frozen=True, slots=True)
class FlagRule:
    """How one category of flag is won."""

    scope: Scope
    category: str
    kind: RuleKind
    indicator: str = INDEX
    n: int = 1
    threshold: float | None = None
    exclude_bottom20: bool = False


@dataclass(frozen=True, slots=True)
class FlagAward:
    """One flag won: by whom (village code or township name), and the figure it was won on."""

    scope: Scope
    category: str
    recipient: str
    indicator: str
    basis: float


@dataclass(frozen=True, slots=True)
class IncentiveRates:
    """What one village flag brings (yuan)."""

    secretary_monthly: Decimal = Decimal(500)
    other_cadre_monthly: Decimal = Decimal(300)
    love_supermarket: Decimal = Decimal(10000)


@dataclass(frozen=True, slots=True)
class Incentive:
    """One recipient's flags and what they bring (yuan; township rows are all 0)."""

    scope: Scope
    recipient: str
    flags: tuple[str, ...]
    other_cadres: int
    secretary_monthly: Decimal
    other_cadre_monthly_each: Decimal
    other_cadres_monthly_total: Decimal
    love_supermarket: Decimal
    annual_total: Decimal


def _metric(result: BoardResult, rule: FlagRule) -> tuple[npt.NDArray[np.float64], bool]:
    if rule.indicator == INDEX:
        return result.index, False
    for j, ind in enumerate(result.indicators):
        if ind.code == rule.indicator:
            return result.values[:, j], ind.direction == "lower"
    raise ValueError(f"红旗规则“{rule.category}”使用了未知指标“{rule.indicator}”")


def _winners(
    metric: npt.NDArray[np.float64], eligible: npt.NDArray[np.bool_], lower: bool, rule: FlagRule
) -> npt.NDArray[np.intp]:
    key = metric if lower else -metric  # smaller key = better
    if rule.kind not in ("top_n", "threshold"):
        raise ValueError(f"红旗规则“{rule.category}”的方式“{rule.kind}”无效")
    if rule.kind == "threshold":
        if rule.threshold is None:
            raise ValueError(f"红旗规则“{rule.category}”缺少门槛值")
        bound = rule.threshold if lower else -rule.threshold
        return np.flatnonzero(eligible & (key <= bound))
    if rule.n < 1:
        raise ValueError(f"红旗规则“{rule.category}”的名额必须至少为 1")
    candidates = np.flatnonzero(eligible)
    if candidates.size <= rule.n:
        return candidates
    boundary = np.partition(key[candidates], rule.n - 1)[rule.n - 1]
    return candidates[key[candidates] <= boundary]


def _bottom20(cents: npt.NDArray[np.int64]) -> npt.NDArray[np.bool_]:
    ranked = np.sort(cents)[::-1]
    return cents <= ranked[len(cents) - -(-len(cents) // 5)]


def award_flags(
    result: BoardResult, townships: Sequence[str], rules: Iterable[FlagRule]
) -> list[FlagAward]:
    """Every flag the rules award on a board; ``townships`` is aligned with its villages."""
    if len(townships) != len(result):
        raise ValueError("乡镇列表与指数榜的村数不一致")
    names, member = np.unique(np.asarray(townships, dtype=np.str_), return_inverse=True)
    counts = np.bincount(member, minlength=len(names))

    def township_mean(metric: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
        sums = np.bincount(member, weights=metric, minlength=len(names))
        return to_cents(sums / counts) / 100.0

    township_bottom20 = _bottom20(to_cents(township_mean(result.index)))
    seen: set[tuple[str, str]] = set()
    awards: list[FlagAward] = []
    for rule in rules:
        if rule.category not in FLAG_CATEGORIES.get(rule.scope, ()):
            raise ValueError(f"“{rule.category}”不是{SCOPE_NAMES.get(rule.scope, '红旗')}的类别")
        if (rule.scope, rule.category) in seen:
            raise ValueError(f"{SCOPE_NAMES[rule.scope]}“{rule.category}”有多条规则")
        seen.add((rule.scope, rule.category))
        metric, lower = _metric(result, rule)
        if rule.scope == "village":
            labels, bottom = result.village_codes, result.bottom20
        else:
            metric, labels, bottom = township_mean(metric), names, township_bottom20
        eligible = ~bottom if rule.exclude_bottom20 else np.ones(len(labels), np.bool_)
        won = _winners(metric, eligible, lower, rule)
        won = won[np.lexsort((labels[won], metric[won] if lower else -metric[won]))]
        awards.extend(
            FlagAward(rule.scope, rule.category, str(labels[i]), rule.indicator, float(metric[i]))
            for i in won.tolist()
        )
    return awards


def incentives(
    awards: Iterable[FlagAward],
    other_cadres: Mapping[str, int],
    rates: IncentiveRates | None = None,
) -> list[Incentive]:
    """Per recipient: flags and money; villages by code, then townships by name."""
    rates = rates or IncentiveRates()
    won: dict[tuple[str, str], list[str]] = {}
    for award in awards:
        won.setdefault((award.scope, award.recipient), []).append(award.category)
    zero = Decimal(0)
    rows: list[Incentive] = []
    for (scope, recipient), categories in sorted(
        won.items(), key=lambda kv: (kv[0][0] != "village", kv[0][1])
    ):
        order = FLAG_CATEGORIES[scope]
        flags = tuple(sorted(categories, key=order.index))
        if scope == "township":
            rows.append(Incentive("township", recipient, flags, 0, zero, zero, zero, zero, zero))
            continue
        if recipient not in other_cadres:
            raise ValueError(f"村“{recipient}”缺少其他村干部人数")
        cadres, count = other_cadres[recipient], len(flags)
        secretary = rates.secretary_monthly * count
        each = rates.other_cadre_monthly * count
        supermarket = rates.love_supermarket * count
        annual = 12 * (secretary + each * cadres) + supermarket
        rows.append(
            Incentive(
                "village",
                recipient,
                flags,
                cadres,
                secretary,
                each,
                each * cadres,
                supermarket,
                annual,
            )
        )
    return rows
