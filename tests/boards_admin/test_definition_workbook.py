"""The pure parts of definition forms and workbooks: form fields to a definition, paths in words,
cells read into values, problems placed on sheets."""

from __future__ import annotations

import io

import openpyxl

from arena.boards.workbook import SPEC, read_board_workbook
from arena.contests.workbook import SPEC as CONTEST_SPEC
from arena.workbooks import from_form, template


def test_form_fields_become_a_definition() -> None:
    data = from_form(
        SPEC,
        [
            ("name", " 甲榜 "),
            ("scope.level", "county"),
            ("incentives.love_supermarket", "1,000"),  # a thousands separator is understood
            ("indicators[1].weight", "2.5"),
            ("indicators[0].weight", "七"),  # not a number: kept for the parser to refuse
            ("indicators[0].code", "a"),
            ("indicators[1].min", ""),  # blank: left out, the default applies
            ("villages[0].cadres", "3"),
            ("flags[0].exclude_bottom20", "true"),
            ("csrf", "x"),  # a field that is no path is passed on for the parser to name
        ],
    )
    assert data == {
        "name": "甲榜",
        "scope": {"level": "county"},
        "incentives": {"love_supermarket": 1000},
        "indicators": [{"weight": "七", "code": "a"}, {"weight": 2.5}],
        "villages": [{"cadres": 3}],
        "flags": [{"exclude_bottom20": True}],
        "csrf": "x",
    }


def test_paths_in_words() -> None:
    assert SPEC.describe("villages[11].cadres") == "村庄第 12 行 · 其他村干部人数"
    assert SPEC.describe("flags[0]") == "红旗规则第 1 行"
    assert SPEC.describe("indicators") == "指标"
    assert SPEC.describe("period.kind") == "期次类型"
    assert SPEC.describe("incentives") == "激励标准"
    assert SPEC.describe("") == "整体"
    assert CONTEST_SPEC.describe("criteria[2].max") == "评分标准第 3 行 · 满分"
    assert CONTEST_SPEC.describe("aggregation.trim") == "去掉最高最低各几个"


def test_a_repeated_or_unknown_item_on_the_fields_sheet_is_named_by_row() -> None:
    book = openpyxl.load_workbook(io.BytesIO(template(SPEC)))
    basics = book["基本信息"]
    basics.append(["期次", "2024"])  # row 10: 期次 again
    basics.append(["负责人", "张三"])  # row 11: not an item of the template
    basics.append([None, "孤零零的值"])  # row 12: a value without its item
    out = io.BytesIO()
    book.save(out)
    reading = read_board_workbook(out.getvalue())
    got = [(p.sheet, p.row, p.column, p.message) for p in reading.problems]
    assert got == [
        ("基本信息", 10, "项目", "项目“期次”重复（第 6 行已填写）"),
        ("基本信息", 11, "项目", "未知的项目“负责人”，应为模板中的项目之一"),
        ("基本信息", 12, "项目", "缺少项目名称"),
    ]
    # the first 期次 (row 6) stands; the example's values are read as the definition
    assert reading.data["period"] == {"kind": "year", "label": "2025"}
    assert reading.data["incentives"] == {
        "secretary_monthly": 500,
        "other_cadre_monthly": 300,
        "love_supermarket": 10000,
    }
    assert (
        reading.locate("villages[0].cadres", "x").where()
        == "工作表「村庄」第 2 行「其他村干部人数」"
    )
    assert reading.locate("villages", "x").where() == "工作表「村庄」"
