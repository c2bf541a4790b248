"""The WebSocket session of one live channel: snapshot, then updates and heartbeats."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Awaitable, Callable, Collection
from typing import Any
from urllib.parse import urlsplit

from starlette.requests import HTTPConnection
from starlette.websockets import WebSocket, WebSocketDisconnect, WebSocketState

from arena.live.hub import Hub, HubUnavailable, Message, Subscription, encode

logger = logging.getLogger("arena.live")

Snapshot = Callable[[], Awaitable[Any]]

POLICY_VIOLATION = 1008  # refused Origin; before accept the client sees HTTP 403
SERVICE_RESTART = 1012  # the hub stopped (server shutting down): reconnect with backoff
TRY_AGAIN_LATER = 1013  # the hub's backend is unreachable

_DEFAULT_PORTS = {"http": 80, "https": 443}


def _normalise(origin: str) -> str | None:
    """Return scheme://host[:port] in lower case without a default port; None if invalid."""
    parts = urlsplit(origin.strip())
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS or not parts.hostname:
        return None
    try:
        port = parts.port
    except ValueError:
        return None
    host = f"[{parts.hostname}]" if ":" in parts.hostname else parts.hostname
    if port is None or port == _DEFAULT_PORTS[scheme]:
        return f"{scheme}://{host}"
    return f"{scheme}://{host}:{port}"


def origin_allowed(websocket: HTTPConnection, allowed_origins: Collection[str] | None) -> bool:
    """Check Origin against the allowlist, or the server's own origin if there is none."""
    origin = websocket.headers.get("origin")
    if origin is None:
        return True  # not a browser: nothing to forge, credentials still checked by the caller
    given = _normalise(origin)
    if given is None:
        return False
    if allowed_origins:
        return given in {_normalise(allowed) for allowed in allowed_origins}
    host = websocket.headers.get("host")
    if not host:
        return False
    # Behind a TLS proxy the scheme is right only with uvicorn's proxy headers; else list origins.
    scheme = "https" if websocket.url.scheme in ("wss", "https") else "http"
    return given == _normalise(f"{scheme}://{host}")


async def serve_channel(
    websocket: WebSocket,
    *,
    hub: Hub,
    channel: str,
    snapshot: Snapshot,
    heartbeat_seconds: float = 15.0,
    allowed_origins: Collection[str] | None = None,
    full_updates: bool = False,
) -> None:
    """Serve one channel until the client leaves (DESIGN.md, "Live protocol").

    The caller authenticates the handshake (session cookie or ``Authorization: Bearer``, as the
    API does) and checks that this client may see ``channel`` *before* calling; this function
    only checks Origin. It then sends ``{"type":"snapshot","seq","data"}`` with ``data`` from
    ``snapshot()`` and the hub's seq at that moment, forwards every later message of the
    channel in seq order, and sends ``{"type":"heartbeat","seq"}`` to every socket of the
    channel after ``heartbeat_seconds`` without traffic (a client whose seq differs resyncs).
    A client message ``{"type":"resync"}`` gets a fresh snapshot; others are ignored.

    All sockets of a channel in this process share one hub subscription and one task that
    sends each message's prebuilt text to each socket in turn. With ``full_updates`` (every
    message carries the whole picture) a snapshot is the latest message's data when it is
    current, so a thousand screens reconnecting at once cost no database work.
    """
    if heartbeat_seconds <= 0:
        raise ValueError(f"heartbeat_seconds must be positive, got {heartbeat_seconds}")
    if not origin_allowed(websocket, allowed_origins):
        logger.info("live: refused Origin %r on %s", websocket.headers.get("origin"), channel)
        await websocket.close(code=POLICY_VIOLATION)
        return
    await websocket.accept()
    registry: dict[str, _Fanout] = hub.fanouts
    fanout = registry.get(channel)
    if fanout is None:
        fanout = registry[channel] = _Fanout(
            registry, hub, channel, snapshot, heartbeat_seconds, full_updates
        )
    socket = _Socket(websocket)
    fanout.sockets.add(socket)  # before any await: the fan-out task sees it at once
    fanout.start()
    try:
        await fanout.ready.wait()
        if fanout.failed is not None:
            raise fanout.failed
        await fanout.send_snapshot(socket)
        while True:
            message = await websocket.receive()
            if message["type"] == "websocket.disconnect":
                return
            if _is_resync(message.get("text")):
                await fanout.send_snapshot(socket)
    except (WebSocketDisconnect, ClientGone):
        pass
    except HubUnavailable as exc:
        logger.warning("live: closing %s: %s", channel, exc)
        await _close(websocket, TRY_AGAIN_LATER)
    finally:
        fanout.sockets.discard(socket)
        if not fanout.sockets:
            fanout.stop()


ClientGone = OSError  # uvicorn raises its ClientDisconnected (an OSError) on a closed socket


async def _close(websocket: WebSocket, code: int) -> None:
    if websocket.application_state is WebSocketState.CONNECTED:
        try:
            await websocket.close(code=code)
        except (RuntimeError, ClientGone):
            pass


def _is_resync(text: str | None) -> bool:
    """True for a client frame ``{"type": "resync"}``."""
    if text is None:
        return False
    try:
        frame = json.loads(text)
    except ValueError:
        return False
    return isinstance(frame, dict) and frame.get("type") == "resync"


class _Socket:
    """One client: the last seq it was sent, and whether a snapshot for it is under way."""

    __slots__ = ("last_seq", "resyncing", "websocket")

    def __init__(self, websocket: WebSocket) -> None:
        self.websocket = websocket
        self.last_seq = 0
        self.resyncing = True

    async def send(self, text: str, seq: int) -> None:
        await self.websocket.send_text(text)
        self.last_seq = seq


class _Fanout:
    """Every local socket of one channel, fed by one hub subscription and one task."""

    def __init__(
        self,
        registry: dict[str, _Fanout],
        hub: Hub,
        channel: str,
        snapshot: Snapshot,
        heartbeat_seconds: float,
        full_updates: bool,
    ) -> None:
        self.registry, self.hub, self.channel = registry, hub, channel
        self.snapshot, self.heartbeat_seconds = snapshot, heartbeat_seconds
        self.full_updates = full_updates
        self.sockets: set[_Socket] = set()
        self.ready = asyncio.Event()
        self.failed: Exception | None = None
        self.last: Message | None = None
        self._snapshot_text: tuple[int, str] | None = None
        self._snapshot_pending: dict[int, asyncio.Future[str]] = {}
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        """Start the channel's task (once)."""
        if self._task is None:
            self._task = asyncio.get_running_loop().create_task(self._run())

    def stop(self) -> None:
        """The last socket left: unsubscribe now; a newcomer starts a fresh fan-out."""
        if self.registry.get(self.channel) is self:
            del self.registry[self.channel]
        if self._task is not None:
            self._task.cancel()

    async def _run(self) -> None:
        try:
            async with self.hub.subscribe(self.channel) as subscription:
                self.ready.set()
                await self._serve(subscription)
        except HubUnavailable as exc:
            self.failed = exc
            self.ready.set()
        except Exception:
            logger.exception("live: fan-out of %s failed", self.channel)
            await self._close_all(TRY_AGAIN_LATER)
        finally:
            if self.registry.get(self.channel) is self:
                del self.registry[self.channel]

    async def _serve(self, subscription: Subscription) -> None:
        while True:
            try:
                async with asyncio.timeout(self.heartbeat_seconds):
                    message = await subscription.get()
            except TimeoutError:
                seq = await self.hub.current_seq(self.channel)
                await self._broadcast(encode({"type": "heartbeat", "seq": seq}), None)
                continue
            if message is None:  # the hub stopped: screens reconnect with backoff
                self.registry.pop(self.channel, None)
                await self._close_all(SERVICE_RESTART)
                return
            self.last = message
            await self._broadcast(message.text, message.seq)

    async def _broadcast(self, text: str, seq: int | None) -> None:
        """Send one prebuilt frame to every socket; a socket stuck for 2 s is closed."""
        pending = [s for s in self.sockets if not s.resyncing]
        while pending:
            current: _Socket | None = None
            try:
                async with asyncio.timeout(2.0):
                    while pending:
                        current = pending.pop()
                        if seq is None:
                            await current.websocket.send_text(text)
                        elif seq > current.last_seq:
                            await current.send(text, seq)
            except TimeoutError:
                if current is not None:  # a client that stopped reading: let it reconnect
                    self.sockets.discard(current)
                    asyncio.get_running_loop().create_task(_close(current.websocket, 1011))
            except (ClientGone, RuntimeError, WebSocketDisconnect):
                if current is not None:
                    self.sockets.discard(current)

    async def send_snapshot(self, socket: _Socket) -> None:
        """Send a snapshot to one socket, then the newest message if it moved on meanwhile."""
        socket.resyncing = True
        try:
            seq = await self.hub.current_seq(self.channel)
            await socket.send(await self._snapshot_for(seq), seq)
            last = self.last
            if last is not None and last.seq > socket.last_seq:
                await socket.send(last.text, last.seq)
        finally:
            socket.resyncing = False

    async def _snapshot_for(self, seq: int) -> str:
        """The snapshot frame at `seq`, computed once however many sockets ask at the same time.

        Every change to what a channel shows is published, so the snapshot at one seq never
        changes: it is cached until the seq moves on.
        """
        cached = self._snapshot_text
        if cached is not None and cached[0] == seq:
            return cached[1]
        last = self.last
        if self.full_updates and last is not None and last.seq == seq:
            text = encode({"type": "snapshot", "seq": seq, "data": last.data})
            self._snapshot_text = (seq, text)
            return text
        pending = self._snapshot_pending.get(seq)
        if pending is None:
            pending = asyncio.ensure_future(self._compute_snapshot(seq))
            self._snapshot_pending[seq] = pending
        return await asyncio.shield(pending)

    async def _compute_snapshot(self, seq: int) -> str:
        try:
            text = encode({"type": "snapshot", "seq": seq, "data": await self.snapshot()})
            self._snapshot_text = (seq, text)
            return text
        finally:
            self._snapshot_pending.pop(seq, None)

    async def _close_all(self, code: int) -> None:
        for socket in list(self.sockets):
            await _close(socket.websocket, code)
        self.sockets.clear()
