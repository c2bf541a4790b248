"""Board screens follow the board's live channel: an edit pushes a new version within a second."""

from __future__ import annotations

import asyncio

import httpx
import pytest
from websockets.exceptions import InvalidStatus

from tests.boards.helpers import two_periods
from tests.conftest import Server, bearer
from tests.live.test_ws_channels import frame, open_ws


async def test_follow_up_edit_reaches_the_board_channel(
    server: Server, client: httpx.AsyncClient, organiser_token: str
) -> None:
    _, now = await two_periods(client, organiser_token)
    async with open_ws(server, f"/ws/boards/{now}", organiser_token) as ws:
        first = await frame(ws)
        assert first["type"] == "snapshot" and len(first["data"]["version"]) == 16
        r = await client.put(
            f"/api/v1/boards/{now}/followups/E",
            headers=bearer(organiser_token),
            json={"leader": "王县长", "measures": "冷链项目", "status": "跟进中"},
        )
        assert r.status_code == 200, r.text
        # The import's own (delayed, coalesced) notice may still arrive first, carrying the
        # version the screen already has; the edit's notice carries a new one.
        updates = []
        async with asyncio.timeout(5):
            while not updates or updates[-1]["data"]["version"] == first["data"]["version"]:
                updates.append(await frame(ws))
    assert {u["type"] for u in updates} == {"changed"}
    assert [u["seq"] for u in updates] == list(
        range(first["seq"] + 1, first["seq"] + 1 + len(updates))
    )
    assert len(updates) <= 2


async def test_board_channel_needs_a_reader(
    server: Server, client: httpx.AsyncClient, organiser_token: str
) -> None:
    _, now = await two_periods(client, organiser_token)
    with pytest.raises(InvalidStatus) as refused:
        async with open_ws(server, f"/ws/boards/{now}", None) as ws:
            await ws.recv()
    assert refused.value.response.status_code == 403
