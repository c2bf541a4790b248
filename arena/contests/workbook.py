"""The contest definition workbook: 基本信息, 选手, 评委, 评分标准, 奖项 — labels forms share."""

from __future__ import annotations

from arena.workbooks import (
    Column,
    FieldsSheet,
    ListSheet,
    Reading,
    WorkbookSpec,
    read,
    template,
)

METHODS = (("去掉最高最低分后平均", "trimmed"), ("平均分", "mean"), ("中位数", "median"))

BASICS = FieldsSheet(
    "基本信息",
    (
        Column("擂台赛名称", "name", required=True, note="如：青溪县2025年度书记擂台比武"),
        Column("日期", "date", "date", True, note="比赛当天，格式 2025-12-18"),
        Column("所属行动", "campaign", note="如：党建引领乡村振兴试点三年行动"),
        Column("每人限时（秒）", "time_limit_seconds", "integer", True,
               note="每位选手汇报的时间，480 秒即 8 分钟"),
        Column("超时扣分（分）", "overtime.penalty", "number",
               note="超时每满一个计时单位（不足也算）扣的分，默认 0.5"),
        Column("超时计时单位（秒）", "overtime.step_seconds", "integer", note="默认 30 秒"),
        Column("汇总方法", "aggregation.method", "choice", False, METHODS,
               "默认去掉最高最低分后平均"),
        Column("去掉最高最低各几个", "aggregation.trim", "integer", note="默认各 1 个"),
        Column("至少几名评委才去分", "aggregation.min_judges_for_trim", "integer",
               note="评委少于此数时取平均分，默认 3"),
    ),
    {
        "name": "青溪县2025年度乡村两级党组织书记擂台比武",
        "date": "2025-12-18",
        "campaign": "党建引领乡村振兴试点三年行动",
        "time_limit_seconds": 480,
        "overtime.penalty": 0.5,
        "overtime.step_seconds": 30,
        "aggregation.method": "trimmed",
        "aggregation.trim": 1,
        "aggregation.min_judges_for_trim": 3,
    },
)  # fmt: skip

CONTESTANTS = ListSheet(
    "选手",
    "contestants",
    (
        Column("编号", "code", required=True, width=8, note="选手编号，全场唯一，如 C01"),
        Column("姓名", "name", required=True, width=12),
        Column("职务", "post", required=True, width=26),
        Column("单位", "unit", required=True, width=24),
    ),
    ({"code": "C01", "name": "王建国", "post": "镇党委书记", "unit": "溪口镇"},),
)

JUDGES = ListSheet(
    "评委",
    "judges",
    (
        Column("编号", "code", required=True, width=8, note="评委编号，全场唯一，如 J1"),
        Column("姓名", "name", required=True, width=12),
    ),
    ({"code": "J1", "name": "郑国平"},),
)

CRITERIA = ListSheet(
    "评分标准",
    "criteria",
    (
        Column("编号", "code", required=True, width=14, note="如 results"),
        Column("名称", "name", required=True, width=14),
        Column("满分", "max", "number", True, width=8, note="各项满分合计必须正好 100 分"),
        Column("评分说明", "guide", width=50, note="给评委看的评分要点，可不填"),
    ),
    (
        {
            "code": "results",
            "name": "工作实绩",
            "max": 40,
            "guide": "试点任务完成情况、可量化的成效",
        },
    ),
)

AWARDS = ListSheet(
    "奖项",
    "awards",
    (
        Column("奖项", "name", required=True, width=12),
        Column("名额", "count", "integer", True, width=8),
    ),
    (
        {"name": "一等奖", "count": 1},
        {"name": "二等奖", "count": 2},
        {"name": "三等奖", "count": 3},
    ),
)

SPEC = WorkbookSpec(
    (BASICS, CONTESTANTS, JUDGES, CRITERIA, AWARDS),
    {"overtime": "超时扣分", "aggregation": "汇总方法", "definition": "定义"},
)


def without_empty_awards(data: dict[str, object]) -> dict[str, object]:
    """No award rows at all means the default awards (一等奖 1, 二等奖 2, 三等奖 3)."""
    if data.get("awards") == []:
        del data["awards"]
    return data


def contest_template() -> bytes:
    """The template workbook an organiser downloads, fills and uploads."""
    return template(SPEC)


def read_contest_workbook(content: bytes) -> Reading:
    """A filled workbook as a contest definition dict, with where each path came from."""
    reading = read(SPEC, content)
    without_empty_awards(reading.data)
    return reading
