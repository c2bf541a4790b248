"""A small designed round whose consistency figures are worked out by hand (tests/scoring too).

Shared paper: one item x (max 40); demonstration: one target t1 (max 30) per village; no
satisfaction figures, no deductions; three judges on every village, so every paper is the plain
mean of three totals.

  shared   J1 张伟  J2 李娜  J3 王强      demonstration  J1  J2  J3
  V1 东坡村   10      8      9                         20  21  20
  V2 南岭村    6      4      5                         20  21   2   ← J3: 请核对
  V3 西溪村    8      8      8                         20  21  20
  V4 北山村    4      2      6                         20  21  20
"""

from __future__ import annotations

import uuid
from typing import Any

import httpx

from tests.conftest import bearer, create_round

SHARED = {"V1": (10, 8, 9), "V2": (6, 4, 5), "V3": (8, 8, 8), "V4": (4, 2, 6)}
DEMONSTRATION = {"V1": (20, 21, 20), "V2": (20, 21, 2), "V3": (20, 21, 20), "V4": (20, 21, 20)}
JUDGES = (("J1", "张伟"), ("J2", "李娜"), ("J3", "王强"))
VILLAGES = (("V1", "东坡村"), ("V2", "南岭村"), ("V3", "西溪村"), ("V4", "北山村"))


def definition() -> dict[str, Any]:
    """The designed round's definition under a fresh campaign."""
    return {
        "name": "一致性测试拉练",
        "campaign": f"一致性测试-{uuid.uuid4().hex[:8]}",
        "date": "2025-09-16",
        "papers": {
            "shared": {"max": 40, "items": [{"code": "x", "name": "综合", "max": 40}]},
            "demonstration": {"max": 30},
            "satisfaction": {"max": 30},
            "deductions": {"cap": 10, "items": [{"code": "f", "name": "形式主义", "max": 5}]},
        },
        "villages": [
            {
                "code": code,
                "name": name,
                "township": "东港镇",
                "county": "滨海区",
                "targets": [{"code": "t1", "name": "特色产业", "max": 30}],
            }
            for code, name in VILLAGES
        ],
        "judges": [{"code": code, "name": name, "recuse": []} for code, name in JUDGES],
    }


async def designed_round(
    client: httpx.AsyncClient, organiser_token: str, skip: tuple[str, str, str] | None = None
) -> dict[str, Any]:
    """Create the designed round and submit every sheet (but `skip`: judge, village, paper)."""
    created = await create_round(client, organiser_token, definition())
    for paper, grid, item in (("shared", SHARED, "x"), ("demonstration", DEMONSTRATION, "t1")):
        for village, row in grid.items():
            for (judge, _), points in zip(JUDGES, row, strict=True):
                if skip == (judge, village, paper):
                    continue
                await submit(client, created, judge, village, paper, {item: points})
    return created


async def submit(
    client: httpx.AsyncClient,
    created: dict[str, Any],
    judge: str,
    village: str,
    paper: str,
    items: dict[str, float],
) -> None:
    """One judge's sheet through the API."""
    token = next(j["token"] for j in created["judges"] if j["code"] == judge)
    r = await client.post(
        f"/api/v1/rounds/{created['id']}/sheets",
        json={
            "village": village,
            "paper": paper,
            "items": items,
            "idempotency_key": uuid.uuid4().hex,
        },
        headers=bearer(token),
    )
    assert r.status_code == 201, r.text
