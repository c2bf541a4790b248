"""Standings and breakdowns through the API, worked out by hand for a three-village round."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from arena.auth import load_server_key
from arena.models import AuditHead
from arena.services.anonymity import judge_labels
from tests.api.helpers import new_campaign, post_sheet, small_definition, tokens
from tests.conftest import Server, bearer, create_round

SHARED = {  # judge -> village -> (a, b)
    "A": {"J1": (8, 7), "J2": (9, 8), "J3": (7, 7), "J4": (10, 9), "J5": (8, 8)},
    "B": {"J1": (6, 6), "J2": (7, 6), "J3": (6, 5), "J4": (8, 8), "J5": (7, 7)},
    "C": {"J1": (9, 9), "J2": (9, 8), "J3": (8, 8), "J4": (10, 9)},
}
DEMONSTRATION = {
    "A": {"J1": 8, "J2": 8.5, "J3": 9, "J4": 7, "J5": 8},
    "B": {"J1": 9, "J2": 9, "J3": 9, "J4": 9, "J5": 9},
    "C": {"J1": 9, "J2": 9.5, "J3": 8.5},  # J4 has not scored C yet; J5 is recused
}


@pytest.fixture(scope="module")
def campaign() -> str:
    return new_campaign()


async def _scored_round(client: httpx.AsyncClient, organiser: str, campaign: str) -> dict[str, Any]:
    # The previous round (one quarter earlier): only satisfaction rates, A 80% and B 90%.
    before = await create_round(client, organiser, small_definition(campaign, "2025-06-18", "AB"))
    for village, rate in (("A", 80), ("B", 90)):
        r = await client.post(
            f"/api/v1/rounds/{before['id']}/satisfaction",
            json={"village": village, "rate": rate},
            headers=bearer(organiser),
        )
        assert r.status_code == 201, r.text
    created = await create_round(client, organiser, small_definition(campaign))
    rid, judge = created["id"], tokens(created)
    for village, sheets in SHARED.items():
        for code, (a, b) in sheets.items():
            r = await post_sheet(
                client,
                judge[code],
                rid,
                village,
                "shared",
                {"a": a, "b": b},
                comment="台账规范" if (village, code) == ("A", "J2") else "",
            )
            assert r.status_code == 201, r.text
    for village, sheets in DEMONSTRATION.items():
        for code, points in sheets.items():
            r = await post_sheet(client, judge[code], rid, village, "demonstration", {"t1": points})
            assert r.status_code == 201, r.text
    org = bearer(organiser)
    for body in (
        {"village": "A", "counts": {"满意": 20, "比较满意": 8, "基本满意": 2}},
        {"village": "B", "rate": 92.5},
        {"village": "C", "counts": {"满意": 10, "比较满意": 5, "不满意": 1}},
    ):
        r = await client.post(f"/api/v1/rounds/{rid}/satisfaction", json=body, headers=org)
        assert r.status_code == 201, r.text
    for n, points in enumerate((3, 4)):
        r = await client.post(
            f"/api/v1/rounds/{rid}/deductions",
            headers=org,
            json={
                "village": "B",
                "item": "f",
                "points": points,
                "reason": f"材料重复报送第{n + 1}次",
                "idempotency_key": f"ded-{rid}-{n}",
            },
        )
        assert r.status_code == 201, r.text
    return created


async def test_standings_match_hand_computation(
    client: httpx.AsyncClient, organiser_token: str, campaign: str
) -> None:
    created = await _scored_round(client, organiser_token, campaign)
    r = await client.get(
        f"/api/v1/rounds/{created['id']}/standings", headers=bearer(organiser_token)
    )
    assert r.status_code == 200
    body = r.json()
    # A shared: totals 15,17,14,19,16 -> drop 14 (J3) and 19 (J4) -> (15+17+16)/3 = 16.00
    #   demonstration: 8,8.5,9,7,8 -> drop 7 (J4) and 9 (J3) -> (8+8.5+8)/3 = 8.1666 -> 8.17
    #   satisfaction: (20×1 + 8×0.8 + 2×0.6)/30 = 0.92 -> 30 × 0.92 = 27.60; total 51.77
    # B shared: 12,13,11,16,14 -> drop 11 and 16 -> 13.00; demonstration all 9 -> 9.00
    #   satisfaction rate 92.5% -> 27.75; deductions 3 + 4 = 7, capped at 5
    #   total 13 + 9 + 27.75 - 5 = 44.75
    # C (J5 recused, 4 judges < 5: plain mean) shared: (18+17+16+19)/4 = 17.50
    #   demonstration (J4 missing): (9+9.5+8.5)/3 = 9.00 -> provisional
    #   satisfaction: (10 + 5×0.8 + 0)/16 = 0.875 -> 26.25, only 16 answers; total 52.75
    rows = [
        (
            x["rank"],
            x["village"],
            x["shared"],
            x["demonstration"],
            x["satisfaction"],
            x["deductions"],
            x["total"],
            x["provisional"],
            x["bottom20"],
            x["delta"],
        )
        for x in body["rows"]
    ]
    assert rows == [
        (1, "C", 17.5, 9.0, 26.25, 0, 52.75, True, False, None),
        # before: B 27.00 rank 1, A 24.00 rank 2
        (2, "A", 16.0, 8.17, 27.6, 0, 51.77, False, False, {"total": 27.77, "rank": 0}),
        (3, "B", 13.0, 9.0, 27.75, 5, 44.75, False, True, {"total": 17.75, "rank": -2}),
    ]
    assert body["complete"] is False
    assert (body["sheets_in"], body["sheets_expected"]) == (27, 28)
    assert len(body["audit_hash"]) == 64


async def test_breakdown_for_participant_and_organiser(
    server: Server, client: httpx.AsyncClient, organiser_token: str, campaign: str
) -> None:
    created = await _scored_round(client, organiser_token, new_campaign())
    rid, village = created["id"], tokens(created, "villages")
    r = await client.get(f"/api/v1/rounds/{rid}/villages/A", headers=bearer(village["A"]))
    assert r.status_code == 200
    a = r.json()
    shared = a["papers"]["shared"]
    # Labels are 评委1…5 in A's own keyed order (arena/services/anonymity.py), listed by label;
    # behind them J1 15, J2 17, J3 14 (dropped low), J4 19 (dropped high), J5 16.
    label = judge_labels(
        load_server_key(server.settings.data_dir, server.settings.secret_key),
        rid, "A", ["J1", "J2", "J3", "J4", "J5"],
    )  # fmt: skip
    assert [j["label"] for j in shared["judges"]] == ["评委1", "评委2", "评委3", "评委4", "评委5"]
    assert {(j["label"], j["total"], j["dropped"]) for j in shared["judges"]} == {
        (label["J1"], 15, None),
        (label["J2"], 17, None),
        (label["J3"], 14, "low"),
        (label["J4"], 19, "high"),
        (label["J5"], 16, None),
    }
    assert all("name" not in j and "code" not in j for j in shared["judges"])
    # Item means over kept J1, J2, J5: a = 25/3 = 8.333, b = 23/3 = 7.667; the cent goes to b
    # (larger remainder) so that 8.33 + 7.67 = 16.00 exactly.
    assert [(i["code"], i["mean"], i["max"]) for i in shared["items"]] == [
        ("a", 8.33, 10),
        ("b", 7.67, 10),
    ]
    assert shared["comments"] == [{"label": label["J2"], "text": "台账规范"}]
    assert a["papers"]["satisfaction"]["counts"] == {
        "满意": 20,
        "比较满意": 8,
        "基本满意": 2,
        "不满意": 0,
    }
    assert a["rank"] == 2 and a["total"] == 51.77
    # Weak items: t1 8.17/10 = 0.817 vs the demonstration median (0.817, 0.9, 0.9) = 0.9 -> -0.083;
    # a 8.33/10 = 0.833 and b 7.67/10 = 0.767 sit exactly on their medians (a: 0.833, B 6.67/10,
    # C 9/10; b: 0.767, B 6.33/10, C 8.5/10), gap 0: the smaller ratio (b) first. The API gives
    # them with 2 decimals (README: numbers have at most 2): 0.817 -> 0.82, 0.767 -> 0.77,
    # 0.833 -> 0.83, gap -0.083 -> -0.08.
    assert [(w["code"], w["ratio"], w["median_ratio"], w["gap"]) for w in a["weak_items"]] == [
        ("t1", 0.82, 0.9, -0.08),
        ("b", 0.77, 0.77, 0),
        ("a", 0.83, 0.83, 0),
    ]
    # A participant sees only its own village.
    r = await client.get(f"/api/v1/rounds/{rid}/villages/B", headers=bearer(village["A"]))
    assert r.status_code == 403
    # The organiser sees names and the deductions of B with their reasons.
    r = await client.get(f"/api/v1/rounds/{rid}/villages/B", headers=bearer(organiser_token))
    b = r.json()
    assert b["papers"]["shared"]["judges"][0]["name"] == "评委1号"
    assert [(e["points"], e["reason"]) for e in b["papers"]["deductions"]["entries"]] == [
        (3, "材料重复报送第1次"),
        (4, "材料重复报送第2次"),
    ]
    assert (b["papers"]["deductions"]["raw"], b["papers"]["deductions"]["total"]) == (7, 5)
    assert b["papers"]["deductions"]["capped"] is True


async def test_export_lets_an_official_check_every_figure(
    client: httpx.AsyncClient, organiser_token: str
) -> None:
    import io

    import openpyxl

    created = await _scored_round(client, organiser_token, new_campaign())
    r = await client.get(
        f"/api/v1/rounds/{created['id']}/export.xlsx", headers=bearer(organiser_token)
    )
    assert r.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(r.content))
    assert book.sheetnames[:7] == [
        "排名", "共性目标评分", "示范目标评分", "各项平均分", "满意度测评", "扣分项", "更正记录"
    ]  # fmt: skip
    ranking = list(book["排名"].iter_rows(values_only=True))
    assert ranking[1][:9] == (1, "C", "C村", "东港镇", 17.5, 9, 26.25, 0, 52.75)
    assert ranking[3][:9] == (3, "B", "B村", "东港镇", 13, 9, 27.75, 5, 44.75)
    detail = [row for row in book["共性目标评分"].iter_rows(values_only=True) if row[0] == "A村"]
    # A's shared paper: J3 (14) dropped as the lowest, J4 (19) as the highest; 16.00 kept.
    # Columns: 试点村 评委 评委姓名 组织建设 集体经济 合计 是否计入 说明
    assert [row[1:8] for row in detail] == [
        ("评委1", "评委1号", 8, 7, 15, "是", None),
        ("评委2", "评委2号", 9, 8, 17, "是", None),
        ("评委3", "评委3号", 7, 7, 14, "否", "去掉一个最低分"),
        ("评委4", "评委4号", 10, 9, 19, "否", "去掉一个最高分"),
        ("评委5", "评委5号", 8, 8, 16, "是", None),
    ]
    deductions = list(book["扣分项"].iter_rows(values_only=True))
    assert [row[:4] for row in deductions[1:]] == [
        ("B村", "形式主义", 3, "材料重复报送第1次"),
        ("B村", "形式主义", 4, "材料重复报送第2次"),
    ]
    r = await client.get(
        f"/api/v1/rounds/{created['id']}/export.xlsx",
        headers=bearer(created["villages"][0]["token"]),
    )
    assert r.status_code == 403


async def test_standings_follow_every_change_and_the_audit_head(
    client: httpx.AsyncClient, organiser_token: str
) -> None:
    # Standings reads are served from a view encoded once per change: a sheet must still show
    # at once, and an audited write elsewhere must still move the audit hash the reader sees.
    org = bearer(organiser_token)
    r = await client.post("/api/v1/rounds", json=small_definition(new_campaign()), headers=org)
    created = r.json()
    rid, judges = created["id"], tokens(created)
    url = f"/api/v1/rounds/{rid}/standings"
    first, again = (await client.get(url, headers=org)), (await client.get(url, headers=org))
    assert first.content == again.content
    assert first.headers["content-type"] == "application/json"
    other = await client.post("/api/v1/rounds", json=small_definition(new_campaign()), headers=org)
    assert other.status_code == 201
    moved = (await client.get(url, headers=org)).json()
    assert moved["audit_hash"] == (await AuditHead.get(id=1)).last_hash
    assert moved["audit_hash"] != first.json()["audit_hash"]
    assert moved["rows"] == first.json()["rows"] and moved["sheets_in"] == 0
    answer = await post_sheet(client, judges["J1"], rid, "B", "shared", {"a": 7, "b": 6.5})
    assert answer.status_code == 201
    after = (await client.get(url, headers=org)).json()
    assert after["audit_hash"] == answer.json()["audit_hash"]
    assert (after["sheets_in"], after["revision"]) == (1, first.json()["revision"] + 1)
    assert [(x["village"], x["shared"], x["total"]) for x in after["rows"]][0] == ("B", 13.5, 13.5)
