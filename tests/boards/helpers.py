"""A five-village county board over two periods, small enough to work out by hand."""

from __future__ import annotations

import uuid
from typing import Any

import httpx

from tests.conftest import bearer

# 2025 values                          income scores      debt scores (lower is better)
#     income(元)  debt(%)  cadres      (x−0)/300×100      (50−x)/40×100     index (3·inc+1·debt)/4
# A     100        10       4           33.33              100               (100+100)/4  = 50.00
# B     200        30       3           66.67               50               (200+50)/4   = 62.50
# C     300        50       5          100                   0               (300+0)/4    = 75.00
# D     200        30       2           66.67               50               (200+50)/4   = 62.50
# E       0        50       3            0                   0                0
# ranks: C 1, B 2, D 2 (tie, listed by code), A 4, E 5; bottom 20% = last ceil(5/5) = 1: E
VALUES_2025 = (
    "village,name,income,debt\n"
    "A,甲村,100,10\nB,乙村,200,30\nC,丙村,300,50\nD,丁村,200,30\nE,戊村,0,50\n"
)
# 2024: income 300/200/100/0/100 → scores 100/66.67/33.33/0/33.33; debt all 20 → 100 each
# index A (300+100)/4 = 100, B 75, C 50, D 25, E 50 → ranks A 1, B 2, C 3, E 3, D 5
VALUES_2024 = "village,income,debt\nA,300,20\nB,200,20\nC,100,20\nD,0,20\nE,100,20\n"
EAST, WEST = "东湖镇", "西山乡"


def definition(scope: str, label: str) -> dict[str, Any]:
    """The board of ``scope`` for year ``label``."""
    villages = [
        ("A", "甲村", EAST, 4),
        ("B", "乙村", EAST, 3),
        ("C", "丙村", EAST, 5),
        ("D", "丁村", WEST, 2),
        ("E", "戊村", WEST, 3),
    ]
    return {
        "name": f"{label}年度{scope}强村富民指数榜",
        "scope": {"level": "county", "name": scope},
        "period": {"kind": "year", "label": label},
        "indicators": [
            {"code": "income", "name": "村集体经营性收入", "unit": "元", "direction": "higher",
             "weight": 3},
            {"code": "debt", "name": "村级负债率", "unit": "%", "direction": "lower", "weight": 1},
        ],
        "villages": [
            {"code": c, "name": n, "township": t, "cadres": k} for c, n, t, k in villages
        ],
        "flags": [
            {"scope": "village", "category": "产业兴旺", "kind": "top_n", "indicator": "income",
             "n": 1, "exclude_bottom20": True},
            {"scope": "village", "category": "治理有效", "kind": "threshold", "indicator": "debt",
             "threshold": 30},
            {"scope": "village", "category": "生活富裕", "kind": "top_n", "n": 2},
            {"scope": "township", "category": "党建引领", "kind": "top_n", "n": 1},
        ],
    }  # fmt: skip


def unique_scope() -> str:
    """A county name no other test uses (the session shares one database)."""
    return f"测试县{uuid.uuid4().hex[:6]}"


async def define(client: httpx.AsyncClient, token: str, scope: str, label: str) -> int:
    """Define the board and return its id."""
    r = await client.post("/api/v1/boards", json=definition(scope, label), headers=bearer(token))
    assert r.status_code == 201, r.text
    return int(r.json()["id"])


async def upload(client: httpx.AsyncClient, token: str, board_id: int, csv: str) -> httpx.Response:
    """Import a values CSV through a multipart form."""
    files = {"file": ("values.csv", csv.encode(), "text/csv")}
    return await client.post(
        f"/api/v1/boards/{board_id}/values", files=files, headers=bearer(token)
    )


async def two_periods(client: httpx.AsyncClient, token: str) -> tuple[int, int]:
    """The 2024 and 2025 boards of a new county, both imported."""
    scope = unique_scope()
    before, now = (
        await define(client, token, scope, "2024"),
        await define(client, token, scope, "2025"),
    )
    assert (await upload(client, token, before, VALUES_2024)).status_code == 201
    assert (await upload(client, token, now, VALUES_2025)).status_code == 201
    return before, now
