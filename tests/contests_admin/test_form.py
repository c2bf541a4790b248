"""Creating a contest from the browser form or the template workbook."""

from __future__ import annotations

import io
import uuid
from decimal import Decimal

import httpx
import openpyxl

from arena.models import AuditEvent, Contest, Contestant, ContestJudge, Token
from tests.conftest import bearer

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def form(name: str) -> dict[str, str]:
    """What the contest form posts: three contestants, three judges, criteria 40+35+25 = 100."""
    return {
        "name": name,
        "date": "2025-12-18",
        "campaign": "",
        "time_limit_seconds": "480",
        "overtime.penalty": "1",
        "overtime.step_seconds": "",  # blank: 30
        "aggregation.method": "mean",
        "aggregation.trim": "",
        "aggregation.min_judges_for_trim": "",
        "contestants[0].code": "C01", "contestants[0].name": "王建国",
        "contestants[0].post": "镇党委书记", "contestants[0].unit": "溪口镇",
        "contestants[1].code": "C02", "contestants[1].name": "李秀英",
        "contestants[1].post": "村党支部书记、村委会主任", "contestants[1].unit": "竹源乡龙潭村",
        "contestants[2].code": "C03", "contestants[2].name": "张志强",
        "contestants[2].post": "镇党委副书记", "contestants[2].unit": "石桥镇",
        "judges[0].code": "J1", "judges[0].name": "郑国平",
        "judges[1].code": "J2", "judges[1].name": "孙丽华",
        "judges[2].code": "J3", "judges[2].name": "钱卫东",
        "criteria[0].code": "results", "criteria[0].name": "工作实绩", "criteria[0].max": "40",
        "criteria[0].guide": "可量化的成效",
        "criteria[1].code": "features", "criteria[1].name": "特色亮点", "criteria[1].max": "35",
        "criteria[1].guide": "",
        "criteria[2].code": "delivery", "criteria[2].name": "现场表现", "criteria[2].max": "25",
        "criteria[2].guide": "",
        "awards[0].name": "一等奖", "awards[0].count": "1",
        "awards[1].name": "二等奖", "awards[1].count": "1",
    }  # fmt: skip


async def test_a_valid_form_creates_the_contest_exactly(
    client: httpx.AsyncClient, organiser_token: str
) -> None:
    name = f"书记擂台比武 {uuid.uuid4().hex[:6]}"
    r = await client.post("/admin/contests/new", data=form(name), headers=bearer(organiser_token))
    assert r.status_code == 201, r.text
    cid = r.json()["id"]
    assert r.headers["location"] == f"/admin/contests/{cid}/links"
    row = await Contest.get(id=cid)
    assert (row.name, row.date.isoformat(), row.status) == (name, "2025-12-18", "setup")
    people = (
        await Contestant.filter(contest_id=cid)
        .order_by("position")
        .values_list("code", "name", "post", "unit")
    )
    assert people == [
        ("C01", "王建国", "镇党委书记", "溪口镇"),
        ("C02", "李秀英", "村党支部书记、村委会主任", "竹源乡龙潭村"),
        ("C03", "张志强", "镇党委副书记", "石桥镇"),
    ]
    judges = (
        await ContestJudge.filter(contest_id=cid).order_by("position").values_list("code", "name")
    )
    assert judges == [("J1", "郑国平"), ("J2", "孙丽华"), ("J3", "钱卫东")]
    d = row.definition
    assert [(c["code"], c["max"]) for c in d["criteria"]] == [
        ("results", 40), ("features", 35), ("delivery", 25),
    ]  # fmt: skip
    assert d["criteria"][0]["guide"] == "可量化的成效" and "guide" not in d["criteria"][1]
    assert d["overtime"] == {"penalty": 1, "step_seconds": 30}
    assert d["aggregation"] == {"method": "mean", "trim": 1, "min_judges_for_trim": 3}
    assert d["awards"] == [{"name": "一等奖", "count": 1}, {"name": "二等奖", "count": 1}]
    assert "campaign" not in d
    # links for 3 judges, 3 contestants and the screen
    assert await Token.filter(contest_id=cid).count() == 7
    assert await AuditEvent.filter(action="contest.create", subject=f"contest:{cid}").exists()


async def test_an_invalid_form_lists_every_problem_and_stores_nothing(
    client: httpx.AsyncClient, organiser_token: str
) -> None:
    name = f"书记擂台比武 {uuid.uuid4().hex[:6]}"
    data = form(name) | {
        "date": "2025-13-01",
        "time_limit_seconds": "8分钟",
        "contestants[1].code": "C01",
        "contestants[2].post": "",
        "judges[2].name": " ",
        "criteria[2].max": "20",  # 40 + 35 + 20 = 95
        "awards[1].count": "3",  # 1 + 3 places for 3 contestants
    }
    before = await Contest.all().count()
    auth = bearer(organiser_token)
    r = await client.post("/admin/contests/new", data=data, headers=auth)
    assert r.status_code == 422, r.text
    got = sorted((p["field"], p["label"], p["message"]) for p in r.json()["error"]["problems"])
    expected = sorted([
        ("date", "日期", "必须是 YYYY-MM-DD 格式的日期"),
        ("time_limit_seconds", "每人限时（秒）", "必填，且必须是大于 0 的整数（秒）"),
        ("contestants[1].code", "选手第 2 行 · 编号", "选手编码 C01 重复"),
        ("contestants[2].post", "选手第 3 行 · 职务", "必填，且必须是非空字符串"),
        ("judges[2].name", "评委第 3 行 · 姓名", "必填，且必须是非空字符串"),
        ("criteria", "评分标准", "评分标准分值合计 95 与满分 100 不一致"),
        ("awards", "奖项", "奖项名额合计 4 超过选手人数 3"),
    ])  # fmt: skip
    assert got == expected
    assert await Contest.all().count() == before
    check = await client.post("/admin/contests/new/check", data=data, headers=auth)
    assert sorted((p["field"], p["label"], p["message"]) for p in check.json()["problems"]) == (
        expected
    )
    clean = await client.post("/admin/contests/new/check", data=form(name), headers=auth)
    assert clean.json() == {"problems": []}
    assert await Contest.all().count() == before


async def template(client: httpx.AsyncClient, token: str) -> openpyxl.Workbook:
    r = await client.get("/admin/contests/template.xlsx", headers=bearer(token))
    assert r.status_code == 200 and r.headers["content-type"] == XLSX
    return openpyxl.load_workbook(io.BytesIO(r.content))


async def send(client: httpx.AsyncClient, token: str, book: openpyxl.Workbook) -> httpx.Response:
    out = io.BytesIO()
    book.save(out)
    files = {"file": ("擂台赛.xlsx", out.getvalue(), XLSX)}
    return await client.post("/admin/contests/new/workbook", files=files, headers=bearer(token))


async def test_the_template_round_trip_creates_the_contest_exactly(
    client: httpx.AsyncClient, organiser_token: str
) -> None:
    book = await template(client, organiser_token)
    assert book.sheetnames == ["基本信息", "选手", "评委", "评分标准", "奖项"]
    assert [c.value for c in book["选手"][1]] == ["编号", "姓名", "职务", "单位"]
    assert [c.value for c in book["评分标准"][1]] == ["编号", "名称", "满分", "评分说明"]
    name = f"擂台赛模板 {uuid.uuid4().hex[:6]}"
    rows = {str(r[0].value): r[0].row for r in book["基本信息"].iter_rows(min_row=2)}
    book["基本信息"].cell(rows["擂台赛名称"], 2, name)
    book["基本信息"].cell(rows["汇总方法"], 2, "中位数")
    book["选手"].append(["C02", "李秀英", "乡党委书记", "竹源乡"])
    for n in (2, 3):
        book["评委"].append([f"J{n}", f"评委{n}"])
    book["评分标准"].append(["features", "特色亮点", 25.5, None])
    book["评分标准"].append(["delivery", "现场表现", 34.5, "脱稿讲述"])  # 40 + 25.5 + 34.5
    book["奖项"].delete_rows(3, 2)  # keep 一等奖 1 only: two contestants
    r = await send(client, organiser_token, book)
    assert r.status_code == 201, r.text
    cid = r.json()["id"]
    row = await Contest.get(id=cid)
    d = row.definition
    assert (row.name, d["date"], d["campaign"], d["time_limit_seconds"]) == (
        name, "2025-12-18", "党建引领乡村振兴试点三年行动", 480,
    )  # fmt: skip
    assert d["aggregation"]["method"] == "median"
    assert d["overtime"] == {"penalty": 0.5, "step_seconds": 30}
    assert [(c["code"], Decimal(str(c["max"]))) for c in d["criteria"]] == [
        ("results", Decimal(40)), ("features", Decimal("25.5")), ("delivery", Decimal("34.5")),
    ]  # fmt: skip
    assert await Contestant.filter(contest_id=cid).order_by("position").values_list(
        "code", "unit"
    ) == [("C01", "溪口镇"), ("C02", "竹源乡")]
    assert await ContestJudge.filter(contest_id=cid).count() == 3
    assert d["awards"] == [{"name": "一等奖", "count": 1}]


async def test_a_bad_contest_workbook_names_sheet_row_and_column(
    client: httpx.AsyncClient, organiser_token: str
) -> None:
    book = await template(client, organiser_token)
    rows = {str(r[0].value): r[0].row for r in book["基本信息"].iter_rows(min_row=2)}
    book["基本信息"].cell(rows["汇总方法"], 2, "最高分")
    book["选手"].append(["C01", "李秀英", None, "竹源乡"])  # row 3
    book["评分标准"].cell(2, 3, "四十")
    before = await Contest.all().count()
    r = await send(client, organiser_token, book)
    assert r.status_code == 422
    got = sorted((p["sheet"], p["row"] or 0, p["column"] or "", p["message"])
                 for p in r.json()["error"]["problems"])  # fmt: skip
    assert got == sorted([
        ("基本信息", rows["汇总方法"], "填写",
         "应为 “去掉最高最低分后平均”、“平均分”、“中位数” 之一，而不是“最高分”"),
        ("选手", 3, "编号", "选手编码 C01 重复"),
        ("选手", 3, "职务", "必填，且必须是非空字符串"),
        ("评分标准", 2, "满分", "应为数字，而不是“四十”"),
        # the criteria cannot be added up while one maximum is not a number
        ("评分标准", 0, "", "评分标准分值合计 0 与满分 100 不一致"),
        # the example's three award tiers give 6 places to 2 contestants
        ("奖项", 0, "", "奖项名额合计 6 超过选手人数 2"),
    ])  # fmt: skip
    assert await Contest.all().count() == before
