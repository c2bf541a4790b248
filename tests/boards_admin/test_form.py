"""Creating an index board from the browser form: stored exactly, or every problem listed."""

from __future__ import annotations

from typing import Any

import httpx

from arena.models import AuditEvent, Board, BoardIndicator, BoardVillage
from tests.boards.helpers import unique_scope
from tests.conftest import bearer


def form(scope: str, label: str = "2025") -> dict[str, str]:
    """What the form posts for a three-village, two-indicator board (field names = paths)."""
    return {
        "name": f"{label}年度{scope}强村富民指数榜",
        "scope.level": "county",
        "scope.name": scope,
        "period.kind": "year",
        "period.label": label,
        "incentives.secretary_monthly": "600",
        "incentives.other_cadre_monthly": "",  # blank: the default 300 applies
        "incentives.love_supermarket": "8000",
        "indicators[0].code": "income",
        "indicators[0].name": "村集体经营性收入",
        "indicators[0].unit": "万元",
        "indicators[0].direction": "higher",
        "indicators[0].weight": "70",
        "indicators[0].normalisation": "",
        "indicators[0].min": "",
        "indicators[0].max": "",
        "indicators[1].code": "debt",
        "indicators[1].name": "村级负债率",
        "indicators[1].unit": "%",
        "indicators[1].direction": "lower",
        "indicators[1].weight": "30",
        "indicators[1].normalisation": "percentile",
        "indicators[1].min": "0",
        "indicators[1].max": "80",
        "villages[0].code": "V1",
        "villages[0].name": "鲤鱼村",
        "villages[0].township": "溪口镇",
        "villages[0].county": "",
        "villages[0].cadres": "4",
        "villages[1].code": "V2",
        "villages[1].name": "龙潭村",
        "villages[1].township": "竹源乡",
        "villages[1].county": "",
        "villages[1].cadres": "3",
        "villages[2].code": "V3",
        "villages[2].name": "东岙村",
        "villages[2].township": "竹源乡",
        "villages[2].county": "邻县",
        "villages[2].cadres": "0",
        "flags[0].scope": "village",
        "flags[0].category": "产业兴旺",
        "flags[0].kind": "top_n",
        "flags[0].indicator": "income",
        "flags[0].n": "1",
        "flags[0].threshold": "",
        "flags[0].exclude_bottom20": "true",
        "flags[1].scope": "township",
        "flags[1].category": "党建引领",
        "flags[1].kind": "threshold",
        "flags[1].indicator": "",
        "flags[1].n": "",
        "flags[1].threshold": "60",
    }


async def test_a_valid_form_creates_the_board_exactly(
    client: httpx.AsyncClient, organiser_token: str
) -> None:
    scope = unique_scope()
    r = await client.post("/admin/boards/new", data=form(scope), headers=bearer(organiser_token))
    assert r.status_code == 201, r.text
    board_id = r.json()["id"]
    assert r.headers["location"] == f"/admin/boards/{board_id}"
    assert r.json()["url"] == f"/admin/boards/{board_id}"
    row = await Board.get(id=board_id)
    assert (row.name, row.scope_level, row.scope_name, row.period_kind, row.period_label) == (
        f"2025年度{scope}强村富民指数榜", "county", scope, "year", "2025",
    )  # fmt: skip
    indicators = (
        await BoardIndicator.filter(board_id=board_id)
        .order_by("position")
        .values_list("position", "code", "name", "unit", "direction", "weight", "normalisation")
    )
    assert indicators == [
        (0, "income", "村集体经营性收入", "万元", "higher", 70.0, "minmax"),  # blank → minmax
        (1, "debt", "村级负债率", "%", "lower", 30.0, "percentile"),
    ]
    villages = (
        await BoardVillage.filter(board_id=board_id)
        .order_by("position")
        .values_list("position", "code", "name", "township", "county", "cadres")
    )
    assert villages == [
        (0, "V1", "鲤鱼村", "溪口镇", scope, 4),  # a county board: county defaults to its name
        (1, "V2", "龙潭村", "竹源乡", scope, 3),
        (2, "V3", "东岙村", "竹源乡", "邻县", 0),
    ]
    d = row.definition
    assert d["incentives"] == {
        "secretary_monthly": 600, "other_cadre_monthly": 300, "love_supermarket": 8000,
    }  # fmt: skip
    assert [(i["code"], i.get("min"), i.get("max")) for i in d["indicators"]] == [
        ("income", 0.0, None),  # 万元: not below 0 by default, no ceiling
        ("debt", 0.0, 80.0),
    ]
    assert [(f["scope"], f["category"], f["kind"], f["indicator"]) for f in d["flags"]] == [
        ("village", "产业兴旺", "top_n", "income"),
        ("township", "党建引领", "threshold", "index"),  # blank indicator → the index
    ]
    assert d["flags"][0]["exclude_bottom20"] is True and d["flags"][1]["threshold"] == 60.0
    event = await AuditEvent.filter(subject=f"board:{board_id}", action="board.define").first()
    assert event is not None and event.payload["villages"] == 3
    assert event.actor == "organiser:测试组织者"


EXPECTED_PROBLEMS = [
    ("period.label", "期次", "期次“2025年”格式不对，应形如“2025”"),
    ("incentives.love_supermarket", "爱心超市补助（元）", "金额不能为负数（现为 -1）"),
    ("indicators[1].weight", "指标第 2 行 · 权重", "权重必须大于 0（现为 -2）"),
    ("indicators[1].max", "指标第 2 行 · 上限", "上限 0 必须大于下限 0"),
    ("villages[1].code", "村庄第 2 行 · 村代码", "村代码“V1”重复（villages[0] 已使用）"),
    ("villages[1].name", "村庄第 2 行 · 村名", "缺少此项"),
    ("villages[2].cadres", "村庄第 3 行 · 其他村干部人数", "应为整数"),
    ("flags[1].category", "红旗规则第 2 行 · 类别",
     "红旗乡镇的类别应为党建引领、产业振兴、绿色生态、乡风文明、平安建设之一"),
    ("flags[1].n", "红旗规则第 2 行 · 名额", "threshold 规则不使用名额 n"),
]  # fmt: skip


def broken(scope: str) -> dict[str, str]:
    data = form(scope)
    data |= {
        "period.label": "2025年",
        "incentives.love_supermarket": "-1",
        "indicators[1].weight": "-2",
        "indicators[1].max": "0",
        "villages[1].code": "V1",
        "villages[1].name": "  ",
        "villages[2].cadres": "三",
        "flags[1].category": "产业兴旺",
        "flags[1].n": "2",
    }
    return data


async def test_an_invalid_form_lists_every_problem_and_stores_nothing(
    client: httpx.AsyncClient, organiser_token: str
) -> None:
    scope = unique_scope()
    before = await Board.all().count()
    r = await client.post("/admin/boards/new", data=broken(scope), headers=bearer(organiser_token))
    assert r.status_code == 422, r.text
    problems = [(p["field"], p["label"], p["message"]) for p in r.json()["error"]["problems"]]
    assert sorted(problems) == sorted(EXPECTED_PROBLEMS)
    assert await Board.all().count() == before
    assert not await Board.filter(scope_name=scope).exists()


async def test_the_check_lists_the_same_problems_as_you_type(
    client: httpx.AsyncClient, organiser_token: str
) -> None:
    scope = unique_scope()
    auth = bearer(organiser_token)
    r = await client.post("/admin/boards/new/check", data=broken(scope), headers=auth)
    assert r.status_code == 200
    got = [(p["field"], p["label"], p["message"]) for p in r.json()["problems"]]
    assert sorted(got) == sorted(EXPECTED_PROBLEMS)
    r = await client.post("/admin/boards/new/check", data=form(scope), headers=auth)
    assert r.json() == {"problems": []}
    assert not await Board.filter(scope_name=scope).exists()  # checking stores nothing
    # once the board exists, the same scope and period is named as taken, beside 期次
    assert (
        await client.post("/admin/boards/new", data=form(scope), headers=auth)
    ).status_code == 201
    r = await client.post("/admin/boards/new/check", data=form(scope), headers=auth)
    (problem,) = r.json()["problems"]
    assert problem["field"] == "period.label"
    assert problem["message"] == f"{scope}2025期的指数榜已存在：2025年度{scope}强村富民指数榜"
    again = await client.post("/admin/boards/new", data=form(scope), headers=auth)
    assert again.status_code == 409
    assert again.json()["error"]["problems"][0]["field"] == "period.label"


async def test_an_empty_form_names_each_missing_part(
    client: httpx.AsyncClient, organiser_token: str
) -> None:
    r = await client.post(
        "/admin/boards/new/check",
        data={"scope.level": "county", "period.kind": "year"},
        headers=bearer(organiser_token),
    )
    got: dict[str, Any] = {p["field"]: p["message"] for p in r.json()["problems"]}
    assert got == {
        "name": "缺少此项",
        "scope.name": "缺少此项",
        "period.label": "缺少此项",
        "indicators": "至少需要一个指标",
        "villages": "至少需要一个村",
    }


async def test_the_new_board_page_needs_an_organiser(
    client: httpx.AsyncClient, organiser_token: str
) -> None:
    assert (await client.get("/admin/boards/new")).status_code == 401
    assert (await client.post("/admin/boards/new", data=form("x"))).status_code == 401
    page = await client.get("/admin/boards/new", headers=bearer(organiser_token))
    assert page.status_code == 200
    assert 'name="indicators[0].weight"' in page.text
    assert 'data-error-for="villages[0].cadres"' in page.text
