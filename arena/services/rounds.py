"""Field review rounds: create from a definition, personal links, the cached template, lifecycle."""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass
from typing import Any

from tortoise.transactions import in_transaction

from arena.auth import digest, link_secret, link_url
from arena.db import plain_rows
from arena.errors import UserError, not_found
from arena.models import Campaign, Judge, PaperItem, Recusal, Round, Session, Target, Token, Village
from arena.rounds.definition import ItemDef, RoundDefinition, parse_definition
from arena.services import audit

LINK_ROLES = ("judge", "participant", "screen")
TRANSITIONS = {
    "lock": ("open", "locked"),
    "unlock": ("locked", "open"),
    "publish": ("locked", "published"),
}


@dataclass(frozen=True)
class VillageMeta:
    id: int
    code: str
    name: str
    township: str
    county: str
    position: int
    targets: tuple[ItemDef, ...]
    recused_judges: frozenset[int]


@dataclass(frozen=True)
class JudgeMeta:
    id: int
    code: str
    name: str
    position: int
    recused: frozenset[str]
    unit: str = ""


@dataclass(frozen=True)
class RoundMeta:
    """The parts of a round that never change after creation (cached per process)."""

    id: int
    campaign_id: int
    campaign: str
    name: str
    date: dt.date
    definition: RoundDefinition
    villages: dict[str, VillageMeta]  # by code, in tour order
    judges: dict[str, JudgeMeta]  # by code, in list order
    setup: int = 0  # the round's setup version: bumped by every edit (RoundCatalogue rechecks it)

    def village_by_id(self, village_id: int) -> VillageMeta | None:
        """The village with this database id."""
        return next((v for v in self.villages.values() if v.id == village_id), None)

    def judge_by_id(self, judge_id: int) -> JudgeMeta | None:
        """The judge with this database id."""
        return next((j for j in self.judges.values() if j.id == judge_id), None)

    def expected_judges(self, village: VillageMeta) -> tuple[JudgeMeta, ...]:
        """The judges who should score this village (everyone not recused)."""
        return tuple(j for j in self.judges.values() if j.id not in village.recused_judges)

    def summary(self, status: str) -> dict[str, Any]:
        """The round as standings and screens name it."""
        return {
            "id": self.id,
            "name": self.name,
            "campaign": self.campaign,
            "date": self.date.isoformat(),
            "status": status,
        }


class RoundCatalogue:
    """Loads and caches RoundMeta; creates rounds and their personal links."""

    def __init__(self, server_key: bytes, base_url: str, recheck_seconds: float = 1.0) -> None:
        self.server_key = server_key
        self.base_url = base_url
        # A cached template is checked against the round's setup version at most this often, so
        # an edit made through another process shows here within that time.
        self.recheck_seconds = recheck_seconds
        self._cache: dict[int, tuple[RoundMeta, float]] = {}

    async def get(self, round_id: int) -> RoundMeta:
        """The round's template, or a 404."""
        now = time.monotonic()
        hit = self._cache.get(round_id)
        if hit is not None:
            meta, checked = hit
            if now - checked < self.recheck_seconds:
                return meta
            rows = await plain_rows(Round, "SELECT setup FROM {table} WHERE id = {0}", round_id)
            if rows and int(rows[0][0]) == meta.setup:
                self._cache[round_id] = (meta, now)
                return meta
        meta = await self._load(round_id)
        self._cache[round_id] = (meta, now)
        return meta

    def invalidate(self, round_id: int) -> None:
        """Forget a round's cached template (after an edit or a deletion in this process)."""
        self._cache.pop(round_id, None)

    async def _load(self, round_id: int) -> RoundMeta:
        row = await Round.get_or_none(id=round_id).select_related("campaign")
        if row is None:
            raise not_found("该轮拉练")
        definition = parse_definition(row.definition)
        villages = await Village.filter(round_id=round_id).order_by("position")
        judges = await Judge.filter(round_id=round_id).order_by("position")
        recusals = await Recusal.filter(judge__round_id=round_id).values_list(
            "judge_id", "village_id"
        )
        vdefs = {v.code: v for v in definition.villages}
        by_village: dict[int, set[int]] = {}
        by_judge: dict[int, set[str]] = {}
        village_codes = {v.id: v.code for v in villages}
        for judge_id, village_id in recusals:
            by_village.setdefault(village_id, set()).add(judge_id)
            by_judge.setdefault(judge_id, set()).add(village_codes[village_id])
        return RoundMeta(
            id=row.id,
            campaign_id=row.campaign.id,
            campaign=row.campaign.name,
            name=row.name,
            date=row.date,
            definition=definition,
            villages={
                v.code: VillageMeta(
                    v.id,
                    v.code,
                    v.name,
                    v.township,
                    v.county,
                    v.position,
                    vdefs[v.code].targets,
                    frozenset(by_village.get(v.id, ())),
                )
                for v in villages
            },
            judges={
                j.code: JudgeMeta(
                    j.id, j.code, j.name, j.position, frozenset(by_judge.get(j.id, ())), j.unit
                )
                for j in judges
            },
            setup=row.setup,
        )

    async def create(self, data: Any, actor: str) -> dict[str, Any]:
        """Create a round from a definition; returns the API answer with everyone's links."""
        d = parse_definition(data)
        async with in_transaction() as conn:
            campaign, _ = await Campaign.get_or_create(name=d.campaign, using_db=conn)
            row = await Round.create(
                campaign=campaign, name=d.name, date=d.date, definition=d.to_json(), using_db=conn
            )
            await PaperItem.bulk_create(
                [
                    PaperItem(
                        round=row,
                        paper="shared",
                        code=i.code,
                        name=i.name,
                        maximum=i.max,
                        guide=i.guide,
                        position=n,
                    )
                    for n, i in enumerate(d.shared_items)
                ]
                + [
                    PaperItem(
                        round=row,
                        paper="deductions",
                        code=i.code,
                        name=i.name,
                        maximum=i.max,
                        guide=i.guide,
                        position=n,
                    )
                    for n, i in enumerate(d.deduction_items)
                ],
                using_db=conn,
            )
            villages = {}
            for n, v in enumerate(d.villages):
                villages[v.code] = await Village.create(
                    round=row,
                    code=v.code,
                    name=v.name,
                    township=v.township,
                    county=v.county,
                    position=n,
                    using_db=conn,
                )
                await Target.bulk_create(
                    [
                        Target(
                            village=villages[v.code],
                            code=t.code,
                            name=t.name,
                            maximum=t.max,
                            guide=t.guide,
                            position=k,
                        )
                        for k, t in enumerate(v.targets)
                    ],
                    using_db=conn,
                )
            tokens: list[Token] = []
            for n, j in enumerate(d.judges):
                judge = await Judge.create(
                    round=row, code=j.code, name=j.name, unit=j.unit, position=n, using_db=conn
                )
                await Recusal.bulk_create(
                    [Recusal(judge=judge, village=villages[c]) for c in j.recuse], using_db=conn
                )
                tokens.append(self._token(row.id, "judge", j.code, j.name, judge=judge))
            tokens += [
                self._token(row.id, "participant", v.code, v.name, village=villages[v.code])
                for v in d.villages
            ]
            tokens.append(self._token(row.id, "screen", "screen", "大屏"))
            await Token.bulk_create(tokens, using_db=conn)
            await audit.append(
                conn,
                actor,
                "round.create",
                f"round:{row.id}",
                {
                    "name": d.name,
                    "campaign": d.campaign,
                    "date": d.date.isoformat(),
                    "villages": len(d.villages),
                    "judges": len(d.judges),
                    "definition_sha256": audit.digest_of(row.definition),
                },
            )
        return {"id": row.id, **await self.links(row.id)}

    def _token(self, round_id: int, role: str, code: str, name: str, **links: Any) -> Token:
        secret = link_secret(self.server_key, role, round_id, code, 0)
        return Token(token_hash=digest(secret), role=role, name=name, round_id=round_id, **links)

    async def links(self, round_id: int) -> dict[str, Any]:
        """Every personal link of a round, derived again from the server key."""
        meta = await self.get(round_id)
        tokens = await Token.filter(round_id=round_id, role__in=LINK_ROLES, revoked=False)
        by_judge = {t.judge_id: t for t in tokens if t.role == "judge"}  # type: ignore[attr-defined]
        by_village = {t.village_id: t for t in tokens if t.role == "participant"}  # type: ignore[attr-defined]
        screen = next((t for t in tokens if t.role == "screen"), None)

        def entry(role: str, code: str, name: str, token: Token | None) -> dict[str, Any]:
            if token is None:
                return {"code": code, "name": name, "token": None, "url": None}
            secret = link_secret(self.server_key, role, round_id, code, token.generation)
            return {
                "code": code,
                "name": name,
                "token": secret,
                "url": link_url(self.base_url, role, secret),
            }

        out: dict[str, Any] = {
            "judges": [
                entry("judge", j.code, j.name, by_judge.get(j.id)) for j in meta.judges.values()
            ],
            "villages": [
                entry("participant", v.code, v.name, by_village.get(v.id))
                for v in meta.villages.values()
            ],
        }
        if screen is not None:
            out["screen"] = entry("screen", "screen", "大屏", screen)
        return out

    async def reissue(self, round_id: int, role: str, code: str, actor: str) -> dict[str, Any]:
        """Revoke a personal link and issue a new one (the old link and its sessions stop)."""
        meta = await self.get(round_id)
        query = Token.filter(round_id=round_id, role=role)
        if role == "judge" and code in meta.judges:
            query = query.filter(judge_id=meta.judges[code].id)
        elif role == "participant" and code in meta.villages:
            query = query.filter(village_id=meta.villages[code].id)
        elif role != "screen":
            raise not_found("该评委或村", "code")
        async with in_transaction() as conn:
            token = await query.using_db(conn).select_for_update().first()
            if token is None:
                raise not_found("该链接", "code")
            token.generation += 1
            secret = link_secret(self.server_key, role, round_id, code, token.generation)
            token.token_hash = digest(secret)
            await token.save(using_db=conn, update_fields=["generation", "token_hash"])
            await Session.filter(token_id=token.id).using_db(conn).delete()
            await audit.append(
                conn,
                actor,
                "link.reissue",
                f"round:{round_id}",
                {"role": role, "code": code, "generation": token.generation},
            )
        return {"code": code, "token": secret, "url": link_url(self.base_url, role, secret)}

    async def transition(self, round_id: int, action: str, actor: str) -> str:
        """Lock, unlock or publish a round (audited); returns the new status."""
        await self.get(round_id)
        before, after = TRANSITIONS[action]
        if action == "publish":  # what is published must be what the audit chain vouches for
            from arena.services.audit_state import require_verified

            await require_verified("发布", f"round:{round_id}")
        async with in_transaction() as conn:
            row = await Round.select_for_update().using_db(conn).get(id=round_id)
            if row.status != before:
                raise UserError(
                    409,
                    "wrong_status",
                    f"当前状态为「{STATUS_NAMES[row.status]}」，不能{ACTION_NAMES[action]}",
                    "status",
                )
            await (
                Round.filter(id=round_id)
                .using_db(conn)
                .update(status=after, revision=row.revision + 1)
            )
            await audit.append(
                conn, actor, f"round.{action}", f"round:{round_id}", {"from": before, "to": after}
            )
        return after


STATUS_NAMES = {"open": "评分中", "locked": "已锁定", "published": "已发布"}
ACTION_NAMES = {"lock": "锁定", "unlock": "解锁", "publish": "发布"}
