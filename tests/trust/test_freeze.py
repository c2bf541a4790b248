"""From the freeze until a place is announced only organisers can learn it (DESIGN.md, "Live
protocol"): every reader a judge, a screen or a village has sees the board as it stood at the
freeze plus the places already announced, through the API, the judge app and every socket."""

from __future__ import annotations

import asyncio
import json

import httpx

from tests.conftest import Server, bearer
from tests.trust.matrix import endpoints
from tests.trust.support import everything, frame, open_ws, post_sheet, small_round, tokens


async def test_frozen_board_leaks_nothing_to_judges_screens_or_villages(
    server: Server, client: httpx.AsyncClient, organiser_token: str
) -> None:
    created = await small_round(client, organiser_token)
    rid = created["id"]
    judges, villages = tokens(created), tokens(created, "villages")
    screen = created["screen"]["token"]
    org = bearer(organiser_token)
    # One judge (J1) scores the shared paper only; fewer than 5 judges → the mean of one sheet:
    # A = 9 + 9 = 18, B = 5 + 5 = 10, C = 2 + 2 = 4 → places A 1, B 2, C 3 at the freeze.
    for code, points in (("A", 9), ("B", 5), ("C", 2)):
        r = await post_sheet(client, judges["J1"], rid, code, "shared", {"a": points, "b": points})
        assert r.status_code == 201, r.text
    r = await client.post(f"/admin/rounds/{rid}/reveal/freeze", headers=org)
    assert r.status_code == 200, r.text
    async with (
        open_ws(server, f"/ws/rounds/{rid}", screen) as screen_ws,
        open_ws(server, f"/ws/rounds/{rid}/villages/C", villages["C"]) as village_ws,
    ):
        assert (await frame(screen_ws))["data"]["rows"] == []
        first = await frame(village_ws)
        assert first["data"]["breakdown"]["withheld"] is True
        # After the freeze J1 rescores C: 10 + 10 = 20, the live leader (20 > 18).
        r = await post_sheet(client, judges["J1"], rid, "C", "shared", {"a": 10, "b": 10})
        assert r.status_code == 201
        live = (await client.get(f"/api/v1/rounds/{rid}/standings", headers=org)).json()
        assert [(x["village"], x["total"], x["rank"]) for x in live["rows"]] == [
            ("C", 20, 1),
            ("A", 18, 2),
            ("B", 10, 3),
        ]  # fmt: skip  (the organiser's view stays live)
        # Whatever arrives on the public sockets meanwhile shows no place and no total.
        for ws in (screen_ws, village_ws):
            try:
                while True:
                    message = json.loads(await asyncio.wait_for(ws.recv(), 1.5))
                    if message["type"] == "standings":
                        assert message["data"]["rows"] == []
            except TimeoutError:
                pass
        await village_ws.send(json.dumps({"type": "resync"}))
        resynced = await frame(village_ws)
        assert resynced["data"]["breakdown"]["withheld"] is True
        withheld = resynced["data"]["breakdown"]
        assert set(withheld) == {
            "round",
            "village",
            "withheld",
            "rank_hidden",
            "rank",
            "total",
            "audit_hash",
        }  # fmt: skip  (no paper, no figure)
        assert resynced["data"]["profile"] == resynced["data"]["trend"] == []

        readers = {
            "screen": screen,
            "J1": judges["J1"],
            **{f"village {c}": t for c, t in villages.items()},
        }
        for who, token in readers.items():
            standings = (
                await client.get(f"/api/v1/rounds/{rid}/standings", headers=bearer(token))
            ).json()
            assert standings["rows"] == [], who
            assert standings["reveal"] == {"frozen": True, "revealed": 0, "count": 3, "hidden": 3}
        for code, token in villages.items():
            own = (
                await client.get(f"/api/v1/rounds/{rid}/villages/{code}", headers=bearer(token))
            ).json()
            assert own["withheld"] is True and own["total"] is None and own["rank"] is None
            assert "papers" not in own and "weak_items" not in own, code
        state = (await client.get("/judge/api/state", headers=bearer(judges["J1"]))).json()
        assert "rank" not in everything(state) and "standings" not in state

        # The last place (C, frozen total 4) is announced: C sees its page as at the freeze.
        r = await client.post(f"/admin/rounds/{rid}/reveal/step", headers=org)
        assert r.status_code == 200
        standings = (
            await client.get(f"/api/v1/rounds/{rid}/standings", headers=bearer(screen))
        ).json()
        assert [(x["village"], x["total"], x["rank"]) for x in standings["rows"]] == [("C", 4, 3)]
        own = (
            await client.get(f"/api/v1/rounds/{rid}/villages/C", headers=bearer(villages["C"]))
        ).json()
        assert (own["total"], own["rank"], own["papers"]["shared"]["score"]) == (4, 3, 4)
        for code in "AB":
            own = (
                await client.get(
                    f"/api/v1/rounds/{rid}/villages/{code}", headers=bearer(villages[code])
                )
            ).json()
            assert own["withheld"] is True, code
        assert (await frame(screen_ws))["data"]["rows"][0]["village"] == "C"

    # Release: everyone sees the live board again (C first with 20).
    await client.post(f"/admin/rounds/{rid}/reveal/release", headers=org)
    standings = (
        await client.get(f"/api/v1/rounds/{rid}/standings", headers=bearer(villages["B"]))
    ).json()
    assert [(x["village"], x["total"]) for x in standings["rows"]] == [
        ("C", 20),
        ("A", 18),
        ("B", 10),
    ]


async def test_no_reader_of_the_round_shows_a_hidden_figure(
    server: Server, client: httpx.AsyncClient, organiser_token: str
) -> None:
    """Every GET route and socket of the routing table, read by the round's judge, screen and
    villages during the freeze: no hidden total appears anywhere, before or after new scores."""
    created = await small_round(client, organiser_token)
    rid = created["id"]
    judges, villages = tokens(created), tokens(created, "villages")
    org = bearer(organiser_token)
    # J1 alone: A = 8.37 + 7.46 = 15.83, B = 6.12 + 5.17 = 11.29, C = 2.05 + 3.01 = 5.06.
    for code, a, b in (("A", 8.37, 7.46), ("B", 6.12, 5.17), ("C", 2.05, 3.01)):
        r = await post_sheet(client, judges["J1"], rid, code, "shared", {"a": a, "b": b})
        assert r.status_code == 201, r.text
    assert (await client.post(f"/admin/rounds/{rid}/reveal/freeze", headers=org)).status_code == 200
    assert (await client.post(f"/admin/rounds/{rid}/reveal/step", headers=org)).status_code == 200
    # C (5.06, last) is announced. After the freeze J1 rescores C: 9.44 + 9.47 = 18.91.
    r = await post_sheet(client, judges["J1"], rid, "C", "shared", {"a": 9.44, "b": 9.47})
    assert r.status_code == 201
    hidden = ("15.83", "11.29", "18.91", "8.37", "7.46", "6.12", "5.17", "9.44", "9.47")
    # (J1 knows what J1 gave; the reader is another judge of the round.)
    readers = {"judge": judges["J2"], "screen": created["screen"]["token"],
               "village A": villages["A"], "village C": villages["C"]}  # fmt: skip
    params = {"round_id": str(rid), "code": "A", "path": "css/arena.css"}
    read = 0
    for endpoint in endpoints():
        if endpoint.method not in ("GET", "WS") or "{secret}" in endpoint.path:
            continue
        for who, token in readers.items():
            url = endpoint.url({**params, "code": "C" if who == "village C" else "A"})
            if endpoint.path in ("/screen", "/village"):
                url += f"?round={rid}"
            if endpoint.method == "WS":
                text = await _socket_text(server, url, token)
            else:
                r = await client.get(url, headers=bearer(token))
                text = r.text if r.status_code == 200 else ""
            read += bool(text)
            for figure in hidden:
                assert figure not in text, f"{endpoint} as {who} shows {figure}"
    assert read >= 20  # standings, round, breakdowns, pages and sockets were read
    live = (await client.get(f"/api/v1/rounds/{rid}/standings", headers=org)).json()
    assert [x["total"] for x in live["rows"]] == [18.91, 15.83, 11.29]  # the organiser's view


async def _socket_text(server: Server, url: str, token: str) -> str:
    from websockets.exceptions import InvalidStatus

    try:
        async with open_ws(server, url, token) as ws:
            return json.dumps(await frame(ws), ensure_ascii=False)
    except InvalidStatus:
        return ""
