"""Arena contests (擂台赛): create from a definition, personal links, the cached template."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from tortoise.transactions import in_transaction

from arena.auth import digest, link_secret, link_url
from arena.contests.definition import ContestDefinition, parse_contest
from arena.errors import not_found
from arena.models import Contest, Contestant, ContestJudge, Session, Token
from arena.services import audit

LINK_ROLES = ("judge", "participant", "screen")


@dataclass(frozen=True)
class ContestMeta:
    """The parts of a contest that never change after creation (cached per process)."""

    id: int
    name: str
    date: dt.date
    definition: ContestDefinition
    contestants: dict[str, int]  # code -> Contestant id, in definition order
    judges: dict[str, int]  # code -> ContestJudge id, in definition order

    def judge_label(self, code: str) -> str:
        """评委1, 评委2 … by the judge's place in the definition."""
        return f"评委{list(self.judges).index(code) + 1}"


class ContestCatalogue:
    """Loads and caches ContestMeta; creates contests and their personal links."""

    def __init__(self, server_key: bytes, base_url: str) -> None:
        self.server_key = server_key
        self.base_url = base_url
        self._cache: dict[int, ContestMeta] = {}

    async def get(self, contest_id: int) -> ContestMeta:
        """The contest's template, or a 404."""
        meta = self._cache.get(contest_id)
        if meta is None:
            row = await Contest.get_or_none(id=contest_id)
            if row is None:
                raise not_found("该擂台赛")
            contestants = await Contestant.filter(contest_id=contest_id).order_by("position")
            judges = await ContestJudge.filter(contest_id=contest_id).order_by("position")
            meta = ContestMeta(
                row.id,
                row.name,
                row.date,
                parse_contest(row.definition),
                {c.code: c.id for c in contestants},
                {j.code: j.id for j in judges},
            )
            self._cache[contest_id] = meta
        return meta

    async def create(self, data: Any, actor: str) -> dict[str, Any]:
        """Create a contest; returns its id and everyone's personal links."""
        d = parse_contest(data)
        async with in_transaction() as conn:
            row = await Contest.create(
                name=d.name, date=d.date, definition=d.to_json(), using_db=conn
            )
            await Contestant.bulk_create(
                [
                    Contestant(
                        contest=row, code=c.code, name=c.name, post=c.post, unit=c.unit, position=n
                    )
                    for n, c in enumerate(d.contestants)
                ],
                using_db=conn,
            )
            await ContestJudge.bulk_create(
                [
                    ContestJudge(contest=row, code=j.code, name=j.name, position=n)
                    for n, j in enumerate(d.judges)
                ],
                using_db=conn,
            )
            tokens = [self._token(row.id, "judge", j.code, j.name) for j in d.judges]
            tokens += [self._token(row.id, "participant", c.code, c.name) for c in d.contestants]
            tokens.append(self._token(row.id, "screen", "screen", "擂台赛大屏"))
            await Token.bulk_create(tokens, using_db=conn)
            await audit.append(
                conn,
                actor,
                "contest.create",
                f"contest:{row.id}",
                {
                    "name": d.name,
                    "date": d.date.isoformat(),
                    "contestants": len(d.contestants),
                    "judges": len(d.judges),
                    "definition_sha256": audit.digest_of(row.definition),
                },
            )
        return {"id": row.id, **await self.links(row.id)}

    def _secret(self, contest_id: int, role: str, code: str, generation: int) -> str:
        return link_secret(self.server_key, f"contest-{role}", contest_id, code, generation)

    def _token(self, contest_id: int, role: str, code: str, name: str) -> Token:
        secret = self._secret(contest_id, role, code, 0)
        return Token(
            token_hash=digest(secret), role=role, name=name, contest_id=contest_id, subject=code
        )

    async def links(self, contest_id: int) -> dict[str, Any]:
        """Every personal link of a contest, derived again from the server key."""
        meta = await self.get(contest_id)
        tokens = await Token.filter(contest_id=contest_id, revoked=False)
        by_key = {(t.role, t.subject): t for t in tokens}
        d = meta.definition

        def entry(role: str, code: str, name: str) -> dict[str, Any]:
            token = by_key.get((role, code))
            if token is None:
                return {"code": code, "name": name, "token": None, "url": None}
            secret = self._secret(contest_id, role, code, token.generation)
            return {
                "code": code,
                "name": name,
                "token": secret,
                "url": link_url(self.base_url, role, secret),
            }

        return {
            "judges": [entry("judge", j.code, j.name) for j in d.judges],
            "contestants": [entry("participant", c.code, c.name) for c in d.contestants],
            "screen": entry("screen", "screen", "擂台赛大屏"),
        }

    async def reissue(self, contest_id: int, role: str, code: str, actor: str) -> dict[str, Any]:
        """Revoke a personal link and issue a new one (the old link and its sessions stop)."""
        meta = await self.get(contest_id)
        known = {"judge": meta.judges, "participant": meta.contestants, "screen": {"screen": 0}}
        if code not in known.get(role, {}):
            raise not_found("该评委、选手或大屏", "code")
        async with in_transaction() as conn:
            token = (
                await Token.filter(contest_id=contest_id, role=role, subject=code)
                .using_db(conn)
                .select_for_update()
                .first()
            )
            if token is None:
                raise not_found("该链接", "code")
            token.generation += 1
            secret = self._secret(contest_id, role, code, token.generation)
            token.token_hash = digest(secret)
            token.revoked = False
            await token.save(using_db=conn, update_fields=["generation", "token_hash", "revoked"])
            await Session.filter(token_id=token.id).using_db(conn).delete()
            await audit.append(
                conn,
                actor,
                "link.reissue",
                f"contest:{contest_id}",
                {"role": role, "code": code, "generation": token.generation},
            )
        return {"code": code, "token": secret, "url": link_url(self.base_url, role, secret)}

    def forget(self, contest_id: int) -> None:
        """Drop the cached template of a deleted contest."""
        self._cache.pop(contest_id, None)
