"""A whole field review round worked out by hand: round-2025q3.toml, 8 villages, 7 judges."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest

from arena.scoring.aggregate import Aggregation, JudgeSheet
from arena.scoring.papers import DEFAULT_SCALE, Deduction
from arena.scoring.standings import (
    Item,
    Previous,
    RoundRules,
    Standings,
    VillageInput,
    compute_standings,
)

D = Decimal

SHARED_ITEMS = (
    Item("org", "组织建设", D(10)),
    Item("eco", "集体经济", D(10)),
    Item("build", "乡村建设", D(8)),
    Item("talent", "人才培养", D(6)),
    Item("gov", "乡村治理", D(6)),
)
RULES = RoundRules(
    aggregation=Aggregation("trimmed", trim=1, min_judges_for_trim=5),
    tie_breaks=("shared", "satisfaction", "-deductions"),
    shared_items=SHARED_ITEMS,
    shared_max=D(40),
    demonstration_max=D(30),
    satisfaction_max=D(30),
    deduction_cap=D(10),
    scale=DEFAULT_SCALE,
    min_responses=30,
)
# village: name, targets (t1, t2, t3 in order) as (name, maximum)
VILLAGES = {
    "V01": ("青山村", (("红色、绿色、金色、古色四色发展线路", 15), ("“山水乡愁”融入五大振兴", 15))),
    "V02": ("港边村", (("港边、路边、屋边美化", 20), ("长效管护机制", 10))),
    "V03": ("银滩村", (("网红沙滩文旅开发", 18), ("村集体参股经营", 12))),
    "V04": ("和睦村", (("党建引领村民共建共治", 15), ("淳朴乡风培育", 15))),
    "V05": (
        "巧巧村",
        (("“巧巧工作室”志愿服务", 10), ("市场主体有偿服务", 10), ("有偿与无偿服务结合", 10)),
    ),
    "V06": ("乡贤村", (("乡贤能人回乡创业带富", 15), ("村民议事厅", 8), ("好家风带乡风", 7))),
    "V07": ("桥头村", (("“桥头堡”地段产业规划", 20), ("招商引资落地", 10))),
    "V08": ("红岩村", (("“红绿相间”融合发展", 18), ("红色教育基地", 12))),
}
JUDGES = ("J1", "J2", "J3", "J4", "J5", "J6", "J7")

# village judge | shared: org eco build talent gov = total | demonstration: t1 t2 (t3) = total
# J4 is recused from V05; J6 has not yet sent V07's demonstration sheet ("-").
SHEETS = """
V01 J1   9.0  9.0  7.0  5.0  5.0 = 35.0 | 14.5 13.5 = 28.0
V01 J2   8.0  8.5  6.5  5.5  5.5 = 34.0 | 12.0 12.0 = 24.0
V01 J3   8.0  9.0  7.5  5.0  5.0 = 34.5 | 13.5 14.5 = 28.0
V01 J4   9.5  9.0  7.5  5.0  5.5 = 36.5 | 13.5 13.5 = 27.0
V01 J5   8.5  8.5  6.5  5.5  5.5 = 34.5 | 13.0 14.5 = 27.5
V01 J6   8.5  8.5  7.5  5.5  5.5 = 35.5 | 13.0 13.0 = 26.0
V01 J7   9.5  8.5  7.5  5.5  5.5 = 36.5 | 13.5 13.5 = 27.0
V02 J1   8.0  8.5  6.5  4.5  4.5 = 32.0 | 16.0  7.5 = 23.5
V02 J2   7.5  7.5  6.0  4.5  5.0 = 30.5 | 15.0  7.5 = 22.5
V02 J3   8.0  7.0  6.0  5.0  5.0 = 31.0 | 16.5  8.0 = 24.5
V02 J4   8.0  8.0  6.0  4.5  4.5 = 31.0 | 16.0  8.0 = 24.0
V02 J5   8.0  8.0  6.0  4.5  4.5 = 31.0 | 15.5  8.0 = 23.5
V02 J6   8.0  7.5  5.5  5.0  4.5 = 30.5 | 14.5  7.5 = 22.0
V02 J7   8.0  8.0  6.0  5.0  4.5 = 31.5 | 16.0  8.0 = 24.0
V03 J1   7.5  9.0  6.0  5.0  5.0 = 32.5 | 13.5 10.0 = 23.5
V03 J2   8.0  8.0  7.0  5.0  5.0 = 33.0 | 15.0  9.5 = 24.5
V03 J3   9.0  8.0  7.0  5.0  5.0 = 34.0 | 14.5  9.5 = 24.0
V03 J4   7.5  9.0  6.5  5.0  5.0 = 33.0 | 15.0  9.5 = 24.5
V03 J5   8.0  8.5  7.0  5.5  5.5 = 34.5 | 14.0 10.5 = 24.5
V03 J6   8.0  8.5  6.5  4.5  5.0 = 32.5 | 13.5  9.0 = 22.5
V03 J7   8.0  8.5  6.0  5.0  5.5 = 33.0 | 13.5 10.0 = 23.5
V04 J1   8.0  7.5  6.0  5.0  4.5 = 31.0 | 11.0 10.5 = 21.5
V04 J2   7.5  8.0  6.5  4.5  4.5 = 31.0 | 11.0 12.5 = 23.5
V04 J3   7.5  8.5  7.0  4.0  4.0 = 31.0 | 11.5 12.5 = 24.0
V04 J4   8.0  7.5  5.5  5.0  5.0 = 31.0 | 12.5 12.5 = 25.0
V04 J5   7.5  7.5  5.5  4.0  5.0 = 29.5 | 11.0 12.5 = 23.5
V04 J6   8.5  8.5  6.0  4.5  5.0 = 32.5 | 11.0 12.0 = 23.0
V04 J7   8.0  8.0  5.5  5.0  4.5 = 31.0 | 11.5 12.0 = 23.5
V05 J1   8.0  8.0  7.0  4.5  5.0 = 32.5 |  8.0  8.5  7.5 = 24.0
V05 J2   8.5  9.0  6.5  5.0  4.5 = 33.5 |  9.0  8.0  9.0 = 26.0
V05 J3   8.0  8.0  6.5  4.5  5.0 = 32.0 |  8.0  7.5  8.5 = 24.0
V05 J5   8.5  9.0  6.5  5.0  5.5 = 34.5 |  8.5  9.0  8.0 = 25.5
V05 J6   8.5  9.0  6.5  5.0  5.0 = 34.0 |  8.0  8.5  8.5 = 25.0
V05 J7   8.0  8.5  7.0  5.0  5.0 = 33.5 |  8.0  7.5  8.0 = 23.5
V06 J1   7.5  8.0  6.0  5.0  5.5 = 32.0 | 11.5  7.0  6.5 = 25.0
V06 J2   8.5  7.5  6.0  5.0  5.0 = 32.0 | 13.5  6.0  5.5 = 25.0
V06 J3   8.5  9.0  6.0  4.5  5.0 = 33.0 | 11.5  6.5  5.5 = 23.5
V06 J4   8.5  8.5  6.0  5.5  4.5 = 33.0 | 12.0  6.5  5.5 = 24.0
V06 J5   9.0  8.5  6.5  5.5  5.0 = 34.5 | 13.0  7.0  6.5 = 26.5
V06 J6   8.5  9.0  6.0  5.0  5.5 = 34.0 | 11.5  7.0  5.5 = 24.0
V06 J7   8.5  8.0  7.0  4.5  5.0 = 33.0 | 12.0  6.0  5.5 = 23.5
V07 J1   7.5  8.5  6.0  5.0  4.5 = 31.5 | 16.5  8.0 = 24.5
V07 J2   7.5  8.5  6.5  5.0  5.0 = 32.5 | 16.5  7.5 = 24.0
V07 J3   7.5  7.0  6.5  5.0  4.5 = 30.5 | 16.0  8.0 = 24.0
V07 J4   7.5  7.5  6.5  4.5  5.0 = 31.0 | 16.5  7.5 = 24.0
V07 J5   8.0  7.5  6.5  4.5  5.0 = 31.5 | 15.0  9.0 = 24.0
V07 J6   8.5  7.5  7.0  5.0  4.5 = 32.5 | -
V07 J7   8.5  8.0  6.0  5.0  4.5 = 32.0 | 17.0  7.5 = 24.5
V08 J1   7.0  7.5  6.0  4.0  4.0 = 28.5 | 14.0  9.5 = 23.5
V08 J2   7.0  7.0  6.5  4.5  4.5 = 29.5 | 12.5  8.5 = 21.0
V08 J3   7.0  7.5  5.5  4.5  4.5 = 29.0 | 13.0  8.5 = 21.5
V08 J4   7.5  7.0  6.0  5.0  5.0 = 30.5 | 14.5  8.5 = 23.0
V08 J5   7.0  7.0  5.5  5.0  5.0 = 29.5 | 12.0  9.5 = 21.5
V08 J6   7.0  8.0  5.5  4.0  5.0 = 29.5 | 14.5  9.5 = 24.0
V08 J7   7.5  7.0  6.0  4.5  4.5 = 29.5 | 13.5  9.0 = 22.5
"""

# 满意, 比较满意, 基本满意, 不满意; V07 was surveyed by the county statistics bureau: 88.5%.
COUNTS = {
    "V01": (128, 24, 6, 2),
    "V02": (40, 5, 4, 1),
    "V03": (18, 4, 1, 1),
    "V04": (80, 10, 8, 2),
    "V05": (95, 30, 10, 5),
    "V06": (97, 20, 2, 1),
    "V08": (60, 30, 15, 15),
}
DEDUCTIONS = {
    "V06": (Deduction("formalism", D("1.5"), "迎检台账重复打印、堆砌展板"),),
    "V08": (
        Deduction("falsified", D(8), "集体经济收入台账与银行流水不符"),
        Deduction("safety", D(4), "民宿改造工地未设安全防护"),
    ),
}
# the 2025 Q2 round; V07 joined the pilot this quarter
PREVIOUS = {
    "V01": Previous(D("88.90"), 1),
    "V02": Previous(D("83.10"), 4),
    "V03": Previous(D("81.25"), 6),
    "V04": Previous(D("80.05"), 7),
    "V05": Previous(D("85.30"), 2),
    "V06": Previous(D("83.60"), 3),
    "V08": Previous(D("79.40"), 5),
}


def parse_sheets(table: str) -> dict[str, tuple[list[JudgeSheet], list[JudgeSheet]]]:
    """Read SHEETS, checking every stated total against the sum of its items."""
    sheets: dict[str, tuple[list[JudgeSheet], list[JudgeSheet]]] = {}
    for line in table.strip().splitlines():
        village, judge, rest = line.split(maxsplit=2)
        shared, demonstration = sheets.setdefault(village, ([], []))
        for paper, codes, text in (
            (shared, [item.code for item in SHARED_ITEMS], rest.split("|")[0]),
            (demonstration, ["t1", "t2", "t3"], rest.split("|")[1]),
        ):
            if text.strip() == "-":
                continue
            points, total = text.split("=")
            sheet = JudgeSheet(judge, dict(zip(codes, map(D, points.split()), strict=False)))
            assert sheet.total == D(total), line
            paper.append(sheet)
    return sheets


def village_inputs() -> list[VillageInput]:
    sheets = parse_sheets(SHEETS)
    villages = []
    for code, (name, target_list) in VILLAGES.items():
        targets = tuple(Item(f"t{i}", t, D(m)) for i, (t, m) in enumerate(target_list, 1))
        counts = dict(zip(DEFAULT_SCALE, COUNTS[code], strict=True)) if code in COUNTS else None
        villages.append(
            VillageInput(
                code=code,
                name=name,
                targets=targets,
                expected_judges=tuple(j for j in JUDGES if (code, j) != ("V05", "J4")),
                shared_sheets=tuple(sheets[code][0]),
                demonstration_sheets=tuple(sheets[code][1]),
                satisfaction_counts=counts,
                satisfaction_rate=D("88.5") if code == "V07" else None,
                deductions=DEDUCTIONS.get(code, ()),
            )
        )
    return villages


@pytest.fixture(scope="module")
def standings() -> Standings:
    return compute_standings(RULES, village_inputs(), PREVIOUS)


# By hand. Trimmed mean: drop the lowest and the highest judge total (equal totals: the judge
# code sorting first goes), average the other five; V05 has six judges (J4 recused), so four.
# Satisfaction = 30 × (满意×1.0 + 比较满意×0.8 + 基本满意×0.6 + 不满意×0) / answers.
#
# V01 共性 drop J2 34.0, J4 36.5 (tied with J7: J4 first); 35.0+34.5+34.5+35.5+36.5 = 176.0
#          176.0 / 5 = 35.20
#     示范 drop J2 24.0, J1 28.0 (tied with J3: J1 first); 28.0+27.0+27.5+26.0+27.0 = 135.5
#          135.5 / 5 = 27.10
#     满意 128 + 19.2 + 3.6 + 0 = 150.8; 30 × 150.8 / 160 = 28.275 → 28.28
#     total 35.20 + 27.10 + 28.28 = 90.58
# V02 共性 drop J2 30.5 (tied with J6), J1 32.0; 31.0+31.0+31.0+30.5+31.5 = 155.0; /5 = 31.00
#     示范 drop J6 22.0, J3 24.5; 23.5+22.5+24.0+23.5+24.0 = 117.5; /5 = 23.50
#     满意 40 + 4.0 + 2.4 = 46.4; 30 × 46.4 / 50 = 27.84
#     total 31.00 + 23.50 + 27.84 = 82.34
# V03 共性 drop J1 32.5 (tied with J6), J5 34.5; 33.0+34.0+33.0+32.5+33.0 = 165.5; /5 = 33.10
#     示范 drop J6 22.5, J2 24.5 (tied with J4, J5); 23.5+24.0+24.5+24.5+23.5 = 120.0; /5 = 24.00
#     满意 18 + 3.2 + 0.6 = 21.8; 30 × 21.8 / 24 = 27.25 (24 answers < 30: 样本不足, still counted)
#     total 33.10 + 24.00 + 27.25 = 84.35
# V04 共性 drop J5 29.5, J6 32.5; J1 J2 J3 J4 J7 all 31.0 = 155.0; /5 = 31.00
#     示范 drop J1 21.5, J4 25.0; 23.5+24.0+23.5+23.0+23.5 = 117.5; /5 = 23.50
#     满意 80 + 8.0 + 4.8 = 92.8; 30 × 92.8 / 100 = 27.84
#     total 31.00 + 23.50 + 27.84 = 82.34 — equal to V02 on every paper
# V05 共性 drop J3 32.0, J5 34.5; 32.5+33.5+34.0+33.5 = 133.5; /4 = 33.375 → 33.38
#     示范 drop J7 23.5, J2 26.0; 24.0+24.0+25.5+25.0 = 98.5; /4 = 24.625 → 24.63
#     满意 95 + 24.0 + 6.0 = 125; 30 × 125 / 140 = 26.7857… → 26.79
#     total 33.38 + 24.63 + 26.79 = 84.80
# V06 共性 drop J1 32.0 (tied with J2), J5 34.5; 32.0+33.0+33.0+34.0+33.0 = 165.0; /5 = 33.00
#     示范 drop J3 23.5 (tied with J7), J5 26.5; 25.0+25.0+24.0+24.0+23.5 = 121.5; /5 = 24.30
#     满意 97 + 16.0 + 1.2 = 114.2; 30 × 114.2 / 120 = 28.55
#     扣分 1.5
#     total 33.00 + 24.30 + 28.55 − 1.50 = 84.35 — equal to V03; shared 33.10 > 33.00: V03 first
# V07 共性 drop J3 30.5, J2 32.5 (tied with J6); 31.5+31.0+31.5+32.5+32.0 = 158.5; /5 = 31.70
#     示范 J6 missing, six sheets ≥ 5: drop J2 24.0 (J2–J5 tied), J1 24.5 (tied with J7);
#          24.0+24.0+24.0+24.5 = 96.5; /4 = 24.125 → 24.13
#     满意 rate 88.5%: 30 × 88.5 / 100 = 26.55
#     total 31.70 + 24.13 + 26.55 = 82.38 (provisional)
# V08 共性 drop J1 28.5, J4 30.5; 29.5+29.0+29.5+29.5+29.5 = 147.0; /5 = 29.40
#     示范 drop J2 21.0, J6 24.0; 23.5+21.5+23.0+21.5+22.5 = 112.0; /5 = 22.40
#     满意 60 + 24.0 + 9.0 = 93; 30 × 93 / 120 = 23.25
#     扣分 8 + 4 = 12 > cap 10 → 10.00
#     total 29.40 + 22.40 + 23.25 − 10.00 = 65.05
#
# Bottom 20%: ceil(0.2 × 8) = 2 positions, the 7th and 8th. V04 holds the 7th and V02 shares its
# rank, so V02, V04 and V08 are all followed up.
# Delta: now − before; rank before − rank now. V01: 90.58 − 88.90 = 1.68, 1 − 1 = 0.
#
# code, rank, total, shared, demonstration, satisfaction, deductions, bottom20, delta
EXPECTED = [
    ("V01", 1, "90.58", "35.20", "27.10", "28.28", "0.00", False, ("1.68", 0)),
    ("V05", 2, "84.80", "33.38", "24.63", "26.79", "0.00", False, ("-0.50", 0)),
    ("V03", 3, "84.35", "33.10", "24.00", "27.25", "0.00", False, ("3.10", 3)),
    ("V06", 4, "84.35", "33.00", "24.30", "28.55", "1.50", False, ("0.75", -1)),
    ("V07", 5, "82.38", "31.70", "24.13", "26.55", "0.00", False, None),
    ("V02", 6, "82.34", "31.00", "23.50", "27.84", "0.00", True, ("-0.76", -2)),
    ("V04", 6, "82.34", "31.00", "23.50", "27.84", "0.00", True, ("2.29", 1)),
    ("V08", 8, "65.05", "29.40", "22.40", "23.25", "10.00", True, ("-14.35", -3)),
]


def test_every_village_by_hand(standings: Standings) -> None:
    got = [
        (
            row.code,
            row.rank,
            str(row.total),
            str(row.shared.score),
            str(row.demonstration.score),
            str(row.satisfaction.score),
            str(row.deductions.total),
            row.bottom20,
            None if row.delta is None else (str(row.delta.total), row.delta.rank),
        )
        for row in standings.rows
    ]
    assert got == EXPECTED


def test_progress_and_provisional(standings: Standings) -> None:
    # 7 villages × 7 judges + V05 × 6 judges = 55 judge visits, 2 sheets each = 110; one missing
    assert (standings.sheets_in, standings.sheets_expected) == (109, 110)
    assert standings.complete is False
    provisional = {
        row.code: (row.provisional, row.sheets_in, row.sheets_expected) for row in standings.rows
    }
    assert provisional["V07"] == (True, 13, 14)
    assert provisional["V05"] == (False, 12, 12)
    assert provisional["V01"] == (False, 14, 14)


def test_dropped_judges(standings: Standings) -> None:
    rows = {row.code: row for row in standings.rows}
    v01 = rows["V01"].demonstration
    assert (v01.dropped_low, v01.dropped_high, v01.kept) == (
        ("J2",),
        ("J1",),
        ("J3", "J4", "J5", "J6", "J7"),
    )
    v05 = rows["V05"].shared
    assert list(v05.judge_totals) == ["J1", "J2", "J3", "J5", "J6", "J7"]
    assert (v05.dropped_low, v05.dropped_high, v05.method_used) == (("J3",), ("J5",), "trimmed")
    v07 = rows["V07"].demonstration
    assert (v07.dropped_low, v07.dropped_high, v07.kept) == (
        ("J2",),
        ("J1",),
        ("J3", "J4", "J5", "J7"),
    )


def test_item_means_add_up_to_the_paper_score(standings: Standings) -> None:
    rows = {row.code: row for row in standings.rows}
    # V01 共性, kept J1 J3 J5 J6 J7: org (9.0+8.0+8.5+8.5+9.5)/5 = 43.5/5 = 8.70,
    # eco 43.5/5 = 8.70, build 36.0/5 = 7.20, talent 26.5/5 = 5.30, gov 26.5/5 = 5.30; sum 35.20
    assert rows["V01"].shared.item_means == {
        "org": D("8.70"),
        "eco": D("8.70"),
        "build": D("7.20"),
        "talent": D("5.30"),
        "gov": D("5.30"),
    }
    # V05 共性, kept J1 J2 J6 J7: org 33.0/4 = 8.25, eco 34.5/4 = 8.625, build 27.0/4 = 6.75,
    # talent 19.5/4 = 4.875, gov 19.5/4 = 4.875. Cents: 8.25+8.62+6.75+4.87+4.87 = 33.36, the
    # score is 33.38, so the two missing cents go to the largest remainders (0.005 each for eco,
    # talent and gov): the first two in item order, eco and talent.
    assert rows["V05"].shared.item_means == {
        "org": D("8.25"),
        "eco": D("8.63"),
        "build": D("6.75"),
        "talent": D("4.88"),
        "gov": D("4.87"),
    }
    # V07 示范, kept J3 J4 J5 J7: t1 (16.0+16.5+15.0+17.0)/4 = 16.125, t2 32.0/4 = 8.00;
    # 16.12 + 8.00 = 24.12, one cent short of 24.13: t1 gets it.
    assert rows["V07"].demonstration.item_means == {"t1": D("16.13"), "t2": D("8.00")}


def test_satisfaction_sources(standings: Standings) -> None:
    rows = {row.code: row.satisfaction for row in standings.rows}
    assert (rows["V03"].source, rows["V03"].responses, rows["V03"].insufficient) == (
        "counts",
        24,
        True,
    )
    assert (rows["V01"].responses, rows["V01"].insufficient) == (160, False)
    assert (rows["V07"].source, rows["V07"].rate, rows["V07"].mean) == (
        "rate",
        D("88.5"),
        D("0.885"),
    )


def test_deductions_capped(standings: Standings) -> None:
    rows = {row.code: row.deductions for row in standings.rows}
    assert (rows["V08"].raw, rows["V08"].total, rows["V08"].capped) == (D("12"), D("10.00"), True)
    assert (rows["V06"].raw, rows["V06"].total, rows["V06"].capped) == (D("1.5"), D("1.50"), False)


def test_weak_items(standings: Standings) -> None:
    rows = {row.code: row for row in standings.rows}
    # Round medians (8 villages, mean of the 4th and 5th ratio):
    #   org /10   .7100 .7800 .8000 .8000 | .8100 .8250 .8500 .8700  → (.8000 + .8100) / 2 = .8050
    #   eco /10   .7300 .7700 .7800 .7900 | .8400 .8400 .8630 .8700  → (.7900 + .8400) / 2 = .8150
    #   build /8  .7250 .7375 .7625 .7750 | .8000 .8250 .8438 .9000  → (.7750 + .8000) / 2 = .7875
    #   gov /6    .7500 .7667 .7833 .7833 | .8117 .8333 .8500 .8833  → (.7833 + .8117) / 2 = .7975
    #   示范 /30  .7467 .7833 .7833 .8000 | .8043 .8100 .8210 .9033  → .80215 → .8022
    # V08: org 7.10/10 = .7100 − .8050 = −.0950; eco .7300 − .8150 = −.0850;
    #      build 5.80/8 = .7250 − .7875 = −.0625
    #      (the next would be t1: 13.40/18 = .7444 − .8022 = −.0578)
    assert [(w.code, w.ratio, w.median_ratio, w.gap) for w in rows["V08"].weak_items] == [
        ("org", D("0.7100"), D("0.8050"), D("-0.0950")),
        ("eco", D("0.7300"), D("0.8150"), D("-0.0850")),
        ("build", D("0.7250"), D("0.7875"), D("-0.0625")),
    ]
    # V04: t1 11.20/15 = .7467 − .8022 = −.0555; gov 4.50/6 = .7500 − .7975 = −.0475;
    #      build 6.10/8 = .7625 − .7875 = −.0250
    assert [(w.paper, w.code, w.gap) for w in rows["V04"].weak_items] == [
        ("demonstration", "t1", D("-0.0555")),
        ("shared", "gov", D("-0.0475")),
        ("shared", "build", D("-0.0250")),
    ]
    assert rows["V04"].weak_items[0].name == "党建引领村民共建共治"


def small_village(code: str) -> VillageInput:
    """A village with two judges' sheets and one target worth the whole paper."""
    shared = {item.code: item.maximum * D("0.8") for item in SHARED_ITEMS}  # 32 points
    return VillageInput(
        code=code,
        name=code,
        targets=(Item("t1", "示范目标", D(30)),),
        expected_judges=("J1", "J2"),
        shared_sheets=tuple(JudgeSheet(j, shared) for j in ("J1", "J2")),
        demonstration_sheets=tuple(JudgeSheet(j, {"t1": D(24)}) for j in ("J1", "J2")),
    )


def test_rate_wins_over_counts() -> None:
    village = replace(
        small_village("V01"), satisfaction_counts={"满意": 10}, satisfaction_rate=D("90")
    )
    (row,) = compute_standings(RULES, [village], {}).rows
    # 30 × 90 / 100 = 27.00; the 10 answers (30 × 10 / 10 = 30.00) are not used
    assert (row.satisfaction.source, row.satisfaction.score) == ("rate", D("27.00"))
    # 32.00 + 24.00 + 27.00 = 83.00
    assert row.total == D("83.00")


def test_village_without_sheets_or_survey() -> None:
    village = replace(small_village("V02"), shared_sheets=(), demonstration_sheets=())
    standings = compute_standings(RULES, [small_village("V01"), village], {})
    row = standings.rows[1]
    assert (row.code, row.rank, row.total, row.provisional) == ("V02", 2, D("0.00"), True)
    assert (row.shared.score, row.shared.item_means["org"]) == (D("0.00"), D("0.00"))
    assert (row.satisfaction.source, row.satisfaction.insufficient) == ("none", False)
    assert row.satisfaction_missing is True
    assert (row.sheets_in, row.sheets_expected, row.weak_items) == (0, 4, ())
    # ceil(0.2 × 2) = 1: only the last
    assert [r.bottom20 for r in standings.rows] == [False, True]
    assert (standings.complete, standings.sheets_in, standings.sheets_expected) == (False, 4, 8)


def test_sheets_of_unexpected_judges_do_not_count_as_progress() -> None:
    extra = JudgeSheet("J9", {"t1": D(30)})
    village = replace(small_village("V01"), demonstration_sheets=(extra,))
    (row,) = compute_standings(RULES, [village], {}).rows
    # J9's sheet is aggregated (the service decides who may send one) but J1 and J2 still owe theirs
    assert (row.demonstration.score, row.sheets_in, row.provisional) == (D("30.00"), 2, True)


def test_empty_round() -> None:
    assert compute_standings(RULES, [], {}) == Standings((), True, 0, 0)


def test_repeated_village_code_is_refused() -> None:
    with pytest.raises(ValueError, match="repeat"):
        compute_standings(RULES, [small_village("V01"), small_village("V01")], {})
