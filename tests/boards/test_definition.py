from __future__ import annotations

import copy
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from arena.boards import Period, ValueBounds, Village
from arena.boards.definition import DefinitionError, Problem, parse_board, parse_board_toml
from arena.scoring.flags import FlagRule, IncentiveRates
from arena.scoring.index import Indicator

EXAMPLE = Path(__file__).parents[2] / "arena" / "boards" / "example_board.toml"

MINIMAL: dict[str, Any] = {
    "name": "2025年第三季度指数榜",
    "scope": {"level": "county", "name": "安吉县"},
    "period": {"kind": "quarter", "label": "2025Q3"},
    "indicators": [
        {"code": "income", "name": "村集体经营性收入", "unit": "万元", "direction": "higher",
         "weight": 2},
        {"code": "debt", "name": "村级负债率", "unit": "%", "direction": "lower", "weight": 1,
         "normalisation": "zscore"},
    ],
    "villages": [
        {"code": "V01", "name": "余村", "township": "天荒坪镇", "cadres": 4},
        {"code": "V02", "name": "鲁家村", "township": "递铺街道", "county": "安吉县", "cadres": 5},
    ],
}  # fmt: skip


def test_example_board() -> None:
    board = parse_board_toml(EXAMPLE.read_text(encoding="utf-8"))
    assert board.name == "2025年度青溪县强村富民指数榜"
    assert (board.scope.level, board.scope.name) == ("county", "青溪县")
    assert board.period == Period("year", "2025")
    assert [i.code for i in board.indicators] == [
        "collective_income", "resident_income", "debt_ratio", "income_growth", "waste_sorting",
        "disputes",
    ]  # fmt: skip
    assert board.indicators[2] == Indicator("debt_ratio", "村级负债率", "%", "lower", 15.0)
    assert [i.normalisation for i in board.indicators][3:] == ["percentile", "minmax", "zscore"]
    assert board.bounds == (
        ValueBounds(0.0, None),  # 万元
        ValueBounds(0.0, None),  # 元
        ValueBounds(0.0, 100.0),  # %
        ValueBounds(-100.0, 10000.0),  # a growth rate, set explicitly
        ValueBounds(0.0, 100.0),
        ValueBounds(None, None),  # 件
    )
    assert len(board.villages) == 12
    assert {v.township for v in board.villages} == {"溪口镇", "竹源乡", "石桥镇"}
    assert board.villages[0] == Village("V01", "溪口村", "溪口镇", "青溪县", 5)
    assert len(board.flag_rules) == 10
    assert board.flag_rules[0] == FlagRule(
        "village", "产业兴旺", "top_n", "collective_income", 2, None, True
    )
    assert board.flag_rules[1] == FlagRule(
        "village", "生态宜居", "threshold", "waste_sorting", 1, 97.5, False
    )
    assert board.rates == IncentiveRates(Decimal(500), Decimal(300), Decimal(10000))
    assert board.other_cadres()["V09"] == 6


def test_minimal_board_from_json() -> None:
    board = parse_board(json.loads(json.dumps(MINIMAL)))
    assert board.indicators[1].normalisation == "zscore"
    assert board.villages[0].county == "安吉县"  # defaults to the county's name
    assert board.flag_rules == ()
    assert board.rates == IncentiveRates()


def test_every_problem_is_listed() -> None:
    data = copy.deepcopy(MINIMAL)
    data["scope"] = {"level": "province", "name": "浙江"}
    data["period"] = {"kind": "quarter", "label": "2025"}
    data["owner"] = "组织部"
    data["incentives"] = {"secretary_monthly": -500, "love_supermarket": "一万"}
    data["indicators"] += [
        {"code": "income", "name": "重复", "direction": "up", "weight": 0},
        {"code": "index", "name": "保留字", "direction": "higher", "weight": True,
         "normalisation": "rank", "wieght": 1},
        {"code": "growth", "name": "增幅", "unit": "%", "direction": "higher", "weight": 1,
         "min": 50, "max": 10},
    ]  # fmt: skip
    data["villages"] += [
        {"code": "V01", "name": "重复村", "township": "", "cadres": -1},
        {"code": "V03", "name": "新村", "cadres": 2.5},
    ]
    data["flags"] = [
        {"scope": "village", "category": "党建引领", "kind": "top_n", "n": 0},
        {"scope": "township", "category": "平安建设", "kind": "threshold", "indicator": "nope"},
        {"scope": "township", "category": "平安建设", "kind": "best", "threshold": 3},
    ]
    with pytest.raises(DefinitionError) as caught:
        parse_board(data)
    assert caught.value.problems == [
        Problem("owner", "未知字段“owner”"),
        Problem("scope.level", "应为 county（县）或 city（市），而不是“province”"),
        Problem("period.label", "期次“2025”格式不对，应形如“2025Q3”"),
        Problem("incentives.secretary_monthly", "金额不能为负数（现为 -500）"),
        Problem("incentives.love_supermarket", "应为有限数值"),
        Problem("indicators[2].code", "指标代码“income”重复（indicators[0] 已使用）"),
        Problem("indicators[2].direction",
                "应为 higher（越高越好）或 lower（越低越好），而不是“up”"),
        Problem("indicators[2].weight", "权重必须大于 0（现为 0）"),
        Problem("indicators[3].wieght", "未知字段“wieght”"),
        Problem("indicators[3].code", "“index”是保留字，不能用作指标代码"),
        Problem("indicators[3].weight", "应为有限数值"),
        Problem("indicators[3].normalisation",
                "应为 minmax、zscore 或 percentile，而不是“rank”"),
        Problem("indicators[4].max", "上限 10 必须大于下限 50"),
        Problem("villages[2].code", "村代码“V01”重复（villages[0] 已使用）"),
        Problem("villages[2].township", "不能为空"),
        Problem("villages[2].cadres", "其他村干部人数不能为负数（现为 -1）"),
        Problem("villages[3].township", "缺少此项"),
        Problem("villages[3].cadres", "应为整数"),
        Problem("flags[0].category",
                "红旗村的类别应为产业兴旺、生态宜居、乡风文明、治理有效、生活富裕之一"),
        Problem("flags[0].n", "名额 n 必须至少为 1（现为 0）"),
        Problem("flags[1].indicator", "未知指标“nope”"),
        Problem("flags[1].threshold", "缺少此项"),
        Problem("flags[2].kind", "应为 top_n（前 n 名）或 threshold（达到门槛），而不是“best”"),
        Problem("flags[2].threshold", "top_n 规则不使用门槛值 threshold"),
        Problem("flags[2].category", "红旗乡镇“平安建设”已有规则（flags[1]）"),
    ]  # fmt: skip
    assert str(caught.value).startswith("owner：未知字段“owner”\nscope.level：")


def test_missing_everything() -> None:
    with pytest.raises(DefinitionError) as caught:
        parse_board({})
    assert caught.value.problems == [
        Problem("name", "缺少此项"),
        Problem("scope", "缺少此项"),
        Problem("scope.level", "缺少此项"),
        Problem("scope.name", "缺少此项"),
        Problem("period", "缺少此项"),
        Problem("period.kind", "缺少此项"),
        Problem("period.label", "缺少此项"),
        Problem("indicators", "至少需要一个指标"),
        Problem("villages", "至少需要一个村"),
    ]


def test_city_board_needs_each_villages_county() -> None:
    data = copy.deepcopy(MINIMAL)
    data["scope"] = {"level": "city", "name": "湖州市"}
    with pytest.raises(DefinitionError) as caught:
        parse_board(data)
    assert caught.value.problems == [Problem("villages[0].county", "缺少此项")]


def test_not_a_table_and_bad_toml() -> None:
    with pytest.raises(DefinitionError) as caught:
        parse_board_toml('name = "缺引号')
    assert caught.value.problems[0].message.startswith("TOML 格式错误：")
    data = copy.deepcopy(MINIMAL)
    data["villages"] = ["V01"]
    data["indicators"] = "income"
    with pytest.raises(DefinitionError) as caught:
        parse_board(data)
    assert caught.value.problems == [
        Problem("indicators", "应为列表"),
        Problem("villages[0]", "应为表（键值对）"),
    ]


@pytest.mark.parametrize(
    ("period", "previous"),
    [
        (Period("year", "2025"), Period("year", "2024")),
        (Period("quarter", "2025Q3"), Period("quarter", "2025Q2")),
        (Period("quarter", "2025Q1"), Period("quarter", "2024Q4")),
    ],
)
def test_previous_period(period: Period, previous: Period) -> None:
    assert period.previous() == previous
