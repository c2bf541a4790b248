"""Writes to index boards: define a board, import its values; each in one transaction, audited."""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from arena.boards.definition import DefinitionError, parse_board
from arena.boards.ingest import CellError, ImportRejected, ParsedValues, parse_values
from arena.boards.stored import definition_json
from arena.errors import Problem, UserError, invalid_all
from arena.models import Board as BoardRow
from arena.models import BoardFlag, BoardImport, BoardIndicator, BoardValueBlock, BoardVillage
from arena.scoring.flags import award_flags
from arena.scoring.index import compute_board
from arena.services import audit
from arena.services.audit_state.boards import board_digest, flags_digest, values_digest
from arena.services.boards.service import BoardService, align

BLOCK_ROWS = 50_000  # villages per stored values block
INSERT_BATCH = 20_000  # villages per executemany when a board is defined


@dataclass(eq=False)
class ImportRefused(UserError):
    """An import refused with every bad cell listed by row and column."""

    cells: tuple[CellError, ...] = ()
    total: int = 0

    def body(self) -> dict[str, Any]:
        """The error body with the cells: {"row", "column", "message"}."""
        body = super().body()
        body["error"]["total"] = self.total
        body["error"]["cells"] = [
            {"row": c.row, "column": c.column, "message": c.message} for c in self.cells
        ]
        return body


def _problems(exc: DefinitionError) -> UserError:
    return invalid_all([Problem(p.path or "definition", p.message) for p in exc.problems])


VILLAGE_COLUMNS = ("board_id", "position", "code", "name", "township", "county", "cadres")


async def insert_villages(conn: BaseDBAsyncClient, board_id: int, villages: Sequence[Any]) -> None:
    """Insert a board's villages in batches with one prepared statement (500,000 in seconds)."""
    if conn.capabilities.dialect == "postgres":
        marks = ", ".join(f"${n}" for n in range(1, len(VILLAGE_COLUMNS) + 1))
    else:
        marks = ", ".join("?" for _ in VILLAGE_COLUMNS)
    table = BoardVillage._meta.db_table
    sql = f'INSERT INTO "{table}" ({", ".join(VILLAGE_COLUMNS)}) VALUES ({marks})'
    for start in range(0, len(villages), INSERT_BATCH):
        chunk = villages[start : start + INSERT_BATCH]
        await conn.execute_many(sql, [
            [board_id, start + k, v.code, v.name, v.township, v.county, v.cadres]
            for k, v in enumerate(chunk)
        ])  # fmt: skip


async def define_board(data: Mapping[str, Any], actor: str) -> dict[str, Any]:
    """Store a new board from its definition; 422 listing every fault, 409 if it exists."""
    try:
        board = parse_board(data)
    except DefinitionError as exc:
        raise _problems(exc) from None
    scope, period = board.scope, board.period
    key: dict[str, Any] = dict(
        scope_level=scope.level, scope_name=scope.name, period_kind=period.kind
    )
    exists = UserError(
        409, "board_exists", f"{scope.name}{period.label}期的指数榜已存在", "period.label"
    )
    if await BoardRow.exists(**key, period_label=period.label):
        raise exists
    definition = definition_json(board)
    try:
        async with in_transaction() as conn:
            row = await BoardRow.create(
                name=board.name,
                **key,
                period_label=period.label,
                definition=definition,
                using_db=conn,
            )
            await BoardIndicator.bulk_create(
                [
                    BoardIndicator(
                        board_id=row.id,
                        position=j,
                        code=ind.code,
                        name=ind.name,
                        unit=ind.unit,
                        direction=ind.direction,
                        weight=ind.weight,
                        normalisation=ind.normalisation,
                    )
                    for j, ind in enumerate(board.indicators)
                ],
                using_db=conn,
            )
            await insert_villages(conn, row.id, board.villages)
            payload = {
                "board": row.id,
                "name": board.name,
                "villages": len(board.villages),
                "indicators": [ind.code for ind in board.indicators],
                "definition_sha256": board_digest(
                    definition,
                    ((v.code, v.name, v.township, v.county, v.cadres) for v in board.villages),
                ),
            }
            digest = await audit.append(conn, actor, "board.define", f"board:{row.id}", payload)
    except IntegrityError:  # defined at the same moment by another request
        raise exists from None
    return {**BoardService.summary_of(row), "villages": len(board.villages), "audit_hash": digest}


async def import_values(
    boards: BoardService, board_id: int, filename: str, content: bytes, actor: str
) -> dict[str, Any]:
    """Check and store a values file, award the flags; 422 listing every bad cell."""
    meta = await boards.meta(board_id)
    board = meta.board
    try:
        parsed: ParsedValues = await asyncio.to_thread(parse_values, filename, content, board)
    except ImportRejected as exc:
        raise ImportRefused(
            422,
            "import_rejected",
            f"导入被拒绝：共 {exc.total} 处错误，未导入任何数据",
            "file",
            cells=tuple(exc.errors),
            total=exc.total,
        ) from None
    result = await asyncio.to_thread(
        compute_board, parsed.village_codes, parsed.values, board.indicators
    )
    townships = meta.townships[align(meta.codes, result.village_codes)]
    awards = award_flags(result, townships.tolist(), board.flag_rules)
    sha = hashlib.sha256(content).hexdigest()
    n = len(parsed.village_codes)
    async with in_transaction() as conn:
        row = await BoardRow.select_for_update().using_db(conn).get(id=board_id)
        revision = row.revision + 1
        # earlier imports stay as history; only their values go (a national board is ~120 MB)
        await BoardValueBlock.filter(board_import__board_id=board_id).using_db(conn).delete()
        imported = await BoardImport.create(
            board_id=board_id,
            revision=revision,
            filename=filename[:200],
            sha256=sha,
            rows=n,
            actor=actor,
            using_db=conn,
        )
        stored: list[tuple[str, bytes]] = []
        for seq, start in enumerate(range(0, n, BLOCK_ROWS)):
            block = np.ascontiguousarray(parsed.values[start : start + BLOCK_ROWS])
            stored.append(
                ("\n".join(parsed.village_codes[start : start + BLOCK_ROWS]),
                 block.astype("<f8").tobytes())
            )  # fmt: skip
            await BoardValueBlock.create(
                board_import_id=imported.id,
                seq=seq,
                codes=stored[-1][0],
                values=stored[-1][1],
                using_db=conn,
            )
        await BoardFlag.filter(board_id=board_id).using_db(conn).delete()
        await BoardFlag.bulk_create(
            [
                BoardFlag(
                    board_id=board_id,
                    revision=revision,
                    position=k,
                    scope=a.scope,
                    category=a.category,
                    recipient=a.recipient,
                    indicator=a.indicator,
                    basis=a.basis,
                )
                for k, a in enumerate(awards)
            ],
            using_db=conn,
        )
        await BoardRow.filter(id=board_id).using_db(conn).update(revision=revision)
        payload = {
            "board": board_id,
            "revision": revision,
            "filename": filename[:200],
            "sha256": sha,
            "villages": n,
            "flags": len(awards),
            "values_sha256": values_digest(stored),
            "flags_sha256": flags_digest(
                (a.scope, a.category, a.recipient, a.indicator, a.basis) for a in awards
            ),
        }
        digest = await audit.append(conn, actor, "board.import", f"board:{board_id}", payload)
    return {
        "board": board_id,
        "revision": revision,
        "villages": n,
        "flags": len(awards),
        "sha256": sha,
        "audit_hash": digest,
    }
