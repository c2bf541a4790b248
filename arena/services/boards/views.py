"""Computed boards as the API and pages show them: rankings, a village's detail, the screen."""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

from arena.errors import invalid, not_found
from arena.scoring.flags import SCOPE_NAMES
from arena.scoring.index import against_median, to_cents
from arena.services.boards.service import BoardMeta, BoardService, Computed

SORTS = ("rank", "-rank", "change", "-change", "code")
MAX_PER_PAGE = 500
HISTOGRAM_BINS = 20


def r2(x: float) -> float:
    """Round to 2 decimals half-up (the API's numbers)."""
    return int(to_cents(np.array(x, dtype=np.float64))) / 100


def board_summary(c: Computed) -> dict[str, Any]:
    """The board's name, scope, period and state."""
    b = c.meta.board
    return {
        "id": c.meta.id,
        "name": b.name,
        "scope": {"level": b.scope.level, "name": b.scope.name},
        "period": {"kind": b.period.kind, "label": b.period.label},
        "revision": c.revision,
        "villages": len(b.villages),
        "imported": c.result is not None,
        "previous": c.previous_id,
        "indicators": [
            {"code": i.code, "name": i.name, "unit": i.unit, "direction": i.direction,
             "weight": i.weight, "normalisation": i.normalisation}
            for i in b.indicators
        ],
    }  # fmt: skip


def _row(c: Computed, i: int) -> dict[str, Any]:
    result = c.required()
    village = c.meta.board.villages[int(c.at[i])]
    delta = None
    if c.delta is not None and c.delta.present[i]:
        delta = {
            "index": int(c.delta.index_change_cents[i]) / 100,
            "rank": int(c.delta.rank_change[i]),
        }
    return {
        "rank": int(result.rank[i]),
        "village": village.code,
        "name": village.name,
        "township": village.township,
        "county": village.county,
        "index": int(result.index_cents[i]) / 100,
        "bottom20": bool(result.bottom20[i]),
        "delta": delta,
    }


def _order(c: Computed, sort: str) -> npt.NDArray[np.intp]:
    result = c.required()
    if sort == "rank":
        return result.order
    if sort == "-rank":
        return result.order[::-1]
    if sort == "code":
        return result.code_order
    # by index change, villages new to the board last, then by rank
    change = c.delta.index_change_cents if c.delta is not None else np.zeros(len(result), int)
    present = c.delta.present if c.delta is not None else np.zeros(len(result), bool)
    key = -change if sort == "change" else change
    return np.lexsort((result.rank, key, ~present)).astype(np.intp)


def rankings(
    c: Computed, *, township: str = "", search: str = "", sort: str = "rank",
    page: int = 1, per_page: int = 50,
) -> dict[str, Any]:  # fmt: skip
    """One page of the board, filtered by township and a search of code or name."""
    if sort not in SORTS:
        raise invalid("sort", f"排序方式应为 {'、'.join(SORTS)} 之一")
    if not 1 <= per_page <= MAX_PER_PAGE:
        raise invalid("per_page", f"每页条数应在 1 到 {MAX_PER_PAGE} 之间")
    if page < 1:
        raise invalid("page", "页码应从 1 开始")
    result = c.required()
    order = _order(c, sort)
    keep = np.ones(len(result), np.bool_)
    if township:
        keep &= c.townships == township
    if search:
        codes = result.village_codes
        keep &= (np.char.find(codes, search) >= 0) | (np.char.find(c.names, search) >= 0)
    chosen = order[keep[order]]
    start = (page - 1) * per_page
    return {
        "board": board_summary(c),
        "total": int(chosen.size),
        "page": page,
        "per_page": per_page,
        "median": r2(float(np.median(result.index))),
        "townships": sorted(set(c.meta.townships.tolist())),
        "rows": [_row(c, i) for i in chosen[start : start + per_page].tolist()],
    }


def village_detail(c: Computed, code: str, trend: list[dict[str, Any]]) -> dict[str, Any]:
    """A village's rank, index, each indicator against the board's median, change and trend."""
    result = c.required()
    try:
        i = result.position(code)
    except KeyError:
        raise not_found("该村", "code") from None
    indicators = []
    for ind, s in zip(result.indicators, against_median(result, code), strict=True):
        indicators.append(
            {"code": s.code, "name": s.name, "unit": s.unit, "direction": ind.direction,
             "weight": ind.weight, "value": r2(s.value), "median": r2(s.median),
             "score": r2(s.score), "median_score": r2(s.median_score), "gap": r2(s.gap)}
        )  # fmt: skip
    flags = [a.category for a in c.awards if a.scope == "village" and a.recipient == code]
    village = c.meta.board.villages[int(c.at[i])]
    town_flags = [
        a.category for a in c.awards if a.scope == "township" and a.recipient == village.township
    ]
    return {
        "board": board_summary(c),
        **_row(c, i),
        "cadres": village.cadres,
        "of": len(result),
        "median": r2(float(np.median(result.index))),
        "indicators": indicators,
        "flags": flags,
        "township_flags": town_flags,
        "trend": trend,
    }


def trend_point(c: Computed, code: str) -> dict[str, Any] | None:
    """The village's index and rank on one board of the series, or None if it is not on it."""
    if c.result is None:
        return None
    try:
        i = c.result.position(code)
    except KeyError:
        return None
    label = c.meta.board.period.label
    return {"board": c.meta.id, "period": label, "index": int(c.result.index_cents[i]) / 100,
            "rank": int(c.result.rank[i]), "of": len(c.result)}  # fmt: skip


async def trend(service: BoardService, meta: BoardMeta, code: str) -> list[dict[str, Any]]:
    """The village's index and rank on every board of the series that has it, oldest first."""
    points = []
    for board_id, _ in await service.series(meta):
        point = trend_point(await service.computed(board_id, with_delta=False), code)
        if point is not None:
            points.append(point)
    return points


def histogram(c: Computed) -> dict[str, Any]:
    """The distribution of the index in equal bins (counts), with the median."""
    index = c.required().index
    low, high = float(index.min()), float(index.max())
    counts, edges = np.histogram(index, bins=HISTOGRAM_BINS, range=(low, max(high, low + 1)))
    return {
        "edges": [r2(e) for e in edges.tolist()],
        "counts": counts.tolist(),
        "median": r2(float(np.median(index))),
        "mean": r2(float(index.mean())),
    }


def screen(c: Computed, follow_ups: list[dict[str, Any]]) -> dict[str, Any]:
    """What the board screen shows: the top ten, the bottom-20% follow-up list, the distribution."""
    result = c.required()
    groups: dict[tuple[str, str], list[str]] = {}
    for a in c.awards:
        name = str(c.names[result.position(a.recipient)]) if a.scope == "village" else a.recipient
        groups.setdefault((SCOPE_NAMES[a.scope], a.category), []).append(name)
    flags = [{"scope": k[0], "category": k[1], "recipients": v} for k, v in groups.items()]
    return {
        "board": board_summary(c),
        "top": [_row(c, i) for i in result.order[:10].tolist()],
        "bottom20": int(result.bottom20.sum()),
        "follow_ups": follow_ups,
        "histogram": histogram(c),
        "flags": flags,
    }
