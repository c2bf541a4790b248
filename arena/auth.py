"""Who is asking: bearer tokens, personal links exchanged for session cookies, and the roles' rules.

Secrets carry at least 128 random bits and only their SHA-256 is stored. A personal link's secret
is HMAC-SHA256(server key, "<role>:<round>:<code>:<generation>"), so `arena round links` can print
the links again without storing them, and a new generation revokes the old link.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from starlette.requests import HTTPConnection

from arena.errors import UserError, forbidden, unauthenticated
from arena.models import Session, Token

CSRF_HEADER = "x-arena-request"
# A session's last use (and so its expiry) is written at most once per this many seconds.
TOUCH_SECONDS = 60
LINK_PREFIX = {"judge": "j", "participant": "v", "screen": "s", "organiser": "o"}


@dataclass(frozen=True)
class Principal:
    """The authenticated caller."""

    token_id: int
    role: str
    name: str
    round_id: int | None = None
    judge_id: int | None = None
    village_id: int | None = None
    via_cookie: bool = False
    contest_id: int | None = None
    subject: str = ""  # within a contest: the judge's or contestant's code

    @property
    def actor(self) -> str:
        """How the audit log names this caller."""
        return f"{self.role}:{self.name}"


def digest(secret: str) -> str:
    """The stored form of a secret."""
    return hashlib.sha256(secret.encode()).hexdigest()


def new_secret() -> str:
    """A fresh random secret (256 bits)."""
    return secrets.token_urlsafe(32)


def load_server_key(data_dir: Path, configured: str = "") -> bytes:
    """The server key that personal links are derived from (created on first use, mode 0600)."""
    if configured:
        return configured.encode()
    path = data_dir / "secret.key"
    if not path.exists():
        data_dir.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip().encode()


def link_secret(key: bytes, role: str, round_id: int, code: str, generation: int) -> str:
    """The secret in a judge's, participant's or screen's personal link (192 bits)."""
    mac = hmac.new(key, f"{role}:{round_id}:{code}:{generation}".encode(), hashlib.sha256)
    return base64.urlsafe_b64encode(mac.digest()[:24]).decode().rstrip("=")


def link_url(base_url: str, role: str, secret: str) -> str:
    """The personal link a QR code carries."""
    return f"{base_url}/{LINK_PREFIX[role]}/{secret}"


class Authenticator:
    """Resolves a request's credential to a Principal, with a short per-process cache."""

    def __init__(
        self, cookie_name: str, cache_seconds: float, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.cookie_name = cookie_name
        self.cache_seconds = cache_seconds
        self._clock = clock
        self._cache: dict[str, tuple[float, Principal | None]] = {}

    def forget(self) -> None:
        """Drop every cached credential (after a revocation in this process)."""
        self._cache.clear()

    async def principal(self, conn: HTTPConnection) -> Principal | None:
        """The caller, or None when the request carries no valid credential."""
        header = conn.headers.get("authorization", "")
        if header.lower().startswith("bearer "):
            return await self._lookup("t:" + digest(header[7:].strip()))
        cookie = conn.cookies.get(self.cookie_name)
        if cookie:
            return await self._lookup("s:" + digest(cookie))
        return None

    async def require(self, conn: HTTPConnection, *roles: str) -> Principal:
        """The caller, who must hold one of `roles`; cookie writes must carry the custom header."""
        principal = await self.principal(conn)
        if principal is None:
            raise unauthenticated()
        if roles and principal.role not in roles:
            raise forbidden("当前身份无权进行此操作")
        if (
            principal.via_cookie
            and conn.scope["type"] == "http"
            and conn.scope.get("method", "GET") not in ("GET", "HEAD")
            and CSRF_HEADER not in conn.headers
        ):
            raise UserError(403, "csrf", "缺少防跨站请求头", CSRF_HEADER)
        return principal

    async def _lookup(self, key: str) -> Principal | None:
        now = self._clock()
        hit = self._cache.get(key)
        if hit and hit[0] > now:
            return hit[1]
        principal = await _resolve(key)
        if len(self._cache) > 50_000:
            self._cache.clear()
        self._cache[key] = (now + self.cache_seconds, principal)
        return principal


async def _resolve(key: str) -> Principal | None:
    kind, hashed = key.split(":", 1)
    if kind == "t":
        token = await Token.get_or_none(token_hash=hashed, revoked=False)
    else:
        session = await Session.get_or_none(session_hash=hashed).select_related("token")
        token = await _session_token(session) if session else None
    if token is None:
        return None
    return Principal(
        token_id=token.id,
        role=token.role,
        name=token.name,
        round_id=token.round_id,  # type: ignore[attr-defined]
        judge_id=token.judge_id,  # type: ignore[attr-defined]
        village_id=token.village_id,  # type: ignore[attr-defined]
        via_cookie=kind == "s",
        contest_id=token.contest_id,  # type: ignore[attr-defined]
        subject=token.subject,
    )


def session_expiry(session: Session) -> dt.datetime:
    """When a session ends unless used again (rows older than expiry: a day after creation)."""
    if session.expires_at is not None:
        return session.expires_at
    return session.created_at + dt.timedelta(seconds=session.ttl_seconds)


async def _session_token(session: Session) -> Token | None:
    """The token behind a live session; an expired session is deleted, a used one kept alive."""
    if session.token.revoked:
        return None
    now = dt.datetime.now(dt.UTC)
    if session_expiry(session) <= now:
        await Session.filter(id=session.id).delete()
        return None
    seen = session.last_seen_at
    if seen is None or (now - seen).total_seconds() >= TOUCH_SECONDS:
        await Session.filter(id=session.id).update(
            last_seen_at=now, expires_at=now + dt.timedelta(seconds=session.ttl_seconds)
        )
    return session.token


async def create_token(role: str, name: str) -> str:
    """A new integration token (organiser or screen) not tied to a round; returns its secret."""
    secret = new_secret()
    await Token.create(token_hash=digest(secret), role=role, name=name)
    return secret


async def link_token(secret: str, role: str) -> Token | None:
    """The live token behind a personal link's secret (arena.services.accounts.sessions opens
    the session it is exchanged for)."""
    return await Token.get_or_none(token_hash=digest(secret), revoked=False, role=role)
