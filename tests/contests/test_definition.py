from __future__ import annotations

import copy
import datetime as dt
import tomllib
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from arena.contests.definition import ContestDefinition, parse_contest
from arena.errors import UserError
from arena.scoring.aggregate import Aggregation
from arena.scoring.contest import AwardTier, Criterion

D = Decimal
EXAMPLE = Path(__file__).parents[2] / "arena" / "contests" / "example_contest.toml"


def example() -> dict[str, Any]:
    return tomllib.loads(EXAMPLE.read_text(encoding="utf-8"))


def minimal() -> dict[str, Any]:
    """The smallest valid definition as JSON would carry it."""
    return {
        "name": "擂台赛",
        "date": "2025-12-18",
        "time_limit_seconds": 300,
        "contestants": [
            {"code": "C1", "name": "王建国", "post": "村党支部书记", "unit": "溪口村"},
            {"code": "C2", "name": "李秀英", "post": "村党支部书记", "unit": "鲤鱼村"},
        ],
        "judges": [{"code": "J1", "name": "郑国平"}],
        "criteria": [
            {"code": "results", "name": "工作实绩", "max": 60},
            {"code": "delivery", "name": "现场表现", "max": 40},
        ],
        "awards": [{"name": "一等奖", "count": 1}],
    }


def problems(data: Any) -> list[tuple[str, str]]:
    with pytest.raises(UserError) as caught:
        parse_contest(data)
    error = caught.value
    assert (error.status, error.code) == (422, "invalid_definition")
    return [(p.field, p.message) for p in error.problems]


def test_example_contest() -> None:
    d = parse_contest(example())
    assert d.name == "青溪县2025年度乡村两级党组织书记抓党建促乡村振兴擂台比武"
    assert d.date == dt.date(2025, 12, 18)
    assert len(d.contestants) == 8 and len(d.judges) == 5
    assert (d.contestants[0].name, d.contestants[0].post, d.contestants[0].unit) == (
        "王建国",
        "镇党委书记",
        "溪口镇",
    )
    assert [(c.name, c.max) for c in d.criteria] == [
        ("工作实绩", 40),
        ("特色亮点", 25),
        ("群众满意", 20),
        ("现场表现", 15),
    ]
    rules = d.rules()
    assert rules.time_limit_seconds == 480
    assert (rules.overtime_penalty, rules.overtime_step_seconds) == (D("0.5"), 30)
    assert rules.aggregation == Aggregation("trimmed", trim=1, min_judges_for_trim=3)
    assert rules.criteria[0] == Criterion("results", "工作实绩", D(40))
    assert rules.award_tiers == (
        AwardTier("一等奖", 1),
        AwardTier("二等奖", 2),
        AwardTier("三等奖", 3),
    )


def test_to_json_parses_back_to_the_same_definition() -> None:
    for data in (example(), minimal()):
        d = parse_contest(data)
        assert parse_contest(d.to_json()) == d
    assert "campaign" not in parse_contest(minimal()).to_json()


def test_defaults() -> None:
    data = minimal()
    del data["awards"]
    d = parse_contest(data)
    assert d.campaign == ""
    assert (d.overtime_penalty, d.overtime_step_seconds) == (D("0.5"), 30)
    assert d.aggregation == Aggregation("trimmed", trim=1, min_judges_for_trim=3)
    assert [(t.name, t.count) for t in d.awards] == [("一等奖", 1), ("二等奖", 2), ("三等奖", 3)]
    assert isinstance(d, ContestDefinition)


def test_every_problem_is_listed_at_once() -> None:
    data = example()
    data["criteria"][3]["max"] = 5  # 40 + 25 + 20 + 5 = 90
    data["criteria"][1]["code"] = "results"
    data["contestants"][7]["code"] = "C01"
    data["judges"][4]["code"] = "J1"
    data["time_limit_seconds"] = 0
    data["timelimit"] = 480
    assert problems(data) == [
        ("timelimit", "未知字段"),
        ("time_limit_seconds", "必填，且必须是大于 0 的整数（秒）"),
        ("contestants[7].code", "选手编码 C01 重复"),
        ("judges[4].code", "评委编码 J1 重复"),
        ("criteria[1].code", "编码 results 重复"),
        ("criteria", "评分标准分值合计 90 与满分 100 不一致"),
    ]


def test_the_error_message_names_each_field() -> None:
    data = minimal()
    data["criteria"][1]["max"] = 30
    with pytest.raises(UserError) as caught:
        parse_contest(data)
    assert caught.value.field == "criteria"
    assert caught.value.message == "criteria：评分标准分值合计 90 与满分 100 不一致"


@pytest.mark.parametrize("value", [0, -60, "480", 480.0, True, None])
def test_bad_time_limit(value: Any) -> None:
    data = minimal()
    data["time_limit_seconds"] = value
    assert problems(data) == [("time_limit_seconds", "必填，且必须是大于 0 的整数（秒）")]


MISSING = [
    ("name", "必填，且必须是非空字符串"),
    ("date", "必须是 YYYY-MM-DD 格式的日期"),
    ("time_limit_seconds", "必填，且必须是大于 0 的整数（秒）"),
    ("contestants", "必须是非空列表（选手）"),
    ("judges", "必须是非空列表（评委）"),
    ("criteria", "必须是非空列表（评分标准）"),
]


def test_missing_and_empty_parts() -> None:
    assert problems({"name": " ", "date": "2025-13-01", "judges": []}) == MISSING
    assert problems([]) == [("", "必须是对象"), *MISSING]


def test_contestant_and_judge_entries() -> None:
    data = minimal()
    data["contestants"][0] = {"code": "C1", "name": "王建国", "job": "书记"}
    data["judges"][0] = "郑国平"
    assert problems(data) == [
        ("contestants[0].job", "未知字段"),
        ("contestants[0].post", "必填，且必须是非空字符串"),
        ("contestants[0].unit", "必填，且必须是非空字符串"),
        ("judges[0]", "必须是对象"),
        ("judges[0].code", "必填，且必须是非空字符串"),
        ("judges[0].name", "必填，且必须是非空字符串"),
    ]


def test_overtime_aggregation_and_awards() -> None:
    data = minimal()
    data["overtime"] = {"penalty": -1, "step_seconds": 0, "cap": 3}
    data["aggregation"] = {"method": "trimmed", "trim": 1, "min_judges_for_trim": 2}
    data["awards"] = [{"name": "一等奖", "count": 2}, {"name": "一等奖", "count": 0}]
    data["criteria"][0]["weight"] = 1
    assert problems(data) == [
        ("overtime.cap", "未知字段"),
        ("overtime.penalty", "不能小于 0"),
        ("overtime.step_seconds", "不能小于 1"),
        ("aggregation.min_judges_for_trim", "去掉最高最低分后至少要留 1 名评委：应不小于 3"),
        ("criteria[0].weight", "未知字段"),
        ("awards[1].name", "奖项 一等奖 重复"),
        ("awards[1].count", "不能小于 1"),
    ]


def test_award_places_may_not_outnumber_contestants() -> None:
    data = minimal()
    data["awards"] = [{"name": "一等奖", "count": 1}, {"name": "二等奖", "count": 2}]
    assert problems(data) == [("awards", "奖项名额合计 3 超过选手人数 2")]


def test_no_awards_and_other_methods() -> None:
    data = copy.deepcopy(minimal())
    data["awards"] = []
    data["aggregation"] = {"method": "median"}
    data["overtime"] = {"penalty": 0}
    d = parse_contest(data)
    assert d.awards == ()
    assert d.aggregation.method == "median"
    assert d.rules().overtime_penalty == 0
