"""One idempotent, audited write: replay or store, in one transaction with its audit event."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from arena.auth import Principal
from arena.services import audit, idempotency

Answer = tuple[dict[str, Any], dict[str, Any]]  # (the API answer, the audit payload)
Apply = Callable[[BaseDBAsyncClient], Awaitable[Answer]]
Lock = Callable[[BaseDBAsyncClient], Awaitable[None]]


async def audited_write(
    principal: Principal,
    data: dict[str, Any],
    key: str | None,
    action: str,
    subject: str,
    lock: Lock,
    apply: Apply,
) -> tuple[int, dict[str, Any]]:
    """Run `lock` then `apply` in one transaction with the audit event and the idempotency record.

    The same key and body return the first answer (200) and store nothing; the same key with
    another body is a 409. `lock` takes the row that serialises writes to the subject and refuses
    (raising UserError) when the subject no longer accepts them.
    """
    digest = idempotency.request_hash(data)
    if key is not None:
        replayed = await idempotency.replay(principal, key, digest)
        if replayed is not None:
            return replayed
    try:
        async with in_transaction() as conn:
            await lock(conn)
            answer, payload = await apply(conn)
            answer["audit_hash"] = await audit.append(
                conn, principal.actor, action, subject, payload
            )
            if key is not None:
                await idempotency.remember(conn, principal, key, digest, 201, answer)
    except IntegrityError:
        # The same key raced in from a retry: the first one won, answer as it did.
        if key is not None and (replayed := await idempotency.replay(principal, key, digest)):
            return replayed
        raise
    return 201, answer
