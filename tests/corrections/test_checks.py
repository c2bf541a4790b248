"""Checks before lock and publish: every problem named; publishing over them needs a confirm."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from arena.models import AuditEvent, Round
from tests.api.helpers import post_sheet, tokens
from tests.conftest import bearer
from tests.corrections.helpers import scored_round


@pytest.fixture
async def created(client: httpx.AsyncClient, organiser_token: str) -> dict[str, Any]:
    return await scored_round(client, organiser_token)


async def test_checks_name_every_problem(
    client: httpx.AsyncClient, organiser_token: str, created: dict[str, Any]
) -> None:
    rid, org, judge = created["id"], bearer(organiser_token), tokens(created)
    # B: J1 sends both papers; a 16-answer survey (under min_responses 30)
    for paper, items in (("shared", {"a": 8, "b": 8}), ("demonstration", {"t1": 8})):
        assert (await post_sheet(client, judge["J1"], rid, "B", paper, items)).status_code == 201
    r = await client.post(
        f"/api/v1/rounds/{rid}/satisfaction",
        headers=org,
        json={"village": "B", "counts": {"满意": 10, "比较满意": 5, "不满意": 1}},
    )
    assert r.status_code == 201
    checks = (await client.get(f"/api/v1/rounds/{rid}/checks", headers=org)).json()
    found = {c["code"]: c for c in checks["problems"]}
    assert list(found) == [
        "sheets_missing",
        "satisfaction_missing",
        "satisfaction_insufficient",
        "provisional",
    ]
    # B: 5 judges × 2 papers = 10 owed, J1's 2 in → 8; C: J5 recused, 4 × 2 = 8 → 16 missing
    assert found["sheets_missing"]["count"] == 16
    assert found["sheets_missing"]["summary"] == "评分表未交 16 份"
    assert found["sheets_missing"]["items"][0]["text"] == "B村 · 评委2号 · 共性目标"
    assert [i["text"] for i in found["satisfaction_missing"]["items"]] == ["C村：满意度未录入"]
    assert [i["text"] for i in found["satisfaction_insufficient"]["items"]] == [
        "B村：有效问卷 16 份，少于 30 份（样本不足，仍计分）"
    ]
    assert [i["text"] for i in found["provisional"]["items"]] == [
        "B村（暂定）：评分表 2/10",
        "C村（暂定）：评分表 0/8，满意度未录入",
    ]
    # 16 + 1 + 1 + 2
    assert (checks["ok"], checks["count"]) == (False, 20)


async def test_publish_with_problems_needs_confirm(
    client: httpx.AsyncClient, organiser_token: str, created: dict[str, Any]
) -> None:
    rid, org = created["id"], bearer(organiser_token)
    # Locking can be undone: the API locks without a confirmation.
    assert (await client.post(f"/api/v1/rounds/{rid}/lock", headers=org)).json() == {
        "id": rid,
        "status": "locked",
    }
    events = await AuditEvent.all().count()
    refused = await client.post(f"/api/v1/rounds/{rid}/publish", headers=org)
    assert refused.status_code == 409
    error = refused.json()["error"]
    assert (error["code"], error["field"]) == ("unconfirmed_problems", "confirm")
    assert "评分表未交 18 份" in error["message"] and "满意度未录入 2 个村" in error["message"]
    assert len(error["problems"]) == 18 + 2 + 2  # missing sheets, 未录入, provisional
    not_true = await client.post(
        f"/api/v1/rounds/{rid}/publish", headers=org, json={"confirm": "yes"}
    )
    assert not_true.status_code == 409
    assert (await Round.get(id=rid)).status == "locked"
    assert await AuditEvent.all().count() == events
    done = await client.post(f"/api/v1/rounds/{rid}/publish", headers=org, json={"confirm": True})
    assert done.json() == {"id": rid, "status": "published"}


async def test_a_clean_round_publishes_without_confirm(
    client: httpx.AsyncClient, organiser_token: str
) -> None:
    from tests.api.helpers import new_campaign, small_definition
    from tests.conftest import create_round

    created = await create_round(
        client, organiser_token, small_definition(new_campaign(), villages="A")
    )
    rid, org, judge = created["id"], bearer(organiser_token), tokens(created)
    for code in judge:
        for paper, items in (("shared", {"a": 8, "b": 8}), ("demonstration", {"t1": 8})):
            r = await post_sheet(client, judge[code], rid, "A", paper, items)
            assert r.status_code == 201
    r = await client.post(
        f"/api/v1/rounds/{rid}/satisfaction", headers=org, json={"village": "A", "rate": 90}
    )
    assert r.status_code == 201
    checks = (await client.get(f"/api/v1/rounds/{rid}/checks", headers=org)).json()
    assert (checks["ok"], checks["count"], checks["problems"]) == (True, 0, [])
    assert (await client.post(f"/api/v1/rounds/{rid}/lock", headers=org)).status_code == 200
    published = await client.post(f"/api/v1/rounds/{rid}/publish", headers=org)
    assert published.json()["status"] == "published"


async def test_checks_need_an_organiser(
    client: httpx.AsyncClient, organiser_token: str, created: dict[str, Any]
) -> None:
    rid = created["id"]
    judge = created["judges"][0]["token"]
    assert (await client.get(f"/api/v1/rounds/{rid}/checks")).status_code == 401
    r = await client.get(f"/api/v1/rounds/{rid}/checks", headers=bearer(judge))
    assert r.status_code == 403


async def test_pages_render_in_chinese(
    client: httpx.AsyncClient, organiser_token: str, created: dict[str, Any]
) -> None:
    rid, org = created["id"], bearer(organiser_token)
    for kind, heading in (
        ("deductions", "扣分项录入"),
        ("satisfaction", "满意度录入"),
        ("sheets", "评分表更正"),
        ("checks", "锁定与发布前检查"),
    ):
        r = await client.get(f"/admin/rounds/{rid}/{kind}", headers=org)
        assert r.status_code == 200, kind
        assert f"<h1>{heading}</h1>" in r.text
        assert f'src="/static/js/corrections/{kind}.js"' in r.text
    # without a credential the page is not served (401, or a sign-in redirect)
    assert (await client.get(f"/admin/rounds/{rid}/deductions")).status_code in (401, 302, 303)
    data = (await client.get(f"/admin/rounds/{rid}/deductions.json", headers=org)).json()
    assert (data["cap"], [c["code"] for c in data["catalogue"]]) == (5, ["f"])
    # A: 49.97, no deductions yet
    assert [(v["code"], v["total"], v["deductions_raw"]) for v in data["villages"]][0] == (
        "A",
        49.97,
        0,
    )
    sheets = (await client.get(f"/admin/rounds/{rid}/sheets.json", headers=org)).json()
    a = sheets["villages"][0]
    # 5 judges × 2 papers, all in
    assert [c["state"] for c in a["cells"]] == ["in"] * 10
    c = sheets["villages"][2]
    # J5 is recused from C: 4 × 2 missing, 2 recused
    assert [c["state"] for c in c["cells"]] == ["missing"] * 8 + ["recused"] * 2
