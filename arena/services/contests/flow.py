"""The host's steps through a contest, and judges' scores: each step audited, each score once.

Phases of the contestant on stage: idle → ready (next) → presenting (timer started) → presented
(timer stopped) → scoring (open) → closed → revealed → (next) ready …  A step names the revision
it was taken from, so a double click or a second console cannot apply it twice (409).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.expressions import F
from tortoise.transactions import in_transaction

from arena import body
from arena.auth import Principal
from arena.errors import UserError, forbidden, invalid
from arena.models import Contest, Contestant, ContestScore
from arena.rounds.definition import num
from arena.scoring.draw import draw_order, new_seed
from arena.services import audit
from arena.services.contests.catalogue import ContestCatalogue, ContestMeta
from arena.services.tablets import take_resend
from arena.services.writes import audited_write

ACTIONS = ("draw", "next", "start", "stop", "time", "open", "close", "reveal", "finish")
# action -> the phases it may be taken from
ALLOWED = {
    "next": ("idle", "revealed"),
    "start": ("ready", "presented"),
    "stop": ("presenting",),
    # the host corrects the time used (a timer started late, or forgotten), before the reveal
    "time": ("presented", "scoring", "closed"),
    "open": ("presenting", "presented"),
    "close": ("scoring",),
    "reveal": ("closed",),
    "finish": ("idle", "revealed"),
}
PHASE_NAMES = {
    "idle": "等待上场",
    "ready": "准备上场",
    "presenting": "正在汇报",
    "presented": "汇报结束",
    "scoring": "评委打分中",
    "closed": "打分已结束",
    "revealed": "已亮分",
}


def _conflict(message: str) -> UserError:
    return UserError(409, "wrong_phase", message, "action")


class ContestFlow:
    """Host steps and judges' scores; `on_change(contest_id)` runs after each commit."""

    def __init__(
        self,
        contests: ContestCatalogue,
        on_change: Callable[[int], None],
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.contests = contests
        self.on_change = on_change
        self.clock = clock

    async def step(
        self, principal: Principal, contest_id: int, data: dict[str, Any]
    ) -> dict[str, Any]:
        """Apply one host step; returns {"revision", "phase", "current"}."""
        meta = await self.contests.get(contest_id)
        body.only(data, {"action", "revision", "seed", "elapsed_seconds"})
        action = body.text(data, "action", max_length=20)
        if action not in ACTIONS:
            raise invalid("action", f"必须是 {' / '.join(ACTIONS)} 之一")
        revision = body.integer(data.get("revision"), "revision", low=0)
        seed = body.text(data, "seed", required=False, max_length=64) or None
        elapsed = None
        if action == "time":
            elapsed = body.integer(
                data.get("elapsed_seconds"), "elapsed_seconds", low=0, high=36000
            )
        async with in_transaction() as conn:
            row = await Contest.select_for_update().using_db(conn).get(id=contest_id)
            if row.revision != revision:
                raise UserError(
                    409, "stale", "控制台显示的不是最新状态，已为您刷新，请再操作一次", "revision"
                )
            payload = await self._apply(conn, meta, row, action, seed, elapsed)
            row.revision += 1
            await row.save(using_db=conn)
            await audit.append(
                conn, principal.actor, f"contest.{action}", f"contest:{contest_id}", payload
            )
        self.on_change(contest_id)
        return {"revision": row.revision, "phase": row.phase, "current": row.current}

    async def _apply(
        self,
        conn: BaseDBAsyncClient,
        meta: ContestMeta,
        row: Contest,
        action: str,
        seed: str | None,
        elapsed: int | None,
    ) -> dict[str, Any]:
        if row.status == "finished":
            raise _conflict("比赛已结束")
        if action == "draw":
            if row.order is not None:
                raise _conflict("已经抽过签，出场顺序不能再改")
            row.seed = seed or new_seed()
            row.seed_source = "host" if seed else "server"
            row.order = draw_order(list(meta.contestants), row.seed)
            row.status = "running"
            return {"seed": row.seed, "seed_source": row.seed_source, "order": row.order}
        if row.order is None:
            raise _conflict("请先抽签确定出场顺序")
        if row.phase not in ALLOWED[action]:
            raise _conflict(f"当前为「{PHASE_NAMES[row.phase]}」，不能进行此操作")
        now = self.clock()
        if action == "next":
            done = set(
                await Contestant.filter(contest_id=row.id, state="revealed")
                .using_db(conn)
                .values_list("code", flat=True)
            )
            remaining = [c for c in row.order if c not in done]
            if not remaining:
                raise _conflict("所有选手都已亮分，请结束比赛")
            row.current, row.phase = remaining[0], "ready"
            await self._set_state(conn, row, "on_stage")
            return {"contestant": row.current}
        if action == "finish":
            waiting = (
                await Contestant.filter(contest_id=row.id)
                .exclude(state="revealed")
                .using_db(conn)
                .count()
            )
            if waiting:
                raise _conflict(f"还有 {waiting} 位选手未亮分")
            row.status, row.phase, row.current = "finished", "idle", None
            return {}
        if action == "start":
            row.timer_started_at, row.phase = now, "presenting"
            return {"contestant": row.current}
        if action in ("stop", "open") and row.phase == "presenting":
            elapsed = int(now - (row.timer_started_at or now))
            await (
                Contestant.filter(contest_id=row.id, code=row.current)
                .using_db(conn)
                .update(elapsed_seconds=F("elapsed_seconds") + elapsed)
            )
            row.timer_started_at, row.phase = None, "presented"
        if action == "time":
            await (
                Contestant.filter(contest_id=row.id, code=row.current)
                .using_db(conn)
                .update(elapsed_seconds=elapsed)
            )
        elif action == "open":
            row.phase = "scoring"
        elif action == "close":
            row.phase = "closed"
        elif action == "reveal":
            row.phase = "revealed"
            await self._set_state(conn, row, "revealed")
        used = (
            await Contestant.filter(contest_id=row.id, code=row.current)
            .using_db(conn)
            .values_list("elapsed_seconds", flat=True)
        )
        return {"contestant": row.current, "elapsed_seconds": used[0]}

    async def _set_state(self, conn: BaseDBAsyncClient, row: Contest, state: str) -> None:
        await (
            Contestant.filter(contest_id=row.id, code=row.current)
            .using_db(conn)
            .update(state=state)
        )

    async def submit(
        self, principal: Principal, contest_id: int, data: dict[str, Any]
    ) -> tuple[int, dict[str, Any]]:
        """A judge's score for the contestant on stage, once, while scoring is open."""
        meta = await self.contests.get(contest_id)
        body.only(data, {"contestant", "items", "comment", "idempotency_key", "resend"})
        key = body.text(data, "idempotency_key", max_length=128)
        resend = take_resend(data)  # a tablet's copy of a score the server had lost
        if principal.role != "judge" or principal.contest_id != contest_id:
            raise forbidden("您不是本场擂台赛的评委")
        code = body.text(data, "contestant", max_length=40)
        if code not in meta.contestants:
            raise invalid("contestant", f"选手编码 {code} 不在本场名单中", "unknown_code")
        items = body.items(data.get("items"), meta.definition.criteria, "评分标准")
        judge_id = meta.judges[principal.subject]
        contestant_id = meta.contestants[code]

        async def lock(conn: BaseDBAsyncClient) -> None:
            row = await Contest.select_for_update().using_db(conn).get(id=contest_id)
            if row.phase != "scoring" or row.current != code:
                raise forbidden("该选手当前不在打分时间内", "scoring_closed", "contestant")
            if (
                await ContestScore.filter(contestant_id=contestant_id, judge_id=judge_id)
                .using_db(conn)
                .exists()
            ):
                raise UserError(
                    409, "already_scored", "您已为该选手打过分，不能重复打分", "contestant"
                )
            await Contest.filter(id=contest_id).using_db(conn).update(revision=F("revision") + 1)

        async def apply(conn: BaseDBAsyncClient) -> tuple[dict[str, Any], dict[str, Any]]:
            total = sum(items.values(), Decimal(0))
            await ContestScore.create(
                contestant_id=contestant_id,
                judge_id=judge_id,
                items={k: str(v) for k, v in items.items()},
                total=total,
                using_db=conn,
            )
            answer = {
                "score": {
                    "contestant": code,
                    "judge": principal.subject,
                    "items": {k: num(v) for k, v in items.items()},
                    "total": num(total),
                }
            }
            payload: dict[str, Any] = {
                "contestant": code,
                "judge": principal.subject,
                "items": {k: str(v) for k, v in items.items()},
                "total": str(total),
            }
            if resend:
                payload["healed"] = True
            return answer, payload

        status, answer = await audited_write(
            principal, data, key, "contest.score", f"contest:{contest_id}", lock, apply
        )
        if status == 201:
            self.on_change(contest_id)
        return status, answer
