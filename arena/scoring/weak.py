"""Weak items (短板弱项): a village's items furthest below the round's median ratio."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from arena.scoring.numbers import divide, q4

Paper = Literal["shared", "demonstration"]
PAPER_ORDER: dict[Paper, int] = {"shared": 0, "demonstration": 1}
WEAK_COUNT = 3


@dataclass(frozen=True)
class ItemScore:
    """One village's (kept-judge mean) score on one item of a judged paper."""

    code: str
    name: str
    score: Decimal
    maximum: Decimal


@dataclass(frozen=True)
class Scorecard:
    """What weak-item analysis needs of one village; a paper without sheets stays empty/None."""

    shared: tuple[ItemScore, ...] = ()
    demonstration: tuple[ItemScore, ...] = ()
    demonstration_ratio: Decimal | None = None  # paper score / paper maximum, 4 dp

    def items(self) -> list[tuple[Paper, ItemScore]]:
        """The measurable items in paper order, then item order."""
        items: list[tuple[Paper, ItemScore]] = [("shared", item) for item in self.shared]
        if self.demonstration_ratio is not None:
            items += [("demonstration", item) for item in self.demonstration]
        return [(paper, item) for paper, item in items if item.maximum > 0]


@dataclass(frozen=True)
class WeakItem:
    """An item with its ratio, the round's median ratio to compare with, and the gap."""

    paper: Paper
    code: str
    name: str
    score: Decimal
    maximum: Decimal
    ratio: Decimal
    median_ratio: Decimal
    gap: Decimal


def ratio(score: Decimal, maximum: Decimal) -> Decimal:
    """score / maximum rounded to 4 decimals, half up."""
    return q4(divide(score, maximum))


def median(values: Sequence[Decimal]) -> Decimal:
    """The median (mean of the middle two for an even count), rounded to 4 decimals."""
    if not values:
        raise ValueError("median of no values")
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return q4(ordered[middle])
    return q4(divide(ordered[middle - 1] + ordered[middle], 2))


def _medians(cards: Mapping[str, Scorecard]) -> tuple[dict[str, Decimal], Decimal]:
    """Median ratio per shared item code, and the median demonstration paper ratio."""
    by_code: dict[str, list[Decimal]] = {}
    for card in cards.values():
        for paper, item in card.items():
            if paper == "shared":
                by_code.setdefault(item.code, []).append(ratio(item.score, item.maximum))
    demonstration = [
        c.demonstration_ratio for c in cards.values() if c.demonstration_ratio is not None
    ]
    shared_medians = {code: median(values) for code, values in by_code.items()}
    # With no demonstration ratio at all, no card offers a demonstration item: the 0 is unused.
    return shared_medians, median(demonstration) if demonstration else q4(Decimal(0))


def weak_items(
    cards: Mapping[str, Scorecard], count: int = WEAK_COUNT
) -> dict[str, tuple[WeakItem, ...]]:
    """Each village's `count` items with the smallest gap between its ratio and the median ratio.

    A shared item is compared with the median of that item's ratio across the villages in
    `cards`; a demonstration target (unique to its village) with the median demonstration
    paper ratio. Ties: smaller ratio, then shared before demonstration, then item order.
    Items with a maximum of 0 cannot be measured and are left out.
    """
    shared_medians, demonstration_median = _medians(cards)
    result: dict[str, tuple[WeakItem, ...]] = {}
    for village, card in cards.items():
        candidates: list[tuple[tuple[Decimal, Decimal, int, int], WeakItem]] = []
        for index, (paper, item) in enumerate(card.items()):
            item_ratio = ratio(item.score, item.maximum)
            median_ratio = shared_medians[item.code] if paper == "shared" else demonstration_median
            weak = WeakItem(
                paper=paper,
                code=item.code,
                name=item.name,
                score=item.score,
                maximum=item.maximum,
                ratio=item_ratio,
                median_ratio=median_ratio,
                gap=item_ratio - median_ratio,
            )
            candidates.append(((weak.gap, item_ratio, PAPER_ORDER[paper], index), weak))
        candidates.sort(key=lambda candidate: candidate[0])
        result[village] = tuple(weak for _, weak in candidates[:count])
    return result
