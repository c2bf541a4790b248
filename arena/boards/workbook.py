"""The board definition workbook: 基本信息, 指标, 村庄, 红旗规则 — and the labels forms share.

The same Chinese labels name the fields of the browser form, the columns of the template and the
places in a problem list, so an official sees one vocabulary wherever a board is set up.
"""

from __future__ import annotations

from arena.scoring.flags import FLAG_CATEGORIES
from arena.workbooks import (
    Column,
    FieldsSheet,
    ListSheet,
    Reading,
    SheetProblem,
    WorkbookSpec,
    read,
    template,
)

LEVELS = (("县", "county"), ("市", "city"))
PERIOD_KINDS = (("年度", "year"), ("季度", "quarter"))
DIRECTIONS = (("越高越好", "higher"), ("越低越好", "lower"))
NORMALISATIONS = (("极差法", "minmax"), ("标准分", "zscore"), ("百分位", "percentile"))
FLAG_SCOPES = (("红旗村", "village"), ("红旗乡镇", "township"))
RULE_KINDS = (("前N名", "top_n"), ("达到门槛", "threshold"))
INDEX_WORDS = ("index", "指数", "综合指数")

BASICS = FieldsSheet(
    "基本信息",
    (
        Column("指数榜名称", "name", required=True, note="如：2025年度青溪县强村富民指数榜"),
        Column("范围级别", "scope.level", "choice", True, LEVELS, "县级榜或市级榜"),
        Column("范围名称", "scope.name", required=True, note="县（市）名称，如：青溪县"),
        Column("期次类型", "period.kind", "choice", True, PERIOD_KINDS),
        Column("期次", "period.label", required=True, note="年度填 2025；季度填 2025Q3"),
        Column("书记每月激励（元）", "incentives.secretary_monthly", "number",
               note="每面红旗村党组织书记基本报酬每月增加，默认 500"),
        Column("其他村干部每人每月激励（元）", "incentives.other_cadre_monthly", "number",
               note="默认 300"),
        Column("爱心超市补助（元）", "incentives.love_supermarket", "number",
               note="每面红旗补助村爱心超市，默认 10000"),
    ),
    {
        "name": "2025年度青溪县强村富民指数榜",
        "scope.level": "county",
        "scope.name": "青溪县",
        "period.kind": "year",
        "period.label": "2025",
        "incentives.secretary_monthly": 500,
        "incentives.other_cadre_monthly": 300,
        "incentives.love_supermarket": 10000,
    },
)  # fmt: skip

INDICATORS = ListSheet(
    "指标",
    "indicators",
    (
        Column("代码", "code", required=True, width=20,
               note="英文字母、数字或下划线，导入数值时作为列名；不能用 village、name、index"),
        Column("名称", "name", required=True, width=26),
        Column("单位", "unit", width=8, note="% 默认取值 0–100；元、万元、亿元默认不小于 0"),
        Column("方向", "direction", "choice", True, DIRECTIONS, width=12),
        Column("权重", "weight", "number", True, width=8, note="大于 0"),
        Column("标准化方法", "normalisation", "choice", False, NORMALISATIONS, "默认极差法"),
        Column("下限", "min", "number", width=8, note="导入数值允许的最小值"),
        Column("上限", "max", "number", width=8, note="导入数值允许的最大值"),
    ),
    (
        {"code": "collective_income", "name": "村集体经营性收入", "unit": "万元",
         "direction": "higher", "weight": 30},
    ),
)  # fmt: skip

VILLAGES = ListSheet(
    "村庄",
    "villages",
    (
        Column("村代码", "code", required=True, width=14, note="全榜唯一，导入数值时按它对应"),
        Column("村名", "name", required=True, width=16),
        Column("乡镇", "township", required=True, width=16),
        Column("县（市、区）", "county", width=16, note="县级榜可不填，默认为范围名称"),
        Column("其他村干部人数", "cadres", "integer", True, width=16,
               note="村党组织书记以外的村干部人数，计算红旗激励用"),
    ),
    ({"code": "QX001", "name": "鲤鱼村", "township": "溪口镇", "cadres": 4},),
)  # fmt: skip

FLAGS = ListSheet(
    "红旗规则",
    "flags",
    (
        Column("范围", "scope", "choice", True, FLAG_SCOPES, width=12),
        Column("类别", "category", required=True, width=12,
               note="红旗村：" + "、".join(FLAG_CATEGORIES["village"])
               + "；红旗乡镇：" + "、".join(FLAG_CATEGORIES["township"])),
        Column("评选方式", "kind", "choice", True, RULE_KINDS, width=12),
        Column("依据指标", "indicator", width=20, note="指标代码；不填则按综合指数"),
        Column("名额", "n", "integer", width=8, note="前N名时填写，默认 1"),
        Column("门槛", "threshold", "number", width=8, note="达到门槛时填写"),
        Column("排除后20%", "exclude_bottom20", "flag", width=12, note="是：后20%的村不能获得"),
    ),
    (
        {"scope": "village", "category": "产业兴旺", "kind": "top_n",
         "indicator": "collective_income", "n": 1, "exclude_bottom20": True},
    ),
)  # fmt: skip

SPEC = WorkbookSpec(
    (BASICS, INDICATORS, VILLAGES, FLAGS),
    {"scope": "范围", "period": "期次", "incentives": "激励标准", "definition": "定义"},
)


def board_template() -> bytes:
    """The template workbook an organiser downloads, fills and uploads."""
    return template(SPEC)


def read_board_workbook(content: bytes) -> Reading:
    """A filled workbook as a board definition dict, with where each path came from."""
    reading = read(SPEC, content)
    for rule in reading.data.get("flags", []):
        if rule.get("indicator") in INDEX_WORDS:
            rule["indicator"] = "index"
    return reading


__all__ = ["SPEC", "SheetProblem", "board_template", "read_board_workbook"]
