"""Putting a definition away: archive (hidden from lists, kept whole) or restore, audited."""

from __future__ import annotations

from typing import Any

from tortoise.models import Model
from tortoise.transactions import in_transaction

from arena.errors import not_found
from arena.services import audit


async def set_archived(
    model: type[Model], kind: str, noun: str, row_id: int, archived: bool, actor: str
) -> dict[str, Any]:
    """Archive the ``kind`` row (``board``, ``contest``) or bring it back; audited as
    ``kind.archive`` / ``kind.restore`` when the flag changes; 404 names it as ``noun``."""
    async with in_transaction() as conn:
        row: Any = await model.select_for_update().using_db(conn).get_or_none(id=row_id)
        if row is None:
            raise not_found(noun)
        if row.archived != archived:
            row.archived = archived
            await row.save(using_db=conn, update_fields=["archived"])
            action = f"{kind}.archive" if archived else f"{kind}.restore"
            payload = {kind: row_id, "name": row.name}
            await audit.append(conn, actor, action, f"{kind}:{row_id}", payload)
    return {"id": row_id, "archived": archived}
