"""The consistency figures through HTTP: organisers' page data, progress board, tablets, export."""

from __future__ import annotations

import io

import httpx
import pytest

from tests.conftest import Server, bearer, create_round
from tests.consistency.helpers import definition, designed_round, submit
from tests.judges.helpers import judge_client


async def test_consistency_figures_by_hand(
    server: Server, client: httpx.AsyncClient, organiser_token: str
) -> None:
    created = await designed_round(client, organiser_token)
    r = await client.get(
        f"/admin/rounds/{created['id']}/judges.json", headers=bearer(organiser_token)
    )
    assert r.status_code == 200, r.text
    data = r.json()
    shared = next(p for p in data["papers"] if p["paper"] == "shared")
    a = shared["agreement"]
    # tests/scoring/test_consistency.py: MSR 17, MSC 3, MSE 1; ICC(2,1) = 16/20.5 = 0.7805,
    # ICC(2,k) = 16/17.5 = 0.9143, W = 462/522 = 0.8851
    assert (a["icc_single"], a["icc_average"], a["kendall_w"]) == (0.78, 0.91, 0.89)
    assert (a["villages"], a["judges"], a["left_out_judges"]) == (4, 3, [])
    assert a["icc_single"] and a["icc_single_reading"].startswith("良好")
    rows = [
        (j["leniency"], j["name"], j["severity"], j["low"], j["high"], j["n"], j["effect"])
        for j in shared["judges"]
    ]
    # J1: d = 1.5, 1.5, 0, 0 → 0.75 ± 3.1824 × 0.8660 / 2 = 0.75 ± 1.3780
    # J3: d = 0, 0, 0, 3 → 0.75, s² = (3 × 0.75² + 2.25²) / 3 = 2.25, ± 3.1824 × 1.5 / 2 = 2.3868
    # J2: d = −1.5, −1.5, 0, −3 → −1.5, s² = 4.5 / 3 = 1.5, ± 3.1824 × 1.2247 / 2 = 1.9488
    # effects: column mean − grand mean = 7 − 6.5, 7 − 6.5, 5.5 − 6.5
    assert rows == [
        (1, "张伟", 0.75, -0.63, 2.13, 4, 0.5),
        (2, "王强", 0.75, -1.64, 3.14, 4, 0.5),
        (3, "李娜", -1.5, -3.45, 0.45, 4, -1.0),
    ]
    # 3 judges < 5: nothing trimmed
    assert [j["trimmed"] for j in shared["judges"]] == [0, 0, 0]
    # J3's 2 on V2 (demonstration): others 20, 21 → median 20.5, MAD 0.5, scaled 0.7413;
    # |2 − 20.5| = 18.5 > 3.5 × 0.7413 = 2.5946 and ≥ 3 (10% of 30)
    assert [
        (s["judge_name"], s["village_name"], s["paper"], s["total"], s["median_others"], s["gap"])
        for s in data["suspects"]
    ] == [("王强", "南岭村", "demonstration", 2, 20.5, -18.5)]
    assert data["what_if"]["changed"] == 0  # complete design, plain means: nothing moves
    assert data["what_if"]["applied"] is False
    assert "Shrout & Fleiss" in data["definitions"]["icc"]

    # the progress board flags the sheet at once
    r = await client.get(
        f"/admin/rounds/{created['id']}/progress.json", headers=bearer(organiser_token)
    )
    progress = r.json()
    j3 = next(j for j in progress["judges"] if j["code"] == "J3")
    assert j3["cells"]["V2"]["demonstration"]["check"] is True
    assert j3["cells"]["V2"]["shared"]["check"] is False
    assert [(s["judge"], s["village"]) for s in progress["suspects"]] == [("J3", "V2")]

    # the judge's tablet: a flag on the own sheet only, nothing of the others' scores
    async with judge_client(server, created, "J3") as tablet:
        state = (await tablet.get("/judge/api/state")).json()
    v2 = next(v for v in state["villages"] if v["code"] == "V2")
    assert v2["sheets"]["demonstration"]["check"] is True
    assert v2["sheets"]["shared"]["check"] is False
    assert set(v2["sheets"]["demonstration"]) == {
        "check", "version", "items", "total", "comment", "submitted_at", "proxy",
    }  # fmt: skip
    async with judge_client(server, created, "J1") as tablet:
        state = (await tablet.get("/judge/api/state")).json()
    assert not any(s["check"] for v in state["villages"] for s in v["sheets"].values())

    # J3 corrects the sheet: the flag goes at once
    await submit(client, created, "J3", "V2", "demonstration", {"t1": 20})
    r = await client.get(
        f"/admin/rounds/{created['id']}/judges.json", headers=bearer(organiser_token)
    )
    assert r.json()["suspects"] == []


async def test_consistency_is_for_organisers_only(
    server: Server, client: httpx.AsyncClient, organiser_token: str
) -> None:
    created = await create_round(client, organiser_token, definition())
    judge = created["judges"][0]["token"]
    r = await client.get(f"/admin/rounds/{created['id']}/judges.json", headers=bearer(judge))
    assert r.status_code == 403
    assert r.json()["error"]["code"]
    r = await client.get(f"/admin/rounds/{created['id']}/judges.json")
    assert r.status_code == 401
    r = await client.get("/admin/rounds/999999/judges.json", headers=bearer(organiser_token))
    assert r.status_code == 404
    # before any sheet: every figure says it cannot be formed yet, nothing breaks
    r = await client.get(
        f"/admin/rounds/{created['id']}/judges.json", headers=bearer(organiser_token)
    )
    assert r.status_code == 200
    shared = r.json()["papers"][0]
    assert shared["agreement"]["icc_single"] is None
    assert shared["agreement"]["icc_single_reading"] == "数据不足，暂不能计算"
    assert [(j["severity"], j["n"], j["sheets"]) for j in shared["judges"]] == [(None, 0, 0)] * 3
    assert r.json()["suspects"] == [] and r.json()["what_if"]["changed"] == 0
    # one sheet in: still nothing to compare with
    await submit(client, created, "J1", "V1", "shared", {"x": 30})
    r = await client.get(
        f"/admin/rounds/{created['id']}/judges.json", headers=bearer(organiser_token)
    )
    assert r.json()["papers"][0]["judges"][0]["sheets"] == 1


async def test_breakdown_explains_every_figure(
    server: Server, client: httpx.AsyncClient, organiser_token: str
) -> None:
    created = await designed_round(client, organiser_token)
    r = await client.get(
        f"/api/v1/rounds/{created['id']}/villages/V2", headers=bearer(organiser_token)
    )
    e = r.json()["explain"]
    # V2: shared (6 + 4 + 5) / 3 = 5; demonstration (20 + 21 + 2) / 3 = 14.3333 → 14.33;
    # total 5 + 14.33 + 0 − 0 = 19.33: 4th of 4 (V1 29.33, V3 28.33, V4 24.33)
    assert e["papers"]["shared"]["score"][1] == "评委少于 5 位，不去高去低，取全部评委平均"
    assert e["papers"]["demonstration"]["score"][-1].endswith(
        "÷ 3 = ≈14.3333，四舍五入到两位小数得 14.33 分"
    )
    assert e["papers"]["demonstration"]["items"]["t1"] == [
        "特色产业：保留的 3 位评委本项合计 43 分，÷ 3 = ≈14.3333，记 14.33"
    ]
    assert e["total"][0] == "共性目标 5 + 示范目标 14.33 + 满意度 0（未录入） − 扣分 0 = 19.33"
    assert e["rank"][0] == "按总分从高到低排名：本村 19.33 分，在 4 个村中排第 4 名"
    assert e["papers"]["satisfaction"] == ["满意度尚未录入：名次暂定，不按 0 分计"]
    assert e["delta"] == ["首次参评：同一评比中没有更早的一轮可比"]
    # judges only as 评委n, never by name or code
    text = str(e)
    assert not any(name in text for name in ("张伟", "李娜", "王强", "J1", "J2", "J3"))


async def test_workbook_has_the_consistency_sheet(
    server: Server, client: httpx.AsyncClient, organiser_token: str
) -> None:
    from openpyxl import load_workbook

    created = await designed_round(client, organiser_token)
    r = await client.get(
        f"/api/v1/rounds/{created['id']}/export.xlsx", headers=bearer(organiser_token)
    )
    assert r.status_code == 200
    sheet = load_workbook(io.BytesIO(r.content))["评委一致性"]
    rows = [tuple(c.value for c in row) for row in sheet.iter_rows(min_row=2, max_row=4)]
    # same figures as the page (shared paper, leniency order)
    assert [row[:8] for row in rows] == [
        ("共性目标", 1, "J1", "张伟", 0.75, -0.63, 2.13, 4),
        ("共性目标", 2, "J3", "王强", 0.75, -1.64, 3.14, 4),
        ("共性目标", 3, "J2", "李娜", -1.5, -3.45, 0.45, 4),
    ]
    values = [c.value for row in sheet.iter_rows() for c in row]
    assert values.count("ICC(2,1)") == 2 and 0.78 in values and 0.89 in values


@pytest.mark.parametrize(("value", "ok"), [(True, True), ("yes", False)])
async def test_adjust_judge_severity_in_the_definition(
    client: httpx.AsyncClient, organiser_token: str, value: object, ok: bool
) -> None:
    d = definition() | {"aggregation": {"adjust_judge_severity": value}}
    r = await client.post("/api/v1/rounds", json=d, headers=bearer(organiser_token))
    if not ok:
        assert r.status_code == 422
        fields = str(r.json())
        assert "aggregation.adjust_judge_severity" in fields
        return
    assert r.status_code == 201, r.text
    got = await client.get(f"/api/v1/rounds/{r.json()['id']}", headers=bearer(organiser_token))
    assert got.json()["aggregation"]["adjust_judge_severity"] is True


@pytest.mark.parametrize(("opt_in", "shared_c"), [(False, 27), (True, 24)])
async def test_official_scores_move_only_when_the_round_opts_in(
    client: httpx.AsyncClient, organiser_token: str, opt_in: bool, shared_c: float
) -> None:
    # tests/scoring/test_whatif.py: shared A 30 30 21, B 29 29 20, C 27 27 (J3 recused from C);
    # effects J1 +3, J2 +3, J3 −6 → adjusted A 27, B 26, C 24; plain means A 27, B 26, C 27
    d = definition()
    d["villages"] = d["villages"][:3]
    d["judges"][2]["recuse"] = ["V3"]
    d["aggregation"] = {"adjust_judge_severity": opt_in}
    created = await create_round(client, organiser_token, d)
    for village, row in (("V1", (30, 30, 21)), ("V2", (29, 29, 20)), ("V3", (27, 27))):
        for judge, points in zip(("J1", "J2", "J3"), row, strict=False):
            await submit(client, created, judge, village, "shared", {"x": points})
    r = await client.get(
        f"/api/v1/rounds/{created['id']}/standings", headers=bearer(organiser_token)
    )
    shared = {row["village"]: row["shared"] for row in r.json()["rows"]}
    assert shared == {"V1": 27, "V2": 26, "V3": shared_c}
    page = await client.get(
        f"/admin/rounds/{created['id']}/judges.json", headers=bearer(organiser_token)
    )
    assert page.json()["what_if"]["applied"] is opt_in
    # the what-if always works on the sheets as typed: V3 falls from 1st (tied) to 3rd
    moved = {row["village"]: row["moved"] for row in page.json()["what_if"]["rows"]}
    assert moved == ({"V1": 0, "V2": 0, "V3": 0} if opt_in else {"V1": 0, "V2": 1, "V3": -2})
    assert page.json()["what_if"]["places"] == (0 if opt_in else 3)  # |+1| + |−2|
