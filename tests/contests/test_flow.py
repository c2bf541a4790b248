"""A contest driven through the API: draw, host steps, judges' scores, reveal, results."""

from __future__ import annotations

import hashlib
import io
import uuid
from typing import Any

import httpx
import openpyxl
import pytest

from arena.models import AuditEvent, ContestScore
from tests.conftest import bearer

SCORES = {  # contestant -> judge -> (a, b); criteria a (max 60) and b (max 40)
    "C1": {"J1": (55, 35), "J2": (50, 35), "J3": (55, 37), "J4": (52, 33), "J5": (40, 30)},
    "C2": {"J1": (50, 38), "J2": (50, 38), "J3": (45, 35), "J4": (48, 36), "J5": (50, 36)},
    "C3": {"J1": (45, 30), "J2": (45, 30), "J3": (45, 30), "J4": (50, 30), "J5": (54, 36)},
}
ELAPSED = {"C1": 500, "C2": 480, "C3": 541}  # limit 480 s


def definition() -> dict[str, Any]:
    return {
        "name": f"书记擂台比武 {uuid.uuid4().hex[:6]}",
        "date": "2025-10-20",
        "contestants": [
            {"code": c, "name": n, "post": "村党组织书记", "unit": u}
            for c, n, u in (
                ("C1", "王建国", "青山村"),
                ("C2", "李秀英", "港边村"),
                ("C3", "赵志强", "银滩村"),
            )
        ],
        "judges": [{"code": f"J{n}", "name": f"评委{n}号"} for n in range(1, 6)],
        "criteria": [
            {"code": "a", "name": "工作实绩", "max": 60},
            {"code": "b", "name": "现场表现", "max": 40},
        ],
        "time_limit_seconds": 480,
        "awards": [{"name": "一等奖", "count": 1}, {"name": "二等奖", "count": 2}],
    }


class Host:
    """The organiser's console: every step names the revision it was taken from."""

    def __init__(self, client: httpx.AsyncClient, token: str, contest_id: int) -> None:
        self.client, self.token, self.id = client, token, contest_id

    async def state(self) -> dict[str, Any]:
        r = await self.client.get(f"/api/v1/contests/{self.id}", headers=bearer(self.token))
        assert r.status_code == 200, r.text
        return r.json()  # type: ignore[no-any-return]

    async def step(self, action: str, **extra: Any) -> httpx.Response:
        revision = (await self.state())["revision"]
        return await self.client.post(
            f"/api/v1/contests/{self.id}/steps",
            headers=bearer(self.token),
            json={"action": action, "revision": revision, **extra},
        )

    async def ok(self, action: str, **extra: Any) -> None:
        r = await self.step(action, **extra)
        assert r.status_code == 200, r.text


async def score(
    client: httpx.AsyncClient,
    token: str,
    contest_id: int,
    code: str,
    items: dict[str, Any],
    key: str | None = None,
) -> httpx.Response:
    return await client.post(
        f"/api/v1/contests/{contest_id}/scores",
        headers=bearer(token),
        json={"contestant": code, "items": items, "idempotency_key": key or uuid.uuid4().hex},
    )


@pytest.fixture
async def contest(client: httpx.AsyncClient, organiser_token: str) -> dict[str, Any]:
    r = await client.post("/api/v1/contests", json=definition(), headers=bearer(organiser_token))
    assert r.status_code == 201, r.text
    return r.json()  # type: ignore[no-any-return]


async def test_full_contest_by_hand(
    client: httpx.AsyncClient, organiser_token: str, contest: dict[str, Any]
) -> None:
    cid = contest["id"]
    judges = {j["code"]: j["token"] for j in contest["judges"]}
    host = Host(client, organiser_token, cid)
    await host.ok("draw", seed="202510")
    state = await host.state()
    # Anyone can re-derive the order: sort the codes by SHA-256 of "seed:code".
    expected = sorted(
        ["C1", "C2", "C3"], key=lambda c: hashlib.sha256(f"202510:{c}".encode()).hexdigest()
    )
    assert [c["code"] for c in state["order"]] == expected
    for code in expected:
        await host.ok("next")
        await host.ok("start")
        await host.ok("stop")
        await host.ok("time", elapsed_seconds=ELAPSED[code])
        await host.ok("open")
        for judge, (a, b) in SCORES[code].items():
            r = await score(client, judges[judge], cid, code, {"a": a, "b": b})
            assert r.status_code == 201, r.text
        public = await client.get(
            f"/api/v1/contests/{cid}", headers=bearer(contest["screen"]["token"])
        )
        current = public.json()["current"]
        assert [j["submitted"] for j in current["judges"]] == [True] * 5
        assert current["result"] is None and "name" not in current["judges"][0]
        await host.ok("close")
        await host.ok("reveal")
    await host.ok("finish")
    results = (
        await client.get(f"/api/v1/contests/{cid}/results", headers=bearer(organiser_token))
    ).json()
    # C1: totals 90, 85, 92, 85, 70 -> drop 70 (J5) and 92 (J3) -> (90+85+85)/3 = 86.67;
    #     500 s is 20 s over 480: one started 30 s step -> -0.50 -> 86.17
    # C2: 88, 88, 80, 84, 86 -> drop 80 (J3) and one 88: J1 (code first) -> (88+84+86)/3
    #     = 86.00; exactly on time -> 86.00
    # C3: 75, 75, 75, 80, 90 -> drop one 75: J1 (code first) and 90 (J5) -> (75+75+80)/3
    #     = 76.67; 61 s over -> 3 steps -> -1.50 -> 75.17
    assert [
        (r["rank"], r["code"], r["mean"], r["penalty"], r["final"], r["award"])
        for r in results["rows"]
    ] == [
        (1, "C1", 86.67, 0.5, 86.17, "一等奖"),
        (2, "C2", 86.0, 0, 86.0, "二等奖"),
        (3, "C3", 76.67, 1.5, 75.17, "二等奖"),
    ]
    c2 = results["rows"][1]
    assert [(j["label"], j["total"], j["dropped"]) for j in c2["judges"]] == [
        ("评委1", 88, "high"),
        ("评委2", 88, None),
        ("评委3", 80, "low"),
        ("评委4", 84, None),
        ("评委5", 86, None),
    ]
    # The contestant sees their own scores, judges anonymous; not someone else's.
    mine = {c["code"]: c["token"] for c in contest["contestants"]}
    r = await client.get(f"/api/v1/contests/{cid}/contestants/C3", headers=bearer(mine["C3"]))
    assert r.status_code == 200
    assert (r.json()["final"], r.json()["rank"]) == (75.17, 3)
    assert "name" not in r.json()["judges"][0]
    r = await client.get(f"/api/v1/contests/{cid}/contestants/C1", headers=bearer(mine["C3"]))
    assert r.status_code == 403
    book = openpyxl.load_workbook(
        io.BytesIO(
            (
                await client.get(
                    f"/api/v1/contests/{cid}/results.xlsx", headers=bearer(organiser_token)
                )
            ).content
        )
    )
    rows = list(book["成绩排名"].iter_rows(values_only=True))
    assert rows[1][:4] == (1, "王建国", "村党组织书记", "青山村")
    assert rows[1][-2:] == (86.17, "一等奖")


async def test_scoring_only_while_open_and_only_once(
    client: httpx.AsyncClient, organiser_token: str, contest: dict[str, Any]
) -> None:
    cid = contest["id"]
    judge = contest["judges"][0]["token"]
    host = Host(client, organiser_token, cid)
    r = await host.step("next")
    assert (r.status_code, r.json()["error"]["code"]) == (409, "wrong_phase")
    await host.ok("draw")
    first = (await host.state())["order"][0]["code"]
    other = next(c for c in ("C1", "C2", "C3") if c != first)
    await host.ok("next")
    early = await score(client, judge, cid, first, {"a": 50, "b": 30})
    assert (early.status_code, early.json()["error"]["code"]) == (403, "scoring_closed")
    await host.ok("start")
    await host.ok("open")  # opening scoring stops the timer
    wrong = await score(client, judge, cid, other, {"a": 50, "b": 30})
    assert wrong.status_code == 403
    bad = await score(client, judge, cid, first, {"a": 61, "b": 30})
    assert (bad.status_code, bad.json()["error"]["field"]) == (422, "items.a")
    done = await score(client, judge, cid, first, {"a": 50, "b": 30}, key="once")
    assert done.status_code == 201
    audit = await AuditEvent.all().count()
    replay = await score(client, judge, cid, first, {"a": 50, "b": 30}, key="once")
    assert (replay.status_code, replay.json()) == (200, done.json())
    twice = await score(client, judge, cid, first, {"a": 55, "b": 30})
    assert (twice.status_code, twice.json()["error"]["code"]) == (409, "already_scored")
    assert await AuditEvent.all().count() == audit
    assert await ContestScore.filter(contestant__contest_id=cid).count() == 1
    # A stale console (an old revision) cannot apply a step twice.
    state = await host.state()
    r1 = await client.post(
        f"/api/v1/contests/{cid}/steps",
        headers=bearer(organiser_token),
        json={"action": "close", "revision": state["revision"]},
    )
    r2 = await client.post(
        f"/api/v1/contests/{cid}/steps",
        headers=bearer(organiser_token),
        json={"action": "close", "revision": state["revision"]},
    )
    assert (r1.status_code, r2.status_code, r2.json()["error"]["code"]) == (200, 409, "stale")
    again = await host.step("draw")
    assert again.status_code == 409
