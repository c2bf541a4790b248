"""Two server processes, one PostgreSQL, one Redis: a sheet posted to A reaches B's screen."""

from __future__ import annotations

import asyncio
import json
import os
import secrets
import subprocess
import sys
import time
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from websockets.asyncio.client import connect

from tests.conftest import bearer, example_definition, free_port
from tests.screens.support import submit
from tests.services import require_postgres, require_redis

pytestmark = [pytest.mark.postgres, pytest.mark.redis]

ARENA = [sys.executable, "-c", "from arena.cli import main; raise SystemExit(main())"]


async def _reachable() -> tuple[str, str]:
    """The PostgreSQL and Redis URLs to use; skip with the reason (fail under CI) when missing."""
    return await require_postgres(), await require_redis()


def _wait_until_up(process: subprocess.Popen[bytes], url: str) -> None:
    with httpx.Client(timeout=1) as c:
        for _ in range(400):
            if process.poll() is not None:
                raise RuntimeError(f"server at {url} exited with {process.returncode}")
            try:
                if c.get(url + "/").status_code == 200:
                    return
            except httpx.TransportError:
                time.sleep(0.05)
    raise RuntimeError(f"server at {url} did not start")


@pytest.fixture
async def cluster(tmp_path: Path) -> AsyncIterator[tuple[list[str], str]]:
    """Two uvicorn processes sharing a fresh PostgreSQL database, Redis and the secret key."""
    import asyncpg

    pg, redis_url = await _reachable()
    name = f"arena_scale_{uuid.uuid4().hex[:10]}"
    admin = pg.replace("postgres://", "postgresql://", 1)
    conn = await asyncpg.connect(admin)
    await conn.execute(f'CREATE DATABASE "{name}"')
    await conn.close()
    db_url = pg.rsplit("/", 1)[0] + "/" + name
    ports = [free_port(), free_port()]
    env = {
        **os.environ,
        "ARENA_DB_URL": db_url,
        "ARENA_LIVE_BACKEND": redis_url,
        "ARENA_SECRET_KEY": secrets.token_hex(32),
        "ARENA_DATA_DIR": str(tmp_path),
        "ARENA_BASE_URL": f"http://127.0.0.1:{ports[0]}",
    }
    token = subprocess.run(
        [*ARENA, "token", "create", "--role", "organiser", "--name", "测试"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()[-1]
    processes = []
    try:
        for port in ports:  # one after the other: the first applies the migrations
            process = subprocess.Popen(
                [*ARENA, "serve", "--port", str(port)],
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            processes.append(process)
            await asyncio.to_thread(_wait_until_up, process, f"http://127.0.0.1:{port}")
        yield [f"http://127.0.0.1:{port}" for port in ports], token
    finally:
        for process in processes:
            process.terminate()
            process.wait(timeout=15)
        conn = await asyncpg.connect(admin)
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await conn.close()


async def test_sheet_on_process_a_reaches_screen_on_process_b(
    cluster: tuple[list[str], str],
) -> None:
    (a, b), token = cluster
    definition = example_definition(campaign=f"测试行动-{uuid.uuid4().hex[:8]}")
    async with httpx.AsyncClient(base_url=a, timeout=20) as client:
        created = (
            await client.post("/api/v1/rounds", json=definition, headers=bearer(token))
        ).json()
        screen = created["screen"]["token"]
        ws = b.replace("http://", "ws://") + f"/ws/rounds/{created['id']}"
        async with connect(ws, additional_headers=bearer(screen), proxy=None) as socket:
            snapshot = json.loads(await asyncio.wait_for(socket.recv(), 10))
            assert (snapshot["type"], snapshot["data"]["sheets_in"]) == ("snapshot", 0)
            answer = await submit(client, created, definition, "J2", "V06", "shared", 1.0)
            assert answer.status_code == 201, answer.text
            while (update := json.loads(await asyncio.wait_for(socket.recv(), 10)))[
                "type"
            ] == "heartbeat":
                pass
    assert (update["type"], update["seq"]) == ("standings", snapshot["seq"] + 1)
    assert update["data"]["sheets_in"] == 1
    assert (update["data"]["rows"][0]["village"], update["data"]["rows"][0]["total"]) == ("V06", 40)
