from __future__ import annotations

from decimal import Decimal

import numpy as np
import pytest

from arena.scoring.flags import (
    TOWNSHIP_FLAGS,
    VILLAGE_FLAGS,
    FlagAward,
    FlagRule,
    Incentive,
    IncentiveRates,
    award_flags,
    incentives,
)
from arena.scoring.index import BoardResult, Indicator, compute_board

D = Decimal
INCOME = Indicator("income", "村集体经营性收入", "万元", "higher", 1)
DEBT = Indicator("debt", "村级负债率", "%", "lower", 1)

# A small county: 东镇 (V1–V3) and 西镇 (V4–V6).
# income: min 10, max 50 → (x − 10) / 40 × 100; debt (lower): min 10, max 50 → (50 − x) / 40 × 100
# index = (income score + debt score) / 2
VILLAGES = {
    #      township income debt   scores     index  rank
    "V1": ("东镇", 50, 20),  # 100, 75    87.5   1
    "V2": ("东镇", 30, 10),  # 50, 100    75     2
    "V3": ("东镇", 10, 40),  # 0, 25      12.5   6  bottom 20%
    "V4": ("西镇", 50, 30),  # 100, 50    75     2
    "V5": ("西镇", 20, 10),  # 25, 100    62.5   4
    "V6": ("西镇", 40, 50),  # 75, 0      37.5   5  bottom 20%
}
# bottom 20%: ceil(0.2 × 6) = 2 → V6 and V3
CADRES = {"V1": 5, "V2": 4, "V3": 3, "V4": 3, "V5": 2, "V6": 4}
TOWNSHIPS = [t for t, _, _ in VILLAGES.values()]

RULES = [
    # the best income: V1 and V4 tie at 50, both win
    FlagRule("village", "产业兴旺", "top_n", "income", n=1),
    # debt ≤ 10%: V2, V5
    FlagRule("village", "生态宜居", "threshold", "debt", threshold=10),
    # 3 best incomes outside the bottom 20%: V1 50, V4 50, V2 30 (V6's 40 is not eligible)
    FlagRule("village", "治理有效", "top_n", "income", n=3, exclude_bottom20=True),
    # the best index: V1 87.5
    FlagRule("village", "生活富裕", "top_n", "index", n=1),
    # township mean index: 东镇 (87.5 + 75 + 12.5) / 3 = 58.33, 西镇 (75 + 62.5 + 37.5) / 3
    # = 58.33: tied, both win
    FlagRule("township", "党建引领", "top_n"),
    # mean income ≥ 35: 东镇 (50 + 30 + 10) / 3 = 30, 西镇 (50 + 20 + 40) / 3 = 36.67
    FlagRule("township", "产业振兴", "threshold", "income", threshold=35),
    # lowest mean debt: 东镇 (20 + 10 + 40) / 3 = 23.33, 西镇 (30 + 10 + 50) / 3 = 30
    FlagRule("township", "平安建设", "top_n", "debt", n=1),
]


def county() -> BoardResult:
    """The small county's board."""
    values = np.array([(income, debt) for _, income, debt in VILLAGES.values()], dtype=float)
    return compute_board(list(VILLAGES), values, [INCOME, DEBT])


def test_categories() -> None:
    assert VILLAGE_FLAGS == ("产业兴旺", "生态宜居", "乡风文明", "治理有效", "生活富裕")
    assert TOWNSHIP_FLAGS == ("党建引领", "产业振兴", "绿色生态", "乡风文明", "平安建设")


def test_board_is_as_computed_by_hand() -> None:
    result = county()
    assert result.index.tolist() == [87.5, 75.0, 12.5, 75.0, 62.5, 37.5]
    assert result.rank.tolist() == [1, 2, 6, 2, 4, 5]
    assert result.bottom20.tolist() == [False, False, True, False, False, True]


def test_awards() -> None:
    awards = award_flags(county(), TOWNSHIPS, RULES)
    assert awards == [
        FlagAward("village", "产业兴旺", "V1", "income", 50.0),
        FlagAward("village", "产业兴旺", "V4", "income", 50.0),
        FlagAward("village", "生态宜居", "V2", "debt", 10.0),
        FlagAward("village", "生态宜居", "V5", "debt", 10.0),
        FlagAward("village", "治理有效", "V1", "income", 50.0),
        FlagAward("village", "治理有效", "V4", "income", 50.0),
        FlagAward("village", "治理有效", "V2", "income", 30.0),
        FlagAward("village", "生活富裕", "V1", "index", 87.5),
        FlagAward("township", "党建引领", "东镇", "index", 58.33),
        FlagAward("township", "党建引领", "西镇", "index", 58.33),
        FlagAward("township", "产业振兴", "西镇", "income", 36.67),
        FlagAward("township", "平安建设", "东镇", "debt", 23.33),
    ]


def test_bottom20_exclusion_changes_who_wins() -> None:
    rule = FlagRule("village", "治理有效", "top_n", "income", n=3)
    # without the exclusion V6 (income 40, in the bottom 20%) takes the third flag from V2
    assert [a.recipient for a in award_flags(county(), TOWNSHIPS, [rule])] == ["V1", "V4", "V6"]


def test_township_bottom20_exclusion() -> None:
    # 2 townships: ceil(0.2 × 2) = 1 position, but both share 58.33, so both are in it
    rule = FlagRule("township", "党建引领", "top_n", exclude_bottom20=True)
    assert award_flags(county(), TOWNSHIPS, [rule]) == []


def test_incentives() -> None:
    awards = award_flags(county(), TOWNSHIPS, RULES)
    rows = incentives(awards, CADRES)
    zero = D(0)
    assert rows == [
        # 3 flags, 5 other cadres: 1500 + 5 × 900 = 6000 a month; 12 × 6000 + 30000 = 102000
        Incentive(
            "village", "V1", ("产业兴旺", "治理有效", "生活富裕"), 5,
            D(1500), D(900), D(4500), D(30000), D(102000),
        ),
        # 2 flags, 4 other cadres: secretary +1000 a month, each cadre +600 (2400 together),
        # 爱心超市 20000; a year: 12 × (1000 + 2400) + 20000 = 60800
        Incentive(
            "village", "V2", ("生态宜居", "治理有效"), 4,
            D(1000), D(600), D(2400), D(20000), D(60800),
        ),
        # 2 flags, 3 other cadres: 12 × (1000 + 1800) + 20000 = 53600
        Incentive(
            "village", "V4", ("产业兴旺", "治理有效"), 3,
            D(1000), D(600), D(1800), D(20000), D(53600),
        ),
        # 1 flag, 2 other cadres: 12 × (500 + 600) + 10000 = 23200
        Incentive("village", "V5", ("生态宜居",), 2, D(500), D(300), D(600), D(10000), D(23200)),
        # township flags bring the document's non-cash measures only
        Incentive("township", "东镇", ("党建引领", "平安建设"), 0, zero, zero, zero, zero, zero),
        Incentive("township", "西镇", ("党建引领", "产业振兴"), 0, zero, zero, zero, zero, zero),
    ]  # fmt: skip


def test_configured_rates() -> None:
    awards = [
        FlagAward("village", "生活富裕", "V2", "index", 75.0),
        FlagAward("village", "产业兴旺", "V2", "income", 30.0),
    ]
    rates = IncentiveRates(D("600"), D("350.5"), D("8000"))
    (row,) = incentives(awards, CADRES, rates)
    # 2 flags: 1200 a month, cadres 701 each, 4 × 701 = 2804; 12 × (1200 + 2804) + 16000 = 64048
    assert row.flags == ("产业兴旺", "生活富裕")
    assert (row.secretary_monthly, row.other_cadre_monthly_each) == (D(1200), D("701.0"))
    assert (row.other_cadres_monthly_total, row.love_supermarket) == (D("2804.0"), D(16000))
    assert row.annual_total == D("64048.0")


def test_threshold_on_index_and_lower_is_better() -> None:
    rules = [
        FlagRule("village", "生活富裕", "threshold", "index", threshold=75),  # index ≥ 75
        FlagRule("village", "治理有效", "threshold", "debt", threshold=20),  # debt ≤ 20
        FlagRule("village", "乡风文明", "top_n", "debt", n=1),  # lowest debt: V2, V5 tie at 10
    ]
    got = [(a.category, a.recipient) for a in award_flags(county(), TOWNSHIPS, rules)]
    assert got == [
        ("生活富裕", "V1"),
        ("生活富裕", "V2"),
        ("生活富裕", "V4"),
        ("治理有效", "V2"),
        ("治理有效", "V5"),
        ("治理有效", "V1"),
        ("乡风文明", "V2"),
        ("乡风文明", "V5"),
    ]


@pytest.mark.parametrize(
    ("rules", "message"),
    [
        ([FlagRule("village", "党建引领", "top_n")], "“党建引领”不是红旗村的类别"),
        ([FlagRule("village", "产业兴旺", "top_n", "nope")], "未知指标“nope”"),
        ([FlagRule("village", "产业兴旺", "top_n")] * 2, "红旗村“产业兴旺”有多条规则"),
        ([FlagRule("village", "产业兴旺", "threshold")], "缺少门槛值"),
        ([FlagRule("village", "产业兴旺", "top_n", n=0)], "名额必须至少为 1"),
        ([FlagRule("village", "产业兴旺", "best")], "方式“best”无效"),  # type: ignore[arg-type]
    ],
)
def test_bad_rules(rules: list[FlagRule], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        award_flags(county(), TOWNSHIPS, rules)


def test_missing_cadres_and_townships() -> None:
    with pytest.raises(ValueError, match="村“V9”缺少其他村干部人数"):
        incentives([FlagAward("village", "产业兴旺", "V9", "index", 1.0)], CADRES)
    with pytest.raises(ValueError, match="乡镇列表与指数榜的村数不一致"):
        award_flags(county(), TOWNSHIPS[:2], RULES)
