"""Replacing a personal link cuts every socket opened with the old one: in the process that
replaced it at once, in any other process within token_cache_seconds (the shipped 5 s)."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import httpx
import pytest
from websockets.exceptions import ConnectionClosed

from tests.conftest import Server, bearer
from tests.services import require_redis
from tests.trust.database import REPO
from tests.trust.process import ServerProcess
from tests.trust.support import frame, open_ws, small_round, tokens, ws_url


async def closed_within(ws: object, seconds: float) -> float:
    """Seconds until the server closes the socket (frames meanwhile are read and dropped)."""
    started = time.monotonic()
    try:
        async with asyncio.timeout(seconds):
            while True:
                await ws.recv()  # type: ignore[attr-defined]
    except ConnectionClosed as closed:
        assert closed.rcvd is not None and closed.rcvd.code == 1008
        return time.monotonic() - started
    raise AssertionError("still open")  # pragma: no cover  (asyncio.timeout raised)


async def test_replaced_links_close_their_sockets_in_this_process(
    server: Server, client: httpx.AsyncClient, organiser_token: str
) -> None:
    created = await small_round(client, organiser_token)
    rid = created["id"]
    village, judge = tokens(created, "villages")["A"], tokens(created)["J2"]
    screen = created["screen"]["token"]
    # A village's phone opened through its link: the cookie session, not the bearer secret.
    phone = httpx.AsyncClient(base_url=server.url, timeout=20)
    r = await phone.get(f"/v/{village}", follow_redirects=False)
    assert r.status_code in (302, 303), r.text
    cookie = "; ".join(f"{k}={v}" for k, v in phone.cookies.items())
    await phone.aclose()
    from websockets.asyncio.client import connect

    sockets = {
        "participant (cookie)": connect(
            ws_url(server, f"/ws/rounds/{rid}/villages/A"),
            additional_headers={"Cookie": cookie},
            proxy=None,
        ),  # fmt: skip
        "screen": open_ws(server, f"/ws/rounds/{rid}", screen),
        "judge": open_ws(server, f"/ws/rounds/{rid}", judge),
    }
    replace = {"participant (cookie)": ("participant", "A"), "screen": ("screen", "screen"),
               "judge": ("judge", "J2")}  # fmt: skip
    for name, opening in sockets.items():
        async with opening as ws:
            assert (await frame(ws))["type"] == "snapshot", name
            role, code = replace[name]
            r = await client.post(
                f"/api/v1/rounds/{rid}/links", json={"role": role, "code": code},
                headers=bearer(organiser_token),
            )  # fmt: skip
            assert r.status_code == 201, r.text
            # This process swept at once (a margin for a loaded CI machine, not a benchmark).
            assert await closed_within(ws, 5) < 3.0, name


@pytest.mark.parametrize("hub", ["memory", "redis"])
async def test_a_replaced_link_is_cut_on_another_process_within_token_cache_seconds(
    server: Server, client: httpx.AsyncClient, organiser_token: str, tmp_path: Path, hub: str
) -> None:
    # The other process's live hub: its own memory, or Redis (as several hosts would run).
    backend = await require_redis() if hub == "redis" else "memory"
    created = await small_round(client, organiser_token)
    rid, village = created["id"], tokens(created, "villages")["B"]
    env = {
        "PATH": "/usr/bin:/bin", "PYTHONPATH": str(REPO),
        "ARENA_DATA_DIR": str(server.settings.data_dir), "ARENA_DB_URL": server.settings.db_url,
        "ARENA_AUTH_TOKEN_CACHE_SECONDS": "5", "ARENA_LIVE_HEARTBEAT_SECONDS": "1",
        "ARENA_LIVE_BACKEND": backend,
    }  # fmt: skip
    other = ServerProcess(env, tmp_path / "other.log").start()
    try:
        url = other.url.replace("http://", "ws://") + f"/ws/rounds/{rid}/villages/B"
        from websockets.asyncio.client import connect

        async with connect(url, additional_headers=bearer(village), proxy=None) as ws:
            assert (await frame(ws))["type"] == "snapshot"
            r = await client.post(
                f"/api/v1/rounds/{rid}/links", json={"role": "participant", "code": "B"},
                headers=bearer(organiser_token),
            )  # fmt: skip
            assert r.status_code == 201
            replaced = time.monotonic()
            # The other process learns it from the database at its next sweep, ≤ 5 s later (the
            # bound leaves a margin for a loaded CI machine; what fails is a socket left open).
            assert await closed_within(ws, 10) < 8.0
        await asyncio.sleep(max(0.0, replaced + 5.2 - time.monotonic()))  # its cache lapsed too
        r = httpx.get(f"{other.url}/api/v1/rounds/{rid}/standings", headers=bearer(village))
        assert r.status_code == 401
    finally:
        other.stop()
