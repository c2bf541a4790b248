"""Standings of a field review round: every village's four papers, rank, delta and weak items."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from arena.scoring.aggregate import Aggregation, JudgeSheet, PaperResult, aggregate
from arena.scoring.numbers import q2
from arena.scoring.papers import (
    Deduction,
    DeductionResult,
    SatisfactionResult,
    SurveyTally,
    deductions_total,
    satisfaction_paper,
)
from arena.scoring.ranking import Scored, parse_tie_breaks, rank
from arena.scoring.weak import ItemScore, Scorecard, WeakItem, ratio, weak_items


@dataclass(frozen=True)
class Item:
    """A shared item or a demonstration target, with its maximum points."""

    code: str
    name: str
    maximum: Decimal


@dataclass(frozen=True)
class RoundRules:
    """The scoring rules of one round (from its template)."""

    aggregation: Aggregation
    tie_breaks: tuple[str, ...]
    shared_items: tuple[Item, ...]
    shared_max: Decimal
    demonstration_max: Decimal
    satisfaction_max: Decimal
    deduction_cap: Decimal
    scale: Mapping[str, Decimal]
    min_responses: int


@dataclass(frozen=True)
class VillageInput:
    """Everything recorded for one village in the round."""

    code: str
    name: str
    targets: tuple[Item, ...]
    expected_judges: tuple[str, ...]
    shared_sheets: tuple[JudgeSheet, ...]
    demonstration_sheets: tuple[JudgeSheet, ...]
    satisfaction_counts: Mapping[str, int] | None = None
    satisfaction_rate: Decimal | None = None  # wins over counts when both are given
    deductions: tuple[Deduction, ...] = ()
    survey: SurveyTally | None = None  # residents' answers (None: the round runs no survey)


@dataclass(frozen=True)
class Previous:
    """A village's total and rank in the previous round of the campaign."""

    total: Decimal
    rank: int


@dataclass(frozen=True)
class Delta:
    """Change against the previous round (变量): positive rank means the village moved up."""

    total: Decimal
    rank: int


@dataclass(frozen=True)
class VillageResult:
    """One row of the standings with its full breakdown."""

    code: str
    name: str
    rank: int
    total: Decimal
    shared: PaperResult
    demonstration: PaperResult
    satisfaction: SatisfactionResult
    deductions: DeductionResult
    provisional: bool
    sheets_in: int
    sheets_expected: int
    bottom20: bool
    delta: Delta | None
    weak_items: tuple[WeakItem, ...]
    satisfaction_missing: bool = False  # 未录入: one reason the row is provisional


@dataclass(frozen=True)
class Standings:
    """The round's rows by rank, then code, and how many sheets are in."""

    rows: tuple[VillageResult, ...]
    complete: bool
    sheets_in: int
    sheets_expected: int


@dataclass(frozen=True)
class _Papers:
    village: VillageInput
    shared: PaperResult
    demonstration: PaperResult
    satisfaction: SatisfactionResult
    deductions: DeductionResult
    sheets_in: int
    satisfaction_missing: bool
    provisional: bool


def _satisfaction(rules: RoundRules, village: VillageInput) -> SatisfactionResult:
    return satisfaction_paper(
        village.satisfaction_counts,
        village.satisfaction_rate,
        village.survey,
        rules.scale,
        rules.satisfaction_max,
        rules.min_responses,
    )


def _papers(rules: RoundRules, village: VillageInput) -> _Papers:
    shared_codes = [item.code for item in rules.shared_items]
    target_codes = [target.code for target in village.targets]
    expected = set(village.expected_judges)
    papers_in = [
        {sheet.judge for sheet in sheets} & expected
        for sheets in (village.shared_sheets, village.demonstration_sheets)
    ]
    satisfaction = _satisfaction(rules, village)
    # A paper worth points with no figure yet is 未录入: never silently a 0 in a final result.
    missing = satisfaction.missing and rules.satisfaction_max > 0
    return _Papers(
        village=village,
        shared=aggregate(village.shared_sheets, shared_codes, rules.aggregation),
        demonstration=aggregate(village.demonstration_sheets, target_codes, rules.aggregation),
        satisfaction=satisfaction,
        deductions=deductions_total(village.deductions, rules.deduction_cap),
        # Only the expected judges' sheets count towards progress.
        sheets_in=sum(len(judges) for judges in papers_in),
        satisfaction_missing=missing,
        provisional=missing
        or satisfaction.provisional
        or any(judges != expected for judges in papers_in),
    )


def _scorecard(rules: RoundRules, papers: _Papers) -> Scorecard:
    def scores(items: Sequence[Item], result: PaperResult) -> tuple[ItemScore, ...]:
        return tuple(
            ItemScore(item.code, item.name, result.item_means[item.code], item.maximum)
            for item in items
        )

    has_demonstration = bool(papers.village.demonstration_sheets)
    return Scorecard(
        shared=scores(rules.shared_items, papers.shared) if papers.village.shared_sheets else (),
        demonstration=scores(papers.village.targets, papers.demonstration),
        demonstration_ratio=(
            ratio(papers.demonstration.score, rules.demonstration_max)
            if has_demonstration and rules.demonstration_max > 0
            else None
        ),
    )


def _delta(total: Decimal, rank_now: int, before: Previous | None) -> Delta | None:
    if before is None:
        return None
    return Delta(total=q2(total - before.total), rank=before.rank - rank_now)


def compute_standings(
    rules: RoundRules, villages: Sequence[VillageInput], previous: Mapping[str, Previous]
) -> Standings:
    """Score every village on the four papers, rank them and compare with the previous round."""
    codes = [village.code for village in villages]
    if len(set(codes)) != len(codes):
        raise ValueError("village codes repeat in the round")
    tie_breaks = parse_tie_breaks(rules.tie_breaks)
    papers = {village.code: _papers(rules, village) for village in villages}
    scored = [
        Scored(
            code=code,
            shared=p.shared.score,
            demonstration=p.demonstration.score,
            satisfaction=p.satisfaction.score,
            deductions=p.deductions.total,
            provisional=p.provisional,
        )
        for code, p in papers.items()
    ]
    cards = {
        code: _scorecard(rules, p)
        for code, p in papers.items()
        if p.village.shared_sheets or p.village.demonstration_sheets
    }
    weak = weak_items(cards)
    rows = []
    for ranked in rank(scored, tie_breaks):
        p = papers[ranked.row.code]
        total = ranked.row.total
        rows.append(
            VillageResult(
                code=p.village.code,
                name=p.village.name,
                rank=ranked.rank,
                total=total,
                shared=p.shared,
                demonstration=p.demonstration,
                satisfaction=p.satisfaction,
                deductions=p.deductions,
                provisional=p.provisional,
                sheets_in=p.sheets_in,
                sheets_expected=2 * len(p.village.expected_judges),
                bottom20=ranked.bottom20,
                delta=_delta(total, ranked.rank, previous.get(ranked.row.code)),
                weak_items=weak.get(p.village.code, ()),
                satisfaction_missing=p.satisfaction_missing,
            )
        )
    return Standings(
        rows=tuple(rows),
        complete=not any(row.provisional for row in rows),
        sheets_in=sum(row.sheets_in for row in rows),
        sheets_expected=sum(row.sheets_expected for row in rows),
    )
