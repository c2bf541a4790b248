"""The Excel route: download the template, fill it, upload it; problems by sheet, row, column."""

from __future__ import annotations

import copy
import io
from typing import Any

import httpx
from openpyxl import Workbook, load_workbook

from arena.models import AuditEvent, Judge, PaperItem, Recusal, Round, Target, Village
from arena.rounds import workbook
from arena.rounds.definition import parse_definition
from tests.api.helpers import new_campaign
from tests.conftest import bearer

SHEETS = [
    "填写说明",
    "基本信息",
    "村庄路线",
    "评委",
    "共性目标",
    "示范目标",
    "扣分项",
    "满意度答案",
    "回避",
    "群众测评",  # optional: residents' phone survey (arena/surveys/workbook_sheet.py)
]


async def _template(client: httpx.AsyncClient, token: str) -> Workbook:
    r = await client.get("/admin/rounds/template.xlsx", headers=bearer(token))
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("application/vnd.openxmlformats")
    return load_workbook(io.BytesIO(r.content))


def _rows(ws: Any, rows: list[list[Any]]) -> None:
    """Replace everything under the header row."""
    ws.delete_rows(2, ws.max_row)
    for row in rows:
        ws.append(row)


def _info(ws: Any, **values: Any) -> None:
    for row in ws.iter_rows(min_row=2):
        if row[0].value in values:
            row[1].value = values[row[0].value]


def _bytes(wb: Workbook) -> bytes:
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


async def _upload(client: httpx.AsyncClient, token: str, content: bytes) -> httpx.Response:
    return await client.post(
        "/admin/rounds/import",
        files={
            "file": (
                "评比.xlsx",
                content,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            )
        },
        headers=bearer(token),
    )


async def test_template_has_every_sheet_with_chinese_headers_and_a_valid_example(
    client: httpx.AsyncClient, organiser_token: str
) -> None:
    wb = await _template(client, organiser_token)
    assert wb.sheetnames == SHEETS
    assert [c.value for c in wb["村庄路线"][1]] == ["编码", "村名", "乡镇", "县（市、区）"]
    assert [c.value for c in wb["评委"][1]] == ["编码", "姓名", "单位"]
    assert [c.value for c in wb["示范目标"][1]] == [
        "村编码",
        "目标编码",
        "目标名称",
        "满分",
        "评分要点",
    ]
    assert [c.value for c in wb["回避"][1]] == ["评委（编码或姓名）", "村（编码或村名）"]
    assert wb["村庄路线"].max_row >= 2  # an example row under the header
    # the example reads back to exactly the example definition, with no problem
    data, problems = workbook.read(_bytes(wb))
    assert problems == []
    assert parse_definition(data).to_json() == parse_definition(workbook.EXAMPLE).to_json()


async def test_filled_template_creates_the_round_with_exact_villages_judges_items(
    client: httpx.AsyncClient, organiser_token: str
) -> None:
    wb = await _template(client, organiser_token)
    campaign = new_campaign()
    _info(wb["基本信息"], 所属行动=campaign, 评比名称="2026年第二季度试点拉练", 日期="2026-06-16",
          共性目标满分=30, 示范目标满分=20, 扣分上限=8, 计分方法="平均",
          同分比较顺序="满意度高、共性目标高")  # fmt: skip
    _rows(wb["村庄路线"], [
        ["Q1", "桥头村", "南湖镇", "湖滨县"],
        ["Q2", "柳岸村", "南湖镇", "湖滨县"],
        ["Q3", "石门村", "北山乡", "湖滨县"],
    ])  # fmt: skip
    _rows(
        wb["评委"],
        [
            ["P1", "赵一", "县委组织部"],
            ["P2", "钱二", ""],
            ["P3", "孙三", "北山乡"],
            ["P4", "李四", "县财政局"],
        ],
    )
    _rows(wb["共性目标"], [["g1", "班子建设", 12, "班子团结"], ["g2", "产业发展", 18, None]])
    _rows(wb["示范目标"], [
        ["Q1", "t1", "古桥修缮", 20, "修缮进度"],
        ["Q2", "t1", "滨水步道", 8, None],
        ["Q2", "t2", "民宿集群", "12", None],  # a number typed as text is read as a number
        ["Q3", "t1", "石材产业", 20, None],
    ])  # fmt: skip
    _rows(wb["扣分项"], [["k1", "形式主义", 4, "图虚名"], ["k2", "弄虚作假", 8, None]])
    _rows(wb["回避"], [["孙三", "石门村"], ["P2", "Q1"]])
    before = await Round.all().count()
    r = await _upload(client, organiser_token, _bytes(wb))
    assert r.status_code == 201, r.text
    rid = r.json()["id"]
    assert r.json()["url"] == f"/admin/rounds/{rid}"
    assert await Round.all().count() == before + 1
    row = await Round.get(id=rid).select_related("campaign")
    assert (row.name, row.campaign.name, row.date.isoformat()) == (
        "2026年第二季度试点拉练",
        campaign,
        "2026-06-16",
    )
    assert row.definition["aggregation"]["method"] == "mean"
    assert row.definition["tie_breaks"] == ["satisfaction", "shared"]
    assert row.definition["papers"]["deductions"]["cap"] == 8
    villages = (
        await Village.filter(round_id=rid)
        .order_by("position")
        .values_list("code", "name", "township", "county")
    )
    assert villages == [
        ("Q1", "桥头村", "南湖镇", "湖滨县"), ("Q2", "柳岸村", "南湖镇", "湖滨县"),
        ("Q3", "石门村", "北山乡", "湖滨县"),
    ]  # fmt: skip
    judges = (
        await Judge.filter(round_id=rid).order_by("position").values_list("code", "name", "unit")
    )
    assert judges == [
        ("P1", "赵一", "县委组织部"),
        ("P2", "钱二", ""),
        ("P3", "孙三", "北山乡"),
        ("P4", "李四", "县财政局"),
    ]
    items = (
        await PaperItem.filter(round_id=rid)
        .order_by("paper", "position")
        .values_list("paper", "code", "name", "maximum", "guide")
    )
    assert [(p, c, n, int(m), g) for p, c, n, m, g in items] == [
        ("deductions", "k1", "形式主义", 4, "图虚名"), ("deductions", "k2", "弄虚作假", 8, ""),
        ("shared", "g1", "班子建设", 12, "班子团结"), ("shared", "g2", "产业发展", 18, ""),
    ]  # fmt: skip
    targets = (
        await Target.filter(village__round_id=rid)
        .order_by("village__position", "position")
        .values_list("village__code", "code", "maximum")
    )
    assert [(v, c, int(m)) for v, c, m in targets] == [
        ("Q1", "t1", 20),
        ("Q2", "t1", 8),
        ("Q2", "t2", 12),
        ("Q3", "t1", 20),
    ]
    recusals = await Recusal.filter(judge__round_id=rid).values_list("judge__code", "village__code")
    assert sorted(recusals) == [("P2", "Q1"), ("P3", "Q3")]
    assert await AuditEvent.filter(subject=f"round:{rid}", action="round.create").count() == 1
    # the round's setup downloads as the same workbook and reads back to the same definition
    again = await client.get(f"/admin/rounds/{rid}/setup.xlsx", headers=bearer(organiser_token))
    data, problems = workbook.read(again.content)
    assert problems == [] and parse_definition(data).to_json() == row.definition


async def test_a_bad_workbook_names_sheet_row_and_column_and_stores_nothing(
    client: httpx.AsyncClient, organiser_token: str
) -> None:
    wb = await _template(client, organiser_token)
    _info(wb["基本信息"], 所属行动=new_campaign(), 日期="明天", 计分方法="去掉最高分")
    _rows(
        wb["村庄路线"], [["V01", "青山村", "东港镇", "滨海区"], ["V02", None, "东港镇", "滨海区"]]
    )
    _rows(wb["共性目标"], [["org", "组织建设", "十", None], ["eco", "集体经济", 30, None]])
    _rows(
        wb["示范目标"],
        [
            ["V01", "t1", "线路", 30, None],
            ["V09", "t1", "无此村", 30, None],
            ["V02", "t1", "美化", 25, None],
        ],
    )
    _rows(wb["回避"], [["无名氏", "V01"]])
    before = await Round.all().count()
    r = await _upload(client, organiser_token, _bytes(wb))
    assert r.status_code == 422
    error = r.json()["error"]
    assert error["code"] == "invalid_workbook"
    got = sorted((p["sheet"], p["row"], p["column"]) for p in error["problems"])
    assert got == sorted([
        ("基本信息", 4, "B"),  # 日期 明天 (row 4: header, 所属行动, 评比名称, 日期)
        ("基本信息", 10, "B"),  # 计分方法 (row 10)
        ("村庄路线", 3, "B"),  # V02 has no name
        ("共性目标", 2, "C"),  # 十 is not a number
        ("共性目标", 2, "C"),  # so the items add up to 0 + 30 = 30, not 40: where the items start
        ("示范目标", 3, "A"),  # V09 is not on the route
        ("示范目标", 4, "D"),  # V02's targets add up to 25, not 30
        ("回避", 2, "A"),  # no such judge
    ])  # fmt: skip
    messages = [p["message"] for p in error["problems"]]
    assert "「村庄路线」第 3 行 B 列：必填，且必须是非空字符串" in messages
    assert "「共性目标」第 2 行 C 列：必须是数字" in messages
    assert "「示范目标」第 4 行 D 列：示范目标分值合计 25 与满分 30 不一致" in messages
    assert "「基本信息」第 10 行 B 列：应为 去掉最高最低分后平均 / 平均 / 中位数 之一" in messages
    assert await Round.all().count() == before


async def test_not_a_workbook_is_refused(client: httpx.AsyncClient, organiser_token: str) -> None:
    before = await Round.all().count()
    r = await _upload(client, organiser_token, b"name,date\n")
    assert r.status_code == 422 and r.json()["error"]["field"] == "file"
    missing = Workbook()
    r = await _upload(client, organiser_token, _bytes(missing))
    assert r.status_code == 422
    sheets = {p["sheet"] for p in r.json()["error"]["problems"]}
    assert {"基本信息", "村庄路线", "评委", "共性目标", "示范目标", "扣分项"} <= sheets
    assert await Round.all().count() == before


def _paths(value: Any, prefix: str = "") -> set[str]:
    """Every key path in a definition (list entries merged as [])."""
    if isinstance(value, dict):
        out = set()
        for k, v in value.items():
            here = f"{prefix}.{k}" if prefix else k
            out |= {here} if k == "scale" else {here} | _paths(v, here)  # scale: answers → values
        return out
    if isinstance(value, list):
        return set().union(*(_paths(v, prefix + "[]") for v in value)) if value else set()
    return set()


# Every key a round definition holds today; the form (web/static/js/setup/round-form.js) and the
# workbook (arena/rounds/workbook.py) cover each. A new key fails here until both cover it too.
COVERED = {
    "name", "campaign", "date", "tie_breaks",
    "aggregation", "aggregation.method", "aggregation.trim", "aggregation.min_judges_for_trim",
    "papers", "papers.shared", "papers.shared.max", "papers.shared.items",
    "papers.shared.items[].code", "papers.shared.items[].name", "papers.shared.items[].max",
    "papers.shared.items[].guide",
    "papers.demonstration", "papers.demonstration.max",
    "papers.satisfaction", "papers.satisfaction.max", "papers.satisfaction.min_responses",
    "papers.satisfaction.scale",
    "papers.deductions", "papers.deductions.cap", "papers.deductions.items",
    "papers.deductions.items[].code", "papers.deductions.items[].name",
    "papers.deductions.items[].max", "papers.deductions.items[].guide",
    "villages", "villages[].code", "villages[].name", "villages[].township", "villages[].county",
    "villages[].targets", "villages[].targets[].code", "villages[].targets[].name",
    "villages[].targets[].max", "villages[].targets[].guide",
    "judges", "judges[].code", "judges[].name", "judges[].unit", "judges[].recuse",
}  # fmt: skip


def test_every_key_of_a_definition_survives_the_workbook() -> None:
    d = copy.deepcopy(workbook.EXAMPLE)
    d["aggregation"] = {"method": "median", "trim": 2, "min_judges_for_trim": 7}
    d["tie_breaks"] = ["-deductions", "demonstration"]
    d["papers"]["satisfaction"] = {"max": 25, "min_responses": 40, "scale": {"是": 1, "否": 0.25}}
    d["papers"]["deductions"]["items"][0]["guide"] = "图虚名、出虚招"
    d["villages"][0]["targets"][0]["guide"] = "线路串联"
    normal = parse_definition(d).to_json()
    assert _paths(normal) == COVERED
    data, problems = workbook.read(workbook.write(normal))
    assert problems == []
    assert parse_definition(data).to_json() == normal
