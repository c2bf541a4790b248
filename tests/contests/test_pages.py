"""Contest pages over HTTP: who may open the console, links, screen and contestant page; the
judge's tablet state in contest mode; the organiser's home lists contests."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx

from tests.conftest import Server, bearer
from tests.contests.test_flow import Host, contest, score

__all__ = ["contest"]  # the fixture, used by name below


@asynccontextmanager
async def opened(server: Server, url: str) -> AsyncIterator[httpx.AsyncClient]:
    """A client holding the session cookie a personal link sets."""
    async with httpx.AsyncClient(base_url=server.url, timeout=20) as client:
        response = await client.get(url.removeprefix(server.url))
        assert response.status_code == 303, response.text
        yield client


async def test_pages_by_role(
    server: Server, client: httpx.AsyncClient, organiser_token: str, contest: dict[str, Any]
) -> None:
    cid = contest["id"]
    org = bearer(organiser_token)
    console = await client.get(f"/admin/contests/{cid}/console", headers=org)
    assert console.status_code == 200
    assert "主持人控制台" in console.text and "评委1</b> 评委1号" in console.text
    links = await client.get(f"/admin/contests/{cid}/links", headers=org)
    assert links.status_code == 200 and links.text.count("<svg") == 5 + 3 + 1
    home = await client.get("/admin", headers=org)
    assert f"/admin/contests/{cid}/console" in home.text
    assert f"/api/v1/contests/{cid}/results.xlsx" in home.text
    assert (await client.get(f"/admin/contests/{cid}/console")).status_code == 401
    screen_link = contest["screen"]["url"]
    async with opened(server, screen_link) as screen:
        page = await screen.get(f"/screen/contest?contest={cid}")
        assert page.status_code == 200 and "擂台大屏" in page.text
        assert (await screen.get(f"/admin/contests/{cid}/console")).status_code == 403
        assert (await screen.get(f"/screen/contest?contest={cid + 1000}")).status_code == 404
    mine_link = next(c["url"] for c in contest["contestants"] if c["code"] == "C2")
    async with opened(server, mine_link) as mine:
        page = await mine.get(f"/contest/mine?contest={cid}")
        assert page.status_code == 200 and 'data-code="C2"' in page.text
        assert "李秀英" in page.text and "成绩尚未揭晓" in page.text


async def test_judge_state_in_contest_mode(
    server: Server, client: httpx.AsyncClient, organiser_token: str, contest: dict[str, Any]
) -> None:
    cid = contest["id"]
    host = Host(client, organiser_token, cid)
    judge = next(j for j in contest["judges"] if j["code"] == "J2")
    async with opened(server, judge["url"]) as tablet:
        state = (await tablet.get("/judge/api/state")).json()
        assert state["mode"] == "contest"
        assert (state["contest"]["id"], state["contest"]["status_name"]) == (cid, "未开始")
        assert state["judge"] == {"code": "J2", "name": "评委2号", "label": "评委2"}
        assert (state["phase"], state["current"], state["scores"]) == ("idle", None, {})
        assert [(c["code"], c["max"]) for c in state["criteria"]] == [("a", 60), ("b", 40)]
        await host.ok("draw", seed="7")
        await host.ok("next")
        await host.ok("start")
        await host.ok("open")
        state = (await tablet.get("/judge/api/state")).json()
        first = state["current"]["code"]
        assert (state["phase"], state["phase_name"], state["current"]["position"]) == (
            "scoring",
            "评委打分中",
            1,
        )
        assert (await score(client, judge["token"], cid, first, {"a": 50, "b": 30.5})).is_success
        other = next(j for j in contest["judges"] if j["code"] == "J3")
        assert (await score(client, other["token"], cid, first, {"a": 40, "b": 30})).is_success
        state = (await tablet.get("/judge/api/state")).json()
        # Only this judge's own score, never another judge's.
        assert list(state["scores"]) == [first]
        assert state["scores"][first]["items"] == {"a": 50, "b": 30.5}
        assert state["scores"][first]["total"] == 80.5


async def test_demo_contest_is_in_progress_and_loads_once(
    server: Server, client: httpx.AsyncClient, organiser_token: str
) -> None:
    from arena.auth import Principal, load_server_key
    from arena.contests.demo import SEED, load_contest_demo
    from arena.scoring.draw import draw_order
    from arena.services.contests.catalogue import ContestCatalogue

    settings = server.settings
    catalogue = ContestCatalogue(
        load_server_key(settings.data_dir, settings.secret_key), settings.public_url
    )
    organiser = Principal(0, "organiser", "演示测试")
    cid = await load_contest_demo(catalogue, organiser)
    assert await load_contest_demo(catalogue, organiser) == cid
    state = (await client.get(f"/api/v1/contests/{cid}", headers=bearer(organiser_token))).json()
    order = draw_order([f"C0{n}" for n in range(1, 9)], SEED)
    assert (state["contest"]["seed"], [c["code"] for c in state["order"]]) == (SEED, order)
    assert {r["code"] for r in state["ranking"]} == set(order[:3])
    assert (state["phase"], state["current"]["code"]) == ("scoring", order[3])
    assert [j["submitted"] for j in state["current"]["judges"]] == [True, True] + [False] * 3
