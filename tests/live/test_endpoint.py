"""The live WebSocket session, served by a real uvicorn and read by a websockets client."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any, cast

import pytest
import uvicorn
from starlette.applications import Starlette
from starlette.requests import HTTPConnection
from starlette.routing import WebSocketRoute
from starlette.websockets import WebSocket
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidStatus
from websockets.typing import Origin

from arena.live.channels import parse_channel
from arena.live.endpoint import origin_allowed, serve_channel
from arena.live.hub import Hub, HubUnavailable, Message
from arena.live.memory import MemoryHub


class StubHub(Hub):
    """A one-process hub whose seq the test can move without delivering (a lost message)."""

    def __init__(self) -> None:
        super().__init__()
        self.seq = 0

    async def start(self) -> None:
        """Nothing to start."""

    async def stop(self) -> None:
        """Close every subscription."""
        self._close_subscriptions()

    async def publish(self, channel: str, type: str, data: Any) -> Message:
        """Deliver locally with the next seq."""
        self.seq += 1
        message = Message(channel, self.seq, type, data)
        self._deliver(message)
        return message

    async def current_seq(self, channel: str) -> int:
        """The seq the test set."""
        return self.seq


class DownHub(StubHub):
    """A hub whose backend is unreachable."""

    async def current_seq(self, channel: str) -> int:
        """Fail as RedisHub does when Redis is down."""
        raise HubUnavailable("live hub: cannot read seq (test)")


@dataclass
class Live:
    """The running test server and what its sessions read."""

    port: int
    hubs: dict[str, Hub]
    snapshots: dict[str, Any] = field(default_factory=dict)

    @property
    def hub(self) -> Hub:
        return self.hubs["memory"]

    def url(self, name: str, **query: str) -> str:
        params = "&".join(f"{key}={value}" for key, value in query.items())
        return f"ws://127.0.0.1:{self.port}/ws/{name}" + (f"?{params}" if params else "")

    def connect(self, name: str, origin: str | None = None, **query: str) -> connect:
        header = Origin(origin) if origin is not None else None
        return connect(self.url(name, **query), origin=header, proxy=None)


@pytest.fixture(scope="module")
async def live() -> AsyncIterator[Live]:
    """A Starlette app on a real uvicorn at 127.0.0.1:<free port>, for this module."""
    state = Live(port=0, hubs={"memory": MemoryHub(), "stub": StubHub(), "down": DownHub()})

    async def endpoint(websocket: WebSocket) -> None:
        name = websocket.path_params["name"]
        parse_channel(name)
        query = websocket.query_params

        async def snapshot() -> Any:
            return state.snapshots.get(name, {})

        await serve_channel(
            websocket,
            hub=state.hubs[query.get("hub", "memory")],
            channel=name,
            snapshot=snapshot,
            heartbeat_seconds=float(query.get("heartbeat", "15")),
            allowed_origins=query.getlist("allow") or None,
        )

    app = Starlette(routes=[WebSocketRoute("/ws/{name}", endpoint)])
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    state.port = sock.getsockname()[1]
    config = uvicorn.Config(
        app, lifespan="off", log_config=None, log_level="warning", timeout_graceful_shutdown=2
    )
    server = uvicorn.Server(config)
    serving = asyncio.create_task(server.serve(sockets=[sock]))
    async with asyncio.timeout(5):
        while not server.started:
            assert not serving.done(), "uvicorn did not start"
            await asyncio.sleep(0.01)
    yield state
    server.should_exit = True
    await serving


async def receive(websocket: ClientConnection) -> str | bytes:
    """The next frame, failing the test rather than hanging."""
    async with asyncio.timeout(2):
        return await websocket.recv()


async def until(condition: Any) -> None:
    """Wait until condition() is true, for at most two seconds."""
    async with asyncio.timeout(2):
        while not condition():
            await asyncio.sleep(0.01)


async def test_snapshot_first_then_updates_in_seq_order(live: Live) -> None:
    live.snapshots["round:1"] = {"村": "西裴村", "total": 0}
    async with live.connect("round:1") as websocket:
        assert await receive(websocket) == (
            '{"type":"snapshot","seq":0,"data":{"村":"西裴村","total":0}}'
        )
        for total in (80, 85.5, 90):
            await live.hub.publish("round:1", "standings", {"total": total})
        assert await receive(websocket) == '{"type":"standings","seq":1,"data":{"total":80}}'
        assert await receive(websocket) == '{"type":"standings","seq":2,"data":{"total":85.5}}'
        assert await receive(websocket) == '{"type":"standings","seq":3,"data":{"total":90}}'


async def test_snapshot_carries_the_current_seq(live: Live) -> None:
    await live.hub.publish("round:2", "standings", {"total": 1})
    await live.hub.publish("round:2", "standings", {"total": 2})
    live.snapshots["round:2"] = {"total": 2}
    async with live.connect("round:2") as websocket:
        assert await receive(websocket) == '{"type":"snapshot","seq":2,"data":{"total":2}}'
        await live.hub.publish("round:2", "standings", {"total": 3})
        assert await receive(websocket) == '{"type":"standings","seq":3,"data":{"total":3}}'


async def test_heartbeat_when_quiet(live: Live) -> None:
    async with live.connect("round:3", heartbeat="0.2") as websocket:
        assert await receive(websocket) == '{"type":"snapshot","seq":0,"data":{}}'
        started = asyncio.get_running_loop().time()
        assert await receive(websocket) == '{"type":"heartbeat","seq":0}'
        assert asyncio.get_running_loop().time() - started >= 0.15
        await live.hub.publish("round:3", "standings", None)
        assert await receive(websocket) == '{"type":"standings","seq":1,"data":null}'
        assert await receive(websocket) == '{"type":"heartbeat","seq":1}'


async def test_lost_message_shows_in_the_heartbeat_and_resync_recovers(live: Live) -> None:
    stub = live.hubs["stub"]
    assert isinstance(stub, StubHub)
    async with live.connect("round:4", hub="stub", heartbeat="0.2") as websocket:
        assert await receive(websocket) == '{"type":"snapshot","seq":0,"data":{}}'
        live.snapshots["round:4"] = {"total": 7}
        stub.seq += 1  # published, but never delivered here
        # The heartbeat carries the channel's seq; the client sees 1 != 0 and asks to resync.
        assert await receive(websocket) == '{"type":"heartbeat","seq":1}'
        await websocket.send('{"type":"resync"}')
        assert await receive(websocket) == '{"type":"snapshot","seq":1,"data":{"total":7}}'


async def test_resync_sends_a_fresh_snapshot(live: Live) -> None:
    live.snapshots["round:5"] = {"total": 1}
    async with live.connect("round:5") as websocket:
        assert await receive(websocket) == '{"type":"snapshot","seq":0,"data":{"total":1}}'
        await live.hub.publish("round:5", "standings", {"total": 2})
        assert await receive(websocket) == '{"type":"standings","seq":1,"data":{"total":2}}'
        live.snapshots["round:5"] = {"total": 2}
        await websocket.send("not json")
        await websocket.send('{"type":"hello"}')
        await websocket.send(b'{"type":"resync"}')  # binary frames are ignored
        await websocket.send('{"type":"resync"}')
        assert await receive(websocket) == '{"type":"snapshot","seq":1,"data":{"total":2}}'
        await live.hub.publish("round:5", "standings", {"total": 3})
        assert await receive(websocket) == '{"type":"standings","seq":2,"data":{"total":3}}'


async def test_foreign_origin_is_refused(live: Live) -> None:
    with pytest.raises(InvalidStatus) as refused:
        async with live.connect("round:6", origin="http://evil.example"):
            pass
    assert refused.value.response.status_code == 403
    assert live.hub.subscribers("round:6") == 0
    async with live.connect("round:6", origin=f"http://127.0.0.1:{live.port}") as websocket:
        assert await receive(websocket) == '{"type":"snapshot","seq":0,"data":{}}'


async def test_allowlist_replaces_the_own_origin(live: Live) -> None:
    allow = "https://arena.example"
    async with live.connect("round:7", origin=allow, allow=allow) as websocket:
        assert await receive(websocket) == '{"type":"snapshot","seq":0,"data":{}}'
    with pytest.raises(InvalidStatus) as refused:
        async with live.connect("round:7", origin=f"http://127.0.0.1:{live.port}", allow=allow):
            pass
    assert refused.value.response.status_code == 403


async def test_client_leaving_ends_the_session(live: Live) -> None:
    async with live.connect("round:8") as websocket:
        await receive(websocket)
        assert live.hub.subscribers("round:8") == 1
    await until(lambda: live.hub.subscribers("round:8") == 0)
    assert (await live.hub.publish("round:8", "standings", 1)).seq == 1


async def test_hub_stopping_closes_with_service_restart(live: Live) -> None:
    live.hubs["closing"] = hub = MemoryHub()
    async with live.connect("round:9", hub="closing") as websocket:
        await receive(websocket)
        await hub.stop()
        with pytest.raises(ConnectionClosed) as closed:
            await receive(websocket)
    assert closed.value.rcvd is not None
    assert closed.value.rcvd.code == 1012


async def test_unreachable_backend_closes_with_try_again_later(live: Live) -> None:
    async with live.connect("round:10", hub="down") as websocket:
        with pytest.raises(ConnectionClosed) as closed:
            await receive(websocket)
    assert closed.value.rcvd is not None
    assert closed.value.rcvd.code == 1013
    assert live.hubs["down"].subscribers("round:10") == 0


async def test_heartbeat_must_be_positive() -> None:
    async def snapshot() -> Any:
        return {}

    with pytest.raises(ValueError, match="heartbeat_seconds must be positive, got 0"):
        await serve_channel(
            cast(WebSocket, None),
            hub=MemoryHub(),
            channel="round:1",
            snapshot=snapshot,
            heartbeat_seconds=0,
        )


def connection(headers: dict[str, str], scheme: str = "ws") -> HTTPConnection:
    """A bare WebSocket scope with these headers, for origin checks."""
    scope = {
        "type": "websocket",
        "scheme": scheme,
        "path": "/ws/round:1",
        "headers": [(key.encode(), value.encode()) for key, value in headers.items()],
    }
    return HTTPConnection(scope)


@pytest.mark.parametrize(
    ("headers", "scheme", "allowed", "expected"),
    [
        ({"host": "arena.example"}, "ws", None, True),  # no Origin: not a browser
        ({"host": "arena.example", "origin": "http://arena.example"}, "ws", None, True),
        ({"host": "arena.example:80", "origin": "http://Arena.Example"}, "ws", None, True),
        ({"host": "arena.example", "origin": "https://arena.example:443"}, "wss", None, True),
        ({"host": "arena.example", "origin": "https://arena.example"}, "ws", None, False),
        ({"host": "arena.example", "origin": "http://arena.example:8080"}, "ws", None, False),
        ({"host": "arena.example", "origin": "http://evil.example"}, "ws", (), False),
        ({"host": "arena.example", "origin": "null"}, "ws", None, False),
        ({"host": "[::1]:8000", "origin": "http://[::1]:8000"}, "ws", None, True),
        ({"origin": "http://arena.example"}, "ws", None, False),  # no Host to compare with
        (
            {"host": "a", "origin": "https://screen.example"},
            "ws",
            ["https://screen.example/"],
            True,
        ),
        ({"host": "a", "origin": "http://a"}, "ws", ["https://screen.example"], False),
        ({"host": "a", "origin": "http://a:99999"}, "ws", None, False),
    ],
)
def test_origin_allowed(
    headers: dict[str, str], scheme: str, allowed: list[str] | None, expected: bool
) -> None:
    assert origin_allowed(connection(headers, scheme), allowed) is expected
