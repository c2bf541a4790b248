"""Totals, tie-breaks, competition ranks and the bottom 20% (后20%) of a field review round."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from arena.scoring.numbers import ZERO, q2

PAPER_KEYS = ("shared", "demonstration", "satisfaction", "deductions")


def parse_tie_breaks(keys: Sequence[str]) -> tuple[str, ...]:
    """Check a tie-break list: paper keys, "-" in front when lower is better."""
    seen: set[str] = set()
    for key in keys:
        paper = key.removeprefix("-")
        if paper not in PAPER_KEYS:
            raise ValueError(
                f"unknown tie-break {key!r}: use one of {', '.join(PAPER_KEYS)}, "
                'with "-" in front when lower is better'
            )
        if paper in seen:
            raise ValueError(f"tie-break {key!r} repeats paper {paper!r}")
        seen.add(paper)
    return tuple(keys)


@dataclass(frozen=True)
class Scored:
    """A village's four paper scores, each already rounded to 2 decimals."""

    code: str
    shared: Decimal
    demonstration: Decimal
    satisfaction: Decimal
    deductions: Decimal
    provisional: bool = False

    @property
    def total(self) -> Decimal:
        """shared + demonstration + satisfaction − deductions, never below 0."""
        total = self.shared + self.demonstration + self.satisfaction - self.deductions
        return q2(max(total, ZERO))


@dataclass(frozen=True)
class Ranked:
    """A row with its competition rank and whether it is in the bottom 20%."""

    rank: int
    row: Scored
    bottom20: bool


def bottom_count(n: int) -> int:
    """How many positions the bottom 20% covers: ceil(0.2 × n)."""
    return (n + 4) // 5


def _sort_key(row: Scored, tie_breaks: tuple[str, ...]) -> tuple[Decimal, ...]:
    key = [-row.total]
    for tie_break in tie_breaks:
        value: Decimal = getattr(row, tie_break.removeprefix("-"))
        key.append(value if tie_break.startswith("-") else -value)
    return tuple(key)


def rank(rows: Sequence[Scored], tie_breaks: Sequence[str]) -> list[Ranked]:
    """Rank rows by total, then by each tie-break; rows still equal share a rank (1, 2, 2, 4).

    Inside a shared rank rows are listed by code, so the result never depends on input order.
    Bottom 20%: with k = bottom_count(n), a row is in it when any position its tie group
    occupies is among the last k positions. A group tied across that boundary is therefore in
    it as a whole: nobody tied with a bottom village escapes the follow-up.
    """
    breaks = parse_tie_breaks(tie_breaks)
    codes = [row.code for row in rows]
    if len(set(codes)) != len(codes):
        raise ValueError("village codes repeat in the rows to rank")
    keyed = sorted(((_sort_key(row, breaks), row.code, row) for row in rows), key=lambda t: t[:2])
    first_bottom = len(keyed) - bottom_count(len(keyed))
    ranked: list[Ranked] = []
    start = 0
    while start < len(keyed):
        stop = start
        while stop < len(keyed) and keyed[stop][0] == keyed[start][0]:
            stop += 1
        # positions start .. stop-1 (0-based) share rank start + 1
        bottom20 = stop > first_bottom
        ranked.extend(Ranked(start + 1, row, bottom20) for _, _, row in keyed[start:stop])
        start = stop
    return ranked
