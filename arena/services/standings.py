"""Standings of a round: load the rows, call the pure scoring core, cache by revision."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from arena.db import plain_rows
from arena.models import Deduction, Round, Satisfaction, Sheet
from arena.scoring.aggregate import JudgeSheet
from arena.scoring.numbers import to_decimal
from arena.scoring.papers import Deduction as DeductionEntry
from arena.scoring.standings import (
    Item,
    Previous,
    RoundRules,
    Standings,
    VillageInput,
    compute_standings,
)
from arena.scoring.whatif import adjust_inputs
from arena.services.rounds import RoundCatalogue, RoundMeta
from arena.services.surveys.tally import survey_tallies


@dataclass(frozen=True)
class DeductionRecord:
    """A deduction as stored, for the breakdown."""

    id: int
    village_id: int
    item: str
    points: Decimal
    reason: str
    recorded_by: str
    created_at: str
    evidence: str = ""


@dataclass(frozen=True)
class RoundResult:
    """A round's computed standings with what produced them."""

    meta: RoundMeta
    status: str
    revision: int
    standings: Standings
    deductions: tuple[DeductionRecord, ...]
    previous_round: dict[str, int]  # village code -> id of the round its delta compares with
    signature: tuple[tuple[int, int, str], ...]
    # (village code, paper, judge code) of the counted sheets an organiser entered (代录)
    proxies: frozenset[tuple[str, str, str]] = frozenset()


def rules_of(meta: RoundMeta) -> RoundRules:
    """The scoring rules of a round, as the pure core takes them."""
    d = meta.definition
    return RoundRules(
        aggregation=d.aggregation,
        tie_breaks=d.tie_breaks,
        shared_items=tuple(Item(i.code, i.name, i.max) for i in d.shared_items),
        shared_max=d.shared_max,
        demonstration_max=d.demonstration_max,
        satisfaction_max=d.satisfaction_max,
        deduction_cap=d.deduction_cap,
        scale=d.scale,
        min_responses=d.min_responses,
    )


class StandingsService:
    """Computes and caches standings; a cache entry is valid while no round it used has changed."""

    def __init__(self, rounds: RoundCatalogue) -> None:
        self.rounds = rounds
        self._cache: dict[int, RoundResult] = {}

    async def result(self, round_id: int) -> RoundResult:
        """The current standings of a round."""
        meta = await self.rounds.get(round_id)
        siblings = [
            (i, d if isinstance(d, date) else date.fromisoformat(d), r, s)
            for i, d, r, s in await plain_rows(
                Round, "SELECT id, date, revision, status FROM {table} WHERE campaign_id = {0}",
                meta.campaign_id,
            )
        ]  # fmt: skip
        return await self._result(meta, siblings)

    async def _result(self, meta: RoundMeta, siblings: list[tuple[Any, ...]]) -> RoundResult:
        earlier = sorted(((d, i) for i, d, _, _ in siblings if d < meta.date), reverse=True)
        signature = tuple(
            sorted((i, r, s) for i, d, r, s in siblings if i == meta.id or d < meta.date)
        )
        cached = self._cache.get(meta.id)
        if cached is not None and cached.signature == signature:
            return cached
        status = next(s for i, _, _, s in siblings if i == meta.id)
        revision = next(r for i, _, r, _ in siblings if i == meta.id)
        previous: dict[str, Previous] = {}
        previous_round: dict[str, int] = {}
        for _, other_id in earlier:
            missing = [c for c in meta.villages if c not in previous]
            if not missing:
                break
            other = await self._result(await self.rounds.get(other_id), siblings)
            for row in other.standings.rows:
                if row.code in missing:
                    previous[row.code] = Previous(row.total, row.rank)
                    previous_round[row.code] = other_id
        inputs, deductions, proxies = await self._inputs(meta)
        if meta.definition.aggregation.adjust_judge_severity:  # opted in: see scoring/whatif.py
            inputs = adjust_inputs(rules_of(meta), inputs)
        standings = compute_standings(rules_of(meta), inputs, previous)
        result = RoundResult(
            meta, status, revision, standings, deductions, previous_round, signature, proxies
        )
        self._cache[meta.id] = result
        return result

    async def _inputs(
        self, meta: RoundMeta
    ) -> tuple[list[VillageInput], tuple[DeductionRecord, ...], frozenset[tuple[str, str, str]]]:
        sheets = await Sheet.filter(round_id=meta.id, current=True).values_list(
            "village_id", "judge_id", "paper", "items", "comment", "proxy_by"
        )
        # Withdrawn deductions and satisfaction figures are kept for the record, never counted.
        deductions = (
            await Deduction.filter(round_id=meta.id, withdrawn_at__isnull=True)
            .order_by("id")
            .values_list(
                "id",
                "village_id",
                "item",
                "points",
                "reason",
                "recorded_by",
                "created_at",
                "evidence",
            )
        )
        surveys = await Satisfaction.filter(
            village__round_id=meta.id, withdrawn_at__isnull=True
        ).values_list("village_id", "counts", "rate")
        judge_codes = {j.id: j.code for j in meta.judges.values()}
        by_village: dict[tuple[int, str], list[JudgeSheet]] = {}
        village_codes = {v.id: v.code for v in meta.villages.values()}
        proxies = frozenset(
            (village_codes[v], paper, judge_codes[j]) for v, j, paper, _, _, by in sheets if by
        )
        for village_id, judge_id, paper, items, comment, _ in sheets:
            by_village.setdefault((village_id, paper), []).append(
                JudgeSheet(
                    judge_codes[judge_id], {k: to_decimal(v) for k, v in items.items()}, comment
                )
            )
        records = tuple(
            DeductionRecord(
                i, v, item, to_decimal(p), reason, who, at.isoformat(timespec="seconds"), evidence
            )
            for i, v, item, p, reason, who, at, evidence in deductions
        )
        survey_of = {v: (counts, rate) for v, counts, rate in surveys}
        tallies = await survey_tallies(meta)  # residents' answers on their phones
        inputs = []
        for village in meta.villages.values():
            counts, rate = survey_of.get(village.id, (None, None))
            inputs.append(
                VillageInput(
                    code=village.code,
                    name=village.name,
                    targets=tuple(Item(t.code, t.name, t.max) for t in village.targets),
                    expected_judges=tuple(j.code for j in meta.expected_judges(village)),
                    shared_sheets=tuple(by_village.get((village.id, "shared"), ())),
                    demonstration_sheets=tuple(by_village.get((village.id, "demonstration"), ())),
                    satisfaction_counts=counts,
                    satisfaction_rate=to_decimal(rate) if rate is not None else None,
                    survey=tallies.get(village.id),
                    deductions=tuple(
                        DeductionEntry(r.item, r.points, r.reason)
                        for r in records
                        if r.village_id == village.id
                    ),
                )
            )
        return inputs, records, proxies
