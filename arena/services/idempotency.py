"""Idempotency keys: the same key and body return the first answer; another body is a 409."""

from __future__ import annotations

import hashlib
from typing import Any

from tortoise.backends.base.client import BaseDBAsyncClient

from arena.auth import Principal
from arena.errors import UserError
from arena.models import IdempotencyRecord
from arena.services.audit import canonical


def request_hash(body: dict[str, Any]) -> str:
    """A digest of the request body in canonical form."""
    return hashlib.sha256(canonical(_plain(body)).encode()).hexdigest()


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, (int, str, bool)) or value is None:
        return value
    return str(value)  # Decimal: its exact text


async def replay(principal: Principal, key: str, digest: str) -> tuple[int, Any] | None:
    """The stored answer for this key (200), None if the key is new, 409 if the body differs."""
    record = await IdempotencyRecord.get_or_none(token_id=principal.token_id, key=key)
    if record is None:
        return None
    if record.request_hash != digest:
        raise UserError(
            409,
            "idempotency_conflict",
            "该幂等键已用于另一份不同的提交，请换一个新键",
            "idempotency_key",
        )
    return 200, record.response


async def remember(
    conn: BaseDBAsyncClient, principal: Principal, key: str, digest: str, status: int, response: Any
) -> None:
    """Store the first answer in the writer's transaction."""
    await IdempotencyRecord.create(
        token_id=principal.token_id,
        key=key,
        request_hash=digest,
        status=status,
        response=response,
        using_db=conn,
    )
