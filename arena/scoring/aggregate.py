"""Judge aggregation for the shared and demonstration papers: mean, trimmed mean or median."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property
from typing import Literal, get_args

from arena.scoring.numbers import ZERO, apportion, divide, q2

Method = Literal["mean", "trimmed", "median"]
METHODS: tuple[Method, ...] = get_args(Method)


@dataclass(frozen=True)
class Aggregation:
    """How the judges' sheet totals of one village and paper become the paper score."""

    method: Method = "trimmed"
    trim: int = 1
    min_judges_for_trim: int = 5
    # Take each judge's additive severity off their sheets first (arena/scoring/whatif.py); off
    # unless a round's definition opts in, so official scores are plain trimmed means by default.
    adjust_judge_severity: bool = False

    def __post_init__(self) -> None:
        if self.method not in METHODS:
            raise ValueError(f"unknown aggregation method {self.method!r}")
        if self.trim < 0:
            raise ValueError(f"trim must be 0 or more, got {self.trim}")
        if self.min_judges_for_trim < 0:
            raise ValueError(
                f"min_judges_for_trim must be 0 or more, got {self.min_judges_for_trim}"
            )


@dataclass(frozen=True)
class JudgeSheet:
    """One judge's points for one village on one paper."""

    judge: str
    items: Mapping[str, Decimal]
    comment: str = ""

    @cached_property
    def total(self) -> Decimal:
        """The exact sum of the sheet's items."""
        return sum(self.items.values(), Decimal(0))


@dataclass(frozen=True)
class PaperResult:
    """A paper score with everything needed to reproduce it by hand."""

    score: Decimal
    judge_totals: dict[str, Decimal]
    kept: tuple[str, ...]
    dropped_high: tuple[str, ...]
    dropped_low: tuple[str, ...]
    item_means: dict[str, Decimal]
    method_used: Method
    comments: dict[str, str]
    # per item, the sum of the kept judges' points (the explanation: sum ÷ kept = item mean)
    item_sums: dict[str, Decimal] = field(default_factory=dict)


def _check(sheets: Sequence[JudgeSheet], item_codes: Sequence[str]) -> None:
    judges = [sheet.judge for sheet in sheets]
    repeated = sorted({judge for judge in judges if judges.count(judge) > 1})
    if repeated:
        raise ValueError(f"more than one sheet from judge(s) {', '.join(repeated)}")
    expected = set(item_codes)
    if len(expected) != len(item_codes):
        raise ValueError(f"repeated item codes in {list(item_codes)}")
    for sheet in sheets:
        if set(sheet.items) != expected:
            raise ValueError(
                f"sheet of {sheet.judge} has items {sorted(sheet.items)}, "
                f"expected {sorted(expected)}"
            )


def _split(
    ordered: list[JudgeSheet], aggregation: Aggregation
) -> tuple[list[JudgeSheet], list[JudgeSheet], list[JudgeSheet], Method]:
    """Split sheets ordered by (total, judge) into (low, kept, high) and the method applied."""
    n = len(ordered)
    if aggregation.method == "median" and n:
        middle = n // 2
        start, stop = (middle, middle + 1) if n % 2 else (middle - 1, middle + 1)
        return ordered[:start], ordered[start:stop], ordered[stop:], "median"
    trim = aggregation.trim
    if aggregation.method == "trimmed" and n >= aggregation.min_judges_for_trim and n > 2 * trim:
        low, rest = ordered[:trim], ordered[trim:]
        # Highest first; among equal totals the judge whose code sorts first is dropped.
        by_height = sorted(rest, key=lambda sheet: (-sheet.total, sheet.judge))
        high = by_height[:trim]
        dropped = {sheet.judge for sheet in high}
        kept = [sheet for sheet in rest if sheet.judge not in dropped]
        return low, kept, high, "trimmed"
    method: Method = "median" if aggregation.method == "median" else "mean"
    return [], ordered, [], method


def _codes(sheets: list[JudgeSheet]) -> tuple[str, ...]:
    return tuple(sorted(sheet.judge for sheet in sheets))


def aggregate(
    sheets: Sequence[JudgeSheet], item_codes: Sequence[str], aggregation: Aggregation
) -> PaperResult:
    """Aggregate the judges' sheets of one village and paper into a paper score."""
    _check(sheets, item_codes)
    ordered = sorted(sheets, key=lambda sheet: (sheet.total, sheet.judge))
    low, kept, high, method_used = _split(ordered, aggregation)
    if kept:
        score = q2(divide(sum((sheet.total for sheet in kept), ZERO), len(kept)))
        exact = {
            code: divide(sum((sheet.items[code] for sheet in kept), ZERO), len(kept))
            for code in item_codes
        }
        item_means = apportion(exact, score)
        sums = {code: sum((sheet.items[code] for sheet in kept), ZERO) for code in item_codes}
    else:
        sums = {code: ZERO for code in item_codes}
        score = ZERO
        item_means = {code: ZERO for code in item_codes}
    by_judge = sorted(sheets, key=lambda sheet: sheet.judge)
    return PaperResult(
        score=score,
        judge_totals={sheet.judge: sheet.total for sheet in by_judge},
        kept=_codes(kept),
        dropped_high=_codes(high),
        dropped_low=_codes(low),
        item_means=item_means,
        method_used=method_used,
        comments={sheet.judge: sheet.comment for sheet in by_judge if sheet.comment},
        item_sums=sums,
    )
