"""Judges' consistency of a round for organisers: load the sheets as typed, review, shape JSON."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from arena.errors import UserError
from arena.models import Sheet
from arena.scoring.aggregate import JudgeSheet
from arena.scoring.agreement import icc_reading, w_reading
from arena.scoring.consistency import (
    HALO_MIN_ITEMS,
    MAD_SCALE,
    SUSPECT_MADS,
    SUSPECT_MIN_GAP,
    SUSPECT_MIN_OTHERS,
    PaperSheets,
    Suspect,
)
from arena.scoring.numbers import q2, to_decimal
from arena.scoring.review import PaperReview, RoundReview, review_round
from arena.services.rounds import RoundMeta
from arena.services.standings import RoundResult, StandingsService, rules_of

log = logging.getLogger("arena")

PAPER_NAMES = {"shared": "共性目标", "demonstration": "示范目标"}
PATTERN_NAMES = {"halo": "各项得分率相同", "all_max": "各项全满分"}

DEFINITIONS = {
    "severity": (
        "宽严度：该评委的评分表总分减去同村其他评委总分的平均数，再对他评过的村取平均。"
        "正数偏宽、负数偏严；括号内为 95% 置信区间（t 分布：平均 ± t(0.975, n−1) × 标准差 ÷ √n），"
        "n 为计算所依据的村数（该村至少还有一位其他评委）。"
    ),
    "trimmed": "被去掉：该评委的总分作为最高分或最低分被去掉的次数（按本轮计分规则）。",
    "leniency": "宽严排序：按宽严度从宽到严排列，1 为最宽。",
    "icc": (
        "组内相关系数 ICC：双向随机效应、绝对一致（Shrout & Fleiss 1979），村为对象、评委为评分者。"
        "ICC(2,1) 看单个评委的总分有多可靠，ICC(2,k) 看全体评委平均分有多可靠。"
        "只用评分齐全的部分：逐个去掉评委，取“村数 × 评委数”最大且无缺分的子表。"
        "参考：低于 0.5 差，0.5–0.75 一般，0.75–0.9 良好，0.9 以上优秀（Koo & Li 2016）。"
    ),
    "kendall": (
        "肯德尔和谐系数 W：各评委对各村从高到低排序的一致程度，0 为毫无一致，1 为完全一致；"
        "同分取平均名次并作同分校正。与 ICC 用同一子表。"
    ),
    "patterns": (
        f"评分模式：一张评分表有 {HALO_MIN_ITEMS} 项及以上、"
        "每项得分占满分的比例都相同（光环效应），或每项都打满分。"
    ),
    "suspect": (
        f"请核对：同一村同一考卷至少还有 {SUSPECT_MIN_OTHERS} 位其他评委时，"
        f"若某张表总分与其他评委总分的中位数相差超过 {SUSPECT_MADS} 倍标准化绝对中位差"
        f"（{MAD_SCALE} × MAD），且相差不少于该卷满分的 {int(SUSPECT_MIN_GAP * 100)}%，"
        "标为请核对（可能录错，如把 8 打成 3）。只提醒评委核对，不改分。"
    ),
    "what_if": (
        "假设排名：按加性模型 总分 = 村效应 + 评委效应 在全轮拟合各评委的效应"
        "（各评委效应之和为 0），"
        "从每张表总分中减去该评委效应后按同样的计分规则重算两张评委考卷，其余考卷不变。"
        "只供参考，正式分数不变；只有在轮次定义中设置 aggregation.adjust_judge_severity = true 时，"
        "正式分数才按此调整。"
    ),
}


@dataclass(frozen=True)
class Reviewed:
    """A round's review with the standings it was computed from."""

    result: RoundResult
    review: RoundReview


async def typed_papers(meta: RoundMeta) -> dict[str, PaperSheets]:
    """The judged papers' current sheets as the judges typed them (never adjusted)."""
    rows = await Sheet.filter(round_id=meta.id, current=True).values_list(
        "village_id", "judge_id", "paper", "items", "comment"
    )
    judges = {j.id: j.code for j in meta.judges.values()}
    villages = {v.id: v.code for v in meta.villages.values()}
    d = meta.definition
    sheets: dict[str, dict[str, list[JudgeSheet]]] = {
        p: {code: [] for code in meta.villages} for p in PAPER_NAMES
    }
    for village_id, judge_id, paper, items, comment in rows:
        if paper in sheets and village_id in villages and judge_id in judges:
            sheets[paper][villages[village_id]].append(
                JudgeSheet(judges[judge_id], {k: to_decimal(v) for k, v in items.items()}, comment)
            )
    shared_max = {i.code: i.max for i in d.shared_items}
    return {
        "shared": PaperSheets(
            "shared", d.shared_max, sheets["shared"], {c: shared_max for c in meta.villages}
        ),
        "demonstration": PaperSheets(
            "demonstration",
            d.demonstration_max,
            sheets["demonstration"],
            {c: {t.code: t.max for t in v.targets} for c, v in meta.villages.items()},
        ),
    }


class ConsistencyService:
    """Reviews a round's judges; recomputed only when the round's standings change."""

    def __init__(self, standings: StandingsService) -> None:
        self.standings = standings
        self._cache: dict[int, Reviewed] = {}

    async def reviewed(self, round_id: int) -> Reviewed:
        """The current review of a round."""
        result = await self.standings.result(round_id)
        cached = self._cache.get(round_id)
        if cached is not None and cached.result.signature == result.signature:
            return cached
        meta = result.meta
        papers = await typed_papers(meta)
        review = review_round(rules_of(meta), result.standings, papers, list(meta.judges))
        cached = Reviewed(result, review)
        self._cache[round_id] = cached
        return cached

    async def suspects(self, round_id: int) -> tuple[Suspect, ...]:
        """The round's suspect sheets (请核对), for the progress board and the judges' tablets.

        A diagnostic must never take the progress board or a tablet down with it: a failure
        here is logged and the pages go on without flags.
        """
        try:
            return (await self.reviewed(round_id)).review.suspects
        except UserError:
            raise
        except Exception:
            log.exception("consistency review of round %s failed", round_id)
            return ()


def _n(value: float | Decimal | None) -> float | None:
    if value is None:
        return None
    return float(q2(value if isinstance(value, Decimal) else Decimal(repr(value))))


def _paper_view(meta: RoundMeta, p: PaperReview, status_villages: dict[str, str]) -> dict[str, Any]:
    names = {j.code: j.name for j in meta.judges.values()}
    a = p.agreement
    return {
        "paper": p.paper,
        "name": PAPER_NAMES[p.paper],
        "max": _n(p.maximum),
        "judges": [
            {
                "code": row.judge,
                "name": names.get(row.judge, row.judge),
                "leniency": row.leniency,
                "severity": _n(row.severity.mean),
                "n": row.severity.n,
                "low": _n(row.severity.low),
                "high": _n(row.severity.high),
                "sheets": row.sheets,
                "trimmed_high": row.trimmed_high,
                "trimmed_low": row.trimmed_low,
                "trimmed": row.trimmed,
                "effect": _n(row.effect),
                "halo": row.halo,
                "all_max": row.all_max,
                "suspects": row.suspects,
            }
            for row in p.judges
        ],
        "agreement": {
            "villages": a.villages,
            "judges": a.judges,
            "left_out_judges": [names.get(j, j) for j in a.left_out_judges],
            "left_out_villages": a.left_out_villages,
            "icc_single": _n(a.icc_single),
            "icc_average": _n(a.icc_average),
            "kendall_w": _n(a.kendall_w),
            "icc_single_reading": icc_reading(a.icc_single),
            "icc_average_reading": icc_reading(a.icc_average),
            "kendall_w_reading": w_reading(a.kendall_w),
        },
        "patterns": [
            {
                "village": m.village,
                "village_name": status_villages[m.village],
                "judge": m.judge,
                "judge_name": names.get(m.judge, m.judge),
                "kind": m.kind,
                "kind_name": PATTERN_NAMES[m.kind],
                "fraction": _n(m.fraction),
            }
            for m in p.patterns
        ],
        "suspects": [suspect_view(meta, s) for s in p.suspects],
    }


def suspect_view(meta: RoundMeta, s: Suspect) -> dict[str, Any]:
    """A suspect sheet as the organiser's pages show it (names included)."""
    return {
        "paper": s.paper,
        "paper_name": PAPER_NAMES[s.paper],
        "village": s.village,
        "village_name": meta.villages[s.village].name,
        "judge": s.judge,
        "judge_name": meta.judges[s.judge].name if s.judge in meta.judges else s.judge,
        "total": _n(s.total),
        "median_others": _n(s.median_others),
        "gap": _n(s.gap),
        "scaled_mad": _n(s.scaled_mad),
        "others": s.others,
    }


def review_view(reviewed: Reviewed) -> dict[str, Any]:
    """GET /admin/rounds/{id}/judges.json: every figure of the consistency page."""
    result, review = reviewed.result, reviewed.review
    meta = result.meta
    village_names = {c: v.name for c, v in meta.villages.items()}
    w = review.what_if
    return {
        "round": meta.summary(result.status),
        "revision": result.revision,
        "sheets_in": result.standings.sheets_in,
        "sheets_expected": result.standings.sheets_expected,
        "definitions": DEFINITIONS,
        "papers": [_paper_view(meta, p, village_names) for p in review.papers.values()],
        "suspects": [suspect_view(meta, s) for s in review.suspects],
        "what_if": {
            "applied": meta.definition.aggregation.adjust_judge_severity,
            "changed": w.changed,
            "places": sum(abs(r.moved) for r in w.rows),  # places moved, all villages together
            "rows": [
                {
                    "village": r.code,
                    "name": r.name,
                    "official_rank": r.official_rank,
                    "official_total": _n(r.official_total),
                    "adjusted_rank": r.adjusted_rank,
                    "adjusted_total": _n(r.adjusted_total),
                    "moved": r.moved,
                }
                for r in sorted(w.rows, key=lambda r: (r.official_rank, r.code))
            ],
        },
        "now": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    }
