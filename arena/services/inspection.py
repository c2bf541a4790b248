"""Verifiable draws of what a round inspects (随机抽取): commit, then draw once with the room.

Commit stores the list, how many, and sha256 of a secret (Arena's, shown to the organiser once,
or the organiser's own); the draw combines the secret with the public value announced in the
room (arena/scoring/inspection_draw.py). Both, and every refused attempt to draw again, are
appended to the audit chain. The newest village draw sets the tablets' route.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.transactions import in_transaction

from arena import body
from arena.auth import Principal
from arena.errors import Problem, UserError, forbidden, invalid_all, not_found
from arena.models import InspectionDraw, Round
from arena.scoring import inspection_draw as recipe
from arena.services import audit
from arena.services.rounds import RoundCatalogue, RoundMeta, VillageMeta
from arena.services.writes import audited_write

KINDS = {"villages": "抽查村", "order": "走访顺序", "items": "抽查清单"}
ROUTE_KINDS = ("villages", "order")
MAX_ITEMS = 2000


def _problem(problems: list[Problem], field: str, message: str) -> None:
    problems.append(Problem(field, message))


def _lines(raw: Any, problems: list[Problem]) -> list[str]:
    """The pasted list: one item a line (or a JSON list), trimmed, blank lines skipped."""
    if isinstance(raw, str):
        lines = [line.strip() for line in raw.splitlines()]
    elif isinstance(raw, list) and all(isinstance(x, str) for x in raw):
        lines = [x.strip() for x in raw]
    else:
        _problem(problems, "items", "请粘贴清单：每行一项")
        return []
    lines = [line for line in lines if line]
    if not lines:
        _problem(problems, "items", "清单为空：每行一项")
    elif len(lines) > MAX_ITEMS:
        _problem(problems, "items", f"清单最多 {MAX_ITEMS} 项")
    repeated = sorted({x for x in lines if lines.count(x) > 1})
    if repeated:
        _problem(problems, "items", f"清单中有重复项：{'、'.join(repeated[:5])}")
    long = [x for x in lines if len(x) > 200]
    if long:
        _problem(problems, "items", f"每项不超过 200 个字符（{long[0][:20]}…）")
    return lines


def parse_commit(meta: RoundMeta, data: dict[str, Any]) -> dict[str, Any]:
    """A commit request checked, every problem listed (nothing stored on any)."""
    body.only(data, {"kind", "title", "k", "stratify", "items", "secret", "idempotency_key"})
    problems: list[Problem] = []
    kind = data.get("kind")
    if kind not in KINDS:
        _problem(
            problems, "kind", "须选择抽取方式：villages（抽查村）、order（走访顺序）、items（清单）"
        )
    title = data.get("title") or KINDS.get(str(kind), "")
    if not isinstance(title, str) or len(title.strip()) > 100:
        _problem(problems, "title", "标题不超过 100 个字符")
        title = ""
    stratify = data.get("stratify", False)
    if not isinstance(stratify, bool) or (stratify and kind != "villages"):
        _problem(problems, "stratify", "只有抽查村可以按乡镇分层（true/false）")
        stratify = False
    villages = list(meta.villages.values())
    strata = {v.code: v.township for v in villages} if stratify else None
    items: list[str] = []
    if kind in ROUTE_KINDS:
        items = [v.code for v in villages]
        if "items" in data:
            _problem(problems, "items", "抽查村和走访顺序按本轮名单抽取，不需要粘贴清单")
        if not items:
            _problem(problems, "kind", "本轮没有参评村")
    elif kind == "items":
        items = _lines(data.get("items"), problems)
    k: int | None = None
    if kind == "order":
        if data.get("k") is not None:
            _problem(problems, "k", "走访顺序对全部村排序，不需要数量")
    elif kind in KINDS:
        biggest = len(items)
        if strata is not None and items:
            biggest = max(list(strata.values()).count(t) for t in set(strata.values()))
        raw = data.get("k")
        if isinstance(raw, int) and not isinstance(raw, bool) and 1 <= raw <= max(1, biggest):
            k = raw
        else:
            each = "每个乡镇" if strata is not None else ""
            _problem(
                problems,
                "k",
                f"抽取数量须为 1 到 {max(1, biggest)} 的整数（{each}共 {biggest} 个）",
            )
    secret = data.get("secret")
    if secret is not None and (
        not isinstance(secret, str) or not 8 <= len(secret) <= 200 or secret != secret.strip()
    ):
        _problem(problems, "secret", "自备密钥须为 8–200 个字符，首尾不能有空格；留空由系统生成")
    if problems:
        raise invalid_all(problems)
    return {
        "kind": kind,
        "title": title.strip(),
        "k": k,
        "stratify": bool(stratify),
        "items": items,
        "strata": strata,
        "secret": secret or recipe.new_secret(),
        "chosen": secret is not None,
    }


def _iso(value: dt.datetime | None) -> str | None:
    return value.astimezone(dt.UTC).isoformat(timespec="seconds") if value else None


def draw_view(meta: RoundMeta, row: InspectionDraw) -> dict[str, Any]:
    """A draw as screens, tablets and the notice show it (the secret only once drawn)."""
    drawn = row.drawn_at is not None

    def entry(item: str) -> dict[str, Any]:
        v = meta.villages.get(item) if row.kind in ROUTE_KINDS else None
        if v is None:
            return {"code": item, "name": item, "township": ""}
        return {"code": v.code, "name": v.name, "township": v.township}

    return {
        "id": row.id,
        "kind": row.kind,
        "kind_name": KINDS.get(row.kind, row.kind),
        "title": row.title,
        "k": row.k,
        "stratify": row.stratify,
        "items": [entry(i) for i in row.items],
        "strata": row.strata,
        "commitment": row.commitment,
        "committed_by": row.committed_by,
        "committed_at": _iso(row.committed_at),
        "drawn": drawn,
        "public": row.public if drawn else None,
        "secret": row.secret if drawn else None,
        "seed": row.seed if drawn else None,
        "result": [dict(entry(i), position=n) for n, i in enumerate(row.result or [], 1)]
        if drawn
        else [],
        "drawn_by": row.drawn_by if drawn else None,
        "drawn_at": _iso(row.drawn_at),
    }


class InspectionService:
    """Commit and draw, audited; what the route, the screen and the notice show."""

    def __init__(self, rounds: RoundCatalogue) -> None:
        self.rounds = rounds

    async def commit(
        self, principal: Principal, round_id: int, data: dict[str, Any]
    ) -> tuple[int, dict[str, Any]]:
        """Publish the commitment; the answer (to the organiser only) carries the secret."""
        meta = await self.rounds.get(round_id)
        key = body.text(data, "idempotency_key", max_length=128)
        spec = parse_commit(meta, data)

        async def apply(conn: BaseDBAsyncClient) -> tuple[dict[str, Any], dict[str, Any]]:
            row = await InspectionDraw.create(
                round_id=round_id,
                kind=spec["kind"],
                title=spec["title"],
                k=spec["k"],
                stratify=spec["stratify"],
                items=spec["items"],
                strata=spec["strata"],
                commitment=recipe.commitment(spec["secret"]),
                secret=spec["secret"],
                committed_by=principal.name,
                using_db=conn,
            )
            view = draw_view(meta, row)
            payload = {
                k: view[k] for k in ("id", "kind", "title", "k", "stratify", "strata", "commitment")
            }
            payload.update(items=row.items, committed_by=principal.name)
            return {
                "draw": view,
                "secret": spec["secret"],
                "secret_chosen": spec["chosen"],
            }, payload

        return await audited_write(
            principal, data, key, "inspection.commit", f"round:{round_id}", _open(round_id), apply
        )

    async def draw(
        self, principal: Principal, round_id: int, draw_id: int, data: dict[str, Any]
    ) -> tuple[int, dict[str, Any]]:
        """Draw once with the room's public value; a second attempt is refused and audited."""
        meta = await self.rounds.get(round_id)
        body.only(data, {"public", "idempotency_key"})
        key = body.text(data, "idempotency_key", max_length=128)
        public = body.text(data, "public", max_length=100)
        if not await InspectionDraw.exists(id=draw_id, round_id=round_id):
            raise not_found("该抽取", "draw")

        async def apply(conn: BaseDBAsyncClient) -> tuple[dict[str, Any], dict[str, Any]]:
            row = await InspectionDraw.select_for_update().using_db(conn).get(id=draw_id)
            if row.drawn_at is not None:
                raise UserError(
                    409,
                    "already_drawn",
                    "该抽取已完成，结果不可更改；如需重新抽取，须先发布新的承诺",
                    "draw",
                )
            strata = row.strata if row.stratify else None
            result = recipe.draw(row.secret, public, row.items, row.k, strata)
            row.public, row.seed, row.result = public, result.seed, list(result.items)
            row.drawn_by, row.drawn_at = principal.name, dt.datetime.now(dt.UTC)
            await row.save(
                using_db=conn, update_fields=["public", "seed", "result", "drawn_by", "drawn_at"]
            )
            payload = {
                "id": row.id,
                "kind": row.kind,
                "commitment": row.commitment,
                "secret": row.secret,
                "public": public,
                "seed": result.seed,
                "result": list(result.items),
                "drawn_by": principal.name,
            }
            return {"draw": draw_view(meta, row)}, payload

        try:
            return await audited_write(
                principal, data, key, "inspection.draw", f"round:{round_id}", _open(round_id), apply
            )
        except UserError as exc:
            if exc.code in ("already_drawn", "round_locked"):
                await _refused(principal, round_id, draw_id, public, exc.code)
            raise

    async def views(self, round_id: int) -> list[dict[str, Any]]:
        """Every draw of the round, newest first."""
        meta = await self.rounds.get(round_id)
        rows = await InspectionDraw.filter(round_id=round_id).order_by("-id")
        return [draw_view(meta, row) for row in rows]

    async def route(self, meta: RoundMeta) -> tuple[list[VillageMeta], dict[str, Any] | None]:
        """The day's route: the newest village draw's villages in drawn order, then the rest."""
        return await drawn_route(meta)


async def drawn_route(meta: RoundMeta) -> tuple[list[VillageMeta], dict[str, Any] | None]:
    """The villages in the order the tablets show them, and the draw that set it (or None)."""
    row = (
        await InspectionDraw.filter(round_id=meta.id, kind__in=ROUTE_KINDS, drawn_at__isnull=False)
        .order_by("-drawn_at", "-id")
        .first()
    )
    villages = list(meta.villages.values())
    if row is None:
        return villages, None
    first = [meta.villages[c] for c in row.result or [] if c in meta.villages]
    rest = [v for v in villages if v not in first]
    note = {
        "draw": row.id,
        "kind": row.kind,
        "title": row.title,
        "commitment": row.commitment,
        "public": row.public,
        "drawn": [v.code for v in first],
    }
    return first + rest, note


def _open(round_id: int) -> Any:
    async def lock(conn: BaseDBAsyncClient) -> None:
        status = await Round.filter(id=round_id).using_db(conn).values_list("status", flat=True)
        if not status or status[0] != "open":
            raise forbidden("本轮已锁定，不能再抽取", "round_locked")

    return lock


async def _refused(
    principal: Principal, round_id: int, draw_id: int, public: str, code: str
) -> None:
    """Every attempt is on the record, the refused ones too."""
    async with in_transaction() as conn:
        await audit.append(
            conn,
            principal.actor,
            "inspection.refused",
            f"round:{round_id}",
            {"id": draw_id, "public": public, "reason": code},
        )


def notice_line(view: dict[str, Any]) -> str:
    """One drawn draw as the results notice prints it: commitment, both inputs, the result."""
    if view["stratify"]:
        how = f"按乡镇分层，每镇抽 {view['k']} 个"
    elif view["k"]:
        how = f"{len(view['items'])} 取 {view['k']}"
    else:
        how = f"{len(view['items'])} 个全部排序"
    names = "、".join(r["name"] for r in view["result"])
    return (
        f"{view['title']}（{view['kind_name']}，{how}）：事先公布的承诺 sha256 "
        f"{view['commitment']}，组织者密钥 {view['secret']}，现场公开值 {view['public']}，"
        f"结果：{names}。"
    )


async def notice_lines(service: InspectionService, round_id: int) -> list[str]:
    """The notice's lines on the round's draws (oldest first; only draws made)."""
    views = await service.views(round_id)
    return [notice_line(v) for v in reversed(views) if v["drawn"]]


async def draw_notes(service: InspectionService, round_id: int, doc: Any) -> Any:
    """The results notice (a NoticeDocument) with a note below its table for each draw made."""
    lines = await notice_lines(service, round_id)
    if not lines:
        return doc
    notes = (*doc.annex_notes, *(f"随机抽取：{line}" for line in lines))
    return dataclasses.replace(doc, annex_notes=notes)
