"""A second Arena front end on the test session's database, served over HTTPS at a venue name.

The session's server (tests/conftest.py) opened the database; the front ends made here share
it through their own Services (as a second worker process would), so a judge link created on
one works on the other. The HTTPS server uses the certificate `arena tls init` makes, with the
uvicorn options `arena serve` uses; a second, plain-http server serves the same app.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import uvicorn

from arena.app import create_app
from arena.auth import load_server_key
from arena.live.backends import make_hub
from arena.services.core import Services
from arena.settings import Settings
from arena.venue.serve import uvicorn_options
from arena.venue.tls import VenueFiles, init_venue
from arena.venue.transport import Transport, effective_settings, transport
from tests.conftest import Server, free_port


@dataclass
class Venue:
    https_port: int
    plain_port: int
    settings: Settings  # the HTTPS server's, base_url as `arena serve` derives it
    served: Transport
    files: VenueFiles


class _SharedState:
    """uvicorn's lifespan slot, handing each request the services built by the test."""

    def __init__(self, state: dict[str, Any]) -> None:
        self.state = state
        self.should_exit = False

    async def startup(self) -> None:
        pass

    async def shutdown(self) -> None:
        pass


async def _start(app: Any, options: dict[str, Any], state: dict[str, Any]) -> uvicorn.Server:
    config = uvicorn.Config(app, **options)
    config.load()
    config.lifespan_class = lambda _config: _SharedState(state)  # type: ignore[assignment]
    uv = uvicorn.Server(config)
    task = asyncio.get_running_loop().create_task(uv.serve())
    uv.task = task  # type: ignore[attr-defined]
    while not uv.started:
        if task.done():
            task.result()
        await asyncio.sleep(0.02)
    return uv


@asynccontextmanager
async def venue_servers(
    server: Server, data_dir: Path, hosts: Sequence[str], **tls: Any
) -> AsyncIterator[Venue]:
    """HTTPS on 127.0.0.1:<free port> for ``hosts`` (mapped there by the test) and plain http."""
    files = init_venue(data_dir, "测试场地", hosts)
    key = load_server_key(server.settings.data_dir, server.settings.secret_key).decode()
    https_port, plain_port = free_port(), free_port()
    settings = replace(
        server.settings,
        data_dir=data_dir,
        secret_key=key,
        base_url="",
        host="127.0.0.1",
        port=https_port,
        tls=replace(server.settings.tls, http_port=plain_port, **tls),
    )
    served = transport(settings)
    settings = effective_settings(settings, served)
    app = create_app(settings)
    hub = make_hub(settings.live.backend)
    await hub.start()
    services = Services(settings, hub)
    state = {"services": services}
    options = uvicorn_options(settings, served)
    plain = {**options, "port": plain_port}
    plain.pop("ssl_certfile")
    plain.pop("ssl_keyfile")
    secure_server = await _start(app, options, state)
    plain_server = await _start(app, plain, state)
    try:
        yield Venue(https_port, plain_port, settings, served, files)
    finally:
        for uv in (secure_server, plain_server):
            uv.should_exit = True
            await uv.task  # type: ignore[attr-defined]
        await services.publisher.drain()
        await hub.stop()
