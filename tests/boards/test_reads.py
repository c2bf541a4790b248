"""GET /api/v1/boards and /api/v1/boards/{id}, and z-score and percentile boards, by hand."""

from __future__ import annotations

from typing import Any

import httpx

from tests.boards.helpers import (
    VALUES_2024,
    define,
    definition,
    two_periods,
    unique_scope,
    upload,
)
from tests.conftest import bearer

README_KEYS = ("id", "name", "scope", "period", "revision")


async def test_list_and_read_boards(client: httpx.AsyncClient, organiser_token: str) -> None:
    before, now = await two_periods(client, organiser_token)
    org = bearer(organiser_token)
    r = await client.get("/api/v1/boards", headers=org)
    assert r.status_code == 200
    mine = [b for b in r.json()["boards"] if b["id"] in (before, now)]
    scope = mine[0]["scope"]["name"]
    # newest period first within the scope; each import made one revision
    assert [{k: b[k] for k in README_KEYS} for b in mine] == [
        {"id": now, "name": f"2025年度{scope}强村富民指数榜",
         "scope": {"level": "county", "name": scope}, "period": {"kind": "year", "label": "2025"},
         "revision": 1},
        {"id": before, "name": f"2024年度{scope}强村富民指数榜",
         "scope": {"level": "county", "name": scope}, "period": {"kind": "year", "label": "2024"},
         "revision": 1},
    ]  # fmt: skip
    r = await client.get(f"/api/v1/boards/{now}", headers=org)
    assert r.status_code == 200
    board = r.json()
    assert {k: board[k] for k in (*README_KEYS, "imported", "previous", "villages")} == {
        "id": now,
        "name": f"2025年度{scope}强村富民指数榜",
        "scope": {"level": "county", "name": scope},
        "period": {"kind": "year", "label": "2025"},
        "revision": 1,
        "imported": True,
        "previous": before,  # 2024 is the year before 2025 in the same county
        "villages": 5,
    }
    assert board["indicators"] == [
        {"code": "income", "name": "村集体经营性收入", "unit": "元", "direction": "higher",
         "weight": 3, "normalisation": "minmax"},
        {"code": "debt", "name": "村级负债率", "unit": "%", "direction": "lower", "weight": 1,
         "normalisation": "minmax"},
    ]  # fmt: skip
    first = (await client.get(f"/api/v1/boards/{before}", headers=org)).json()
    assert (first["previous"], first["imported"]) == (None, True)
    # a screen token may read; nobody else; an unknown board is a 404
    screen = await _screen_token()
    assert (await client.get("/api/v1/boards", headers=bearer(screen))).status_code == 200
    assert (await client.get(f"/api/v1/boards/{now}", headers=bearer(screen))).status_code == 200
    assert (await client.get("/api/v1/boards")).status_code == 401
    assert (await client.get("/api/v1/boards/999999", headers=org)).status_code == 404


async def test_a_board_before_its_first_import(
    client: httpx.AsyncClient, organiser_token: str
) -> None:
    board = await define(client, organiser_token, unique_scope(), "2024")
    r = await client.get(f"/api/v1/boards/{board}", headers=bearer(organiser_token))
    assert {k: r.json()[k] for k in ("revision", "imported", "previous")} == {
        "revision": 0,
        "imported": False,
        "previous": None,
    }
    assert (await upload(client, organiser_token, board, VALUES_2024)).status_code == 201
    r = await client.get(f"/api/v1/boards/{board}", headers=bearer(organiser_token))
    assert (r.json()["revision"], r.json()["imported"]) == (1, True)


async def _screen_token() -> str:
    from arena.auth import create_token

    return await create_token("screen", "指数榜大屏")


def zscore_percentile_definition(scope: str) -> dict[str, Any]:
    """The helpers' five villages, income by z-score (weight 3), debt by percentile (weight 1)."""
    data = definition(scope, "2025")
    data["indicators"][0]["normalisation"] = "zscore"
    data["indicators"][1]["normalisation"] = "percentile"
    data["flags"] = []
    return data


# income (higher): mean (70+90+130+110+100)/5 = 100; deviations −30 −10 30 10 0, squares
#   900+100+900+100+0 = 2000, /5 = 400, population sd 20; z −1.5 −0.5 1.5 0.5 0;
#   T = 50 + 10z: A 35, B 45, C 65, D 55, E 50
# debt (lower, percentile): sorted 10 30 30 50 50; share of the 4 others it beats, a tie half:
#   A 10: 0 below -> 0/4 = 0%   -> lower is better: 100 − 0    = 100
#   B, D 30: 1 below + ½ tie -> 1.5/4 = 37.5% -> 62.5
#   C, E 50: 3 below + ½ tie -> 3.5/4 = 87.5% -> 12.5
# index (3·T + P)/4: A (105+100)/4 = 51.25; B (135+62.5)/4 = 49.375 -> 49.38;
#   C (195+12.5)/4 = 51.875 -> 51.88; D (165+62.5)/4 = 56.875 -> 56.88; E (150+12.5)/4 = 40.625
#   -> 40.63 (half up); ranks D 1, C 2, A 3, B 4, E 5; bottom 20% = last ceil(0.2·5) = 1: E
ZP_VALUES = "village,income,debt\nA,70,10\nB,90,30\nC,130,50\nD,110,30\nE,100,50\n"


async def test_zscore_and_percentile_through_an_import(
    client: httpx.AsyncClient, organiser_token: str
) -> None:
    org = bearer(organiser_token)
    r = await client.post(
        "/api/v1/boards", json=zscore_percentile_definition(unique_scope()), headers=org
    )
    assert r.status_code == 201, r.text
    board = r.json()["id"]
    assert (await upload(client, organiser_token, board, ZP_VALUES)).status_code == 201
    body = (await client.get(f"/api/v1/boards/{board}/rankings", headers=org)).json()
    assert [(x["rank"], x["village"], x["index"], x["bottom20"]) for x in body["rows"]] == [
        (1, "D", 56.88, False),
        (2, "C", 51.88, False),
        (3, "A", 51.25, False),
        (4, "B", 49.38, False),
        (5, "E", 40.63, True),
    ]
    assert body["median"] == 51.25  # the middle of five: A
    d = (await client.get(f"/api/v1/boards/{board}/villages/D", headers=org)).json()
    # D: income 110, T 55; the median T of (35, 45, 65, 55, 50) is 50 -> gap +5; median value 100.
    #    debt 30, percentile score 62.5; the median score of (100, 62.5, 12.5, 62.5, 12.5) is 62.5
    #    -> gap 0; the median value of (10, 30, 50, 30, 50) is 30.
    assert [
        (i["code"], i["value"], i["score"], i["median"], i["median_score"], i["gap"])
        for i in d["indicators"]
    ] == [
        ("income", 110, 55, 100, 50, 5),
        ("debt", 30, 62.5, 30, 62.5, 0),
    ]
    e = (await client.get(f"/api/v1/boards/{board}/villages/E", headers=org)).json()
    # E: T 50 (the mean itself), gap 0; debt 12.5, gap 12.5 − 62.5 = −50
    assert [(i["score"], i["gap"]) for i in e["indicators"]] == [(50, 0), (12.5, -50)]
