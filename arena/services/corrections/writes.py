"""Withdraw a deduction or a satisfaction figure, void a sheet, enter a sheet as 代录.

Each is one idempotent, audited write on an open round (ScoreWriter.write): nothing is deleted,
the row is marked with who, why and when, and the audit event carries what replaying it needs.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from tortoise.backends.base.client import BaseDBAsyncClient

from arena import body
from arena.auth import Principal
from arena.errors import Problem, UserError, forbidden, invalid_all, not_found
from arena.models import Deduction, Satisfaction, Sheet
from arena.rounds.definition import num
from arena.services.rounds import RoundMeta
from arena.services.scores import (
    PAPER_NAMES,
    SHEET_PAPERS,
    ScoreWriter,
    _collect,
    _iso,
    store_sheet,
)

Answer = tuple[dict[str, Any], dict[str, Any]]


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _reason(data: dict[str, Any], problems: list[Problem], field: str = "reason") -> str | None:
    return _collect(problems, lambda: body.text(data, field, max_length=2000))


def _key_and_reason(data: dict[str, Any]) -> tuple[str, str]:
    """A withdraw's or a void's body {"reason", "idempotency_key"}: its key and its reason."""
    body.only(data, {"reason", "idempotency_key"})
    key = body.text(data, "idempotency_key", max_length=128)
    problems: list[Problem] = []
    reason = _reason(data, problems)
    if problems:
        raise invalid_all(problems)
    assert reason is not None
    return key, reason


def _conflict(code: str, message: str, field: str | None = None) -> UserError:
    return UserError(409, code, message, field)


class CorrectionWriter:
    """The organiser's corrections; each goes through the score writer's audited write."""

    def __init__(self, scores: ScoreWriter) -> None:
        self.scores = scores

    async def withdraw_deduction(
        self, principal: Principal, round_id: int, deduction_id: int, data: dict[str, Any]
    ) -> tuple[int, dict[str, Any]]:
        """Mark a deduction withdrawn (撤销) with the reason; it stops counting, it stays listed."""
        meta = await self.scores.rounds.get(round_id)
        key, reason = _key_and_reason(data)
        if not await Deduction.exists(id=deduction_id, round_id=round_id):
            raise not_found("该扣分记录", "deduction")

        async def apply(conn: BaseDBAsyncClient) -> Answer:
            row = await Deduction.get(id=deduction_id, using_db=conn)
            if row.withdrawn_at is not None:
                raise _conflict("already_withdrawn", "该扣分已撤销", "deduction")
            row.withdrawn_at = _now()
            row.withdrawn_by = principal.name
            row.withdraw_reason = reason
            await row.save(
                using_db=conn, update_fields=["withdrawn_at", "withdrawn_by", "withdraw_reason"]
            )
            village = meta.village_by_id(row.village_id)  # type: ignore[attr-defined]
            assert village is not None
            answer = {
                "deduction": {
                    "id": row.id,
                    "village": village.code,
                    "item": row.item,
                    "points": num(row.points),
                    "withdrawn": True,
                    "withdrawn_by": principal.name,
                    "withdraw_reason": reason,
                    "withdrawn_at": _iso(row.withdrawn_at),
                }
            }
            payload = {
                "id": row.id,
                "village": village.code,
                "item": row.item,
                "points": str(row.points),
                "reason": reason,
                "withdrawn_by": principal.name,
            }
            return answer, payload

        return await self.scores.write(
            principal, round_id, data, key, "deduction.withdraw", _ok, apply
        )

    async def withdraw_satisfaction(
        self, principal: Principal, round_id: int, code: str, data: dict[str, Any]
    ) -> tuple[int, dict[str, Any]]:
        """Withdraw a village's satisfaction figure: the village is 未录入 (provisional) again."""
        meta = await self.scores.rounds.get(round_id)
        village = meta.villages.get(code)
        if village is None:
            raise not_found("该村", "village")
        key, reason = _key_and_reason(data)

        async def apply(conn: BaseDBAsyncClient) -> Answer:
            row = await Satisfaction.get_or_none(village_id=village.id, using_db=conn)
            if row is None or row.withdrawn_at is not None:
                raise _conflict("nothing_to_withdraw", f"{village.name}没有可撤销的满意度数据")
            row.withdrawn_at = _now()
            row.withdrawn_by = principal.name
            row.withdraw_reason = reason or ""
            await row.save(
                using_db=conn, update_fields=["withdrawn_at", "withdrawn_by", "withdraw_reason"]
            )
            answer = {
                "satisfaction": {
                    "village": village.code,
                    "withdrawn": True,
                    "withdrawn_by": principal.name,
                    "withdraw_reason": reason,
                    "withdrawn_at": _iso(row.withdrawn_at),
                }
            }
            payload = {"village": village.code, "reason": reason, "withdrawn_by": principal.name}
            return answer, payload

        return await self.scores.write(
            principal, round_id, data, key, "satisfaction.withdraw", _ok, apply
        )

    async def void_sheet(
        self, principal: Principal, round_id: int, sheet_id: int, data: dict[str, Any]
    ) -> tuple[int, dict[str, Any]]:
        """Void a judge's current sheet (作废): it stops counting and the judge enters it again."""
        meta = await self.scores.rounds.get(round_id)
        key, reason = _key_and_reason(data)
        if not await Sheet.exists(id=sheet_id, round_id=round_id):
            raise not_found("该评分表", "sheet")

        async def apply(conn: BaseDBAsyncClient) -> Answer:
            row = await Sheet.get(id=sheet_id, using_db=conn)
            if not row.current:
                raise _conflict(
                    "not_current", "该评分表已被新版本替换或已作废，请刷新后再操作", "sheet"
                )
            row.current = False
            row.voided_at = _now()
            row.voided_by = principal.name
            row.void_reason = reason or ""
            await row.save(
                using_db=conn,
                update_fields=["current", "voided_at", "voided_by", "void_reason"],
            )
            village = meta.village_by_id(row.village_id)  # type: ignore[attr-defined]
            judge = meta.judge_by_id(row.judge_id)  # type: ignore[attr-defined]
            assert village is not None and judge is not None
            sheet = {
                "id": row.id,
                "village": village.code,
                "paper": row.paper,
                "judge": judge.code,
                "version": row.version,
            }
            answer = {
                "sheet": {
                    **sheet,
                    "voided": True,
                    "voided_by": principal.name,
                    "void_reason": reason,
                    "voided_at": _iso(row.voided_at),
                }
            }
            payload = {**sheet, "reason": reason, "voided_by": principal.name}
            return answer, payload

        return await self.scores.write(principal, round_id, data, key, "sheet.void", _ok, apply)

    async def proxy_sheet(
        self, principal: Principal, round_id: int, data: dict[str, Any]
    ) -> tuple[int, dict[str, Any]]:
        """Enter a judge's paper sheet on the judge's behalf (代录), marked so wherever it shows."""
        meta = await self.scores.rounds.get(round_id)
        body.only(
            data, {"judge", "village", "paper", "items", "comment", "reason", "idempotency_key"}
        )
        key = body.text(data, "idempotency_key", max_length=128)
        problems: list[Problem] = []
        judge_code = _collect(problems, lambda: body.text(data, "judge", max_length=40))
        judge = meta.judges.get(judge_code or "")
        if judge_code is not None and judge is None:
            problems.append(Problem("judge", f"评委编码 {judge_code} 不在本轮名单中"))
        code = _collect(problems, lambda: body.text(data, "village", max_length=40))
        village = meta.villages.get(code or "")
        if code is not None and village is None:
            problems.append(Problem("village", f"村编码 {code} 不在本轮名单中"))
        paper = _collect(problems, lambda: body.text(data, "paper", max_length=20))
        if paper is not None and paper not in SHEET_PAPERS:
            problems.append(Problem("paper", "须选择共性目标（shared）或示范目标（demonstration）"))
            paper = None
        items = None
        if village is not None and paper is not None:
            items = _items(meta, village.code, paper, data.get("items"), problems)
        comment = _collect(
            problems, lambda: body.text(data, "comment", required=False, max_length=2000)
        )
        reason = _reason(data, problems)
        if problems:
            raise invalid_all(problems)
        assert judge and village and paper and items is not None and reason
        if judge.id in village.recused_judges:
            raise forbidden(f"{judge.name}已回避{village.name}，不能为其代录", "recused", "village")

        async def apply(conn: BaseDBAsyncClient) -> Answer:
            return await store_sheet(
                conn,
                round_id,
                village,
                judge,
                paper,
                items,
                comment or "",
                proxy=(principal.name, reason),
            )

        return await self.scores.write(principal, round_id, data, key, "sheet.proxy", _ok, apply)


def _ok() -> None:
    return None


def _items(
    meta: RoundMeta, code: str, paper: str, raw: Any, problems: list[Problem]
) -> dict[str, Decimal] | None:
    """Every item of the paper with its points; each bad item joins `problems`."""
    village = meta.villages[code]
    catalogue = meta.definition.shared_items if paper == "shared" else village.targets
    if not isinstance(raw, dict):
        problems.append(Problem("items", "必须是对象：{项目编码: 分数}"))
        return None
    known = {i.code for i in catalogue}
    bad = len(problems)
    for item_code in raw:
        if item_code not in known:
            problems.append(
                Problem(f"items.{item_code}", f"项目 {item_code} 不在该村的{PAPER_NAMES[paper]}中")
            )
    out = {}
    for item in catalogue:
        if item.code not in raw:
            problems.append(Problem(f"items.{item.code}", f"缺少「{item.name}」的分数"))
            continue
        value = _collect(problems, _points(raw[item.code], f"items.{item.code}", item.max))
        if value is not None:
            out[item.code] = value
    return out if len(problems) == bad else None


def _points(raw: Any, field: str, high: Decimal) -> Callable[[], Decimal]:
    return lambda: body.number(raw, field, low=Decimal(0), high=high)
