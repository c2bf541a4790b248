"""The round's live channels over a real server: who may open which, and what each one carries."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import httpx
import pytest
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidStatus

from tests.conftest import Server, bearer
from tests.screens.support import campaign_rounds, submit


def as_json(token: str) -> dict[str, str]:
    return {**bearer(token), "Accept": "application/json"}


def ws_url(server: Server, path: str) -> str:
    return server.url.replace("http://", "ws://") + path


def open_ws(server: Server, path: str, token: str | None) -> Any:
    headers = bearer(token) if token else None
    return connect(ws_url(server, path), additional_headers=headers, proxy=None)


async def frame(ws: ClientConnection, timeout: float = 10) -> dict[str, Any]:
    """The next frame that is not a heartbeat (failing after `timeout` s rather than hanging)."""
    async with asyncio.timeout(timeout):
        while True:
            message = json.loads(await ws.recv())
            if message["type"] != "heartbeat":
                return message  # type: ignore[no-any-return]


def token_of(created: dict[str, Any], kind: str, code: str) -> str:
    return next(x["token"] for x in created[kind] if x["code"] == code)  # type: ignore[no-any-return]


async def test_handshake_checks_who_may_see_which_channel(
    server: Server,
    client: httpx.AsyncClient,
    organiser_token: str,
) -> None:
    _, current, _ = await campaign_rounds(client, organiser_token)
    rid = current["id"]
    v01, screen = token_of(current, "villages", "V01"), current["screen"]["token"]
    refused = [
        (f"/ws/rounds/{rid}", None),
        (f"/ws/rounds/{rid}/live", screen),
        (f"/ws/rounds/{rid}/live", v01),
        (f"/ws/rounds/{rid}/villages/V02", v01),
        (f"/ws/rounds/{rid}/villages/V02", screen),
        (f"/ws/rounds/{rid}/villages/V99", organiser_token),
        (f"/ws/rounds/{rid + 1000}", organiser_token),
    ]
    for path, token in refused:
        with pytest.raises(InvalidStatus) as caught:
            async with open_ws(server, path, token):
                pass
        assert caught.value.response.status_code == 403, path
    async with open_ws(server, f"/ws/rounds/{rid}/villages/V01", v01) as ws:
        snapshot = await frame(ws)
    assert snapshot["type"] == "snapshot"
    assert snapshot["data"]["breakdown"]["village"]["code"] == "V01"
    assert [t["round"] for t in snapshot["data"]["trend"]] == [rid - 1, rid]


async def test_participant_page_shows_only_its_own_village(
    server: Server,
    client: httpx.AsyncClient,
    organiser_token: str,
) -> None:
    _, current, _ = await campaign_rounds(client, organiser_token)
    rid = current["id"]
    v01 = token_of(current, "villages", "V01")
    own = await client.get(f"/village?round={rid}", headers=bearer(v01))
    assert own.status_code == 200
    assert 'data-village="V01"' in own.text and "/ws/rounds/" in own.text
    other = await client.get(f"/village?round={rid}&village=V02", headers=bearer(v01))
    assert other.status_code == 403
    api = await client.get(f"/api/v1/rounds/{rid}/villages/V02", headers=bearer(v01))
    assert api.status_code == 403
    wrong_round = await client.get(f"/village?round={rid - 1}", headers=bearer(v01))
    assert wrong_round.status_code == 403
    organiser = await client.get(
        f"/village?round={rid}&village=V02", headers=bearer(organiser_token)
    )
    assert organiser.status_code == 200 and 'data-village="V02"' in organiser.text
    anonymous = await client.get(f"/village?round={rid}")
    assert anonymous.status_code == 401


async def test_a_sheet_reaches_public_live_and_village_channels(
    server: Server,
    client: httpx.AsyncClient,
    organiser_token: str,
) -> None:
    _, current, definition = await campaign_rounds(client, organiser_token)
    rid = current["id"]
    screen, v03 = current["screen"]["token"], token_of(current, "villages", "V03")
    async with (
        open_ws(server, f"/ws/rounds/{rid}", screen) as public,
        open_ws(server, f"/ws/rounds/{rid}/live", organiser_token) as live,
        open_ws(server, f"/ws/rounds/{rid}/villages/V03", v03) as village,
    ):
        firsts = [await frame(ws) for ws in (public, live, village)]
        answer = await submit(client, current, definition, "J1", "V03", "shared", 1.0)
        assert answer.status_code == 201
        updates = [await frame(ws) for ws in (public, live, village)]
        # The village channel carries a hint; the page asks for its breakdown with a resync.
        await village.send('{"type":"resync"}')
        resynced = await frame(village)
    assert [u["type"] for u in updates] == ["standings", "standings", "changed"]
    assert resynced["type"] == "snapshot" and resynced["seq"] == updates[2]["seq"]
    assert [u["seq"] for u in updates] == [f["seq"] + 1 for f in firsts]
    assert updates[0]["data"]["rows"][0]["village"] == "V03"
    assert updates[0]["data"]["rows"][0]["total"] == 40
    assert updates[0]["data"]["reveal"] is None
    assert updates[1]["data"]["sheets_in"] == 1
    assert resynced["data"]["breakdown"]["papers"]["shared"]["score"] == 40


async def test_frozen_public_channel_ignores_scores_until_the_next_step(
    server: Server,
    client: httpx.AsyncClient,
    organiser_token: str,
) -> None:
    _, current, definition = await campaign_rounds(client, organiser_token)
    rid = current["id"]
    action = f"/admin/rounds/{rid}/reveal/"
    async with (
        open_ws(server, f"/ws/rounds/{rid}", current["screen"]["token"]) as public,
        open_ws(server, f"/ws/rounds/{rid}/live", organiser_token) as live,
    ):
        await frame(public), await frame(live)
        await submit(client, current, definition, "J1", "V02", "shared", 0.5)
        # Wait for that sheet's publication, so the freeze is the next public message.
        first_public, first_live = await frame(public), await frame(live)
        frozen = await client.post(action + "freeze", headers=as_json(organiser_token))
        assert frozen.json() == {
            "frozen": True,
            "revealed": 0,
            "count": 8,
            "next": {"position": 8, "rank": 2, "village": "V08", "name": "红岩村", "total": 0},
        }
        shown = await frame(public)
        assert (shown["seq"], shown["data"]["rows"], shown["data"]["reveal"]) == (
            first_public["seq"] + 1,
            [],
            {"frozen": True, "revealed": 0, "count": 8, "hidden": 8},
        )
        await submit(client, current, definition, "J1", "V08", "shared", 1.0)
        moved = await frame(live)
        assert (moved["seq"], moved["data"]["rows"][0]["village"]) == (first_live["seq"] + 1, "V08")
        stepped = await client.post(action + "step", headers=as_json(organiser_token))
        assert stepped.json()["revealed"] == 1
        step = await frame(public)
        # The score in between sent nothing to the screens: the step is the very next message.
        assert step["seq"] == shown["seq"] + 1
        assert [(r["village"], r["total"]) for r in step["data"]["rows"]] == [("V08", 0)]
        await client.post(action + "release", headers=as_json(organiser_token))
        released = await frame(public)
        assert released["data"]["reveal"] is None
        assert released["data"]["rows"][0]["village"] == "V08"
    refused = await client.post(action + "step", headers=as_json(organiser_token))
    assert refused.status_code == 409
    assert refused.json()["error"]["code"] == "reveal_not_frozen"
    judge = await client.post(action + "freeze", headers=as_json(token_of(current, "judges", "J1")))
    assert judge.status_code == 403


async def test_client_frames_over_the_size_limit_close_the_socket(
    server: Server,
    client: httpx.AsyncClient,
    organiser_token: str,
) -> None:
    _, current, _ = await campaign_rounds(client, organiser_token)
    limit = server.settings.live.max_message_bytes
    async with open_ws(server, f"/ws/rounds/{current['id']}", organiser_token) as ws:
        await frame(ws)
        await ws.send("x" * (limit + 1))
        with pytest.raises(ConnectionClosed) as closed:
            await frame(ws)
    assert closed.value.rcvd is not None and closed.value.rcvd.code == 1009
