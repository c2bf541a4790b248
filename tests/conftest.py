"""Shared fixtures: one real Arena server per test session, in the session's event loop.

The database is SQLite in a temporary directory, or PostgreSQL when ARENA_TEST_DB_URL is set
(a fresh database is created for the session and dropped afterwards). Tortoise is initialised by
the server's lifespan in this process, so tests may also read the models directly.
"""

from __future__ import annotations

import asyncio
import os
import socket
import tempfile
import tomllib
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import httpx
import pytest
import pytest_asyncio
import uvicorn

from arena.app import create_app
from arena.auth import create_token
from arena.settings import Settings, load_settings
from tests.services import SERVICE_MARKERS, in_ci

EXAMPLE = Path(__file__).resolve().parent.parent / "arena" / "demo_data" / "round-2025q3.toml"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


# Compressed static files are named by content: every server the tests start shares one folder,
# so brotli-compressing plotly.min.js (~10 s of one core) happens once per machine, not per server.
STATIC_CACHE = os.environ.setdefault(
    "ARENA_STATIC_CACHE_DIR", str(Path(tempfile.gettempdir()) / "arena-test-static-cache")
)


# Where browser tests leave screenshots to look at (kept after the run; ignored by git).
SCREENSHOTS = Path(__file__).resolve().parent.parent / "screenshots"


def free_port() -> int:
    """A free TCP port on 127.0.0.1."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def example_definition(**changes: Any) -> dict[str, Any]:
    """The shipped 8-village, 7-judge round definition, with top-level keys changed."""
    data = tomllib.loads(EXAMPLE.read_text("utf-8"))
    data.update(changes)
    return data


async def _postgres_database(url: str) -> tuple[str, str]:
    import asyncpg

    name = f"arena_test_{uuid.uuid4().hex[:10]}"
    admin = url.rsplit("/", 1)[0] + "/postgres"
    conn = await asyncpg.connect(admin.replace("postgres://", "postgresql://", 1))
    try:
        await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()
    return url.rsplit("/", 1)[0] + "/" + name, name


async def _drop_postgres(url: str, name: str) -> None:
    import asyncpg

    admin = url.rsplit("/", 1)[0] + "/postgres"
    conn = await asyncpg.connect(admin.replace("postgres://", "postgresql://", 1))
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await conn.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    """Under CI=true a test marked postgres or redis may not skip: that is a failed run."""
    report = yield
    if report.skipped and in_ci():
        needs = [m for m in SERVICE_MARKERS if item.get_closest_marker(m)]
        if needs:
            report.outcome = "failed"
            report.longrepr = f"CI=true: a test that needs {' and '.join(needs)} was skipped"
    return report


@dataclass
class Server:
    """The running test server."""

    url: str
    settings: Settings
    app: Any


@pytest.fixture(scope="session")
def base_url() -> None:
    """No Playwright base URL: tests open the test server's full addresses."""
    return None


@pytest.fixture(scope="session")
def browser_type_launch_args() -> dict[str, Any]:
    """Debian's Chromium, headless, with no traffic beyond this machine."""
    return {"executable_path": CHROMIUM, "args": CHROMIUM_ARGS, "headless": True}


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def server(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Server]:
    data_dir = tmp_path_factory.mktemp("arena-data")
    port = free_port()
    pg_url = os.environ.get("ARENA_TEST_DB_URL", "")
    db_url, pg_name = "", ""
    if pg_url:
        db_url, pg_name = await _postgres_database(pg_url)
    settings = replace(
        load_settings(environ={}),
        data_dir=data_dir,
        db_url=db_url,
        port=port,
        base_url=f"http://127.0.0.1:{port}",
        static_cache_dir=STATIC_CACHE,
    )
    settings = replace(
        settings,
        live=replace(settings.live, heartbeat_seconds=2, publish_delay_seconds=0.02),
        auth=replace(settings.auth, token_cache_seconds=0),
    )
    app = create_app(settings)
    config = uvicorn.Config(
        app,
        host="127.0.0.1",
        port=port,
        log_level="warning",
        ws_max_size=settings.live.max_message_bytes,
    )
    uv = uvicorn.Server(config)
    task = asyncio.get_running_loop().create_task(uv.serve())
    while not uv.started:
        if task.done():
            task.result()
        await asyncio.sleep(0.02)
    try:
        yield Server(f"http://127.0.0.1:{port}", settings, app)
    finally:
        uv.should_exit = True
        await task
        if pg_name:
            await _drop_postgres(pg_url, pg_name)


@pytest_asyncio.fixture(loop_scope="session")
async def client(server: Server) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=server.url, timeout=20) as c:
        yield c


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def organiser_token(server: Server) -> str:
    return await create_token("organiser", "测试组织者")


def bearer(token: str) -> dict[str, str]:
    """The Authorization header for a token."""
    return {"Authorization": f"Bearer {token}"}


async def create_round(
    client: httpx.AsyncClient, organiser_token: str, definition: dict[str, Any] | None = None
) -> dict[str, Any]:
    """Create a round (by default the example one under a new campaign); return the answer."""
    data = definition or example_definition(campaign=f"测试行动-{uuid.uuid4().hex[:8]}")
    response = await client.post("/api/v1/rounds", json=data, headers=bearer(organiser_token))
    assert response.status_code == 201, response.text
    return response.json()  # type: ignore[no-any-return]


@pytest.fixture
def screenshots_dir() -> Iterator[Path]:
    """Where browser tests leave screenshots to look at (kept after the run)."""
    path = SCREENSHOTS
    path.mkdir(exist_ok=True)
    yield path
