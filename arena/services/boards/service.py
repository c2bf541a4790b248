"""Index boards: define, import values (all or nothing), compute cached per board revision."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from arena.boards import Board, Village
from arena.boards.stored import restore
from arena.errors import UserError, not_found
from arena.models import Board as BoardRow
from arena.models import BoardFlag, BoardImport, BoardValueBlock, BoardVillage
from arena.scoring.flags import FlagAward
from arena.scoring.index import BoardDelta, BoardResult, board_delta, compute_board

StrArray = npt.NDArray[np.str_]


@dataclass(frozen=True, eq=False)
class BoardMeta:
    """What never changes after a board is defined: the definition and its villages."""

    id: int
    board: Board
    scope_key: tuple[str, str, str]  # level, scope name, period kind
    codes: StrArray  # village codes in definition order
    names: StrArray
    townships: StrArray
    village_ids: dict[str, int]  # code -> BoardVillage id


@dataclass(frozen=True, eq=False)
class Computed:
    """A board at one revision: its result (None before any import), delta and village columns."""

    meta: BoardMeta
    revision: int
    result: BoardResult | None
    delta: BoardDelta | None
    previous_id: int | None
    at: npt.NDArray[np.intp]  # result position -> definition position
    awards: tuple[FlagAward, ...]
    stamp: tuple[int, int | None, int | None]  # revision, previous board, its revision

    def required(self) -> BoardResult:
        """The result, or a 409 if no values were imported yet."""
        if self.result is None:
            raise UserError(409, "no_values", "该指数榜尚未导入数值", "values")
        return self.result

    @property
    def townships(self) -> StrArray:
        """Townships aligned with the result's villages."""
        return self.meta.townships[self.at]

    @property
    def names(self) -> StrArray:
        """Village names aligned with the result's villages."""
        return self.meta.names[self.at]


def align(meta_codes: StrArray, codes: StrArray) -> npt.NDArray[np.intp]:
    """Positions in ``meta_codes`` of each of ``codes`` (all present)."""
    order = np.argsort(meta_codes, kind="stable")
    return order[np.searchsorted(meta_codes[order], codes)]


class BoardService:
    """Defines boards, imports their values and computes them (cached per board and revision)."""

    def __init__(self) -> None:
        self._meta: dict[int, BoardMeta] = {}
        self._results: dict[int, tuple[int, BoardResult | None, tuple[FlagAward, ...]]] = {}
        self._computed: dict[tuple[int, bool], Computed] = {}

    @staticmethod
    def summary_of(row: BoardRow) -> dict[str, Any]:
        """A board as lists name it."""
        return {
            "id": row.id,
            "name": row.name,
            "scope": {"level": row.scope_level, "name": row.scope_name},
            "period": {"kind": row.period_kind, "label": row.period_label},
            "revision": row.revision,
            "archived": row.archived,
        }

    async def all_boards(self, *, archived: bool = False) -> list[dict[str, Any]]:
        """Every board in use (or every archived one), newest period first."""
        rows = await BoardRow.filter(archived=archived).order_by(
            "scope_name", "-period_label", "id"
        )
        return [self.summary_of(r) for r in rows]

    def forget(self, board_id: int) -> None:
        """Drop what is cached of a deleted board."""
        self._meta.pop(board_id, None)
        self._results.pop(board_id, None)
        for key in [k for k in self._computed if k[0] == board_id]:
            del self._computed[key]

    async def meta(self, board_id: int) -> BoardMeta:
        """The board's definition and villages (cached), or a 404."""
        cached = self._meta.get(board_id)
        if cached is not None:
            return cached
        row = await BoardRow.get_or_none(id=board_id)
        if row is None:
            raise not_found("该指数榜")
        rows = (
            await BoardVillage.filter(board_id=board_id)
            .order_by("position")
            .values_list("id", "code", "name", "township", "county", "cadres")
        )
        villages = [Village(c, n, t, county, cadres) for _, c, n, t, county, cadres in rows]
        meta = BoardMeta(
            id=board_id,
            board=restore(row.definition, villages),
            scope_key=(row.scope_level, row.scope_name, row.period_kind),
            codes=np.array([v.code for v in villages], dtype=np.str_),
            names=np.array([v.name for v in villages], dtype=np.str_),
            townships=np.array([v.township for v in villages], dtype=np.str_),
            village_ids={r[1]: r[0] for r in rows},
        )
        self._meta[board_id] = meta
        return meta

    async def previous_id(self, meta: BoardMeta) -> int | None:
        """The board of the same scope for the period before, if any."""
        level, name, kind = meta.scope_key
        label = meta.board.period.previous().label
        found: list[Any] = await BoardRow.filter(
            scope_level=level, scope_name=name, period_kind=kind, period_label=label
        ).values_list("id", flat=True)
        return int(found[0]) if found else None

    async def series(self, meta: BoardMeta) -> list[tuple[int, str]]:
        """Every board of the same scope and period kind: (id, period label), oldest first."""
        level, name, kind = meta.scope_key
        rows = await BoardRow.filter(scope_level=level, scope_name=name, period_kind=kind)
        return sorted(((r.id, r.period_label) for r in rows), key=lambda r: r[1])

    async def computed(self, board_id: int, *, with_delta: bool = True) -> Computed:
        """The board computed at its current revision, with the change since the previous period."""
        meta = await self.meta(board_id)
        revision, result, awards = await self._result(meta)
        previous_id = await self.previous_id(meta) if with_delta else None
        previous = await self._result(await self.meta(previous_id)) if previous_id else None
        stamp = (revision, previous_id, previous[0] if previous else None)
        cached = self._computed.get((board_id, with_delta))
        if cached is not None and cached.stamp == stamp:
            return cached
        delta = None
        if result is not None and previous is not None and previous[1] is not None:
            delta = board_delta(result, previous[1])
        at = align(meta.codes, result.village_codes) if result is not None else np.zeros(0, int)
        done = Computed(meta, revision, result, delta, previous_id, at, awards, stamp)
        self._computed[(board_id, with_delta)] = done
        return done

    async def _result(
        self, meta: BoardMeta
    ) -> tuple[int, BoardResult | None, tuple[FlagAward, ...]]:
        found: list[Any] = await BoardRow.filter(id=meta.id).values_list("revision", flat=True)
        revision = int(found[0])
        cached = self._results.get(meta.id)
        if cached is not None and cached[0] == revision:
            return cached
        result = await self._load_result(meta, revision)
        flags = await BoardFlag.filter(board_id=meta.id, revision=revision).order_by("position")
        awards = tuple(
            FlagAward(f.scope, f.category, f.recipient, f.indicator, f.basis)  # type: ignore[arg-type]
            for f in flags
        )
        self._results[meta.id] = (revision, result, awards)
        return revision, result, awards

    async def _load_result(self, meta: BoardMeta, revision: int) -> BoardResult | None:
        imported = await BoardImport.get_or_none(board_id=meta.id, revision=revision)
        if imported is None:
            return None
        blocks = await BoardValueBlock.filter(board_import_id=imported.id).order_by("seq")
        codes = [code for b in blocks for code in b.codes.split("\n")]
        m = len(meta.board.indicators)
        values = np.concatenate([np.frombuffer(b.values, dtype=np.float64) for b in blocks])
        matrix = values.reshape(len(codes), m)
        return await asyncio.to_thread(compute_board, codes, matrix, meta.board.indicators)

    async def latest_for(self, name: str, township: str) -> tuple[int, str] | None:
        """The latest imported board with a village of this name and township: (board, code)."""
        rows: list[Any] = await BoardVillage.filter(
            name=name, township=township, board__revision__gt=0, board__archived=False
        ).values_list("board_id", "code", "board__period_label")
        if not rows:
            return None
        board_id, code, _ = max(rows, key=lambda r: (r[2][:4], r[2], r[0]))
        return int(board_id), str(code)
