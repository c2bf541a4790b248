"""Score-changing writes: judges' sheets, deductions, satisfaction. Idempotent and audited.

Each write runs in one transaction: check the round is open, store, append the audit event, bump
the round's revision, remember the answer under the idempotency key. Then the new standings are
scheduled for publication.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable
from decimal import Decimal
from typing import Any, TypeVar

from tortoise.backends.base.client import BaseDBAsyncClient

from arena import body
from arena.auth import Principal
from arena.db import plain_rows
from arena.errors import Problem, UserError, forbidden, invalid, invalid_all
from arena.models import Deduction, Round, Satisfaction, Sheet
from arena.rounds.definition import num
from arena.services.rounds import JudgeMeta, RoundCatalogue, RoundMeta, VillageMeta
from arena.services.tablets import take_resend
from arena.services.writes import audited_write

SHEET_PAPERS = ("shared", "demonstration")
_T = TypeVar("_T")
Writer = Callable[[BaseDBAsyncClient], Awaitable[tuple[dict[str, Any], dict[str, Any]]]]


class ScoreWriter:
    """Applies score-changing writes; `on_change(round_id)` is called after each commit."""

    def __init__(self, rounds: RoundCatalogue, on_change: Callable[[int], None]) -> None:
        self.rounds = rounds
        self.on_change = on_change

    async def write(
        self,
        principal: Principal,
        round_id: int,
        data: dict[str, Any],
        key: str | None,
        action: str,
        check: Callable[[], None],
        apply: Writer,
    ) -> tuple[int, dict[str, Any]]:
        """One idempotent, audited write to an open round; `apply` stores and returns the answer."""

        async def lock(conn: BaseDBAsyncClient) -> None:
            # One statement takes the round's row (serialising writes to it) and checks it open.
            bumped = await plain_rows(
                Round,
                "UPDATE {table} SET revision = revision + 1"
                " WHERE id = {0} AND status = {1} RETURNING id",
                round_id, "open", conn=conn,
            )  # fmt: skip
            if not bumped:
                raise forbidden("本轮评分已锁定，不能再修改分数", "round_locked")

        check()
        status, answer = await audited_write(
            principal, data, key, action, f"round:{round_id}", lock, apply
        )
        if status == 201:
            self.on_change(round_id)
        return status, answer

    async def submit_sheet(
        self, principal: Principal, round_id: int, data: dict[str, Any]
    ) -> tuple[int, dict[str, Any]]:
        """A judge's sheet for one village and paper; a later one replaces it as a new version."""
        meta = await self.rounds.get(round_id)
        body.only(data, {"village", "paper", "items", "comment", "idempotency_key", "resend"})
        key = body.text(data, "idempotency_key", max_length=128)
        # A tablet re-sending a sheet the server acknowledged but no longer holds (restored from
        # an older copy, commits lost) marks it; the mark is not part of the request, so the same
        # key and body still replay (200) when the server does hold it.
        resend = take_resend(data)
        if principal.role != "judge" or principal.round_id != round_id:
            raise forbidden("您不是本轮拉练的评委")
        village = _village(meta, data)
        paper = body.text(data, "paper", max_length=20)
        if paper not in SHEET_PAPERS:
            raise invalid("paper", "必须是 shared（共性目标）或 demonstration（示范目标）")
        comment = body.text(data, "comment", required=False, max_length=2000)
        judge = meta.judge_by_id(principal.judge_id or 0)
        assert judge is not None
        items = _items(meta, village, paper, data.get("items"))

        def check() -> None:
            if judge.id in village.recused_judges:
                raise forbidden(f"您已回避{village.name}，不能为其评分", "recused", "village")

        async def apply(conn: BaseDBAsyncClient) -> tuple[dict[str, Any], dict[str, Any]]:
            answer, payload = await store_sheet(
                conn, round_id, village, judge, paper, items, comment
            )
            if resend:
                payload["healed"] = True  # the server had lost it; a tablet's copy brought it back
            return answer, payload

        return await self.write(principal, round_id, data, key, "sheet.submit", check, apply)

    async def add_deduction(
        self, principal: Principal, round_id: int, data: dict[str, Any]
    ) -> tuple[int, dict[str, Any]]:
        """An organiser records a deduction with its reason and evidence (every fault listed)."""
        meta = await self.rounds.get(round_id)
        body.only(data, {"village", "item", "points", "reason", "evidence", "idempotency_key"})
        key = body.text(data, "idempotency_key", max_length=128)
        problems: list[Problem] = []
        village = _collect(problems, lambda: _village(meta, data))
        code = _collect(problems, lambda: body.text(data, "item", max_length=40))
        item = next((i for i in meta.definition.deduction_items if i.code == code), None)
        if code is not None and item is None:
            problems.append(Problem("item", f"扣分项 {code} 不在本轮扣分项目录中"))
        high = item.max if item is not None else None
        points = _collect(problems, lambda: body.number(data.get("points"), "points", high=high))
        if points is not None and points <= 0:
            problems.append(Problem("points", "扣分必须大于 0"))
        reason = _collect(problems, lambda: body.text(data, "reason", max_length=2000))
        evidence = _collect(
            problems, lambda: body.text(data, "evidence", required=False, max_length=2000)
        )
        if problems:
            raise invalid_all(problems)
        assert village and item and points is not None and reason and evidence is not None

        async def apply(conn: BaseDBAsyncClient) -> tuple[dict[str, Any], dict[str, Any]]:
            row = await Deduction.create(
                round_id=round_id,
                village_id=village.id,
                item=item.code,
                points=points,
                reason=reason,
                evidence=evidence,
                recorded_by=principal.name,
                using_db=conn,
            )
            answer = {
                "deduction": {
                    "id": row.id,
                    "village": village.code,
                    "item": item.code,
                    "name": item.name,
                    "points": num(points),
                    "reason": reason,
                    "evidence": evidence,
                    "recorded_by": principal.name,
                    "created_at": _iso(row.created_at),
                }
            }
            payload = {
                "id": row.id,
                "village": village.code,
                "item": item.code,
                "points": str(points),
                "reason": reason,
                "evidence": evidence,
                "recorded_by": principal.name,
            }
            return answer, payload

        return await self.write(principal, round_id, data, key, "deduction.add", _ok, apply)

    async def set_satisfaction(
        self, principal: Principal, round_id: int, data: dict[str, Any]
    ) -> tuple[int, dict[str, Any]]:
        """Answer counts or an externally surveyed rate for a village (replaces the earlier one)."""
        meta = await self.rounds.get(round_id)
        body.only(data, {"village", "counts", "rate", "idempotency_key"})
        key = body.text(data, "idempotency_key", required=False, max_length=128) or None
        village = _village(meta, data)
        counts, rate = _satisfaction(meta, data)

        async def apply(conn: BaseDBAsyncClient) -> tuple[dict[str, Any], dict[str, Any]]:
            await Satisfaction.filter(village_id=village.id).using_db(conn).delete()
            await Satisfaction.create(
                village_id=village.id,
                counts=counts,
                rate=rate,
                recorded_by=principal.name,
                using_db=conn,
            )
            result: dict[str, Any] = {"village": village.code}
            result.update(
                {"counts": counts} if counts is not None else {"rate": num(rate or Decimal(0))}
            )
            payload = dict(result, rate=str(rate)) if rate is not None else dict(result)
            return {"satisfaction": result}, payload

        return await self.write(principal, round_id, data, key, "satisfaction.set", _ok, apply)


def _ok() -> None:
    return None


def _collect(problems: list[Problem], read: Callable[[], _T]) -> _T | None:
    """Run one field's check; a UserError naming a field joins `problems` instead of raising."""
    try:
        return read()
    except UserError as exc:
        if exc.status != 422 or exc.field is None:
            raise
        problems.append(Problem(exc.field, exc.message))
        return None


async def store_sheet(
    conn: BaseDBAsyncClient,
    round_id: int,
    village: VillageMeta,
    judge: JudgeMeta,
    paper: str,
    items: dict[str, Decimal],
    comment: str,
    proxy: tuple[str, str] | None = None,
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Store a sheet as the new current version; `proxy` = (organiser, reason) for 代录."""
    # The current sheet (always the latest version) steps down; the new one follows it.
    replaced = await plain_rows(
        Sheet,
        "UPDATE {table} SET current = {0} WHERE village_id = {1} AND judge_id = {2}"
        " AND paper = {3} AND current = {4} RETURNING version",
        False, village.id, judge.id, paper, True, conn=conn,
    )  # fmt: skip
    if replaced:
        version = int(replaced[0][0]) + 1
    else:  # the first sheet, or the one after a voided sheet: versions keep counting up
        last = await plain_rows(
            Sheet,
            "SELECT MAX(version) FROM {table} WHERE village_id = {0} AND judge_id = {1}"
            " AND paper = {2}",
            village.id, judge.id, paper, conn=conn,
        )  # fmt: skip
        version = int(last[0][0] or 0) + 1
    total = sum(items.values(), Decimal(0))
    proxy_by, proxy_reason = proxy or ("", "")
    sheet = await Sheet.create(
        round_id=round_id,
        village_id=village.id,
        judge_id=judge.id,
        paper=paper,
        version=version,
        items={k: str(v) for k, v in items.items()},
        total=total,
        comment=comment,
        proxy_by=proxy_by,
        proxy_reason=proxy_reason,
        using_db=conn,
    )
    answer: dict[str, Any] = {
        "sheet": {
            "id": sheet.id,
            "round": round_id,
            "village": village.code,
            "paper": paper,
            "judge": judge.code,
            "version": version,
            "items": {k: num(v) for k, v in items.items()},
            "total": num(total),
            "comment": comment,
            "submitted_at": _iso(sheet.submitted_at),
        }
    }
    payload: dict[str, Any] = {
        "village": village.code,
        "paper": paper,
        "judge": judge.code,
        "version": version,
        "items": {k: str(v) for k, v in items.items()},
        "total": str(total),
        "comment": comment,
    }
    if proxy is not None:
        answer["sheet"].update(proxy=True, proxy_by=proxy_by, proxy_reason=proxy_reason)
        payload.update(
            id=sheet.id, proxy_for=judge.code, proxy_by=proxy_by, proxy_reason=proxy_reason
        )
    return answer, payload


def _iso(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).isoformat(timespec="seconds")


def _village(meta: RoundMeta, data: dict[str, Any]) -> VillageMeta:
    code = body.text(data, "village", max_length=40)
    village = meta.villages.get(code)
    if village is None:
        raise invalid("village", f"村编码 {code} 不在本轮名单中", "unknown_code")
    return village


def _items(meta: RoundMeta, village: VillageMeta, paper: str, raw: Any) -> dict[str, Decimal]:
    catalogue = meta.definition.shared_items if paper == "shared" else village.targets
    return body.items(raw, catalogue, f"该村的{PAPER_NAMES[paper]}")


def _satisfaction(
    meta: RoundMeta, data: dict[str, Any]
) -> tuple[dict[str, int] | None, Decimal | None]:
    if ("counts" in data) == ("rate" in data):
        raise invalid("counts", "counts（答案人数）与 rate（满意率）须且只能给出一个", "missing")
    if "rate" in data:
        return None, body.number(data["rate"], "rate", low=Decimal(0), high=Decimal(100))
    raw = body.mapping(data, "counts")
    scale = meta.definition.scale
    for answer in raw:
        if answer not in scale:
            raise invalid(
                f"counts.{answer}",
                f"答案「{answer}」不在本轮量表中（{'、'.join(scale)}）",
                "unknown_code",
            )
    counts = {a: body.integer(raw.get(a, 0), f"counts.{a}", low=0, high=10_000_000) for a in scale}
    if sum(counts.values()) == 0:
        raise invalid("counts", "至少要有 1 份答卷", "out_of_range")
    return counts, None


PAPER_NAMES = {"shared": "共性目标", "demonstration": "示范目标"}
