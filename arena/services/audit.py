"""The hash-chained audit log: append in the writer's transaction, verify the whole chain."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.exceptions import IntegrityError

from arena.db import plain_rows
from arena.models import AuditEvent, AuditHead

GENESIS = "0" * 64


def canonical(entry: dict[str, Any]) -> str:
    """The canonical JSON an entry's hash is computed over."""
    return json.dumps(entry, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def digest_of(value: Any) -> str:
    """SHA-256 of a value's canonical JSON (definitions and stored rows the chain vouches for)."""
    return hashlib.sha256(canonical(value).encode()).hexdigest()


def entry_hash(
    event_id: int, at: str, actor: str, action: str, subject: str, payload: Any, prev_hash: str
) -> str:
    """SHA-256 over the canonical JSON of the entry, which includes the previous entry's hash."""
    body = {
        "id": event_id,
        "at": at,
        "actor": actor,
        "action": action,
        "subject": subject,
        "payload": payload,
        "prev": prev_hash,
    }
    return hashlib.sha256(canonical(body).encode()).hexdigest()


async def ensure_head() -> None:
    """Create the chain's head row on a new database."""
    if await AuditHead.exists(id=1):
        return
    try:
        await AuditHead.create(id=1, last_id=0, last_hash=GENESIS)
    except IntegrityError:
        pass  # another process created it first


async def append(
    conn: BaseDBAsyncClient, actor: str, action: str, subject: str, payload: dict[str, Any]
) -> str:
    """Append an event inside the caller's transaction; returns its hash."""
    # The head row serialises appends: locked FOR UPDATE on PostgreSQL, SQLite's writer lock.
    ((last_id, last_hash),) = await plain_rows(
        AuditHead, "SELECT last_id, last_hash FROM {table} WHERE id = {0}{lock}", 1, conn=conn
    )
    at = dt.datetime.now(dt.UTC).isoformat(timespec="microseconds")
    event_id = int(last_id) + 1
    digest = entry_hash(event_id, at, actor, action, subject, payload, last_hash)
    await AuditEvent.create(
        id=event_id,
        at=at,
        actor=actor,
        action=action,
        subject=subject,
        payload=payload,
        prev_hash=last_hash,
        entry_hash=digest,
        using_db=conn,
    )
    await plain_rows(
        AuditHead,
        "UPDATE {table} SET last_id = {0}, last_hash = {1} WHERE id = {2} RETURNING id",
        event_id, digest, 1, conn=conn,
    )  # fmt: skip
    return digest


async def latest_hash() -> str:
    """The hash of the newest event (shown on screens and printed notices)."""
    rows = await plain_rows(AuditHead, "SELECT last_hash FROM {table} WHERE id = {0}", 1)
    return str(rows[0][0]) if rows else GENESIS


@dataclass(frozen=True)
class Verdict:
    """The result of checking the chain."""

    ok: bool
    events: int
    latest: str
    broken_at: int | None = None
    reason: str = ""


async def verify(
    batch: int = 2000,
    conn: BaseDBAsyncClient | None = None,
    visit: Callable[[AuditEvent], None] | None = None,
) -> Verdict:
    """Recompute every link in order; name the first broken one.

    `visit` sees every event whose link holds, in order (the state checks replay them); give
    `conn` to read inside a transaction.
    """
    prev = GENESIS
    count = 0
    last_id = 0
    while True:
        query = AuditEvent.filter(id__gt=last_id).order_by("id").limit(batch)
        rows = await (query.using_db(conn) if conn is not None else query)
        if not rows:
            break
        for ev in rows:
            count += 1
            if ev.id != last_id + 1:
                return Verdict(False, count, prev, last_id + 1, f"第 {last_id + 1} 条记录缺失")
            if ev.prev_hash != prev:
                return Verdict(
                    False, count, prev, ev.id, "前一条记录的哈希不符（记录被删改或插入）"
                )
            digest = entry_hash(
                ev.id, ev.at, ev.actor, ev.action, ev.subject, ev.payload, ev.prev_hash
            )
            if digest != ev.entry_hash:
                return Verdict(False, count, prev, ev.id, "记录内容与其哈希不符（记录被改动）")
            prev = ev.entry_hash
            last_id = ev.id
            if visit is not None:
                visit(ev)
    head_query = AuditHead.filter(id=1)
    head = await (head_query.using_db(conn) if conn is not None else head_query).first()
    if head and (head.last_id != last_id or head.last_hash != prev):
        return Verdict(False, count, prev, last_id + 1, "链尾记录缺失（最新记录被删除）")
    return Verdict(True, count, prev)
