"""Explain my score: every line of a village's explanation, worked out by hand."""

from __future__ import annotations

from decimal import Decimal

from arena.scoring.aggregate import Aggregation, JudgeSheet, aggregate
from arena.scoring.explain import Context, exact, explain_village, judged_paper, show
from arena.scoring.papers import DEFAULT_SCALE, Deduction
from arena.scoring.standings import Item, Previous, RoundRules, VillageInput, compute_standings

D = Decimal

RULES = RoundRules(
    aggregation=Aggregation("trimmed", trim=1, min_judges_for_trim=5),
    tie_breaks=("shared", "satisfaction", "-deductions"),
    shared_items=(Item("org", "组织建设", D(20)), Item("eco", "集体经济", D(20))),
    shared_max=D(40),
    demonstration_max=D(30),
    satisfaction_max=D(30),
    deduction_cap=D(10),
    scale=DEFAULT_SCALE,
    min_responses=30,
)
CTX = Context(
    aggregation=RULES.aggregation,
    tie_breaks=RULES.tie_breaks,
    maxima={"shared": D(40), "demonstration": D(30), "satisfaction": D(30)},
    deduction_cap=D(10),
    scale=DEFAULT_SCALE,
    min_responses=30,
    items={"shared": [("org", "组织建设"), ("eco", "集体经济")], "demonstration": [("t1", "民宿")]},
    rank_of=2,
)
# The village's own labels (in production keyed per village; here chosen by hand).
LABELS = {"J1": "评委3", "J2": "评委1", "J3": "评委5", "J4": "评委2", "J5": "评委4"}
SHARED = {"J1": (15, 16), "J2": (16, 17), "J3": (18, 20), "J4": (10, 12), "J5": (17, 16)}


def v1() -> VillageInput:
    return VillageInput(
        code="V1",
        name="西裴村",
        targets=(Item("t1", "民宿", D(30)),),
        expected_judges=tuple(SHARED),
        shared_sheets=tuple(
            JudgeSheet(j, {"org": D(a), "eco": D(b)}) for j, (a, b) in SHARED.items()
        ),
        demonstration_sheets=tuple(
            JudgeSheet(j, {"t1": D(x)}) for j, x in (("J1", 20), ("J2", 21), ("J3", 23))
        ),
        satisfaction_counts={"满意": 20, "比较满意": 5, "基本满意": 3, "不满意": 2},
        deductions=(
            Deduction("formalism", D(6), "材料造假"),
            Deduction("safety", D(5), "现场发现隐患"),
        ),
    )


def v2() -> VillageInput:
    return VillageInput("V2", "东村", (), (), (), (), satisfaction_rate=D(100))


def test_explain_village_by_hand() -> None:
    s = compute_standings(RULES, [v1(), v2()], {"V1": Previous(D(65), 2)})
    row = s.rows[0]
    names = {"formalism": "形式主义", "safety": "安全事故"}
    e = explain_village(row, LABELS, CTX, names)
    shared = e["papers"]["shared"]  # type: ignore[index]
    # totals: J1 31 (评委3), J2 33 (评委1), J3 38 (评委5), J4 22 (评委2), J5 33 (评委4)
    assert shared["score"] == [
        "评委总分（共 5 位）：评委1 33、评委2 22、评委3 31、评委4 33、评委5 38",
        "评委不少于 5 位，去掉最高分 评委5 38，去掉最低分 评委2 22"
        "（总分相同时按固定规则确定去掉哪一位）",
        # kept 33 + 31 + 33 = 97; 97 ÷ 3 = 32.3333…
        "保留 3 位：(33 + 31 + 33) ÷ 3 = ≈32.3333，四舍五入到两位小数得 32.33 分",
    ]
    # org: 15 + 16 + 17 = 48, ÷ 3 = 16; eco: 16 + 17 + 16 = 49, ÷ 3 = 16.3333…
    assert shared["items"] == {
        "org": ["组织建设：保留的 3 位评委本项合计 48 分，÷ 3 = 16，记 16"],
        "eco": ["集体经济：保留的 3 位评委本项合计 49 分，÷ 3 = ≈16.3333，记 16.33"],
    }
    demonstration = e["papers"]["demonstration"]  # type: ignore[index]
    # 3 judges < 5: mean of 20, 21, 23 = 64 ÷ 3 = 21.3333 → 21.33
    assert demonstration["score"][1] == "评委少于 5 位，不去高去低，取全部评委平均"
    # 满意 20 × 1 + 比较满意 5 × 0.8 + 基本满意 3 × 0.6 + 不满意 2 × 0 = 25.8 over 30 answers
    assert e["papers"]["satisfaction"] == [  # type: ignore[index]
        "满意 20 人 × 1 + 比较满意 5 人 × 0.8 + 基本满意 3 人 × 0.6 + 不满意 2 人 × 0 = 25.8"
        "（有效问卷 30 份）",
        "平均分值 25.8 ÷ 30 = 0.86",
        "得分 = 满分 30 × 25.8 ÷ 30 = 25.8，四舍五入得 25.8 分",
    ]
    # 6 + 5 = 11 over the cap of 10
    assert e["papers"]["deductions"] == [  # type: ignore[index]
        "形式主义 −6（材料造假）",
        "安全事故 −5（现场发现隐患）",
        "合计 6 + 5 = 11",
        "超过扣分上限 10 分，按 10 分扣",
    ]
    # 32.33 + 21.33 + 25.8 − 10 = 69.46; sheets in 5 + 3 of 5 judges × 2 papers
    assert e["total"] == [
        "共性目标 32.33 + 示范目标 21.33 + 满意度 25.8 − 扣分 10 = 69.46",
        "暂定：评分表已收 8 / 10 份，收齐后可能变化",
    ]
    assert e["rank"] == [
        "按总分从高到低排名：本村 69.46 分，在 2 个村中排第 1 名",
        "总分相同时依次比较：共性目标高者在前，满意度测评高者在前，扣分低者在前；"
        "仍相同则名次并列（如 1、2、2、4）",
        "本村的比较值：共性目标 32.33，满意度测评 25.8，扣分 10",
    ]
    # previous 65 (2nd): 69.46 − 65 = +4.46; 2nd → 1st
    assert e["delta"] == [
        "总分：本轮 69.46 − 上一轮 65 = +4.46",
        "名次：上一轮第 2 名 → 本轮第 1 名，上升 1 位",
    ]


def test_items_apportioned_to_the_paper_score() -> None:
    sheets = [
        JudgeSheet("J1", {"a": D(1), "b": D(0), "c": D(0)}),
        JudgeSheet("J2", {"a": D(0), "b": D(1), "c": D(0)}),
        JudgeSheet("J3", {"a": D(0), "b": D(0), "c": D(1)}),
    ]
    p = aggregate(sheets, ["a", "b", "c"], Aggregation("mean"))
    ctx = Context(
        Aggregation("mean"), (), {}, D(10), DEFAULT_SCALE, 30,
        {"shared": [("a", "甲"), ("b", "乙"), ("c", "丙")]}, 1,
    )  # fmt: skip
    items = judged_paper("shared", p, {"J1": "评委1", "J2": "评委2", "J3": "评委3"}, ctx)["items"]
    # each item 1 ÷ 3 = 0.3333; 0.33 × 3 = 0.99 < 1.00, so the first item takes the cent
    assert items["a"] == [  # type: ignore[index]
        "甲：保留的 3 位评委本项合计 1 分，÷ 3 = ≈0.3333；为使各项之和正好等于卷面分 1，"
        "各项按尾差分摊取整到分，本项记 0.34"
    ]
    assert items["b"] == ["乙：保留的 3 位评委本项合计 1 分，÷ 3 = ≈0.3333，记 0.33"]  # type: ignore[index]


def test_formatting() -> None:
    assert (show(D("27.00")), show(D("8.50")), show(D("36.166"))) == ("27", "8.5", "36.17")
    assert (exact(D("0.86")), exact(D(97) / D(3))) == ("0.86", "≈32.3333")
