"""A judge's state endpoint: the day's route, the papers, and only the judge's own sheets."""

from __future__ import annotations

import re
import uuid

import httpx

from arena.http.assets import STATIC
from arena.http.judges import shell_version
from tests.conftest import Server, bearer, create_round, example_definition
from tests.judges.helpers import judge_client, sheet_body

WRITE = {"X-Arena-Request": "1"}
SHARED = {"org": 8.5, "eco": 9, "build": 7, "talent": 5.5, "gov": 5}


async def test_state_gives_the_route_without_recused_villages(
    server: Server, client: httpx.AsyncClient, organiser_token: str
) -> None:
    campaign = f"党建引领乡村振兴试点-{uuid.uuid4().hex[:8]}"
    created = await create_round(client, organiser_token, example_definition(campaign=campaign))
    async with judge_client(server, created, "J4") as judge:
        r = await judge.get("/judge/api/state")
    assert r.status_code == 200
    assert r.headers["cache-control"] == "no-store"
    state = r.json()
    assert state["round"] == {
        "id": created["id"],
        "name": "2025年第三季度试点拉练",
        "campaign": campaign,
        "date": "2025-09-16",
        "status": "open",
        "status_name": "评分中",
    }
    assert state["judge"] == {"code": "J4", "name": "刘洋"}
    assert [(v["stop"], v["code"]) for v in state["villages"]] == [
        (1, "V01"),
        (2, "V02"),
        (3, "V03"),
        (4, "V04"),
        (6, "V06"),
        (7, "V07"),
        (8, "V08"),
    ]
    # The recused village keeps its place on the bus's route (第 5 站), listed apart.
    assert state["recused"] == [
        {"code": "V05", "name": "巧巧村", "township": "西岭镇", "county": "滨海区", "stop": 5}
    ]
    assert state["papers"]["shared"]["max"] == 40
    assert state["papers"]["shared"]["items"][0] == {
        "code": "org",
        "name": "组织建设",
        "max": 10,
        "guide": "党组织战斗堡垒作用、党员先锋模范作用发挥",
    }
    assert state["papers"]["demonstration"] == {"name": "示范目标", "max": 30}
    first = state["villages"][0]
    assert (first["name"], first["township"], first["county"]) == ("青山村", "东港镇", "滨海区")
    assert [(t["code"], t["max"]) for t in first["targets"]] == [("t1", 15), ("t2", 15)]
    assert first["sheets"] == {}


async def test_a_judge_sees_and_writes_only_their_own_sheets(
    server: Server, client: httpx.AsyncClient, organiser_token: str
) -> None:
    created = await create_round(client, organiser_token)
    url = f"/api/v1/rounds/{created['id']}/sheets"
    async with (
        judge_client(server, created, "J1") as one,
        judge_client(server, created, "J2") as two,
    ):
        r = await one.post(
            url, json=sheet_body("V01", "shared", SHARED, "j1-a", "好"), headers=WRITE
        )
        assert r.status_code == 201
        other = dict(SHARED, org=3)
        # A body cannot name another judge: the sheet is always the caller's own.
        r = await two.post(
            url, json={**sheet_body("V01", "shared", other, "j2-x"), "judge": "J1"}, headers=WRITE
        )
        assert (r.status_code, r.json()["error"]["field"]) == (422, "judge")
        r = await two.post(url, json=sheet_body("V01", "shared", other, "j2-a"), headers=WRITE)
        assert r.status_code == 201
        assert r.json()["sheet"]["judge"] == "J2"
        mine = (await one.get("/judge/api/state", params={"judge": "J2"})).json()
        theirs = (await two.get("/judge/api/state")).json()
        # Without the custom header a cookie cannot write at all.
        r = await one.post(url, json=sheet_body("V01", "shared", other, "j1-b"))
        assert (r.status_code, r.json()["error"]["code"]) == (403, "csrf")
    assert mine["judge"]["code"] == "J1"
    sheet = mine["villages"][0]["sheets"]["shared"]
    assert {k: sheet[k] for k in ("version", "items", "total", "comment")} == {
        "version": 1,
        "items": SHARED,
        "total": 35,
        "comment": "好",
    }
    assert mine["villages"][1]["sheets"] == {}
    assert theirs["villages"][0]["sheets"]["shared"]["items"] == other
    assert theirs["villages"][0]["sheets"]["shared"]["total"] == 29.5


async def test_state_needs_a_judge_of_the_round(
    server: Server, client: httpx.AsyncClient, organiser_token: str
) -> None:
    r = await client.get("/judge/api/state")
    assert (r.status_code, r.json()["error"]["code"]) == (401, "unauthenticated")
    r = await client.get("/judge/api/state", headers=bearer(organiser_token))
    assert (r.status_code, r.json()["error"]["code"]) == (403, "forbidden")
    other = await create_round(client, organiser_token)
    async with judge_client(server, other, "J1") as judge:
        r = await judge.post(
            f"/api/v1/rounds/{other['id'] - 1}/sheets",
            headers=WRITE,
            json=sheet_body("V01", "shared", SHARED, "elsewhere"),
        )
    assert (r.status_code, r.json()["error"]["code"]) == (403, "forbidden")


async def test_a_new_version_replaces_the_old_and_a_retry_counts_once(
    server: Server, client: httpx.AsyncClient, organiser_token: str
) -> None:
    created = await create_round(client, organiser_token)
    url = f"/api/v1/rounds/{created['id']}/sheets"
    first = sheet_body("V02", "shared", SHARED, "device-key-1")
    second = sheet_body("V02", "shared", dict(SHARED, eco=10), "device-key-2")
    async with judge_client(server, created, "J3") as judge:
        assert (await judge.post(url, json=first, headers=WRITE)).status_code == 201
        assert (await judge.post(url, json=first, headers=WRITE)).status_code == 200
        assert (await judge.post(url, json=second, headers=WRITE)).status_code == 201
        state = (await judge.get("/judge/api/state")).json()
        sheet = state["villages"][1]["sheets"]["shared"]
        assert (sheet["version"], sheet["total"]) == (2, 36)
        lock = await client.post(
            f"/api/v1/rounds/{created['id']}/lock", headers=bearer(organiser_token)
        )
        assert lock.status_code == 200
        third = sheet_body("V02", "shared", SHARED, "device-key-3")
        r = await judge.post(url, json=third, headers=WRITE)
        assert (r.status_code, r.json()["error"]["code"]) == (403, "round_locked")
        state = (await judge.get("/judge/api/state")).json()
    assert (state["round"]["status"], state["round"]["status_name"]) == ("locked", "已锁定")
    assert state["villages"][1]["sheets"]["shared"]["version"] == 2


async def test_the_judge_app_shell_and_service_worker(client: httpx.AsyncClient) -> None:
    page = await client.get("/judge")
    assert page.status_code == 200
    assert '<script type="module" src="/static/js/judge/app.js"></script>' in page.text
    assert "default-src 'self'" in page.headers["content-security-policy"]
    worker = await client.get("/judge/sw.js")
    assert worker.status_code == 200
    assert worker.headers["content-type"] == "text/javascript; charset=utf-8"
    assert worker.headers["service-worker-allowed"] == "/judge"
    assert f'const CACHE = "arena-judge-{shell_version()}";' in worker.text
    assert len(shell_version()) == 12 and "__SHELL_VERSION__" not in worker.text
    # Every module the app imports is in the offline shell, and every shell file is served.
    shell = set(re.findall(r'^  "(/[^"]*)",$', worker.text, re.M))
    imported = set()
    for module in (STATIC / "js" / "judge").glob("*.js"):
        for name in re.findall(r'from "\./([\w-]+\.js)"', module.read_text("utf-8")):
            imported.add(f"/static/js/judge/{name}")
    assert imported and imported <= shell
    for path in sorted(shell):
        assert (await client.get(path)).status_code == 200, path
