"""A village across its campaign: total and rank in every round, and the round's average profile."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from arena.models import Round
from arena.rounds.definition import num
from arena.scoring.numbers import q4
from arena.services.standings import RoundResult, StandingsService


class CampaignTrend:
    """Reads a village's figures in every round of its campaign through StandingsService."""

    def __init__(self, standings: StandingsService) -> None:
        self.standings = standings

    async def history(self, round_id: int, code: str) -> list[dict[str, Any]]:
        """The village's total and rank in every round of the campaign that has it, by date."""
        meta = await self.standings.rounds.get(round_id)
        siblings = (
            await Round.filter(campaign_id=meta.campaign_id)
            .order_by("date", "id")
            .values_list("id", "name", "date")
        )
        figures = []
        for sibling_id, name, date in siblings:
            result = await self.standings.result(sibling_id)
            row = next((r for r in result.standings.rows if r.code == code), None)
            if row is None:
                continue
            figures.append(
                {
                    "round": sibling_id,
                    "name": name,
                    "date": date.isoformat(),
                    "total": num(row.total),
                    "rank": row.rank,
                    "of": len(result.standings.rows),
                    "provisional": row.provisional,
                    "current": sibling_id == round_id,
                }
            )
        return figures


def _mean(values: list[Decimal]) -> Decimal | None:
    return q4(sum(values, Decimal(0)) / len(values)) if values else None


def _item_ratio(row: Any, code: str, maximum: Decimal) -> Decimal | None:
    means = row.shared.item_means
    return q4(means[code] / maximum) if code in means and maximum else None


def profile(result: RoundResult, code: str) -> list[dict[str, Any]]:
    """Radar axes: the village's score/maximum per shared item and per paper, with the round mean.

    Shared items are common to every village, so they compare directly; demonstration targets
    differ per village, so that paper is one axis. Only villages with sheets count in a mean.
    """
    rules = result.meta.definition
    rows = result.standings.rows
    axes: list[dict[str, Any]] = []

    def axis(name: str, own: Decimal | None, others: list[Decimal]) -> None:
        mean = _mean(others)
        axes.append(
            {
                "name": name,
                "ratio": float(own) if own is not None else None,
                "mean": float(mean) if mean is not None else None,
            }
        )

    village = next(r for r in rows if r.code == code)
    for item in rules.shared_items:
        scored = [v for v in (_item_ratio(r, item.code, item.max) for r in rows) if v is not None]
        axis(item.name, _item_ratio(village, item.code, item.max), scored)

    def paper_ratio(row: Any, paper: str, maximum: Decimal) -> Decimal | None:
        score = getattr(row, paper)
        if (not score.judge_totals) if paper == "demonstration" else score.source == "none":
            return None
        return q4(score.score / maximum) if maximum else None

    for paper, name, maximum in (
        ("demonstration", "示范目标", rules.demonstration_max),
        ("satisfaction", "满意度", rules.satisfaction_max),
    ):
        scored = [v for v in (paper_ratio(r, paper, maximum) for r in rows) if v is not None]
        axis(name, paper_ratio(village, paper, maximum), scored)
    return axes
