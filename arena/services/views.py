"""JSON shapes of standings and a village's breakdown (integration API v1 and pages)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from arena.rounds.definition import ItemDef, num
from arena.scoring.aggregate import PaperResult
from arena.scoring.explain import Context, explain_village
from arena.scoring.numbers import q2
from arena.scoring.papers import MISSING_MARK
from arena.scoring.standings import VillageResult
from arena.services.anonymity import judge_labels, label_number
from arena.services.rounds import RoundMeta
from arena.services.standings import RoundResult

DROP_REASONS = {"high": "去掉一个最高分", "low": "去掉一个最低分"}
METHOD_NOTES = {
    "trimmed": "去掉最高分和最低分后取平均",
    "mean": "评委人数不足，取全部评委平均",
    "median": "取中位数",
}


def standings_view(result: RoundResult, audit_hash: str) -> dict[str, Any]:
    """GET /api/v1/rounds/{id}/standings."""
    s = result.standings
    return {
        "round": result.meta.summary(result.status),
        "complete": s.complete,
        "sheets_in": s.sheets_in,
        "sheets_expected": s.sheets_expected,
        "revision": result.revision,
        "audit_hash": audit_hash,
        "rows": [row_view(result.meta, r) for r in s.rows],
    }


def row_view(meta: RoundMeta, r: VillageResult) -> dict[str, Any]:
    """One standings row."""
    village = meta.villages[r.code]
    return {
        "rank": r.rank,
        "village": r.code,
        "name": r.name,
        "township": village.township,
        "total": num(r.total),
        "shared": num(r.shared.score),
        "demonstration": num(r.demonstration.score),
        "satisfaction": num(r.satisfaction.score),
        "deductions": num(r.deductions.total),
        "provisional": r.provisional,
        "bottom20": r.bottom20,
        "delta": {"total": num(r.delta.total), "rank": r.delta.rank} if r.delta else None,
        "sheets_in": r.sheets_in,
        "sheets_expected": r.sheets_expected,
        "satisfaction_insufficient": r.satisfaction.insufficient,
        # 未录入: no figure yet; `satisfaction` is then a placeholder 0 and the row provisional.
        "satisfaction_missing": r.satisfaction_missing,
    }


def village_view(
    result: RoundResult, code: str, *, identities: bool, audit_hash: str, label_key: bytes = b""
) -> dict[str, Any]:
    """GET /api/v1/rounds/{id}/villages/{code}: everything behind one village's total.

    Judges are 评委1…k in this village's own keyed order (arena/services/anonymity.py); names
    and codes only with `identities` (organisers).
    """
    meta = result.meta
    d = meta.definition
    r = next(row for row in result.standings.rows if row.code == code)
    village = meta.villages[code]
    scored = {*r.shared.judge_totals, *r.demonstration.judge_totals}
    labels = judge_labels(
        label_key, meta.id, code, [*(j.code for j in meta.expected_judges(village)), *scored]
    )
    deductions = [x for x in result.deductions if x.village_id == village.id]
    catalogue = {i.code: i.name for i in d.deduction_items}

    def proxied(paper: str) -> frozenset[str]:
        return frozenset(j for v, p, j in result.proxies if v == code and p == paper)

    return {
        "round": meta.summary(result.status),
        "village": {
            "code": code,
            "name": village.name,
            "township": village.township,
            "county": village.county,
        },
        **{k: v for k, v in row_view(meta, r).items() if k not in ("village", "name", "township")},
        "rank_of": len(result.standings.rows),
        "previous_round": result.previous_round.get(code),
        "papers": {
            "shared": _paper(
                meta, r.shared, d.shared_items, d.shared_max, identities, labels, proxied("shared")
            ),
            "demonstration": _paper(
                meta,
                r.demonstration,
                village.targets,
                d.demonstration_max,
                identities,
                labels,
                proxied("demonstration"),
            ),
            "satisfaction": {
                "score": num(r.satisfaction.score),
                "max": num(d.satisfaction_max),
                "source": r.satisfaction.source,
                "responses": r.satisfaction.responses,
                "counts": r.satisfaction.counts,
                "scale": {k: num(v) for k, v in d.scale.items()},
                "rate": num(r.satisfaction.rate) if r.satisfaction.rate is not None else None,
                "mean": _ratio(r.satisfaction.mean),
                "insufficient": r.satisfaction.insufficient,
                "min_responses": d.min_responses,
                "missing": r.satisfaction_missing,
                "marker": MISSING_MARK if r.satisfaction_missing else None,
                # Residents' survey (arena/surveys): the two sources that add up in `counts`.
                "paper_counts": r.satisfaction.paper_counts,
                "survey_counts": r.satisfaction.survey_counts,
                "survey_respondents": r.satisfaction.survey_respondents,
                "provisional": r.satisfaction.provisional,
            },
            "deductions": {
                "total": num(r.deductions.total),
                "raw": num(r.deductions.raw),
                "cap": num(d.deduction_cap),
                "capped": r.deductions.capped,
                "entries": [
                    {
                        "id": x.id,
                        "item": x.item,
                        "name": catalogue.get(x.item, x.item),
                        "points": num(x.points),
                        "reason": x.reason,
                        "evidence": x.evidence,
                        "recorded_by": x.recorded_by,
                        "created_at": x.created_at,
                    }
                    for x in deductions
                ],
            },
        },
        "weak_items": [
            {
                "paper": w.paper,
                "code": w.code,
                "name": w.name,
                "score": num(w.score),
                "max": num(w.maximum),
                "ratio": _ratio(w.ratio),
                "median_ratio": _ratio(w.median_ratio),
                "gap": _ratio(w.gap),
            }
            for w in r.weak_items
        ],
        "explain": explain_village(r, labels, explain_context(result, code), catalogue),
        "audit_hash": audit_hash,
    }


def explain_context(result: RoundResult, code: str) -> Context:
    """What "explain my score" needs from the round's definition (arena/scoring/explain.py)."""
    d = result.meta.definition
    return Context(
        aggregation=d.aggregation,
        tie_breaks=d.tie_breaks,
        maxima={
            "shared": d.shared_max,
            "demonstration": d.demonstration_max,
            "satisfaction": d.satisfaction_max,
        },
        deduction_cap=d.deduction_cap,
        scale=d.scale,
        min_responses=d.min_responses,
        items={
            "shared": [(i.code, i.name) for i in d.shared_items],
            "demonstration": [(t.code, t.name) for t in result.meta.villages[code].targets],
        },
        rank_of=len(result.standings.rows),
    )


def _ratio(value: Decimal | None) -> float | None:
    # The API's numbers carry at most 2 decimals (README); weak items are ranked on the exact ratio.
    return float(q2(value)) if value is not None else None


def _paper(
    meta: RoundMeta,
    p: PaperResult,
    items: tuple[ItemDef, ...],
    maximum: Decimal,
    identities: bool,
    labels: dict[str, str],
    proxied: frozenset[str] = frozenset(),
) -> dict[str, Any]:
    judges = []
    for judge in meta.judges.values():
        if judge.code not in p.judge_totals:
            continue
        dropped = (
            "high"
            if judge.code in p.dropped_high
            else "low"
            if judge.code in p.dropped_low
            else None
        )
        entry: dict[str, Any] = {
            "label": labels[judge.code],
            "total": num(p.judge_totals[judge.code]),
            "kept": judge.code in p.kept,
            "dropped": dropped,
            "why": DROP_REASONS.get(dropped or "", ""),
            # 代录: an organiser typed this judge's paper sheet (the judge stays anonymous)
            "proxy": judge.code in proxied,
        }
        if identities:
            entry.update(code=judge.code, name=judge.name)
        judges.append(entry)
    if not identities:  # the organiser's list order would give the labels away
        judges.sort(key=lambda entry: label_number(entry["label"]))
    comments = [
        {"label": labels[c], "text": t, **({"code": c} if identities else {})}
        for c, t in sorted(p.comments.items(), key=lambda ct: label_number(labels[ct[0]]))
    ]
    return {
        "score": num(p.score),
        "max": num(maximum),
        "method": p.method_used,
        "method_note": METHOD_NOTES[p.method_used] if p.judge_totals else "尚无评分",
        "judges": judges,
        "items": [
            {
                "code": i.code,
                "name": i.name,
                "max": num(i.max),
                "mean": num(p.item_means.get(i.code, Decimal(0))),
                "guide": i.guide,
            }
            for i in items
        ],
        "comments": comments,
    }
