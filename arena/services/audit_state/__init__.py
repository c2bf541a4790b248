"""The audit covers the state: replay the chain and check every score-bearing row against it.

`verify_all()` checks the hash chain, then replays its events into the registered checkers (one
per table or event family, in `base.CHECKERS`) and compares what they expect with the stored
rows, all in one read snapshot. A row changed, added, deleted or re-flagged outside Arena is
named by table, id and what differs. With `head`, it also answers whether a head hash that was
published (on a screen, a notice, a workbook) is still an entry of the chain, so a cut-off tail
with a rewritten head shows.

A new score-changing event plugs in by a checker: subclass `Checker`, list its `actions`,
decorate it with `@register`, and import its module below.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.transactions import in_transaction

from arena.models import AuditEvent
from arena.services.audit import GENESIS, Verdict, verify
from arena.services.audit_state import (  # noqa: F401
    boards,
    contests,
    draws,
    rounds,
    scores,
    surveys,
)
from arena.services.audit_state.base import CHECKERS, Checker, Difference, Event, register

__all__ = ["CHECKERS", "Checker", "Difference", "Event", "Report", "register", "verify_all"]


@dataclass(frozen=True)
class Report:
    """The chain's verdict, every stored row that differs from it, and a published head's fate."""

    chain: Verdict
    differences: list[Difference] = field(default_factory=list)
    head: str | None = None
    head_event: int | None = None  # the entry whose hash the published head is, if any

    @property
    def head_found(self) -> bool | None:
        """None without a head to check; else whether it is still in the chain."""
        if self.head is None:
            return None
        return GENESIS.startswith(self.head) or self.head_event is not None

    @property
    def ok(self) -> bool:
        """The chain is whole, the state matches it, and the published head is in it."""
        return self.chain.ok and not self.differences and self.head_found is not False

    def reason(self) -> str:
        """One line for a refusal: the first thing wrong."""
        if not self.chain.ok:
            return f"审计链在第 {self.chain.broken_at} 条断开：{self.chain.reason}"
        if self.differences:
            more = f"等共 {len(self.differences)} 处" if len(self.differences) > 1 else ""
            return f"数据与审计链不符：{self.differences[0]}{more}"
        if self.head_found is False:
            return f"公布过的哈希 {self.head} 不在审计链中（记录被截断或改写）"
        return ""


async def verify_all(head: str | None = None) -> Report:
    """Check the chain and every stored row against it, in one read snapshot."""
    async with in_transaction() as conn:
        await _snapshot(conn)
        checkers = [make() for make in CHECKERS]
        by_action: dict[str, list[Checker]] = {}
        for checker in checkers:
            for action in checker.actions:
                by_action.setdefault(action, []).append(checker)
        found: list[int] = []

        def visit(ev: AuditEvent) -> None:
            # A screen's footer shows the first 12 characters: a prefix names the entry too.
            if head is not None and ev.entry_hash.startswith(head):
                found.append(ev.id)
            targets = by_action.get(ev.action)
            if targets:
                event = Event(ev.id, ev.actor, ev.action, ev.subject, ev.payload)
                for checker in targets:
                    checker.replay(event)

        chain = await verify(conn=conn, visit=visit)
        differences: list[Difference] = []
        if chain.ok:  # a broken chain cannot vouch for any state
            for checker in checkers:
                differences += await checker.compare(conn)
    return Report(chain, differences, head, found[0] if found else None)


async def _snapshot(conn: BaseDBAsyncClient) -> None:
    """PostgreSQL: every read of this transaction sees one snapshot (SQLite's WAL reads do)."""
    if conn.capabilities.dialect == "postgres":
        await conn.execute_script("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")


async def require_verified(what: str, subject: str) -> None:
    """Refuse (409, with the reason) unless the chain is whole and every row of `subject`
    ("round:3") matches it. Rows of other rounds, boards and contests do not block it."""
    from arena.errors import UserError

    report = await verify_all()
    mine = [d for d in report.differences if d.subject == subject]
    scoped = Report(report.chain, mine, report.head, report.head_event)
    if not scoped.ok:
        raise UserError(409, "audit_mismatch", f"不能{what}：{scoped.reason()}", None)
