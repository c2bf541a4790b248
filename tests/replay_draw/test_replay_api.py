"""The replay read from the audit log: its last frame is the final standings exactly."""

from __future__ import annotations

import uuid
from typing import Any

import httpx

from arena.auth import load_server_key
from arena.demo import demo_organiser, load_demo
from arena.services.rounds import RoundCatalogue
from tests.api.helpers import new_campaign, post_sheet, small_definition, tokens
from tests.conftest import Server, bearer, create_round

KEEP = ("rank", "village", "total", "provisional", "bottom20", "sheets_in")


async def standings(client: httpx.AsyncClient, token: str, rid: int) -> dict[str, Any]:
    r = await client.get(f"/api/v1/rounds/{rid}/standings", headers=bearer(token))
    assert r.status_code == 200, r.text
    return r.json()  # type: ignore[no-any-return]


async def replay(
    client: httpx.AsyncClient, token: str, rid: int, by: str = "stop", **params: str
) -> httpx.Response:
    return await client.get(
        f"/api/v1/rounds/{rid}/replay", params={"by": by, **params}, headers=bearer(token)
    )


async def assert_last_frame_is_final(client: httpx.AsyncClient, token: str, rid: int) -> None:
    final = (await standings(client, token, rid))["rows"]
    for by in ("stop", "sheet"):
        r = await replay(client, token, rid, by)
        assert r.status_code == 200, r.text
        data = r.json()
        assert data["final"] == final  # every field of every row
        last = data["frames"][-1]["rows"]
        assert last == [{k: row[k] for k in KEEP} for row in final]


async def test_demo_round_last_frame_equals_standings(
    server: Server, client: httpx.AsyncClient
) -> None:
    key = load_server_key(server.settings.data_dir, server.settings.secret_key)
    organiser, _ = await demo_organiser(key)
    rounds = await load_demo(RoundCatalogue(key, server.settings.public_url), organiser)
    from arena.auth import create_token

    token = await create_token("organiser", "复盘测试")
    for demo in rounds:
        await assert_last_frame_is_final(client, token, demo.id)
    data = (await replay(client, token, rounds[1].id, "sheet")).json()
    # The demo's second round: 8 villages × 7 judges × 2 papers = 112, less one judge recused
    # from V05 (2 sheets) = 110 expected; only 3 of V08's 7 judges scored it (arena/demo.py,
    # partial {"V08": 3}): 4 × 2 = 8 missing -> 102 in.
    assert data["sheets_expected"] == 110
    assert data["frames"][-1]["sheets_in"] == 102
    assert data["frames"][0]["sheets_in"] == 0 and data["frames"][0]["event"] is None
    # Frames in chain order, their clock in the venue's zone (UTC+8 here)
    events = [f["event"] for f in data["frames"][1:]]
    assert events == sorted(events)


async def test_corrections_and_voided_sheets_replay_to_the_final_standings(
    client: httpx.AsyncClient, organiser_token: str
) -> None:
    org = bearer(organiser_token)
    created = await create_round(client, organiser_token, small_definition(new_campaign()))
    rid = created["id"]
    judges = tokens(created)
    sheet_ids: dict[tuple[str, str], int] = {}
    for n, (code, token) in enumerate(sorted(judges.items())):
        for village in ("A", "B", "C"):
            if code == "J5" and village == "C":
                continue  # recused
            r = await post_sheet(client, token, rid, village, "shared", {"a": 5 + n, "b": 4})
            assert r.status_code == 201, r.text
            sheet_ids[(code, village)] = r.json()["sheet"]["id"]
            r = await post_sheet(client, token, rid, village, "demonstration", {"t1": 6})
            assert r.status_code == 201, r.text
    # J1 replaces A's shared sheet; J2's shared sheet of B is voided, then entered by proxy
    assert (
        await post_sheet(client, judges["J1"], rid, "A", "shared", {"a": 10, "b": 10})
    ).status_code == 201
    r = await client.post(
        f"/api/v1/rounds/{rid}/sheets/{sheet_ids[('J2', 'B')]}/void",
        json={"reason": "录错村", "idempotency_key": uuid.uuid4().hex}, headers=org,
    )  # fmt: skip
    assert r.status_code == 201, r.text
    # J3's sheet of C voided and not entered again: C stays provisional
    r = await client.post(
        f"/api/v1/rounds/{rid}/sheets/{sheet_ids[('J3', 'C')]}/void",
        json={"reason": "签字缺失", "idempotency_key": uuid.uuid4().hex}, headers=org,
    )  # fmt: skip
    assert r.status_code == 201, r.text
    r = await client.post(
        f"/api/v1/rounds/{rid}/proxy-sheets",
        json={"judge": "J2", "village": "B", "paper": "shared", "items": {"a": 2, "b": 2},
              "reason": "纸质评分表代录", "idempotency_key": uuid.uuid4().hex},
        headers=org,
    )  # fmt: skip
    assert r.status_code == 201, r.text
    deduction_ids = []
    for village, points in (("A", 3), ("B", 1.5)):
        r = await client.post(
            f"/api/v1/rounds/{rid}/deductions",
            json={"village": village, "item": "f", "points": points, "reason": "材料造假",
                  "idempotency_key": uuid.uuid4().hex},
            headers=org,
        )  # fmt: skip
        assert r.status_code == 201, r.text
        deduction_ids.append(r.json()["deduction"]["id"])
    r = await client.post(
        f"/api/v1/rounds/{rid}/deductions/{deduction_ids[0]}/withdraw",
        json={"reason": "复核后撤销", "idempotency_key": uuid.uuid4().hex}, headers=org,
    )  # fmt: skip
    assert r.status_code == 201, r.text
    for village, body in (("A", {"counts": {"满意": 30, "比较满意": 10}}), ("B", {"rate": 88.5}),
                          ("C", {"rate": 70})):  # fmt: skip
        r = await client.post(
            f"/api/v1/rounds/{rid}/satisfaction", json={"village": village, **body}, headers=org
        )
        assert r.status_code == 201, r.text
    r = await client.post(
        f"/api/v1/rounds/{rid}/satisfaction/C/withdraw",
        json={"reason": "样本作废", "idempotency_key": uuid.uuid4().hex}, headers=org,
    )  # fmt: skip
    assert r.status_code == 201, r.text

    await assert_last_frame_is_final(client, organiser_token, rid)
    final = (await standings(client, organiser_token, rid))["rows"]
    # By hand: A shared = trimmed mean of J1..J5 totals 20, 10, 11, 12, 13 (J1's replacement
    # 10+10) -> drop 20 and 10 -> (11+12+13)/3 = 12.00; demonstration 6.00; satisfaction
    # 30 × (30×1.0 + 10×0.8)/40 = 28.50; the deduction withdrawn -> A = 46.50.
    a = next(r for r in final if r["village"] == "A")
    assert (a["shared"], a["demonstration"], a["satisfaction"], a["deductions"], a["total"]) == (
        12,
        6,
        28.5,
        0,
        46.5,
    )
    data = (await replay(client, organiser_token, rid, "sheet")).json()
    # 14 + 14 sheets, 1 replacement, 2 voids, 1 proxy, 2 deductions, 1 withdrawal,
    # 3 satisfaction figures and 1 withdrawal = 39 events -> 40 frames with the empty start
    assert len(data["frames"]) == 40
    whats = [f["what"] for f in data["frames"]]
    assert "B村 · 代录共性目标评分表" in whats and "C村 · 撤销满意度" in whats
    assert all("评委" not in w and "J1" not in w for w in whats)  # no judge named


async def test_before_the_reveal_only_an_organiser_plays_it(
    client: httpx.AsyncClient, organiser_token: str
) -> None:
    org = bearer(organiser_token)
    created = await create_round(client, organiser_token, small_definition(new_campaign()))
    rid = created["id"]
    judges = tokens(created)
    village = tokens(created, "villages")["A"]
    for code in ("J1", "J2"):
        for v in ("A", "B", "C"):
            r = await post_sheet(client, judges[code], rid, v, "shared", {"a": 5, "b": 5})
            assert r.status_code == 201
    assert (await replay(client, village, rid)).status_code == 200  # live: as the screens
    r = await replay(client, village, rid, "sheet")  # sheet by sheet ties changes to judges
    assert r.status_code == 403 and r.json()["error"]["field"] == "by"
    assert (await client.post(f"/admin/rounds/{rid}/reveal/freeze", headers=org)).status_code == 200
    r = await replay(client, village, rid)
    assert r.status_code == 403 and r.json()["error"]["code"] == "reveal_pending"
    assert (await replay(client, organiser_token, rid)).status_code == 200
    # A score after the freeze: the organiser's replay has it, the room's does not
    r = await client.post(
        f"/api/v1/rounds/{rid}/deductions",
        json={"village": "B", "item": "f", "points": 2, "reason": "安全隐患",
              "idempotency_key": uuid.uuid4().hex},
        headers=org,
    )  # fmt: skip
    assert r.status_code == 201
    for _ in range(3):
        assert (
            await client.post(f"/admin/rounds/{rid}/reveal/step", headers=org)
        ).status_code == 200
    r = await replay(client, village, rid)
    assert r.status_code == 200
    room = r.json()
    # 6 sheets (3 runs of … no: J1 A B C, J2 A B C -> 6 runs of one village) -> 7 frames
    assert len(room["frames"]) == 7 and room["until"] is not None
    b = next(x for x in room["frames"][-1]["rows"] if x["village"] == "B")
    assert b["total"] == 10  # 5 + 5 before the deduction
    mine = (await replay(client, organiser_token, rid)).json()
    assert next(x for x in mine["frames"][-1]["rows"] if x["village"] == "B")["total"] == 8
    places = (await replay(client, village, rid, village="A")).json()["places"]
    assert [p["rank"] for p in places] == [None, 1, 1, 1, 1, 1, 1]
    assert (
        await client.post(f"/admin/rounds/{rid}/reveal/release", headers=org)
    ).status_code == 200
    after = (await replay(client, village, rid)).json()
    assert after["until"] is None and len(after["frames"]) == 8


async def test_replay_refuses_bad_input_and_strangers(
    client: httpx.AsyncClient, organiser_token: str
) -> None:
    created = await create_round(client, organiser_token, small_definition(new_campaign()))
    other = await create_round(client, organiser_token, small_definition(new_campaign()))
    rid = created["id"]
    r = await replay(client, organiser_token, rid, "hour")
    assert r.status_code == 422 and r.json()["error"]["field"] == "by"
    r = await replay(client, organiser_token, rid, village="Z")
    assert r.status_code == 422 and r.json()["error"]["field"] == "village"
    stranger = tokens(other, "villages")["A"]
    assert (await replay(client, stranger, rid)).status_code == 403
    assert (await client.get(f"/api/v1/rounds/{rid}/replay")).status_code == 401
    r = await client.get(f"/admin/rounds/{rid}/replay.html", headers=bearer(stranger))
    assert r.status_code == 403
