"""Setting boards up and putting them away: whether one exists, delete (no values), archive."""

from __future__ import annotations

from typing import Any

from tortoise.transactions import in_transaction

from arena.errors import UserError, invalid, not_found
from arena.models import Board as BoardRow
from arena.models import BoardImport
from arena.services import audit
from arena.services.boards.service import BoardService
from arena.services.putaway import set_archived


async def existing(data: dict[str, Any]) -> UserError | None:
    """The 409 a definition would meet because its scope and period already have a board."""
    scope, period = data.get("scope"), data.get("period")
    if not isinstance(scope, dict) or not isinstance(period, dict):
        return None
    key = {
        "scope_level": scope.get("level"),
        "scope_name": scope.get("name"),
        "period_kind": period.get("kind"),
        "period_label": period.get("label"),
    }
    if not all(isinstance(v, str) and v for v in key.values()):
        return None
    key = {k: str(v).strip() for k, v in key.items()}
    row = await BoardRow.filter(**key).first()
    if row is None:
        return None
    where = "（已归档）" if row.archived else ""
    message = f"{key['scope_name']}{key['period_label']}期的指数榜已存在{where}：{row.name}"
    return UserError(409, "board_exists", message, "period.label")


def _confirmed(row: BoardRow, confirm: Any) -> None:
    if not isinstance(confirm, str) or confirm.strip() != row.name:
        raise invalid("confirm", f"请确认要删除的指数榜名称：{row.name}", "not_confirmed")


async def delete_board(boards: BoardService, board_id: int, confirm: Any, actor: str) -> None:
    """Delete a board that has no imported values (a mistake); 409 once values are in."""
    async with in_transaction() as conn:
        row = await BoardRow.select_for_update().using_db(conn).get_or_none(id=board_id)
        if row is None:
            raise not_found("该指数榜")
        _confirmed(row, confirm)
        if row.revision or await BoardImport.filter(board_id=board_id).using_db(conn).exists():
            raise UserError(409, "has_values", "该指数榜已导入数值，不能删除，只能归档", "board")
        payload = {
            "board": board_id,
            "name": row.name,
            "scope": row.scope_name,
            "period": row.period_label,
        }
        await row.delete(using_db=conn)
        await audit.append(conn, actor, "board.delete", f"board:{board_id}", payload)
    boards.forget(board_id)


async def archive_board(board_id: int, archived: bool, actor: str) -> dict[str, Any]:
    """Archive a board (hidden from lists, kept whole) or bring it back; audited."""
    return await set_archived(BoardRow, "board", "该指数榜", board_id, archived, actor)
