"""What the trust battery's HTTP and WebSocket tests share: a small round, sockets, frames."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import httpx
from websockets.asyncio.client import ClientConnection, connect

from tests.api.helpers import new_campaign, post_sheet, small_definition, tokens
from tests.conftest import Server, bearer, create_round

__all__ = ["new_campaign", "post_sheet", "small_definition", "tokens"]


def ws_url(server: Server, path: str) -> str:
    return server.url.replace("http://", "ws://") + path


def open_ws(server: Server, path: str, token: str | None) -> Any:
    """A WebSocket to the test server with a bearer token (no Origin: not a browser)."""
    headers = bearer(token) if token else None
    return connect(ws_url(server, path), additional_headers=headers, proxy=None, open_timeout=10)


async def frame(ws: ClientConnection, timeout: float = 10) -> dict[str, Any]:
    """The next frame that is not a heartbeat (fails after `timeout` seconds)."""
    async with asyncio.timeout(timeout):
        while True:
            message = json.loads(await ws.recv())
            if message["type"] != "heartbeat":
                return message  # type: ignore[no-any-return]


async def small_round(client: httpx.AsyncClient, organiser_token: str) -> dict[str, Any]:
    """Villages A, B, C and judges J1–J5 (J5 recused from C), tests/api/helpers.py."""
    return await create_round(client, organiser_token, small_definition(new_campaign()))


def everything(value: Any) -> str:
    """All text of a JSON answer, to search for what must not be there."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True)
