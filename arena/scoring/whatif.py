"""The ranking with each judge's severity removed (what-if), and the opt-in official adjustment."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from arena.scoring.aggregate import JudgeSheet
from arena.scoring.consistency import (
    PaperSheets,
    adjust_sheet,
    adjusted_score,
    judge_effects,
    table,
)
from arena.scoring.ranking import Scored, rank
from arena.scoring.standings import RoundRules, Standings, VillageInput

JUDGED = ("shared", "demonstration")


@dataclass(frozen=True)
class WhatIfRow:
    """A village's official place beside its place with the judge effects removed."""

    code: str
    name: str
    official_rank: int
    official_total: Decimal
    adjusted_rank: int
    adjusted_total: Decimal
    adjusted_shared: Decimal
    adjusted_demonstration: Decimal

    @property
    def moved(self) -> int:
        """Places gained (+) or lost (−) if the judges' severity were removed."""
        return self.official_rank - self.adjusted_rank


@dataclass(frozen=True)
class WhatIf:
    """The what-if ranking (by adjusted rank) and how many villages would change place."""

    effects: dict[str, dict[str, Decimal]]
    rows: tuple[WhatIfRow, ...]
    changed: int


def effects_of(
    papers: Mapping[str, PaperSheets], judges: Sequence[str]
) -> dict[str, dict[str, Decimal]]:
    """Each judged paper's additive judge effects, estimated from the whole round."""
    return {p: judge_effects(table(papers[p], judges)) for p in JUDGED if p in papers}


def what_if(
    rules: RoundRules,
    standings: Standings,
    papers: Mapping[str, PaperSheets],
    judges: Sequence[str] = (),
) -> WhatIf:
    """Rank the villages again with every judge's effect taken off their sheet totals.

    The other papers (satisfaction, deductions), the aggregation method and the tie-breaks stay
    as they are; only the judged papers' scores move.
    """
    effects = effects_of(papers, judges)
    scored = []
    adjusted: dict[str, tuple[Decimal, Decimal]] = {}
    for row in standings.rows:
        shared, demonstration = (
            adjusted_score(
                papers[p].sheets.get(row.code, ()) if p in papers else (),
                effects.get(p, {}),
                rules.aggregation,
            )
            for p in JUDGED
        )
        adjusted[row.code] = (shared, demonstration)
        scored.append(
            Scored(
                row.code,
                shared,
                demonstration,
                row.satisfaction.score,
                row.deductions.total,
                row.provisional,
            )
        )
    official = {row.code: row for row in standings.rows}
    rows = tuple(
        WhatIfRow(
            code=r.row.code,
            name=official[r.row.code].name,
            official_rank=official[r.row.code].rank,
            official_total=official[r.row.code].total,
            adjusted_rank=r.rank,
            adjusted_total=r.row.total,
            adjusted_shared=adjusted[r.row.code][0],
            adjusted_demonstration=adjusted[r.row.code][1],
        )
        for r in rank(scored, rules.tie_breaks)
    )
    return WhatIf(effects, rows, sum(1 for row in rows if row.moved))


def papers_of(rules: RoundRules, villages: Sequence[VillageInput]) -> dict[str, PaperSheets]:
    """The judged papers' sheets and item maxima of a round's inputs."""
    shared_max = {item.code: item.maximum for item in rules.shared_items}
    return {
        "shared": PaperSheets(
            "shared",
            rules.shared_max,
            {v.code: v.shared_sheets for v in villages},
            {v.code: shared_max for v in villages},
        ),
        "demonstration": PaperSheets(
            "demonstration",
            rules.demonstration_max,
            {v.code: v.demonstration_sheets for v in villages},
            {v.code: {t.code: t.maximum for t in v.targets} for v in villages},
        ),
    }


def adjust_inputs(rules: RoundRules, villages: Sequence[VillageInput]) -> list[VillageInput]:
    """The inputs with each judge's effect taken off their sheets (adjust_judge_severity).

    Only a round whose definition opts in scores this way; its official scores then differ from
    the plain trimmed means, and the workbook and every explanation say so.
    """
    papers = papers_of(rules, villages)
    effects = effects_of(papers, [])

    def shifted(paper: str, village: str, sheets: Sequence[JudgeSheet]) -> tuple[JudgeSheet, ...]:
        p = papers[paper]
        return tuple(
            adjust_sheet(s, effects[paper].get(s.judge, Decimal(0)), p.item_max[village], p.maximum)
            for s in sheets
        )

    return [
        dataclasses.replace(
            v,
            shared_sheets=shifted("shared", v.code, v.shared_sheets),
            demonstration_sheets=shifted("demonstration", v.code, v.demonstration_sheets),
        )
        for v in villages
    ]
