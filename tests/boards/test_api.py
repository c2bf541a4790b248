"""The board API end to end, on boards worked out by hand (tests/boards/helpers.py)."""

from __future__ import annotations

import httpx

from arena.models import AuditEvent, Board, BoardFlag, BoardImport, BoardValueBlock
from tests.boards.helpers import (
    VALUES_2025,
    define,
    definition,
    two_periods,
    unique_scope,
    upload,
)
from tests.conftest import bearer


async def test_rankings_with_a_lower_is_better_indicator_ties_and_change(
    client: httpx.AsyncClient, organiser_token: str
) -> None:
    _, now = await two_periods(client, organiser_token)
    r = await client.get(f"/api/v1/boards/{now}/rankings", headers=bearer(organiser_token))
    assert r.status_code == 200
    body = r.json()
    assert body["total"] == 5
    assert body["median"] == 62.5  # of 75, 62.5, 62.5, 50, 0
    rows = [(x["rank"], x["village"], x["index"], x["bottom20"], x["delta"]) for x in body["rows"]]
    # change = 2025 − 2024 (index), rank 2024 − rank 2025 (positive = moved up)
    assert rows == [
        (1, "C", 75.0, False, {"index": 25.0, "rank": 2}),  # 75 − 50, 3 → 1
        (2, "B", 62.5, False, {"index": -12.5, "rank": 0}),  # 62.5 − 75, 2 → 2
        (2, "D", 62.5, False, {"index": 37.5, "rank": 3}),  # 62.5 − 25, 5 → 2
        (4, "A", 50.0, False, {"index": -50.0, "rank": -3}),  # 50 − 100, 1 → 4
        (5, "E", 0.0, True, {"index": -50.0, "rank": -2}),  # 0 − 50, 3 → 5
    ]


async def test_rankings_filter_search_sort_and_page(
    client: httpx.AsyncClient, organiser_token: str
) -> None:
    _, now = await two_periods(client, organiser_token)
    url, auth = f"/api/v1/boards/{now}/rankings", bearer(organiser_token)

    async def codes(**params: str) -> list[str]:
        r = await client.get(url, params=params, headers=auth)
        assert r.status_code == 200, r.text
        return [x["village"] for x in r.json()["rows"]]

    assert await codes(township="西山乡") == ["D", "E"]
    assert await codes(q="丙") == ["C"]
    assert await codes(sort="-rank") == ["E", "A", "D", "B", "C"]
    assert await codes(sort="change") == ["D", "C", "B", "A", "E"]  # +37.5 +25 −12.5 −50 −50
    assert await codes(per_page="2", page="2") == ["D", "A"]
    r = await client.get(url, params={"sort": "name"}, headers=auth)
    assert r.status_code == 422
    assert r.json()["error"]["field"] == "sort"
    r = await client.get(url, params={"per_page": "0"}, headers=auth)
    assert r.json()["error"]["field"] == "per_page"


async def test_village_detail_against_the_median_with_trend(
    client: httpx.AsyncClient, organiser_token: str
) -> None:
    before, now = await two_periods(client, organiser_token)
    r = await client.get(f"/api/v1/boards/{now}/villages/A", headers=bearer(organiser_token))
    assert r.status_code == 200
    d = r.json()
    assert (d["rank"], d["index"], d["of"], d["delta"]) == (
        4,
        50.0,
        5,
        {"index": -50.0, "rank": -3},
    )
    # income 100 against the median of 100/200/300/200/0 = 200; scores 33.33 vs 66.67
    # debt 10 (lower is better) against the median 30; scores 100 vs 50
    assert [
        (i["code"], i["value"], i["median"], i["score"], i["median_score"], i["gap"])
        for i in d["indicators"]
    ] == [("income", 100.0, 200.0, 33.33, 66.67, -33.33), ("debt", 10.0, 30.0, 100.0, 50.0, 50.0)]
    assert d["trend"] == [
        {"board": before, "period": "2024", "index": 100.0, "rank": 1, "of": 5},
        {"board": now, "period": "2025", "index": 50.0, "rank": 4, "of": 5},
    ]
    assert d["flags"] == ["治理有效"]
    assert d["township_flags"] == ["党建引领"]
    r = await client.get(f"/api/v1/boards/{now}/villages/Z", headers=bearer(organiser_token))
    assert (r.status_code, r.json()["error"]["field"]) == (404, "code")


async def test_rejected_import_lists_every_bad_cell_and_stores_nothing(
    client: httpx.AsyncClient, organiser_token: str
) -> None:
    board_id = await define(client, organiser_token, unique_scope(), "2025")
    assert (await upload(client, organiser_token, board_id, VALUES_2025)).status_code == 201

    async def state() -> tuple[int, ...]:
        board = await Board.get(id=board_id)
        return (
            board.revision,
            await BoardImport.filter(board_id=board_id).count(),
            await BoardValueBlock.filter(board_import__board_id=board_id).count(),
            await BoardFlag.filter(board_id=board_id).count(),
            await AuditEvent.all().count(),
        )

    kept = await state()
    bad = "village,income,debt\nA,abc,10\nB,200,120\nC,300,50\nD,-5,30\n"
    r = await upload(client, organiser_token, board_id, bad)
    assert r.status_code == 422
    error = r.json()["error"]
    assert (error["code"], error["field"], error["total"]) == ("import_rejected", "file", 4)
    assert error["cells"] == [
        {"row": 2, "column": "income", "message": "“abc”不是数字"},
        {"row": 3, "column": "debt", "message": "不能大于 100（现为 120）"},
        {"row": 5, "column": "income", "message": "不能小于 0（现为 -5）"},
        {"row": 0, "column": "village", "message": "缺少村“E”（戊村）的数据"},
    ]
    assert await state() == kept
    r = await client.get(f"/api/v1/boards/{board_id}/villages/C", headers=bearer(organiser_token))
    assert r.json()["index"] == 75.0  # the earlier import still stands


async def test_import_as_raw_body_is_audited(
    client: httpx.AsyncClient, organiser_token: str
) -> None:
    board_id = await define(client, organiser_token, unique_scope(), "2025")
    r = await client.post(
        f"/api/v1/boards/{board_id}/values",
        params={"filename": "2025.csv"},
        content=VALUES_2025.encode("gb18030"),
        headers={**bearer(organiser_token), "Content-Type": "text/csv"},
    )
    assert r.status_code == 201, r.text
    answer = r.json()
    assert (answer["revision"], answer["villages"], answer["flags"]) == (1, 5, 8)
    event = await AuditEvent.filter(entry_hash=answer["audit_hash"]).get()
    assert (event.action, event.subject) == ("board.import", f"board:{board_id}")
    assert event.payload["filename"] == "2025.csv"
    assert event.payload["villages"] == 5


async def test_definition_faults_are_listed_and_nothing_is_stored(
    client: httpx.AsyncClient, organiser_token: str
) -> None:
    data = definition(unique_scope(), "2025")
    data["indicators"][0]["weight"] = 0
    data["villages"][1]["code"] = "A"
    count = await Board.all().count()
    r = await client.post("/api/v1/boards", json=data, headers=bearer(organiser_token))
    assert r.status_code == 422
    problems = r.json()["error"]["problems"]
    assert problems == [
        {"field": "indicators[0].weight", "message": "权重必须大于 0（现为 0）"},
        {"field": "villages[1].code", "message": "村代码“A”重复（villages[0] 已使用）"},
    ]
    assert r.json()["error"]["field"] == "indicators[0].weight"
    assert await Board.all().count() == count


async def test_definition_from_a_toml_upload_and_a_second_time_is_409(
    client: httpx.AsyncClient, organiser_token: str
) -> None:
    scope = unique_scope()
    toml = (
        f'name = "测试榜"\n[scope]\nlevel = "county"\nname = "{scope}"\n'
        '[period]\nkind = "quarter"\nlabel = "2025Q3"\n'
        '[[indicators]]\ncode = "x"\nname = "收入"\nunit = "万元"\n'
        'direction = "higher"\nweight = 1\n'
        '[[villages]]\ncode = "A"\nname = "甲村"\ntownship = "东湖镇"\ncadres = 2\n'
    )
    files = {"definition": ("board.toml", toml.encode(), "application/toml")}
    r = await client.post("/api/v1/boards", files=files, headers=bearer(organiser_token))
    assert r.status_code == 201, r.text
    assert r.json()["period"] == {"kind": "quarter", "label": "2025Q3"}
    r = await client.post("/api/v1/boards", files=files, headers=bearer(organiser_token))
    assert (r.status_code, r.json()["error"]["field"]) == (409, "period.label")
    r = await client.post("/api/v1/boards", content=b"name = ", headers=bearer(organiser_token))
    assert (r.status_code, r.json()["error"]["code"]) == (400, "malformed_definition")


async def test_reading_a_board_needs_a_credential_and_before_import_is_409(
    client: httpx.AsyncClient, organiser_token: str
) -> None:
    board_id = await define(client, organiser_token, unique_scope(), "2025")
    r = await client.get(f"/api/v1/boards/{board_id}/rankings")
    assert r.status_code == 401
    r = await client.get(f"/api/v1/boards/{board_id}/rankings", headers=bearer(organiser_token))
    assert (r.status_code, r.json()["error"]["code"]) == (409, "no_values")
    r = await client.get("/api/v1/boards/999999/rankings", headers=bearer(organiser_token))
    assert r.status_code == 404
