"""A round's judge review: per paper and judge every consistency figure, and the what-if."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from arena.scoring.agreement import Agreement, agreement
from arena.scoring.consistency import (
    PaperSheets,
    Pattern,
    Severity,
    Suspect,
    patterns,
    severities,
    suspects,
    table,
)
from arena.scoring.numbers import ZERO
from arena.scoring.standings import RoundRules, Standings
from arena.scoring.whatif import JUDGED, WhatIf, what_if


@dataclass(frozen=True)
class JudgeRow:
    """One judge on one paper: severity, how often trimmed, patterns, suspect sheets."""

    judge: str
    leniency: int  # 1 = kindest; judges without a severity come last
    severity: Severity
    sheets: int
    trimmed_high: int
    trimmed_low: int
    effect: Decimal
    halo: int
    all_max: int
    suspects: int

    @property
    def trimmed(self) -> int:
        """Sheets whose total was dropped as the highest or the lowest."""
        return self.trimmed_high + self.trimmed_low


@dataclass(frozen=True)
class PaperReview:
    """Everything the consistency page shows for one judged paper."""

    paper: str
    maximum: Decimal
    judges: tuple[JudgeRow, ...]  # in leniency order
    agreement: Agreement
    patterns: tuple[Pattern, ...]
    suspects: tuple[Suspect, ...]


@dataclass(frozen=True)
class RoundReview:
    """The judge review of a round."""

    papers: dict[str, PaperReview]
    what_if: WhatIf

    @property
    def suspects(self) -> tuple[Suspect, ...]:
        """Every suspect sheet of the round, paper by paper."""
        return tuple(s for p in self.papers.values() for s in p.suspects)


def _leniency(found: Mapping[str, Severity]) -> dict[str, int]:
    ordered = sorted(found.values(), key=lambda s: (s.mean is None, -(s.mean or 0.0), s.judge))
    return {s.judge: n for n, s in enumerate(ordered, start=1)}


def review_paper(
    paper: PaperSheets,
    standings: Standings,
    judges: Sequence[str],
    effects: Mapping[str, Decimal],
) -> PaperReview:
    """The consistency figures of one judged paper."""
    t = table(paper, judges)
    found = severities(t)
    order = _leniency(found)
    marks = patterns(paper)
    far = suspects(paper)
    rows = []
    for judge in t.judges:
        results = [getattr(r, paper.paper) for r in standings.rows]
        rows.append(
            JudgeRow(
                judge=judge,
                leniency=order[judge],
                severity=found[judge],
                sheets=sum(judge in r.judge_totals for r in results),
                trimmed_high=sum(judge in r.dropped_high for r in results),
                trimmed_low=sum(judge in r.dropped_low for r in results),
                effect=effects.get(judge, ZERO),
                halo=sum(m.judge == judge and m.kind == "halo" for m in marks),
                all_max=sum(m.judge == judge and m.kind == "all_max" for m in marks),
                suspects=sum(s.judge == judge for s in far),
            )
        )
    rows.sort(key=lambda row: row.leniency)
    return PaperReview(
        paper=paper.paper,
        maximum=paper.maximum,
        judges=tuple(rows),
        agreement=agreement(t),
        patterns=tuple(marks),
        suspects=tuple(far),
    )


def review_round(
    rules: RoundRules,
    standings: Standings,
    papers: Mapping[str, PaperSheets],
    judges: Sequence[str] = (),
) -> RoundReview:
    """Every consistency figure of a round, from the judges' sheets as typed and the standings."""
    alternative = what_if(rules, standings, papers, judges)
    return RoundReview(
        papers={
            p: review_paper(papers[p], standings, judges, alternative.effects.get(p, {}))
            for p in JUDGED
            if p in papers
        },
        what_if=alternative,
    )
