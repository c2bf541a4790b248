"""Void a judge's sheet, enter one on a judge's behalf (代录): totals by hand, marked everywhere."""

from __future__ import annotations

import io
from typing import Any

import httpx
import pytest
from openpyxl import load_workbook

from arena.models import AuditEvent, Sheet
from tests.api.helpers import post_sheet, tokens
from tests.conftest import bearer
from tests.corrections.helpers import last_event, row, scored_round

PROXY_REASON = "评委平板没电，按其签字的纸质评分表代录"


@pytest.fixture
async def created(client: httpx.AsyncClient, organiser_token: str) -> dict[str, Any]:
    return await scored_round(client, organiser_token)


async def current_sheet(rid: int, judge: str, paper: str) -> Sheet:
    sheet = await Sheet.get(
        round_id=rid, village__code="A", judge__code=judge, paper=paper, current=True
    )
    return sheet


async def void(
    client: httpx.AsyncClient, token: str, rid: int, sheet_id: int, key: str, reason: str = "录错村"
) -> httpx.Response:
    return await client.post(
        f"/api/v1/rounds/{rid}/sheets/{sheet_id}/void",
        json={"reason": reason, "idempotency_key": key},
        headers=bearer(token),
    )


async def judge_state(client: httpx.AsyncClient, token: str) -> dict[str, Any]:
    r = await client.get("/judge/api/state", headers=bearer(token))
    assert r.status_code == 200, r.text
    return next(v for v in r.json()["villages"] if v["code"] == "A")  # type: ignore[no-any-return]


async def test_void_then_the_judge_enters_it_again(
    client: httpx.AsyncClient, organiser_token: str, created: dict[str, Any]
) -> None:
    rid, org, judge = created["id"], bearer(organiser_token), tokens(created)
    sheet = await current_sheet(rid, "J1", "shared")
    r = await void(client, organiser_token, rid, sheet.id, "v-1")
    assert r.status_code == 201, r.text
    assert r.json()["sheet"] | {"voided_at": None} == {
        "id": sheet.id,
        "village": "A",
        "paper": "shared",
        "judge": "J1",
        "version": 1,
        "voided": True,
        "voided_by": "测试组织者",
        "void_reason": "录错村",
        "voided_at": None,
    }
    event = await last_event()
    assert (event.action, event.payload) == (
        "sheet.void",
        {
            "id": sheet.id,
            "village": "A",
            "paper": "shared",
            "judge": "J1",
            "version": 1,
            "reason": "录错村",
            "voided_by": "测试组织者",
        },
    )
    a = await row(client, organiser_token, rid, "A")
    # shared without J1's 15: 17, 14, 19, 16 — 4 judges, under 5: plain mean 66 / 4 = 16.50
    # total 16.50 + 8.17 + 25.80 = 50.47, provisional (J1's shared sheet is owed again)
    assert (a["shared"], a["total"], a["provisional"], a["sheets_in"]) == (16.5, 50.47, True, 9)

    mine = await judge_state(client, judge["J1"])
    assert "shared" not in mine["sheets"] and "demonstration" in mine["sheets"]
    assert mine["voided"]["shared"]["reason"] == "录错村"
    assert mine["voided"]["shared"]["version"] == 1
    progress = (await client.get(f"/admin/rounds/{rid}/progress.json", headers=org)).json()
    j1 = next(j for j in progress["judges"] if j["code"] == "J1")
    assert (j1["cells"]["A"]["shared"], j1["cells"]["A"]["voided"]["shared"]["reason"]) == (
        None,
        "录错村",
    )
    checks = (await client.get(f"/api/v1/rounds/{rid}/checks", headers=org)).json()
    voided = next(c for c in checks["problems"] if c["code"] == "sheets_voided")
    assert [i["text"] for i in voided["items"]] == [
        "A村 · 评委1号 · 共性目标（测试组织者 作废：录错村）"
    ]

    events = await AuditEvent.all().count()
    again = await void(client, organiser_token, rid, sheet.id, "v-1")
    assert (again.status_code, again.json()) == (200, r.json())
    stale = await void(client, organiser_token, rid, sheet.id, "v-2")
    assert (stale.status_code, stale.json()["error"]["code"]) == (409, "not_current")
    assert await AuditEvent.all().count() == events

    # J1 sends the sheet again (a new version after the voided one): a 9, b 9 = 18
    again_sheet = await post_sheet(client, judge["J1"], rid, "A", "shared", {"a": 9, "b": 9})
    assert (again_sheet.status_code, again_sheet.json()["sheet"]["version"]) == (201, 2)
    a = await row(client, organiser_token, rid, "A")
    # 18, 17, 14, 19, 16: drop 14 (J3) and 19 (J4): (18 + 17 + 16) / 3 = 17.00
    # total 17.00 + 8.17 + 25.80 = 50.97, every sheet in again
    assert (a["shared"], a["total"], a["provisional"]) == (17, 50.97, False)
    assert (await judge_state(client, judge["J1"]))["voided"] == {}


async def test_proxy_sheet_counts_and_is_marked(
    client: httpx.AsyncClient, organiser_token: str, created: dict[str, Any]
) -> None:
    rid, org, judge = created["id"], bearer(organiser_token), tokens(created)
    sheet = await current_sheet(rid, "J1", "demonstration")
    assert (await void(client, organiser_token, rid, sheet.id, "v-d")).status_code == 201
    a = await row(client, organiser_token, rid, "A")
    # demonstration without J1's 8: 8.5, 9, 7, 8 — plain mean 32.5 / 4 = 8.125 → 8.13
    # total 16.00 + 8.13 + 25.80 = 49.93
    assert (a["demonstration"], a["total"]) == (8.13, 49.93)

    body = {
        "judge": "J1",
        "village": "A",
        "paper": "demonstration",
        "items": {"t1": 6},
        "comment": "纸质表评语：特色不突出",
        "reason": PROXY_REASON,
        "idempotency_key": "proxy-1",
    }
    r = await client.post(f"/api/v1/rounds/{rid}/proxy-sheets", headers=org, json=body)
    assert r.status_code == 201, r.text
    s = r.json()["sheet"]
    assert (s["judge"], s["version"], s["total"], s["proxy"], s["proxy_by"]) == (
        "J1",
        2,
        6,
        True,
        "测试组织者",
    )
    event = await last_event()
    assert (event.action, event.actor, event.payload) == (
        "sheet.proxy",
        "organiser:测试组织者",
        {
            "village": "A",
            "paper": "demonstration",
            "judge": "J1",
            "version": 2,
            "items": {"t1": "6"},
            "total": "6",
            "comment": "纸质表评语：特色不突出",
            "id": s["id"],
            "proxy_for": "J1",
            "proxy_by": "测试组织者",
            "proxy_reason": PROXY_REASON,
        },
    )
    again = await client.post(f"/api/v1/rounds/{rid}/proxy-sheets", headers=org, json=body)
    assert (again.status_code, again.json()) == (200, r.json())
    assert await Sheet.filter(round_id=rid, paper="demonstration", village__code="A").count() == 6

    a = await row(client, organiser_token, rid, "A")
    # 6 (代录), 8.5, 9, 7, 8: drop 6 (J1) and 9 (J3): (8.5 + 7 + 8) / 3 = 7.8333… → 7.83
    # total 16.00 + 7.83 + 25.80 = 49.63
    assert (a["demonstration"], a["total"], a["provisional"]) == (7.83, 49.63, False)

    # organiser's breakdown: J1's sheet is marked 代录; the village's: marked, judge unnamed
    mine = (await client.get(f"/api/v1/rounds/{rid}/villages/A", headers=org)).json()
    marks = {j["code"]: j["proxy"] for j in mine["papers"]["demonstration"]["judges"]}
    assert marks == {"J1": True, "J2": False, "J3": False, "J4": False, "J5": False}
    village = tokens(created, "villages")["A"]
    theirs = (await client.get(f"/api/v1/rounds/{rid}/villages/A", headers=bearer(village))).json()
    judges = theirs["papers"]["demonstration"]["judges"]
    assert [(j["total"], j["dropped"]) for j in judges if j["proxy"]] == [(6, "low")]
    assert all("code" not in j and "name" not in j for j in judges)
    # the judge's tablet shows the sheet, marked 代录; the progress board too
    state = await judge_state(client, judge["J1"])
    assert (state["sheets"]["demonstration"]["proxy"], state["sheets"]["shared"]["proxy"]) == (
        True,
        False,
    )
    assert state["sheets"]["demonstration"]["items"] == {"t1": 6}
    progress = (await client.get(f"/admin/rounds/{rid}/progress.json", headers=org)).json()
    j1 = next(j for j in progress["judges"] if j["code"] == "J1")
    assert (j1["cells"]["A"]["demonstration"]["proxy"], "voided" in j1["cells"]["A"]) == (
        True,
        False,
    )
    # the workbook names it in the judges' sheets (示范目标评分), column 录入方式
    book = load_workbook(
        io.BytesIO((await client.get(f"/api/v1/rounds/{rid}/export.xlsx", headers=org)).content)
    )
    detail = [r for r in book["示范目标评分"].iter_rows(values_only=True)]
    way = detail[0].index("录入方式")
    ways = [(r[2], r[way]) for r in detail[1:] if r[0] == "A村"]
    assert ("评委1号", f"代录（测试组织者：{PROXY_REASON}）") in ways
    assert sum(1 for w in ways if str(w[1]).startswith("代录")) == 1
    log = [r[:5] for r in book["更正记录"].iter_rows(values_only=True)]
    assert log == [
        ("更正", "试点村", "内容", "原因", "操作人"),
        ("作废评分表", "A村", "评委1号（评委1）示范目标 第 1 版，合计 8", "录错村", "测试组织者"),
        (
            "代录评分表",
            "A村",
            "评委1号（评委1）示范目标 第 2 版，合计 6",
            PROXY_REASON,
            "测试组织者",
        ),
    ]


async def test_bad_proxy_lists_every_problem(
    client: httpx.AsyncClient, organiser_token: str, created: dict[str, Any]
) -> None:
    rid, org = created["id"], bearer(organiser_token)
    events, sheets = await AuditEvent.all().count(), await Sheet.filter(round_id=rid).count()
    r = await client.post(
        f"/api/v1/rounds/{rid}/proxy-sheets",
        headers=org,
        json={"judge": "J9", "village": "A", "paper": "shared", "items": {"a": 11, "zz": 1},
              "idempotency_key": "bad"},
    )  # fmt: skip
    assert r.status_code == 422
    assert [p["field"] for p in r.json()["error"]["problems"]] == [
        "judge",
        "items.zz",
        "items.a",
        "items.b",
        "reason",
    ]
    recused = await client.post(
        f"/api/v1/rounds/{rid}/proxy-sheets",
        headers=org,
        json={"judge": "J5", "village": "C", "paper": "demonstration", "items": {"t1": 5},
              "reason": "x", "idempotency_key": "rec"},
    )  # fmt: skip
    assert (recused.status_code, recused.json()["error"]["code"]) == (403, "recused")
    judge = created["judges"][0]["token"]
    refused = await client.post(
        f"/api/v1/rounds/{rid}/proxy-sheets",
        headers=bearer(judge),
        json={"judge": "J1", "village": "B", "paper": "demonstration", "items": {"t1": 5},
              "reason": "x", "idempotency_key": "j"},
    )  # fmt: skip
    assert refused.status_code == 403
    bad_void = await client.post(
        f"/api/v1/rounds/{rid}/sheets/999999/void",
        headers=org,
        json={"reason": "x", "idempotency_key": "k"},
    )
    assert (bad_void.status_code, bad_void.json()["error"]["field"]) == (404, "sheet")
    assert (await AuditEvent.all().count(), await Sheet.filter(round_id=rid).count()) == (
        events,
        sheets,
    )
