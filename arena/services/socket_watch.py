"""Cut live sockets whose credential stopped working: a replaced link, an ended session.

A WebSocket is authenticated once, at the handshake; a link replaced afterwards must not leave
it open. Every process keeps the sockets it serves by the credential they were opened with and
checks those credentials every `interval` seconds (two queries however many sockets are open);
a socket whose credential no longer resolves is closed with 1008. The check reads the database,
so it holds on every process whichever hub (memory or Redis) carries the updates. The process
that replaced the link sweeps at once.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

from starlette.requests import HTTPConnection
from starlette.websockets import WebSocket, WebSocketState

from arena.auth import digest
from arena.models import Session, Token

log = logging.getLogger("arena.live")

POLICY_VIOLATION = 1008
CHUNK = 500  # credentials per query (SQLite's bound-parameter limit)


def credential_key(conn: HTTPConnection, cookie_name: str) -> str | None:
    """The credential a connection carries, as the authenticator keys it ("t:…" or "s:…")."""
    header = conn.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        return "t:" + digest(header[7:].strip())
    cookie = conn.cookies.get(cookie_name)
    return "s:" + digest(cookie) if cookie else None


class SocketWatch:
    """The open sockets of this process by credential; closes those whose credential ended."""

    def __init__(self, interval: float) -> None:
        self.interval = max(interval, 0.5)
        self._sockets: dict[str, set[WebSocket]] = {}
        self._task: asyncio.Task[None] | None = None

    def add(self, key: str, websocket: WebSocket) -> None:
        """Watch a socket opened with this credential (the sweeping task starts with the first)."""
        self._sockets.setdefault(key, set()).add(websocket)
        if self._task is None or self._task.done():
            self._task = asyncio.get_running_loop().create_task(self._run())

    def discard(self, key: str, websocket: WebSocket) -> None:
        """The socket has closed."""
        sockets = self._sockets.get(key)
        if sockets is not None:
            sockets.discard(websocket)
            if not sockets:
                del self._sockets[key]

    async def _run(self) -> None:
        while self._sockets:
            await asyncio.sleep(self.interval)
            try:
                await self.sweep()
            except Exception:  # a database blip: try again at the next interval
                log.exception("live: credential sweep failed")

    async def sweep(self) -> int:
        """Close every socket whose credential no longer resolves; returns how many."""
        keys = list(self._sockets)
        if not keys:
            return 0
        live = await _live_keys(keys)
        closed = 0
        for key in keys:
            if key in live:
                continue
            for websocket in list(self._sockets.pop(key, ())):
                closed += 1
                with contextlib.suppress(RuntimeError, OSError):
                    if websocket.application_state is WebSocketState.CONNECTED:
                        await websocket.close(code=POLICY_VIOLATION, reason="credential ended")
        return closed


async def _live_keys(keys: list[str]) -> set[str]:
    """The credentials among `keys` that still resolve to a live token."""
    live: set[str] = set()
    for start in range(0, len(keys), CHUNK):
        chunk = keys[start : start + CHUNK]
        tokens = [k[2:] for k in chunk if k.startswith("t:")]
        sessions = [k[2:] for k in chunk if k.startswith("s:")]
        if tokens:
            rows = await Token.filter(token_hash__in=tokens, revoked=False).values_list(
                "token_hash", flat=True
            )
            live.update("t:" + str(h) for h in rows)
        if sessions:
            rows = await Session.filter(
                session_hash__in=sessions, token__revoked=False
            ).values_list("session_hash", flat=True)
            live.update("s:" + str(h) for h in rows)
    return live
