"""Satisfaction figures: the score by hand, 未录入 stays provisional, withdraw with a reason."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from arena.models import AuditEvent, Satisfaction
from tests.conftest import bearer
from tests.corrections.helpers import A_TOTAL, last_event, row, scored_round


@pytest.fixture
async def created(client: httpx.AsyncClient, organiser_token: str) -> dict[str, Any]:
    return await scored_round(client, organiser_token)


async def test_counts_score_and_missing_villages(
    client: httpx.AsyncClient, organiser_token: str, created: dict[str, Any]
) -> None:
    rid, org = created["id"], bearer(organiser_token)
    a = await row(client, organiser_token, rid, "A")
    # 30 × (120×1.0 + 50×0.8 + 20×0.6 + 10×0) / 200 = 30 × 172 / 200 = 25.80
    assert (a["satisfaction"], a["satisfaction_missing"], a["provisional"]) == (25.8, False, False)
    b = await row(client, organiser_token, rid, "B")
    # B has neither sheets nor a figure: 未录入, provisional, never a silent 0
    assert (b["satisfaction_missing"], b["provisional"], b["satisfaction_insufficient"]) == (
        True,
        True,
        False,
    )
    page = await client.get(f"/admin/rounds/{rid}/satisfaction.json", headers=org)
    villages = {v["code"]: v for v in page.json()["villages"]}
    assert villages["A"]["arithmetic"] == (
        "30 × (120×1.0 + 50×0.8 + 20×0.6 + 10×0) / 200 = 30 × 172 / 200 = 25.80"
    )
    assert (villages["A"]["score"], villages["A"]["responses"]) == (25.8, 200)
    assert (villages["B"]["score"], villages["B"]["marker"], villages["B"]["source"]) == (
        None,
        "未录入",
        "none",
    )
    breakdown = (await client.get(f"/api/v1/rounds/{rid}/villages/B", headers=org)).json()
    assert (breakdown["papers"]["satisfaction"]["missing"], breakdown["provisional"]) == (
        True,
        True,
    )
    assert breakdown["papers"]["satisfaction"]["marker"] == "未录入"


async def test_rate_then_withdraw(
    client: httpx.AsyncClient, organiser_token: str, created: dict[str, Any]
) -> None:
    rid, org = created["id"], bearer(organiser_token)
    r = await client.post(
        f"/api/v1/rounds/{rid}/satisfaction",
        headers=org,
        json={"village": "A", "rate": 92.5, "idempotency_key": "rate-a"},
    )
    assert r.status_code == 201, r.text
    a = await row(client, organiser_token, rid, "A")
    # 30 × 92.5% = 27.75; total 16.00 + 8.17 + 27.75 = 51.92
    assert (a["satisfaction"], a["total"]) == (27.75, 51.92)
    page = (await client.get(f"/admin/rounds/{rid}/satisfaction.json", headers=org)).json()
    assert page["villages"][0]["arithmetic"] == "30 × 92.5% = 27.75"

    url = f"/api/v1/rounds/{rid}/satisfaction/A/withdraw"
    body = {"reason": "外部测评数据来源待核实", "idempotency_key": "sw-a"}
    undo = await client.post(url, headers=org, json=body)
    assert undo.status_code == 201, undo.text
    event = await last_event()
    assert (event.action, event.payload) == (
        "satisfaction.withdraw",
        {"village": "A", "reason": "外部测评数据来源待核实", "withdrawn_by": "测试组织者"},
    )
    a = await row(client, organiser_token, rid, "A")
    # 未录入 again: 16.00 + 8.17 = 24.17, provisional
    assert (a["total"], a["satisfaction_missing"], a["provisional"]) == (24.17, True, True)
    # replay: same answer, nothing new; nothing left to withdraw with a new key: 409
    events = await AuditEvent.all().count()
    again = await client.post(url, headers=org, json=body)
    assert (again.status_code, again.json()) == (200, undo.json())
    more = await client.post(url, headers=org, json={"reason": "x", "idempotency_key": "sw-2"})
    assert (more.status_code, more.json()["error"]["code"]) == (409, "nothing_to_withdraw")
    assert await AuditEvent.all().count() == events
    kept = await Satisfaction.get(village__round_id=rid, village__code="A")
    assert (str(kept.rate), kept.withdrawn_by, kept.withdraw_reason) == (
        "92.50",
        "测试组织者",
        "外部测评数据来源待核实",
    )
    page = (await client.get(f"/admin/rounds/{rid}/satisfaction.json", headers=org)).json()
    assert page["villages"][0]["withdrawn"]["reason"] == "外部测评数据来源待核实"

    # A new figure replaces the withdrawn one: 30 × 172 / 200 = 25.80 → back to 49.97
    r = await client.post(
        f"/api/v1/rounds/{rid}/satisfaction",
        headers=org,
        json={
            "village": "A",
            "counts": {"满意": 120, "比较满意": 50, "基本满意": 20, "不满意": 10},
            "idempotency_key": "again-a",
        },
    )
    assert r.status_code == 201
    a = await row(client, organiser_token, rid, "A")
    assert (a["total"], a["provisional"]) == (A_TOTAL, False)


async def test_small_sample_is_counted_and_flagged(
    client: httpx.AsyncClient, organiser_token: str, created: dict[str, Any]
) -> None:
    rid, org = created["id"], bearer(organiser_token)
    r = await client.post(
        f"/api/v1/rounds/{rid}/satisfaction",
        headers=org,
        json={"village": "B", "counts": {"满意": 10, "比较满意": 5, "不满意": 1}},
    )
    assert r.status_code == 201
    b = await row(client, organiser_token, rid, "B")
    # 30 × (10×1.0 + 5×0.8 + 0×0.6 + 1×0) / 16 = 30 × 14 / 16 = 26.25, only 16 answers (< 30)
    assert (b["satisfaction"], b["satisfaction_insufficient"], b["satisfaction_missing"]) == (
        26.25,
        True,
        False,
    )


async def test_bad_withdraw_stores_nothing(
    client: httpx.AsyncClient, organiser_token: str, created: dict[str, Any]
) -> None:
    rid, org = created["id"], bearer(organiser_token)
    events = await AuditEvent.all().count()
    r = await client.post(
        f"/api/v1/rounds/{rid}/satisfaction/A/withdraw", headers=org, json={"idempotency_key": "k"}
    )
    assert (r.status_code, r.json()["error"]["field"]) == (422, "reason")
    r = await client.post(
        f"/api/v1/rounds/{rid}/satisfaction/Q/withdraw",
        headers=org,
        json={"reason": "x", "idempotency_key": "k"},
    )
    assert (r.status_code, r.json()["error"]["field"]) == (404, "village")
    assert await AuditEvent.all().count() == events
    assert (await row(client, organiser_token, rid, "A"))["total"] == A_TOTAL
