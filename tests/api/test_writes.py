"""Deductions, satisfaction and round definitions: validation and idempotency."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from arena.models import AuditEvent, Deduction, Round, Satisfaction
from tests.api.helpers import new_campaign, small_definition
from tests.conftest import bearer, create_round, example_definition


@pytest.fixture
async def created(client: httpx.AsyncClient, organiser_token: str) -> dict[str, Any]:
    return await create_round(client, organiser_token, small_definition(new_campaign()))


async def test_deduction_idempotent_and_checked(
    client: httpx.AsyncClient, organiser_token: str, created: dict[str, Any]
) -> None:
    rid, org = created["id"], bearer(organiser_token)
    body = {
        "village": "A",
        "item": "f",
        "points": 2.5,
        "reason": "现场材料与台账不符",
        "idempotency_key": "d-1",
    }
    first = await client.post(f"/api/v1/rounds/{rid}/deductions", json=body, headers=org)
    assert first.status_code == 201
    d = first.json()["deduction"]
    assert (d["village"], d["item"], d["name"], d["points"], d["reason"]) == (
        "A",
        "f",
        "形式主义",
        2.5,
        "现场材料与台账不符",
    )
    again = await client.post(f"/api/v1/rounds/{rid}/deductions", json=body, headers=org)
    assert (again.status_code, again.json()) == (200, first.json())
    assert await Deduction.filter(round_id=rid).count() == 1
    for change, field in (
        (dict(points=6), "points"),
        (dict(points=0), "points"),
        (dict(item="zz"), "item"),
        (dict(reason=""), "reason"),
        (dict(village="Q"), "village"),
    ):
        r = await client.post(
            f"/api/v1/rounds/{rid}/deductions",
            headers=org,
            json={**body, **change, "idempotency_key": f"d-{field}"},
        )
        assert (r.status_code, r.json()["error"]["field"]) == (422, field)
    assert await Deduction.filter(round_id=rid).count() == 1


async def test_satisfaction_counts_and_rate(
    client: httpx.AsyncClient, organiser_token: str, created: dict[str, Any]
) -> None:
    rid, org = created["id"], bearer(organiser_token)
    r = await client.post(
        f"/api/v1/rounds/{rid}/satisfaction",
        headers=org,
        json={"village": "A", "counts": {"满意": 120, "不满意": 5}},
    )
    assert r.status_code == 201
    assert r.json()["satisfaction"]["counts"] == {
        "满意": 120,
        "比较满意": 0,
        "基本满意": 0,
        "不满意": 5,
    }
    r = await client.post(
        f"/api/v1/rounds/{rid}/satisfaction", headers=org, json={"village": "A", "rate": 92.5}
    )
    assert r.status_code == 201
    rows = await Satisfaction.filter(village__round_id=rid).values_list("counts", "rate")
    assert [(c, str(rate)) for c, rate in rows] == [(None, "92.50")]
    audit_before = await AuditEvent.all().count()
    for body, field in (
        ({"village": "A", "rate": 100.5}, "rate"),
        ({"village": "A", "counts": {"很满意": 3}}, "counts.很满意"),
        ({"village": "A", "counts": {"满意": -1}}, "counts.满意"),
        ({"village": "A", "counts": {"满意": 1.5}}, "counts.满意"),
        ({"village": "A"}, "counts"),
        ({"village": "A", "rate": 90, "counts": {"满意": 1}}, "counts"),
    ):
        r = await client.post(f"/api/v1/rounds/{rid}/satisfaction", headers=org, json=body)
        assert (r.status_code, r.json()["error"]["field"]) == (422, field), body
    assert await AuditEvent.all().count() == audit_before


async def test_bad_definition_lists_every_problem_and_stores_nothing(
    client: httpx.AsyncClient, organiser_token: str
) -> None:
    data = example_definition(campaign=new_campaign())
    data["villages"][0]["targets"][0]["max"] = 14  # 14 + 15 = 29, not 30
    data["papers"]["shared"]["items"][1]["code"] = "org"  # repeats the first item's code
    data["judges"][0]["recuse"] = ["V99"]
    data["date"] = "2025-13-01"
    rounds_before = await Round.all().count()
    r = await client.post("/api/v1/rounds", json=data, headers=bearer(organiser_token))
    assert r.status_code == 422
    error = r.json()["error"]
    assert error["code"] == "invalid_definition"
    assert [(p["field"], p["message"]) for p in error["problems"]] == [
        ("date", "必须是 YYYY-MM-DD 格式的日期"),
        ("papers.shared.items[1].code", "编码 org 重复"),
        ("villages[0].targets", "示范目标分值合计 29 与满分 30 不一致"),
        ("judges[0].recuse", "回避的村 V99 不在本轮名单中"),
    ]
    assert error["field"] == "date"
    assert await Round.all().count() == rounds_before


async def test_only_organisers_create_rounds(
    client: httpx.AsyncClient, created: dict[str, Any]
) -> None:
    judge_token = created["judges"][0]["token"]
    r = await client.post(
        "/api/v1/rounds", json=small_definition(new_campaign()), headers=bearer(judge_token)
    )
    assert r.status_code == 403
    r = await client.post("/api/v1/rounds", json=small_definition(new_campaign()))
    assert r.status_code == 401
    r = await client.post("/api/v1/rounds", json={}, headers={"Authorization": "Bearer nope"})
    assert r.status_code == 401
