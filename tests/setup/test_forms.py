"""The new-round form's routes: the page, the as-you-type check, creating, copying."""

from __future__ import annotations

import copy

import httpx

from arena.models import AuditEvent, Judge, Round
from tests.api.helpers import new_campaign, small_definition
from tests.conftest import bearer
from tests.setup.helpers import fields, form_state, post


async def test_form_pages_need_an_organiser(client: httpx.AsyncClient) -> None:
    for path in ("/admin/rounds/new", "/admin/rounds/template.xlsx", "/admin"):
        r = await client.get(path)
        assert r.status_code == 401, path
    r = await client.post("/admin/rounds/check", json={})
    assert r.status_code == 401
    assert r.json()["error"]["code"] == "unauthenticated"


async def test_new_form_starts_from_the_usual_settings(
    client: httpx.AsyncClient, organiser_token: str
) -> None:
    r = await client.get("/admin/rounds/new", headers=bearer(organiser_token))
    assert r.status_code == 200
    assert 'id="definition-form"' in r.text and "/admin/rounds/template.xlsx" in r.text
    assert 'aria-label="组织者导航"' in r.text  # the shared admin navigation
    state = form_state(r.text)
    d = state["definition"]
    assert state["mode"] == "new"
    assert d["name"] == "" and d["date"] == "" and d["villages"] == [] and d["judges"] == []
    # 10 + 10 + 8 + 6 + 6 = 40: the shared items offered add up to the shared paper's maximum
    assert (
        sum(i["max"] for i in d["papers"]["shared"]["items"]) == d["papers"]["shared"]["max"] == 40
    )


async def test_check_lists_every_problem_at_once_and_stores_nothing(
    client: httpx.AsyncClient, organiser_token: str
) -> None:
    before = await Round.all().count()
    d = small_definition(new_campaign())
    d["name"] = ""
    d["date"] = "2025-13-40"
    d["villages"][1]["name"] = " "
    d["villages"][2]["targets"][0]["max"] = 8  # 8 ≠ the demonstration maximum 10
    d["papers"]["shared"]["items"][1]["max"] = "十"
    d["judges"][0]["recuse"] = ["Z"]
    d["judges"][1]["unit"] = "单" * 101
    d["aggregation"]["min_judges_for_trim"] = 2  # trim 1 needs at least 2 × 1 + 1 = 3
    r = await post(client, organiser_token, "/admin/rounds/check", d)
    assert r.status_code == 200
    body = r.json()
    assert body["ok"] is False
    assert fields(body["problems"]) == {
        "name",
        "date",
        "villages[1].name",
        "villages[2].targets",
        "papers.shared.items[1].max",
        "papers.shared.items",  # the sum cannot be checked against 20 with a non-number in it
        "judges[0].recuse",
        "judges[1].unit",
        "aggregation.min_judges_for_trim",
    }
    by_field = {p["field"]: p["message"] for p in body["problems"]}
    assert by_field["villages[2].targets"] == "示范目标分值合计 8 与满分 10 不一致"
    assert by_field["papers.shared.items[1].max"] == "必须是数字"
    # the API refuses the same draft with the same list, and nothing is stored
    api = await client.post("/api/v1/rounds", json=d, headers=bearer(organiser_token))
    assert api.status_code == 422
    assert fields(api.json()["error"]["problems"]) == fields(body["problems"])
    assert await Round.all().count() == before


async def test_a_clean_draft_passes_the_check_and_creates_with_units(
    client: httpx.AsyncClient, organiser_token: str
) -> None:
    d = small_definition(new_campaign())
    d["judges"][0]["unit"] = "县委组织部"
    r = await post(client, organiser_token, "/admin/rounds/check", d)
    assert r.json() == {"ok": True, "problems": [], "changes": []}
    created = await client.post("/api/v1/rounds", json=d, headers=bearer(organiser_token))
    assert created.status_code == 201
    rid = created.json()["id"]
    stored = await Judge.filter(round_id=rid).order_by("position").values_list("code", "unit")
    assert stored == [("J1", "县委组织部"), ("J2", ""), ("J3", ""), ("J4", ""), ("J5", "")]
    got = (await client.get(f"/api/v1/rounds/{rid}", headers=bearer(organiser_token))).json()
    assert got["judges"][0] == {"code": "J1", "name": "评委1号", "unit": "县委组织部", "recuse": []}
    assert "unit" not in got["judges"][1]
    cards = await client.get(f"/admin/rounds/{rid}/cards", headers=bearer(organiser_token))
    assert cards.text.count('<p class="card-unit">') == 1  # only J1 has a unit
    assert '<p class="card-unit">县委组织部</p>' in cards.text
    assert await AuditEvent.filter(subject=f"round:{rid}", action="round.create").count() == 1


async def test_copy_fills_the_form_with_the_same_route_judges_and_items(
    client: httpx.AsyncClient, organiser_token: str
) -> None:
    d = small_definition(new_campaign())
    d["judges"][2]["unit"] = "东港镇"
    created = await client.post("/api/v1/rounds", json=d, headers=bearer(organiser_token))
    rid = created.json()["id"]
    r = await client.get(f"/admin/rounds/{rid}/copy", headers=bearer(organiser_token))
    assert r.status_code == 200
    state = form_state(r.text)
    assert state["mode"] == "copy" and state["source"] == {"id": rid, "name": d["name"]}
    copied = state["definition"]
    assert copied["name"] == "" and copied["date"] == ""
    expected = copy.deepcopy(d)
    for j in expected["judges"]:
        if not j["recuse"]:
            j["recuse"] = []
    assert copied["villages"] == expected["villages"]
    assert [(j["code"], j["name"], j.get("unit", "")) for j in copied["judges"]] == [
        ("J1", "评委1号", ""), ("J2", "评委2号", ""), ("J3", "评委3号", "东港镇"),
        ("J4", "评委4号", ""), ("J5", "评委5号", ""),
    ]  # fmt: skip
    assert copied["judges"][4]["recuse"] == ["C"]
    assert copied["papers"] == {
        **d["papers"],
        "satisfaction": {
            **d["papers"]["satisfaction"],
            "scale": {"满意": 1, "比较满意": 0.8, "基本满意": 0.6, "不满意": 0},
        },
    }
    # the copy with a new name and date is a new round of the same campaign
    copied.update(name="测试拉练 第二轮", date="2025-12-16")
    again = await client.post("/api/v1/rounds", json=copied, headers=bearer(organiser_token))
    assert again.status_code == 201
    second = await Round.get(id=again.json()["id"]).select_related("campaign")
    assert second.campaign.name == d["campaign"] and second.id != rid


async def test_unknown_round_pages_are_404(client: httpx.AsyncClient, organiser_token: str) -> None:
    for path in ("/admin/rounds/999999", "/admin/rounds/999999/copy", "/admin/rounds/999999/edit"):
        r = await client.get(path, headers=bearer(organiser_token))
        assert r.status_code == 404, path


async def test_a_signed_out_browser_is_sent_to_sign_in_and_back(client: httpx.AsyncClient) -> None:
    for path in ("/admin", "/admin/rounds/new", "/admin/rounds/1/progress", "/admin/users"):
        r = await client.get(path, headers={"Accept": "text/html,application/xhtml+xml"})
        assert r.status_code == 303, path
        assert r.headers["location"] == "/login?next=" + path, path
