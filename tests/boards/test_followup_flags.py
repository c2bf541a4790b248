"""Follow-up edits (audited), red flags and incentives by hand, and the Excel exports."""

from __future__ import annotations

import io

import httpx
import openpyxl

from arena.models import AuditEvent
from tests.boards.helpers import EAST, two_periods
from tests.conftest import bearer


async def test_follow_up_edits_are_audited(client: httpx.AsyncClient, organiser_token: str) -> None:
    _, now = await two_periods(client, organiser_token)
    url, auth = f"/api/v1/boards/{now}/followups", bearer(organiser_token)
    body = {"leader": "王县长", "measures": "引进冷链物流项目", "status": "跟进中",
            "started_on": "2025-10-08", "due_on": "2025-12-31"}  # fmt: skip
    r = await client.put(f"{url}/E", json=body, headers=auth)
    assert r.status_code == 200, r.text
    saved = r.json()
    assert (saved["leader"], saved["status"], saved["due_on"]) == ("王县长", "跟进中", "2025-12-31")
    event = await AuditEvent.filter(entry_hash=saved["audit_hash"]).get()
    assert (event.action, event.subject, event.actor) == (
        "board.follow_up", f"board:{now}", "organiser:测试组织者"
    )  # fmt: skip
    assert event.payload["before"]["status"] == "待跟进"
    assert event.payload["changes"] == {
        "leader": "王县长", "measures": "引进冷链物流项目", "status": "跟进中",
        "started_on": "2025-10-08", "due_on": "2025-12-31", "updated_by": "organiser:测试组织者",
    }  # fmt: skip

    r = await client.put(f"{url}/E", json={**body, "status": "已完成"}, headers=auth)
    event = await AuditEvent.filter(entry_hash=r.json()["audit_hash"]).get()
    assert event.payload["changes"] == {"status": "已完成"}

    rows = (await client.get(url, headers=auth)).json()["rows"]
    assert [(x["village"], x["rank"], x["status"], x["leader"]) for x in rows] == [
        ("E", 5, "已完成", "王县长")
    ]


async def test_follow_up_refuses_bad_input_naming_the_field(
    client: httpx.AsyncClient, organiser_token: str
) -> None:
    _, now = await two_periods(client, organiser_token)
    url, auth = f"/api/v1/boards/{now}/followups", bearer(organiser_token)
    events = await AuditEvent.all().count()
    cases = [
        ("E", {"status": "搁置"}, 422, "status"),
        ("E", {"status": "跟进中", "measures": "x"}, 422, "leader"),
        ("E", {"status": "待跟进", "started_on": "2025-13-01"}, 422, "started_on"),
        ("E", {"status": "待跟进", "started_on": "2025-10-02", "due_on": "2025-10-01"}, 422,
         "due_on"),
        ("C", {"status": "待跟进"}, 422, "village"),  # rank 1, not in the bottom 20%
        ("Z", {"status": "待跟进"}, 404, "village"),
    ]  # fmt: skip
    for code, body, status, field in cases:
        r = await client.put(f"{url}/{code}", json=body, headers=auth)
        assert (r.status_code, r.json()["error"]["field"]) == (status, field), (code, body)
    assert await AuditEvent.all().count() == events


async def test_flags_and_incentives_of_a_small_county(
    client: httpx.AsyncClient, organiser_token: str
) -> None:
    _, now = await two_periods(client, organiser_token)
    r = await client.get(f"/api/v1/boards/{now}/flags", headers=bearer(organiser_token))
    report = r.json()
    # 产业兴旺: best income outside the bottom 20% (E): C 300
    # 治理有效: debt ≤ 30 (lower is better): A 10, B 30, D 30
    # 生活富裕: top 2 by index: C 75, then B and D tied at 62.5 (both)
    # 党建引领: township mean index: 东湖镇 (50+62.5+75)/3 = 62.5 > 西山乡 (62.5+0)/2 = 31.25
    assert [(a["category"], a["recipient"], a["basis"]) for a in report["awards"]] == [
        ("产业兴旺", "C", 300.0),
        ("治理有效", "A", 10.0),
        ("治理有效", "B", 30.0),
        ("治理有效", "D", 30.0),
        ("生活富裕", "C", 75.0),
        ("生活富裕", "B", 62.5),
        ("生活富裕", "D", 62.5),
        ("党建引领", EAST, 62.5),
    ]
    # per flag: secretary +500/month, each other cadre +300/month, 爱心超市 10,000 once
    # annual = 12 × (secretary + others) + supermarket
    money = [
        (x["recipient"], x["flags"], x["secretary_monthly"], x["other_cadres_monthly_total"],
         x["love_supermarket"], x["annual_total"])
        for x in report["incentives"]
    ]  # fmt: skip
    assert money == [
        ("A", ["治理有效"], 500.0, 1200.0, 10000.0, 30400.0),  # 12×(500+4×300)+10000
        ("B", ["治理有效", "生活富裕"], 1000.0, 1800.0, 20000.0, 53600.0),  # 12×(1000+3×600)+20000
        ("C", ["产业兴旺", "生活富裕"], 1000.0, 3000.0, 20000.0, 68000.0),  # 12×(1000+5×600)+20000
        ("D", ["治理有效", "生活富裕"], 1000.0, 1200.0, 20000.0, 46400.0),  # 12×(1000+2×600)+20000
        (EAST, ["党建引领"], 0.0, 0.0, 0.0, 0.0),
    ]
    assert report["totals"] == {
        "flags": 8,
        "secretary_monthly": 3500.0,  # 500 + 1000 × 3
        "other_cadres_monthly_total": 7200.0,  # 1200 + 1800 + 3000 + 1200
        "love_supermarket": 70000.0,
        "annual_total": 198400.0,  # 30400 + 53600 + 68000 + 46400
    }


async def test_board_export_is_readable_with_exact_cells(
    client: httpx.AsyncClient, organiser_token: str
) -> None:
    _, now = await two_periods(client, organiser_token)
    r = await client.get(f"/api/v1/boards/{now}/export.xlsx", headers=bearer(organiser_token))
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("application/vnd.openxmlformats")
    book = openpyxl.load_workbook(io.BytesIO(r.content))
    sheet = book["指数榜"]
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[0] == [
        "名次", "村代码", "村名", "乡镇", "指数", "村集体经营性收入（元）", "村集体经营性收入得分",
        "村级负债率（%）", "村级负债率得分", "指数变化", "名次变化", "后20%",
    ]  # fmt: skip
    assert rows[1] == [1, "C", "丙村", "东湖镇", 75, 300, 100, 50, 0, 25, 2, None]
    assert rows[3][:5] == [2, "D", "丁村", "西山乡", 62.5]
    assert rows[5] == [5, "E", "戊村", "西山乡", 0, 0, 0, 50, 0, -50, -2, "是"]

    r = await client.get(f"/api/v1/boards/{now}/incentives.xlsx", headers=bearer(organiser_token))
    book = openpyxl.load_workbook(io.BytesIO(r.content))
    rows = [list(row) for row in book["红旗激励"].iter_rows(values_only=True)]
    assert rows[1] == [
        "红旗村",
        "A",
        "甲村",
        "东湖镇",
        1,
        "治理有效",
        500,
        4,
        300,
        1200,
        10000,
        30400,
    ]
    assert rows[-1] == ["合计", None, None, None, 8, None, 3500, None, None, 7200, 70000, 198400]
