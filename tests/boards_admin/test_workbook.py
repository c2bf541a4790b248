"""The board template workbook: download, fill in openpyxl, upload — created exactly, or refused
with every problem named by sheet, row and column and nothing stored."""

from __future__ import annotations

import io

import httpx
import openpyxl

from arena.models import Board, BoardIndicator, BoardVillage
from tests.boards.helpers import unique_scope
from tests.conftest import bearer

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


async def template(client: httpx.AsyncClient, token: str) -> openpyxl.Workbook:
    r = await client.get("/admin/boards/template.xlsx", headers=bearer(token))
    assert r.status_code == 200
    assert r.headers["content-type"] == XLSX
    return openpyxl.load_workbook(io.BytesIO(r.content))


def saved(book: openpyxl.Workbook) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


async def send(client: httpx.AsyncClient, token: str, content: bytes) -> httpx.Response:
    files = {"file": ("指数榜.xlsx", content, XLSX)}
    return await client.post("/admin/boards/new/workbook", files=files, headers=bearer(token))


def fields(book: openpyxl.Workbook) -> dict[str, int]:
    """基本信息: item label -> its row."""
    return {str(r[0].value): r[0].row for r in book["基本信息"].iter_rows(min_row=2)}


async def test_the_template_has_four_sheets_with_chinese_headers_and_an_example(
    client: httpx.AsyncClient, organiser_token: str
) -> None:
    book = await template(client, organiser_token)
    assert book.sheetnames == ["基本信息", "指标", "村庄", "红旗规则"]
    head = {name: [c.value for c in book[name][1]] for name in book.sheetnames}
    assert head == {
        "基本信息": ["项目", "填写", "说明"],
        "指标": ["代码", "名称", "单位", "方向", "权重", "标准化方法", "下限", "上限"],
        "村庄": ["村代码", "村名", "乡镇", "县（市、区）", "其他村干部人数"],
        "红旗规则": ["范围", "类别", "评选方式", "依据指标", "名额", "门槛", "排除后20%"],
    }
    assert [c.value for c in book["指标"][2]] == [
        "collective_income", "村集体经营性收入", "万元", "越高越好", 30, None, None, None,
    ]  # fmt: skip
    assert [c.value for c in book["村庄"][2]] == ["QX001", "鲤鱼村", "溪口镇", None, 4]
    basics = {str(r[0].value): r[1].value for r in book["基本信息"].iter_rows(min_row=2)}
    assert basics["范围级别"] == "县" and basics["期次类型"] == "年度"


async def test_a_filled_template_creates_the_board_exactly(
    client: httpx.AsyncClient, organiser_token: str
) -> None:
    scope = unique_scope()
    book = await template(client, organiser_token)
    rows = fields(book)
    basics = book["基本信息"]
    basics.cell(rows["指数榜名称"], 2, f"2025年第三季度{scope}指数榜")
    basics.cell(rows["范围名称"], 2, scope)
    basics.cell(rows["期次类型"], 2, "季度")
    basics.cell(rows["期次"], 2, "2025Q3")
    basics.cell(rows["爱心超市补助（元）"], 2, None)  # blank: the default 10000
    ind = book["指标"]
    ind.append(["growth", "集体经营性收入增幅", "%", "越高越好", 20, "百分位", -100, 10000])
    ind.append(["debt", "村级负债率", "%", "越低越好", 10.5])
    vil = book["村庄"]
    vil.append([102, "龙潭村", "竹源乡", None, 3])  # a number as a code is read as text
    vil.append([])  # a wholly empty row is skipped
    vil.append(["QX003", "东岙村", "石桥镇", "邻县", 0])
    flags = book["红旗规则"]
    flags.append(["红旗乡镇", "产业振兴", "达到门槛", "指数", None, 55, "否"])
    r = await send(client, organiser_token, saved(book))
    assert r.status_code == 201, r.text
    board_id = r.json()["id"]
    assert r.json()["url"] == f"/admin/boards/{board_id}"
    row = await Board.get(id=board_id)
    assert (row.name, row.scope_name, row.period_kind, row.period_label) == (
        f"2025年第三季度{scope}指数榜", scope, "quarter", "2025Q3",
    )  # fmt: skip
    assert await BoardIndicator.filter(board_id=board_id).order_by("position").values_list(
        "code", "unit", "direction", "weight", "normalisation"
    ) == [
        ("collective_income", "万元", "higher", 30.0, "minmax"),  # the example row, kept
        ("growth", "%", "higher", 20.0, "percentile"),
        ("debt", "%", "lower", 10.5, "minmax"),
    ]
    assert await BoardVillage.filter(board_id=board_id).order_by("position").values_list(
        "code", "name", "township", "county", "cadres"
    ) == [
        ("QX001", "鲤鱼村", "溪口镇", scope, 4),
        ("102", "龙潭村", "竹源乡", scope, 3),
        ("QX003", "东岙村", "石桥镇", "邻县", 0),
    ]
    d = row.definition
    assert [(i["code"], i.get("min"), i.get("max")) for i in d["indicators"]] == [
        ("collective_income", 0.0, None), ("growth", -100.0, 10000.0), ("debt", 0.0, 100.0),
    ]  # fmt: skip
    assert d["incentives"] == {
        "secretary_monthly": 500, "other_cadre_monthly": 300, "love_supermarket": 10000,
    }  # fmt: skip
    assert [(f["scope"], f["category"], f["kind"], f["indicator"], f["exclude_bottom20"])
            for f in d["flags"]] == [
        ("village", "产业兴旺", "top_n", "collective_income", True),
        ("township", "产业振兴", "threshold", "index", False),
    ]  # fmt: skip


async def test_a_bad_workbook_names_sheet_row_and_column_and_stores_nothing(
    client: httpx.AsyncClient, organiser_token: str
) -> None:
    scope = unique_scope()
    book = await template(client, organiser_token)
    rows = fields(book)
    book["基本信息"].cell(rows["范围名称"], 2, scope)
    book["基本信息"].cell(rows["期次"], 2, "二〇二五")
    book["基本信息"].cell(rows["范围级别"], 2, "省")
    ind = book["指标"]
    ind.append(["debt", "村级负债率", "%", "越小越好", "十"])  # row 3
    vil = book["村庄"]
    vil.append(["QX001", "龙潭村", "竹源乡", None, 2.5])  # row 3: repeated code, 2.5 cadres
    book["红旗规则"].delete_rows(2)
    book["红旗规则"].append(["红旗村", "产业兴旺", "前N名", "income", 1])  # unknown indicator
    before = await Board.all().count()
    r = await send(client, organiser_token, saved(book))
    assert r.status_code == 422, r.text
    error = r.json()["error"]
    assert error["code"] == "workbook_rejected"
    got = sorted((p["sheet"], p["row"] or 0, p["column"] or "", p["message"])
                 for p in error["problems"])  # fmt: skip
    assert got == sorted([
        ("基本信息", rows["范围级别"], "填写", "应为 “县”、“市” 之一，而不是“省”"),
        ("基本信息", rows["期次"], "填写", "期次“二〇二五”格式不对，应形如“2025”"),
        ("指标", 3, "方向", "应为 “越高越好”、“越低越好” 之一，而不是“越小越好”"),
        ("指标", 3, "权重", "应为数字，而不是“十”"),
        ("村庄", 3, "村代码", "村代码“QX001”重复（villages[0] 已使用）"),
        ("村庄", 3, "其他村干部人数", "应为整数，而不是“2.5”"),
        ("红旗规则", 2, "依据指标", "未知指标“income”"),
    ])  # fmt: skip
    assert await Board.all().count() == before


async def test_missing_sheets_and_columns_and_a_file_that_is_not_a_workbook(
    client: httpx.AsyncClient, organiser_token: str
) -> None:
    book = await template(client, organiser_token)
    del book["村庄"]
    book["指标"].delete_cols(5)  # 权重
    book["指标"].cell(1, 9, "备注")
    r = await send(client, organiser_token, saved(book))
    assert r.status_code == 422
    got = sorted((p["sheet"], p["row"] or 0, p["column"] or "", p["message"])
                 for p in r.json()["error"]["problems"])  # fmt: skip
    # the missing column and sheet are told once, not again for each row they would fill
    assert got == sorted(
        [
            ("村庄", 0, "", "缺少工作表「村庄」"),
            ("指标", 1, "备注", "未知的列“备注”，应为模板中的列之一"),
            ("指标", 1, "权重", "缺少列“权重”"),
        ]
    )
    r = await send(client, organiser_token, b"village,income\nA,1\n")
    assert r.status_code == 422
    (problem,) = r.json()["error"]["problems"]
    assert problem["message"] == "不是有效的 Excel 工作簿（.xlsx），请用下载的模板填写"
