"""Publishing a round runs `arena audit verify`'s check first and refuses, with the reason,
when a row of that round no longer matches the chain."""

from __future__ import annotations

import httpx

from arena.models import Sheet
from tests.conftest import bearer
from tests.trust.support import post_sheet, small_round, tokens


async def test_publish_refuses_a_round_edited_outside_arena(
    client: httpx.AsyncClient, organiser_token: str
) -> None:
    created = await small_round(client, organiser_token)
    rid, judges = created["id"], tokens(created)
    org = bearer(organiser_token)
    r = await post_sheet(client, judges["J1"], rid, "A", "shared", {"a": 6, "b": 7})
    assert r.status_code == 201
    sheet_id = r.json()["sheet"]["id"]
    assert (await client.post(f"/api/v1/rounds/{rid}/lock", headers=org)).status_code == 200
    # Someone with database access raises item a from 6 to 9 (total 13 → 16 behind Arena's back).
    await Sheet.filter(id=sheet_id).update(items={"a": "9", "b": "7"})
    try:
        r = await client.post(f"/api/v1/rounds/{rid}/publish", headers=org, json={"confirm": True})
        assert r.status_code == 409, r.text
        error = r.json()["error"]
        assert error["code"] == "audit_mismatch"
        assert error["message"].startswith(
            f"不能发布：数据与审计链不符：sheet {sheet_id}: items 为"
        )
        # The round page's 核验 button says the same (the chain itself is whole).
        verdict = (await client.post(f"/admin/rounds/{rid}/audit", headers=org)).json()
        assert (verdict["ok"], verdict["broken_at"]) == (False, None)
        assert verdict["differences"][0].startswith(f"sheet {sheet_id}: items 为")
    finally:
        await Sheet.filter(id=sheet_id).update(items={"a": "6", "b": "7"})
    r = await client.post(f"/api/v1/rounds/{rid}/publish", headers=org, json={"confirm": True})
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "published"
