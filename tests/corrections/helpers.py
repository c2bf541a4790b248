"""A hand-sized scored round for the corrections tests: village A fully scored, B and C not."""

from __future__ import annotations

from typing import Any

import httpx

from arena.models import AuditEvent
from tests.api.helpers import new_campaign, post_sheet, small_definition, tokens
from tests.conftest import bearer, create_round

# Village A, shared paper (items a, b; max 10 each): totals 15, 17, 14, 19, 16.
A_SHARED = {
    "J1": {"a": 8, "b": 7},
    "J2": {"a": 9, "b": 8},
    "J3": {"a": 7, "b": 7},
    "J4": {"a": 10, "b": 9},
    "J5": {"a": 8, "b": 8},
}
# Village A, demonstration paper (target t1, max 10).
A_DEMONSTRATION = {"J1": 8, "J2": 8.5, "J3": 9, "J4": 7, "J5": 8}
# 120 满意, 50 比较满意, 20 基本满意, 10 不满意
A_COUNTS = {"满意": 120, "比较满意": 50, "基本满意": 20, "不满意": 10}

# By hand, village A:
#   shared: drop 14 (J3) and 19 (J4): (15 + 17 + 16) / 3 = 16.00
#   demonstration: drop 7 (J4) and 9 (J3): (8 + 8.5 + 8) / 3 = 8.1666… → 8.17
#   satisfaction: 30 × (120×1.0 + 50×0.8 + 20×0.6 + 10×0) / 200 = 30 × 172 / 200 = 25.80
#   total 16.00 + 8.17 + 25.80 = 49.97
A_TOTAL = 49.97


async def scored_round(client: httpx.AsyncClient, organiser: str) -> dict[str, Any]:
    """Create the round; every judge scores village A on both papers; A's survey is entered."""
    created = await create_round(client, organiser, small_definition(new_campaign()))
    rid, judge = created["id"], tokens(created)
    for code, items in A_SHARED.items():
        r = await post_sheet(client, judge[code], rid, "A", "shared", items)
        assert r.status_code == 201, r.text
        r = await post_sheet(
            client, judge[code], rid, "A", "demonstration", {"t1": A_DEMONSTRATION[code]}
        )
        assert r.status_code == 201, r.text
    r = await client.post(
        f"/api/v1/rounds/{rid}/satisfaction",
        headers=bearer(organiser),
        json={"village": "A", "counts": A_COUNTS, "idempotency_key": f"sat-{rid}-A"},
    )
    assert r.status_code == 201, r.text
    return created


async def row(client: httpx.AsyncClient, organiser: str, rid: int, code: str) -> dict[str, Any]:
    """One village's standings row as the API gives it."""
    r = await client.get(f"/api/v1/rounds/{rid}/standings", headers=bearer(organiser))
    assert r.status_code == 200, r.text
    return next(x for x in r.json()["rows"] if x["village"] == code)  # type: ignore[no-any-return]


async def last_event() -> AuditEvent:
    """The newest audit event."""
    event = await AuditEvent.all().order_by("-id").first()
    assert event is not None
    return event
