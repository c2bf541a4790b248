"""The results-meeting reveal: freeze the public screens, then uncover places from the last one.

While a round is frozen its public channel shows the standings taken at the moment of freezing,
with only the last `revealed` places uncovered; judges keep scoring and the organiser's channel
stays live. Every action is appended to the audit log in the same transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.transactions import in_transaction

from arena.errors import UserError
from arena.models import Reveal
from arena.services import audit


@dataclass(frozen=True)
class RevealState:
    """A round's reveal as stored: frozen or live, the frozen standings, places uncovered."""

    frozen: bool = False
    snapshot: dict[str, Any] | None = None
    revealed: int = 0

    def to_json(self) -> dict[str, Any]:
        """The state as the organiser's console shows it."""
        count = len(self.snapshot["rows"]) if self.snapshot else 0
        return {
            "frozen": self.frozen,
            "revealed": self.revealed,
            "count": count,
            "next": _next_row(self),
        }


def _next_row(state: RevealState) -> dict[str, Any] | None:
    """The row the next step uncovers (the organiser sees it before the room does)."""
    if not state.frozen or state.snapshot is None:
        return None
    rows = state.snapshot["rows"]
    index = len(rows) - state.revealed - 1
    if index < 0:
        return None
    row = rows[index]
    return {
        "position": index + 1,
        "rank": row["rank"],
        "village": row["village"],
        "name": row["name"],
        "total": row["total"],
    }


def public_view(live: dict[str, Any], state: RevealState) -> dict[str, Any]:
    """What public screens show: live standings, or the frozen ones with hidden places removed."""
    if not state.frozen or state.snapshot is None:
        return {**live, "reveal": None}
    frozen = {k: v for k, v in state.snapshot.items() if k != "villages"}
    rows = frozen["rows"]
    hidden = len(rows) - state.revealed
    return {
        **frozen,
        "rows": rows[hidden:],
        "reveal": {
            "frozen": True,
            "revealed": state.revealed,
            "count": len(rows),
            "hidden": hidden,
        },
    }


async def load_state(round_id: int) -> RevealState:
    """The round's reveal state (live when never frozen)."""
    row = await Reveal.get_or_none(round_id=round_id)
    if row is None:
        return RevealState()
    return RevealState(row.frozen, row.snapshot, row.revealed)


class RevealService:
    """Freeze, step and release a round's public screens; audited, one transaction each."""

    async def freeze(
        self,
        round_id: int,
        live: dict[str, Any],
        actor: str,
        villages: dict[str, Any] | None = None,
    ) -> RevealState:
        """Freeze the public screens on these live standings, every place hidden.

        `villages` holds each village's page as it stands now (by code): what a village sees of
        itself once its place is announced, until the release.
        """
        if not live["rows"]:
            raise UserError(409, "reveal_empty", "本轮没有参评村，无法冻结大屏")

        async def change(conn: BaseDBAsyncClient, row: Reveal) -> dict[str, Any]:
            row.frozen, row.snapshot, row.revealed = True, {**live, "villages": villages or {}}, 0
            return {
                "rows": len(live["rows"]),
                "revision": live["revision"],
                "rows_sha256": audit.digest_of(live["rows"]),
            }

        return await self._apply(round_id, "reveal.freeze", actor, change)

    async def step(self, round_id: int, actor: str) -> RevealState:
        """Uncover the next place, from the last one up to the first."""

        async def change(conn: BaseDBAsyncClient, row: Reveal) -> dict[str, Any]:
            state = RevealState(row.frozen, row.snapshot, row.revealed)
            upcoming = _next_row(state)
            if not row.frozen:
                raise UserError(409, "reveal_not_frozen", "大屏未冻结，请先冻结再逐名揭晓")
            if upcoming is None:
                raise UserError(409, "reveal_done", "名次已全部揭晓")
            row.revealed += 1
            return {"revealed": row.revealed, **upcoming}

        return await self._apply(round_id, "reveal.step", actor, change)

    async def release(self, round_id: int, actor: str) -> RevealState:
        """Unfreeze: public screens show the live standings again."""

        async def change(conn: BaseDBAsyncClient, row: Reveal) -> dict[str, Any]:
            if not row.frozen:
                raise UserError(409, "reveal_not_frozen", "大屏未冻结")
            revealed = row.revealed
            row.frozen, row.snapshot, row.revealed = False, None, 0
            return {"revealed": revealed}

        return await self._apply(round_id, "reveal.release", actor, change)

    async def _apply(self, round_id: int, action: str, actor: str, change: Any) -> RevealState:
        async with in_transaction() as conn:
            row = await Reveal.select_for_update().using_db(conn).get_or_none(round_id=round_id)
            if row is None:
                row = await Reveal.create(round_id=round_id, using_db=conn)
            payload = await change(conn, row)
            digest = await audit.append(conn, actor, action, f"round:{round_id}", payload)
            if row.snapshot is not None:
                # Frozen screens show the hash of the latest reveal step, not a moving one.
                row.snapshot = {**row.snapshot, "audit_hash": digest}
            await row.save(using_db=conn)
        return RevealState(row.frozen, row.snapshot, row.revealed)


def hides(state: RevealState, code: str) -> bool:
    """True while the round is frozen and this village's place is not yet announced."""
    if not state.frozen or state.snapshot is None:
        return False
    rows = state.snapshot["rows"]
    position = next((i for i, row in enumerate(rows) if row["village"] == code), None)
    return position is not None and position < len(rows) - state.revealed


def frozen_village(state: RevealState, code: str) -> dict[str, Any]:
    """A village's own page during the freeze: as it stood at the freeze once its place is
    announced; before that, who and which round only, no figure that would give its place."""
    snapshot = state.snapshot or {}
    stored = snapshot.get("villages", {}).get(code)
    if stored is not None and not hides(state, code):
        return dict(stored)
    breakdown = (stored or {}).get("breakdown", {})
    return {
        "breakdown": {
            "round": breakdown.get("round", snapshot.get("round")),
            "village": breakdown.get("village", {"code": code}),
            "withheld": True,
            "rank_hidden": True,
            "rank": None,
            "total": None,
            "audit_hash": snapshot.get("audit_hash"),
        },
        "profile": [],
        "trend": [],
    }
