"""State checks of index boards: definition, villages, imports, values and flags, follow-ups."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import Any

from tortoise.backends.base.client import BaseDBAsyncClient

from arena.models import (
    Board,
    BoardFlag,
    BoardImport,
    BoardIndicator,
    BoardValueBlock,
    BoardVillage,
    FollowUp,
)
from arena.services.audit import digest_of
from arena.services.audit_state.base import Checker, Difference, Event, Row, register, rows_of, show

FOLLOW_UP_FIELDS = ("leader", "measures", "status", "started_on", "due_on", "updated_by")
NEW_FOLLOW_UP = {"leader": "", "measures": "", "status": "待跟进", "started_on": None,
                 "due_on": None, "updated_by": ""}  # fmt: skip


def board_digest(definition: Any, villages: Iterable[Iterable[Any]]) -> str:
    """SHA-256 of a board's definition and its villages (code, name, township, county, cadres)."""
    return digest_of({"definition": definition, "villages": [list(v) for v in villages]})


def values_digest(blocks: Iterable[tuple[str, bytes]]) -> str:
    """SHA-256 of an import's stored value blocks (codes and float64 values), in order."""
    h = hashlib.sha256()
    for codes, values in blocks:
        h.update(codes.encode())
        h.update(b"\0")
        h.update(bytes(values))
        h.update(b"\0")
    return h.hexdigest()


def flags_digest(flags: Iterable[Iterable[Any]]) -> str:
    """SHA-256 of awarded flags (scope, category, recipient, indicator, basis), in order."""
    return digest_of([list(f) for f in flags])


@register
class BoardChecker(Checker):
    """Boards: the definition and villages as defined; each import, its values and its flags."""

    actions = ("board.define", "board.import", "board.delete")

    def __init__(self) -> None:
        self.boards: dict[int, dict[str, Any]] = {}
        self.imports: dict[tuple[int, int], dict[str, Any]] = {}

    def replay(self, event: Event) -> None:
        board_id = event.subject_id
        if event.action == "board.delete":  # only a board without values can be deleted
            self.boards.pop(board_id, None)
            return
        if event.action == "board.define":
            self.boards[board_id] = {
                "digest": event.payload.get("definition_sha256"),
                "revision": 0,
            }
            return
        revision = int(event.payload["revision"])
        self.imports[(board_id, revision)] = {**event.payload, "actor": event.actor}
        if board_id in self.boards:
            self.boards[board_id]["revision"] = revision

    async def compare(self, conn: BaseDBAsyncClient) -> list[Difference]:
        out: list[Difference] = []
        rows = await rows_of(conn, Board, "id", "revision", "definition")
        for board_id, want in self.boards.items():
            row = rows.get(board_id)
            if row is None:
                out.append(Difference("board", str(board_id), "指数榜记录被删除"))
                continue
            if row.revision != want["revision"]:
                out.append(
                    Difference(
                        "board",
                        str(board_id),
                        f"revision 为 {row.revision}，审计链为 {want['revision']}",
                    )
                )
            if want["digest"] is not None:
                out += await self._definition(conn, row, want["digest"])
            out += await self._flags(conn, board_id, want["revision"])
        for board_id in rows.keys() - self.boards.keys():
            out.append(Difference("board", str(board_id), "审计链中没有定义该榜的记录（库外添加）"))
        out += await self._imports(conn)
        return out

    async def _definition(self, conn: BaseDBAsyncClient, row: Row, want: str) -> list[Difference]:
        villages = await (
            BoardVillage.filter(board_id=row.id)
            .using_db(conn)
            .order_by("position")
            .values_list("code", "name", "township", "county", "cadres")
        )
        out = []
        if board_digest(row.definition, villages) != want:
            out.append(Difference("board", str(row.id), "定义或村名单（含村干部人数）与审计链不符"))
        indicators = await (
            BoardIndicator.filter(board_id=row.id)
            .using_db(conn)
            .order_by("position")
            .values_list("code", "name", "unit", "direction", "weight", "normalisation")
        )
        defined = [
            (i["code"], i["name"], i["unit"], i["direction"], i["weight"], i["normalisation"])
            for i in row.definition.get("indicators", [])
        ]
        if [tuple(i) for i in indicators] != defined:
            out.append(Difference("board_indicator", f"board {row.id}", "指标与定义不符"))
        return out

    async def _flags(
        self, conn: BaseDBAsyncClient, board_id: int, revision: int
    ) -> list[Difference]:
        want = self.imports.get((board_id, revision))
        flags = await (
            BoardFlag.filter(board_id=board_id)
            .using_db(conn)
            .order_by("position")
            .values_list("revision", "scope", "category", "recipient", "indicator", "basis")
        )
        name = f"board {board_id}"
        if want is None:
            return [Difference("board_flag", name, "未导入数据却有红旗记录")] if flags else []
        out = []
        if len(flags) != int(want["flags"]) or any(f[0] != revision for f in flags):
            out.append(
                Difference("board_flag", name, f"{len(flags)} 面红旗，审计链为 {want['flags']} 面")
            )
        elif "flags_sha256" in want and flags_digest(f[1:] for f in flags) != want["flags_sha256"]:
            out.append(Difference("board_flag", name, "红旗名单与审计链不符"))
        return out

    async def _imports(self, conn: BaseDBAsyncClient) -> list[Difference]:
        out = []
        rows = (
            await BoardImport.all()
            .using_db(conn)
            .values_list("id", "board_id", "revision", "filename", "sha256", "rows", "actor")
        )
        seen = set()
        for iid, board_id, revision, filename, sha, count, actor in rows:
            key = (board_id, revision)
            seen.add(key)
            want = self.imports.get(key)
            name = str(iid)
            if want is None:
                out.append(Difference("board_import", name, "审计链中没有这次导入（库外添加）"))
                continue
            for field, have, expect in (
                ("filename", filename, want["filename"]),
                ("sha256", sha, want["sha256"]),
                ("rows", count, int(want["villages"])),
                ("actor", actor, want["actor"]),
            ):
                if have != expect:
                    out.append(
                        Difference(
                            "board_import",
                            name,
                            f"{field} 为 {show(have)}，审计链为 {show(expect)}",
                        )
                    )
            if "values_sha256" in want:
                blocks = await (
                    BoardValueBlock.filter(board_import_id=iid)
                    .using_db(conn)
                    .order_by("seq")
                    .values_list("codes", "values")
                )
                latest = self.boards.get(board_id, {}).get("revision") == revision
                if (blocks or latest) and values_digest(blocks) != want["values_sha256"]:
                    out.append(
                        Difference(
                            "board_value_block", f"import {iid}", "导入的指标数值与审计链不符"
                        )
                    )
        for board_id, revision in sorted(self.imports.keys() - seen):
            out.append(
                Difference(
                    "board_import", f"board {board_id} revision {revision}", "导入记录被删除"
                )
            )
        return out


@register
class FollowUpChecker(Checker):
    """Follow-ups of the bottom 20%: every change as audited, replayed from an empty record."""

    actions = ("board.follow_up",)

    def __init__(self) -> None:
        self.records: dict[tuple[int, str], dict[str, Any]] = {}

    def replay(self, event: Event) -> None:
        key = (event.subject_id, event.payload["village"])
        record = self.records.setdefault(key, dict(NEW_FOLLOW_UP))
        for field, value in event.payload.get("changes", {}).items():
            if field in record:
                record[field] = value

    async def compare(self, conn: BaseDBAsyncClient) -> list[Difference]:
        out = []
        rows = (
            await FollowUp.all()
            .using_db(conn)
            .values_list("id", "village__board_id", "village__code", *FOLLOW_UP_FIELDS)
        )
        seen = set()
        for fid, board_id, village, *values in rows:
            key = (board_id, village)
            seen.add(key)
            want = self.records.get(key)
            name = f"{fid}（board {board_id} {village}）"
            if want is None:
                out.append(Difference("follow_up", name, "审计链中没有这条跟进记录（库外添加）"))
                continue
            for field, have in zip(FOLLOW_UP_FIELDS, values, strict=True):
                if hasattr(have, "isoformat"):
                    have = have.isoformat()
                if have != want[field]:
                    out.append(
                        Difference(
                            "follow_up",
                            name,
                            f"{field} 为 {show(have)}，审计链为 {show(want[field])}",
                        )
                    )
        for board_id, village in sorted(self.records.keys() - seen):
            out.append(Difference("follow_up", f"board {board_id} {village}", "跟进记录被删除"))
        return out
