"""Arena contest (擂台赛) scores: trimmed judge mean, overtime penalty, ranking and award tiers.

A contestant's judges each score every criterion; the sheet totals are aggregated as in
``aggregate.py`` (by default the highest and the lowest are dropped, 去掉一个最高分、一个最低分,
once there are at least 3 judges), the kept mean is rounded to 2 decimals half up, and the overtime
penalty is taken off: ``final = q2(mean − penalty)``, never below 0.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from arena.scoring.aggregate import Aggregation, JudgeSheet, Method, aggregate
from arena.scoring.numbers import ZERO, q2

DEFAULT_AGGREGATION = Aggregation("trimmed", trim=1, min_judges_for_trim=3)


@dataclass(frozen=True)
class Criterion:
    """A scoring criterion (评分标准) with its maximum points."""

    code: str
    name: str
    maximum: Decimal


@dataclass(frozen=True)
class AwardTier:
    """An award (e.g. 一等奖) and how many places it covers."""

    name: str
    count: int


DEFAULT_AWARD_TIERS = (AwardTier("一等奖", 1), AwardTier("二等奖", 2), AwardTier("三等奖", 3))


@dataclass(frozen=True)
class ContestRules:
    """Everything the scoring of one contest depends on."""

    criteria: tuple[Criterion, ...]
    time_limit_seconds: int
    overtime_penalty: Decimal = Decimal("0.5")
    overtime_step_seconds: int = 30
    aggregation: Aggregation = DEFAULT_AGGREGATION
    award_tiers: tuple[AwardTier, ...] = DEFAULT_AWARD_TIERS

    def __post_init__(self) -> None:
        codes = [criterion.code for criterion in self.criteria]
        if not codes or len(set(codes)) != len(codes):
            raise ValueError(f"criteria must be non-empty with distinct codes, got {codes}")
        if self.time_limit_seconds <= 0:
            raise ValueError(f"time limit must be above 0 s, got {self.time_limit_seconds}")
        if self.overtime_step_seconds <= 0:
            raise ValueError(f"overtime step must be above 0 s, got {self.overtime_step_seconds}")
        if self.overtime_penalty < 0:
            raise ValueError(f"overtime penalty must be 0 or more, got {self.overtime_penalty}")
        if any(tier.count < 1 for tier in self.award_tiers):
            raise ValueError("every award tier must cover at least 1 place")


@dataclass(frozen=True)
class ContestantResult:
    """One contestant's score with everything needed to reproduce it by hand."""

    judge_totals: dict[str, Decimal]
    kept: tuple[str, ...]
    dropped_high: tuple[str, ...]
    dropped_low: tuple[str, ...]
    mean: Decimal  # q2 of the kept judges' mean, before the penalty
    over_seconds: int
    overtime_steps: int
    penalty: Decimal
    final: Decimal
    criterion_means: dict[str, Decimal]  # sum to `mean` exactly (cents apportioned)
    method_used: Method

    @property
    def scored(self) -> bool:
        """Whether at least one judge has scored the contestant."""
        return bool(self.judge_totals)


@dataclass(frozen=True)
class Standing:
    """A contestant's place in the contest ranking and the award it brings, if any."""

    rank: int
    code: str
    final: Decimal
    award: str | None


def overtime_penalty(elapsed_seconds: int | None, rules: ContestRules) -> tuple[int, int, Decimal]:
    """(seconds over the limit, started steps over it, penalty) for the time used on stage."""
    if elapsed_seconds is None:
        return 0, 0, ZERO
    if elapsed_seconds < 0:
        raise ValueError(f"elapsed time cannot be negative, got {elapsed_seconds}")
    over = max(elapsed_seconds - rules.time_limit_seconds, 0)
    # Every started step counts: 1 s over is one step, 30 s one step, 31 s two.
    steps = -(-over // rules.overtime_step_seconds)
    return over, steps, q2(steps * rules.overtime_penalty)


def _check_points(sheets: Sequence[JudgeSheet], rules: ContestRules) -> None:
    for sheet in sheets:
        for criterion in rules.criteria:
            points = sheet.items.get(criterion.code)
            if points is not None and not ZERO <= points <= criterion.maximum:
                raise ValueError(
                    f"judge {sheet.judge} gave {points} on {criterion.code}, "
                    f"outside 0–{criterion.maximum}"
                )


def score_contestant(
    sheets: Sequence[JudgeSheet], elapsed_seconds: int | None, rules: ContestRules
) -> ContestantResult:
    """Aggregate the judges' sheets of one contestant and take off the overtime penalty."""
    _check_points(sheets, rules)
    paper = aggregate(sheets, [criterion.code for criterion in rules.criteria], rules.aggregation)
    over, steps, penalty = overtime_penalty(elapsed_seconds, rules)
    return ContestantResult(
        judge_totals=paper.judge_totals,
        kept=paper.kept,
        dropped_high=paper.dropped_high,
        dropped_low=paper.dropped_low,
        mean=paper.score,
        over_seconds=over,
        overtime_steps=steps,
        penalty=penalty,
        final=q2(max(paper.score - penalty, ZERO)),
        criterion_means=paper.item_means,
        method_used=paper.method_used,
    )


def award_for(rank: int, tiers: Sequence[AwardTier]) -> str | None:
    """The tier whose places include `rank`: with 1, 2, 3 places, ranks 1 | 2–3 | 4–6."""
    last_place = 0
    for tier in tiers:
        last_place += tier.count
        if rank <= last_place:
            return tier.name
    return None


def rank_contest(
    results: Mapping[str, ContestantResult | None],
    award_tiers: Sequence[AwardTier] = DEFAULT_AWARD_TIERS,
) -> list[Standing]:
    """Rank scored contestants by final, then mean before penalty; equal ones share a rank.

    Ranks are competition ranks (1, 2, 2, 4); inside a shared rank contestants are listed by
    code, so the result never depends on input order. Contestants without a result, or not yet
    scored by any judge, are left out. Awards go by rank: a tier of N places covers the ranks up
    to the places of the tiers before it plus N. Contestants tied across a boundary share the
    better rank and so all get the higher tier; the next tier is not pushed down but keeps its
    places by position (with 1, 2, 3 places and two tied at rank 3, both get 二等奖 and 三等奖
    covers ranks 5 and 6 only). Tied across the last boundary, all of them get the last tier.
    """
    scored = sorted(
        ((code, result) for code, result in results.items() if result and result.scored),
        key=lambda pair: (-pair[1].final, -pair[1].mean, pair[0]),
    )
    standings: list[Standing] = []
    previous: ContestantResult | None = None
    for position, (code, result) in enumerate(scored, start=1):
        tied = previous is not None and (result.final, result.mean) == (
            previous.final,
            previous.mean,
        )
        rank = standings[-1].rank if tied else position
        standings.append(Standing(rank, code, result.final, award_for(rank, award_tiers)))
        previous = result
    return standings
