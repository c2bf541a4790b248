"""Bottom-20% follow-up (一对一跟进) edits, audited, and the red flags' incentive report."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from tortoise.transactions import in_transaction

from arena.body import text
from arena.errors import invalid, not_found
from arena.models import FollowUp
from arena.models.boards import FOLLOW_UP_STATUSES
from arena.scoring.flags import SCOPE_NAMES, Incentive, incentives
from arena.services import audit
from arena.services.boards.service import Computed
from arena.services.boards.views import r2

MONEY = (
    "secretary_monthly",
    "other_cadre_monthly_each",
    "other_cadres_monthly_total",
    "love_supermarket",
    "annual_total",
)


def _record(f: FollowUp | None) -> dict[str, Any]:
    if f is None:
        return {"leader": "", "measures": "", "status": "待跟进", "started_on": None,
                "due_on": None, "updated_by": "", "updated_at": None}  # fmt: skip
    return {
        "leader": f.leader,
        "measures": f.measures,
        "status": f.status,
        "started_on": f.started_on.isoformat() if f.started_on else None,
        "due_on": f.due_on.isoformat() if f.due_on else None,
        "updated_by": f.updated_by,
        "updated_at": f.updated_at.isoformat(timespec="seconds") if f.updated_at else None,
    }


async def follow_ups(c: Computed) -> list[dict[str, Any]]:
    """The bottom 20% in rank order, and any village followed up before, with their records."""
    result = c.required()
    ids = c.meta.village_ids
    by_village = {f.village_id: f for f in await FollowUp.filter(village__board_id=c.meta.id)}  # type: ignore[attr-defined]
    rows = []
    for i in result.order.tolist():
        code = str(result.village_codes[i])
        record = by_village.get(ids[code])
        if not result.bottom20[i] and record is None:
            continue
        village = c.meta.board.villages[int(c.at[i])]
        rows.append(
            {"village": code, "name": village.name, "township": village.township,
             "rank": int(result.rank[i]), "index": int(result.index_cents[i]) / 100,
             "bottom20": bool(result.bottom20[i]), **_record(record)}
        )  # fmt: skip
    return rows


def _date(data: dict[str, Any], key: str) -> dt.date | None:
    value = data.get(key)
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise invalid(key, "日期应为形如 2025-10-08 的文本", "wrong_type")
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise invalid(key, f"“{value}”不是有效日期，应形如 2025-10-08") from None


async def save_follow_up(
    c: Computed, code: str, data: dict[str, Any], actor: str
) -> dict[str, Any]:
    """Set a village's follow-up (leader, measures, status, dates); every change is audited."""
    result = c.required()
    village_id = c.meta.village_ids.get(code)
    if village_id is None:
        raise not_found("该村", "village")
    status = text(data, "status", max_length=8)
    if status not in FOLLOW_UP_STATUSES:
        raise invalid("status", f"状态应为 {'、'.join(FOLLOW_UP_STATUSES)} 之一")
    leader = text(data, "leader", required=status != "待跟进", max_length=100)
    measures = text(data, "measures", required=status != "待跟进", max_length=2000)
    started, due = _date(data, "started_on"), _date(data, "due_on")
    if started and due and due < started:
        raise invalid("due_on", "完成时限不能早于开始日期")
    async with in_transaction() as conn:
        record = await FollowUp.filter(village_id=village_id).using_db(conn).first()
        if record is None and not result.bottom20[result.position(code)]:
            raise invalid("village", f"村“{code}”不在后20%跟进名单中", "not_bottom20")
        before = _record(record)
        fields = {"leader": leader, "measures": measures, "status": status,
                  "started_on": started, "due_on": due, "updated_by": actor}  # fmt: skip
        if record is None:
            record = await FollowUp.create(village_id=village_id, **fields, using_db=conn)
        else:
            record.update_from_dict(fields)
            await record.save(using_db=conn)
        after = _record(record)
        changes = {k: after[k] for k in after if k not in ("updated_at",) and after[k] != before[k]}
        payload = {"board": c.meta.id, "village": code, "before": before, "changes": changes}
        digest = await audit.append(conn, actor, "board.follow_up", f"board:{c.meta.id}", payload)
    return {"village": code, **after, "audit_hash": digest}


def _money(value: Decimal) -> float:
    return float(value.quantize(Decimal("0.01")))


def _incentive_json(c: Computed, row: Incentive) -> dict[str, Any]:
    villages = {v.code: v for v in c.meta.board.villages}
    village = villages.get(row.recipient) if row.scope == "village" else None
    return {
        "scope": row.scope,
        "scope_name": SCOPE_NAMES[row.scope],
        "recipient": row.recipient,
        "name": village.name if village else row.recipient,
        "township": village.township if village else row.recipient,
        "flags": list(row.flags),
        "other_cadres": row.other_cadres,
        **{key: _money(getattr(row, key)) for key in MONEY},
    }


def incentive_rows(c: Computed) -> list[Incentive]:
    """Per recipient: flags and what they bring (the pure computation on the stored awards)."""
    c.required()
    return incentives(c.awards, c.meta.board.other_cadres(), c.meta.board.rates)


def incentive_report(c: Computed) -> dict[str, Any]:
    """The flags awarded and the incentive each recipient gets, with totals."""
    rows = incentive_rows(c)
    villages = {v.code: v for v in c.meta.board.villages}
    awards = [
        {"scope": a.scope, "scope_name": SCOPE_NAMES[a.scope], "category": a.category,
         "recipient": a.recipient,
         "name": villages[a.recipient].name if a.scope == "village" else a.recipient,
         "indicator": a.indicator, "basis": r2(a.basis)}
        for a in c.awards
    ]  # fmt: skip
    totals = {
        "flags": len(c.awards),
        "secretary_monthly": _money(sum((r.secretary_monthly for r in rows), Decimal(0))),
        "other_cadres_monthly_total": _money(
            sum((r.other_cadres_monthly_total for r in rows), Decimal(0))
        ),
        "love_supermarket": _money(sum((r.love_supermarket for r in rows), Decimal(0))),
        "annual_total": _money(sum((r.annual_total for r in rows), Decimal(0))),
    }
    rates = c.meta.board.rates
    return {
        "rates": {k: _money(getattr(rates, k)) for k in
                  ("secretary_monthly", "other_cadre_monthly", "love_supermarket")},
        "awards": awards,
        "incentives": [_incentive_json(c, r) for r in rows],
        "totals": totals,
    }  # fmt: skip
