"""Deductions with evidence, withdrawn with a reason: totals by hand, idempotent, audited."""

from __future__ import annotations

import io
from typing import Any

import httpx
import pytest
from openpyxl import load_workbook

from arena.models import AuditEvent, Deduction
from tests.conftest import bearer
from tests.corrections.helpers import A_TOTAL, last_event, row, scored_round


@pytest.fixture
async def created(client: httpx.AsyncClient, organiser_token: str) -> dict[str, Any]:
    return await scored_round(client, organiser_token)


async def deduct(
    client: httpx.AsyncClient, token: str, rid: int, points: float, key: str, **extra: Any
) -> httpx.Response:
    body = {
        "village": "A",
        "item": "f",
        "points": points,
        "reason": f"台账与现场不符（{points} 分）",
        "evidence": "现场照片 IMG_0412",
        "idempotency_key": key,
        **extra,
    }
    return await client.post(f"/api/v1/rounds/{rid}/deductions", json=body, headers=bearer(token))


async def withdraw(
    client: httpx.AsyncClient, token: str, rid: int, deduction_id: int, body: dict[str, Any]
) -> httpx.Response:
    return await client.post(
        f"/api/v1/rounds/{rid}/deductions/{deduction_id}/withdraw",
        json=body,
        headers=bearer(token),
    )


async def test_deduct_cap_withdraw_by_hand(
    client: httpx.AsyncClient, organiser_token: str, created: dict[str, Any]
) -> None:
    rid = created["id"]
    before = await row(client, organiser_token, rid, "A")
    assert (before["total"], before["deductions"], before["provisional"]) == (A_TOTAL, 0, False)

    two = await deduct(client, organiser_token, rid, 2, "d-two")
    assert two.status_code == 201, two.text
    d = two.json()["deduction"]
    assert (d["points"], d["evidence"], d["recorded_by"]) == (2, "现场照片 IMG_0412", "测试组织者")
    # 49.97 − 2 = 47.97
    assert (await row(client, organiser_token, rid, "A"))["total"] == 47.97

    four = await deduct(client, organiser_token, rid, 4, "d-four")
    assert four.status_code == 201
    after = await row(client, organiser_token, rid, "A")
    # 2 + 4 = 6 points recorded, capped at 5: 49.97 − 5 = 44.97
    assert (after["deductions"], after["total"]) == (5, 44.97)

    four_id = four.json()["deduction"]["id"]
    undo = await withdraw(
        client, organiser_token, rid, four_id, {"reason": "复核：已整改", "idempotency_key": "w-4"}
    )
    assert undo.status_code == 201, undo.text
    assert undo.json()["deduction"]["withdrawn_by"] == "测试组织者"
    # only the 2 counts again: 49.97 − 2 = 47.97
    assert (await row(client, organiser_token, rid, "A"))["total"] == 47.97
    event = await last_event()
    assert (event.action, event.actor, event.payload) == (
        "deduction.withdraw",
        "organiser:测试组织者",
        {
            "id": four_id,
            "village": "A",
            "item": "f",
            "points": "4.00",
            "reason": "复核：已整改",
            "withdrawn_by": "测试组织者",
        },
    )
    # The same withdraw again answers as before and stores nothing; a new key is a 409.
    events = await AuditEvent.all().count()
    again = await withdraw(
        client, organiser_token, rid, four_id, {"reason": "复核：已整改", "idempotency_key": "w-4"}
    )
    assert (again.status_code, again.json()) == (200, undo.json())
    twice = await withdraw(
        client, organiser_token, rid, four_id, {"reason": "再撤一次", "idempotency_key": "w-4b"}
    )
    assert (twice.status_code, twice.json()["error"]["code"]) == (409, "already_withdrawn")
    assert await AuditEvent.all().count() == events

    # The row is kept, marked; the breakdown lists only what counts, with its evidence.
    kept = await Deduction.get(id=four_id)
    assert (kept.withdrawn_by, kept.withdraw_reason, kept.withdrawn_at is not None) == (
        "测试组织者",
        "复核：已整改",
        True,
    )
    breakdown = (
        await client.get(f"/api/v1/rounds/{rid}/villages/A", headers=bearer(organiser_token))
    ).json()["papers"]["deductions"]
    assert [(e["points"], e["evidence"]) for e in breakdown["entries"]] == [
        (2, "现场照片 IMG_0412")
    ]
    assert (breakdown["total"], breakdown["raw"], breakdown["capped"]) == (2, 2, False)

    two_id = two.json()["deduction"]["id"]
    r = await withdraw(
        client, organiser_token, rid, two_id, {"reason": "录错村", "idempotency_key": "w-2"}
    )
    assert r.status_code == 201
    # nothing deducted any more: back to 49.97
    assert (await row(client, organiser_token, rid, "A"))["total"] == A_TOTAL
    assert await Deduction.filter(round_id=rid).count() == 2  # withdrawn, never deleted
    export = await client.get(f"/api/v1/rounds/{rid}/export.xlsx", headers=bearer(organiser_token))
    book = load_workbook(io.BytesIO(export.content))
    assert [r[:5] for r in book["更正记录"].iter_rows(min_row=2, values_only=True)] == [
        (
            "撤销扣分",
            "A村",
            "形式主义 2 分（原因：台账与现场不符（2 分））",
            "录错村",
            "测试组织者",
        ),
        (
            "撤销扣分",
            "A村",
            "形式主义 4 分（原因：台账与现场不符（4 分））",
            "复核：已整改",
            "测试组织者",
        ),
    ]
    assert [r[2] for r in book["扣分项"].iter_rows(min_row=2, values_only=True)] == []


async def test_deduction_event_carries_the_whole_record(
    client: httpx.AsyncClient, organiser_token: str, created: dict[str, Any]
) -> None:
    rid = created["id"]
    r = await deduct(client, organiser_token, rid, 1.5, "d-event")
    event = await last_event()
    assert (event.action, event.subject, event.payload) == (
        "deduction.add",
        f"round:{rid}",
        {
            "id": r.json()["deduction"]["id"],
            "village": "A",
            "item": "f",
            "points": "1.5",
            "reason": "台账与现场不符（1.5 分）",
            "evidence": "现场照片 IMG_0412",
            "recorded_by": "测试组织者",
        },
    )
    assert r.json()["audit_hash"] == event.entry_hash


async def test_deduction_idempotent(
    client: httpx.AsyncClient, organiser_token: str, created: dict[str, Any]
) -> None:
    rid = created["id"]
    first = await deduct(client, organiser_token, rid, 2, "same")
    second = await deduct(client, organiser_token, rid, 2, "same")
    assert (first.status_code, second.status_code, second.json()) == (201, 200, first.json())
    other = await deduct(client, organiser_token, rid, 3, "same")
    assert (other.status_code, other.json()["error"]["field"]) == (409, "idempotency_key")
    assert await Deduction.filter(round_id=rid).count() == 1
    # one deduction of 2: 49.97 − 2 = 47.97
    assert (await row(client, organiser_token, rid, "A"))["total"] == 47.97


async def test_bad_deduction_lists_every_field_and_stores_nothing(
    client: httpx.AsyncClient, organiser_token: str, created: dict[str, Any]
) -> None:
    rid, org = created["id"], bearer(organiser_token)
    events = await AuditEvent.all().count()
    r = await client.post(
        f"/api/v1/rounds/{rid}/deductions",
        headers=org,
        json={"village": "Q", "item": "zz", "points": -1, "reason": " ", "evidence": 3,
              "idempotency_key": "bad"},
    )  # fmt: skip
    assert r.status_code == 422
    error = r.json()["error"]
    assert error["field"] == "village"
    assert [p["field"] for p in error["problems"]] == [
        "village",
        "item",
        "points",
        "reason",
        "evidence",
    ]
    over = await deduct(client, organiser_token, rid, 5.5, "over")  # the item's max is 5
    assert (over.status_code, over.json()["error"]["field"]) == (422, "points")
    bad_withdraw = await withdraw(client, organiser_token, rid, 1, {"idempotency_key": "w"})
    assert (bad_withdraw.status_code, bad_withdraw.json()["error"]["field"]) == (422, "reason")
    unknown = await withdraw(
        client, organiser_token, rid, 999_999, {"reason": "x", "idempotency_key": "w"}
    )
    assert (unknown.status_code, unknown.json()["error"]["field"]) == (404, "deduction")
    assert await Deduction.filter(round_id=rid).count() == 0
    assert await AuditEvent.all().count() == events


async def test_locked_round_refuses_withdraw(
    client: httpx.AsyncClient, organiser_token: str, created: dict[str, Any]
) -> None:
    rid, org = created["id"], bearer(organiser_token)
    d = (await deduct(client, organiser_token, rid, 1, "d-l")).json()["deduction"]
    assert (await client.post(f"/api/v1/rounds/{rid}/lock", headers=org)).status_code == 200
    r = await withdraw(
        client, organiser_token, rid, d["id"], {"reason": "x", "idempotency_key": "k"}
    )
    assert (r.status_code, r.json()["error"]["code"]) == (403, "round_locked")
    assert (await Deduction.get(id=d["id"])).withdrawn_at is None


async def test_judge_cannot_withdraw(
    client: httpx.AsyncClient, organiser_token: str, created: dict[str, Any]
) -> None:
    rid = created["id"]
    d = (await deduct(client, organiser_token, rid, 1, "d-j")).json()["deduction"]
    judge = created["judges"][0]["token"]
    r = await withdraw(client, judge, rid, d["id"], {"reason": "x", "idempotency_key": "k"})
    assert r.status_code == 403
