"""Small helpers for API tests: a hand-sized round and sheet posting."""

from __future__ import annotations

import uuid
from typing import Any

import httpx

from tests.conftest import bearer


def small_definition(
    campaign: str, date: str = "2025-09-16", villages: str = "ABC"
) -> dict[str, Any]:
    """Three villages, five judges (J5 recused from C), two shared items, one target each."""
    return {
        "name": f"测试拉练 {date}",
        "campaign": campaign,
        "date": date,
        "aggregation": {"method": "trimmed", "trim": 1, "min_judges_for_trim": 5},
        "tie_breaks": ["shared", "satisfaction", "-deductions"],
        "papers": {
            "shared": {
                "max": 20,
                "items": [
                    {"code": "a", "name": "组织建设", "max": 10},
                    {"code": "b", "name": "集体经济", "max": 10},
                ],
            },
            "demonstration": {"max": 10},
            "satisfaction": {
                "max": 30,
                "min_responses": 30,
                "scale": {"满意": 1.0, "比较满意": 0.8, "基本满意": 0.6, "不满意": 0},
            },
            "deductions": {"cap": 5, "items": [{"code": "f", "name": "形式主义", "max": 5}]},
        },
        "villages": [
            {
                "code": c,
                "name": f"{c}村",
                "township": "东港镇",
                "county": "滨海区",
                "targets": [{"code": "t1", "name": "示范项目", "max": 10}],
            }
            for c in villages
        ],
        "judges": [
            {
                "code": f"J{n}",
                "name": f"评委{n}号",
                "recuse": ["C"] if n == 5 and "C" in villages else [],
            }
            for n in range(1, 6)
        ],
    }


def new_campaign() -> str:
    """A campaign name no other test uses."""
    return f"测试行动-{uuid.uuid4().hex[:8]}"


async def post_sheet(
    client: httpx.AsyncClient,
    token: str,
    round_id: int,
    village: str,
    paper: str,
    items: dict[str, Any],
    key: str | None = None,
    comment: str = "",
) -> httpx.Response:
    """POST one sheet with a fresh idempotency key unless one is given."""
    return await client.post(
        f"/api/v1/rounds/{round_id}/sheets",
        json={
            "village": village,
            "paper": paper,
            "items": items,
            "comment": comment,
            "idempotency_key": key or uuid.uuid4().hex,
        },
        headers=bearer(token),
    )


def tokens(created: dict[str, Any], kind: str = "judges") -> dict[str, str]:
    """code -> token of the judges or villages in a create-round answer."""
    return {e["code"]: e["token"] for e in created[kind]}
