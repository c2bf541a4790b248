"""Browser sessions: opened by a personal link or a sign-in, bounded per token, listed, ended.

A session ends `ttl_seconds` after its last use (the authenticator moves `expires_at` on at most
once a minute), when an organiser ends it, when its token is revoked, or when its token opens
more than `keep` sessions (the least recently used go first). Expired rows are deleted whenever
a session is opened or the list is read.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.expressions import Q
from tortoise.transactions import in_transaction

from arena.auth import digest, new_secret, session_expiry
from arena.errors import not_found
from arena.models import Account, Contest, Round, Session, Token
from arena.services import audit

ROLE_NAMES = {
    "organiser": "组织者",
    "judge": "评委",
    "participant": "试点村",
    "screen": "大屏",
    "resident": "群众",
}


@dataclass(frozen=True)
class SessionPolicy:
    """How long a kind of session lasts unused, and how many one token may hold."""

    ttl_seconds: int
    keep: int


@dataclass(frozen=True)
class SessionRow:
    """One live session as the organiser's list shows it."""

    id: int
    role: str
    name: str
    via: str  # "account" (signed in with a password) or "link" (a personal link)
    where: str  # the round or contest the link belongs to, if any
    created_at: dt.datetime
    last_seen_at: dt.datetime | None
    expires_at: dt.datetime
    address: str
    agent: str
    session_hash: str

    @property
    def role_name(self) -> str:
        return ROLE_NAMES.get(self.role, self.role)


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


async def start(
    token_id: int,
    policy: SessionPolicy,
    address: str = "",
    agent: str = "",
    at: dt.datetime | None = None,
) -> str:
    """Open a session on a token (at `at`, default now); returns its secret (the cookie value,
    never stored)."""
    secret = new_secret()
    at = at or now()
    await Session.create(
        session_hash=digest(secret),
        token_id=token_id,
        last_seen_at=at,
        expires_at=at + dt.timedelta(seconds=policy.ttl_seconds),
        ttl_seconds=policy.ttl_seconds,
        address=address[:64],
        agent=agent[:200],
    )
    await _bound(token_id, policy.keep)
    await sweep()
    return secret


async def _bound(token_id: int, keep: int) -> None:
    """Keep only the `keep` most recently used sessions of a token."""
    rows = await Session.filter(token_id=token_id).values_list("id", "last_seen_at", "created_at")
    if len(rows) <= keep:
        return
    rows.sort(key=lambda r: (r[1] or r[2], r[0]), reverse=True)
    await Session.filter(id__in=[r[0] for r in rows[keep:]]).delete()


async def sweep() -> int:
    """Delete every expired session; how many."""
    at = now()
    legacy = dt.timedelta(seconds=86400)  # rows from before expiry existed: ttl 1 day
    return await Session.filter(
        Q(expires_at__lte=at) | Q(expires_at__isnull=True, created_at__lte=at - legacy)
    ).delete()


async def end_by_secret(secret: str) -> None:
    """Sign out: forget the session behind a cookie value."""
    await Session.filter(session_hash=digest(secret)).delete()


async def end_of_token(token_id: int, conn: BaseDBAsyncClient, keep: str = "") -> int:
    """End every session of a token but the one whose hash is `keep`; how many ended."""
    query = Session.filter(token_id=token_id)
    if keep:
        query = query.exclude(session_hash=keep)
    return await query.using_db(conn).delete()


async def end(session_id: int, actor: str) -> SessionRow:
    """An organiser ends one session (audited, without its secret)."""
    async with in_transaction() as conn:
        # Lock the session row alone: PostgreSQL refuses FOR UPDATE across the token's join.
        locked = await Session.filter(id=session_id).using_db(conn).select_for_update().first()
        if locked is None:
            raise not_found("该会话", "session")
        session = await Session.filter(id=session_id).using_db(conn).select_related("token").get()
        row = (await _rows([session]))[0]
        await Session.filter(id=session_id).using_db(conn).delete()
        await audit.append(
            conn,
            actor,
            "session.end",
            f"session:{session_id}",
            {"role": row.role, "name": row.name, "via": row.via},
        )
    return row


async def live(limit: int = 500) -> tuple[list[SessionRow], int]:
    """The live sessions, most recently used first (at most `limit`), and how many there are."""
    await sweep()
    total = await Session.all().count()
    sessions = (
        await Session.all().select_related("token").order_by("-last_seen_at", "-id").limit(limit)
    )
    return await _rows(sessions), total


async def count_by_token(token_ids: list[int]) -> dict[int, int]:
    """How many live sessions each of these tokens holds."""
    at = now()
    rows = await Session.filter(token_id__in=token_ids, expires_at__gt=at).values_list("token_id")
    return dict(Counter(int(token_id) for (token_id,) in rows))


async def _rows(sessions: list[Session]) -> list[SessionRow]:
    tokens: list[Token] = [s.token for s in sessions]
    accounts = set(
        await Account.filter(token_id__in=[t.id for t in tokens]).values_list("token_id", flat=True)
    )
    round_ids = {t.round_id for t in tokens if t.round_id}  # type: ignore[attr-defined]
    contest_ids = {t.contest_id for t in tokens if t.contest_id}  # type: ignore[attr-defined]
    rounds = dict(await Round.filter(id__in=round_ids).values_list("id", "name"))
    contests = dict(await Contest.filter(id__in=contest_ids).values_list("id", "name"))
    out = []
    for s in sessions:
        t = s.token
        where = rounds.get(t.round_id) or contests.get(t.contest_id) or ""  # type: ignore[attr-defined]
        out.append(
            SessionRow(
                id=s.id,
                role=t.role,
                name=t.name,
                via="account" if t.id in accounts else "link",
                where=str(where),
                created_at=s.created_at,
                last_seen_at=s.last_seen_at,
                expires_at=session_expiry(s),
                address=s.address,
                agent=s.agent,
                session_hash=s.session_hash,
            )
        )
    return out
