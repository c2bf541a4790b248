"""The Origin check on the real sockets: a round's, a board's and a contest's.

A browser page on another site must not open a live channel with the credentials the browser
holds; the server's own pages must. Non-browser clients send no Origin and are judged on their
credentials alone.
"""

from __future__ import annotations

import httpx
import pytest
from websockets.asyncio.client import connect
from websockets.exceptions import InvalidStatus

from tests.boards.helpers import two_periods
from tests.conftest import Server, bearer, create_round
from tests.contests.test_flow import definition as contest_definition
from tests.live.test_ws_channels import frame, ws_url

FOREIGN = ("http://evil.example", "http://127.0.0.1:1", "https://127.0.0.1", "null")


async def _paths(client: httpx.AsyncClient, organiser: str) -> dict[str, str]:
    created = await create_round(client, organiser)
    _, board = await two_periods(client, organiser)
    r = await client.post("/api/v1/contests", json=contest_definition(), headers=bearer(organiser))
    assert r.status_code == 201, r.text
    return {
        "round": f"/ws/rounds/{created['id']}",
        "board": f"/ws/boards/{board}",
        "contest": f"/ws/contests/{r.json()['id']}",
    }


@pytest.mark.parametrize("kind", ["round", "board", "contest"])
async def test_foreign_origin_refused_own_origin_accepted(
    server: Server, client: httpx.AsyncClient, organiser_token: str, kind: str
) -> None:
    path = (await _paths(client, organiser_token))[kind]
    url = ws_url(server, path)
    for origin in FOREIGN:
        with pytest.raises(InvalidStatus) as refused:
            async with connect(
                url,
                origin=origin,
                additional_headers=bearer(organiser_token),
                proxy=None,  # type: ignore[arg-type]
            ) as ws:
                await frame(ws, timeout=5)
        assert refused.value.response.status_code == 403, origin
    # the server's own origin (as its pages send it), and no Origin at all (a script)
    for origin in (server.url, None):
        async with connect(
            url,
            origin=origin,
            additional_headers=bearer(organiser_token),
            proxy=None,  # type: ignore[arg-type]
        ) as ws:
            first = await frame(ws, timeout=5)
        assert (first["type"], first["seq"] >= 0) == ("snapshot", True), origin
