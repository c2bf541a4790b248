"""Judges' consistency figures on small tables worked out by hand, cross-checked with pingouin."""

from __future__ import annotations

import warnings
from decimal import Decimal

import numpy as np
import pytest

from arena.scoring.aggregate import JudgeSheet
from arena.scoring.consistency import (
    PaperSheets,
    agreement,
    average_ranks,
    complete_block,
    icc2,
    icc_reading,
    judge_effects,
    kendall_w,
    patterns,
    severities,
    suspects,
    t975,
    table,
    w_reading,
)

D = Decimal

# The designed table used throughout: 4 villages × 3 judges, one item "x" (max 40).
#        J1  J2  J3   row mean
#   V1   10   8   9      9
#   V2    6   4   5      5
#   V3    8   8   8      8
#   V4    4   2   6      4
#  col    7 5.5   7   grand 6.5
GRID = {"V1": (10, 8, 9), "V2": (6, 4, 5), "V3": (8, 8, 8), "V4": (4, 2, 6)}
JUDGES = ("J1", "J2", "J3")


def paper(grid: dict[str, tuple[float | None, ...]], maximum: int = 40) -> PaperSheets:
    sheets = {
        v: [
            JudgeSheet(j, {"x": D(str(x))})
            for j, x in zip(JUDGES, row, strict=False)
            if x is not None
        ]
        for v, row in grid.items()
    }
    return PaperSheets("shared", D(maximum), sheets, {v: {"x": D(maximum)} for v in grid})


def test_icc_by_hand() -> None:
    y = np.array(list(GRID.values()), dtype=float)
    single, average, msr, msc, mse = icc2(y)
    # SSR = 3 × (2.5² + 1.5² + 1.5² + 2.5²) = 51, MSR = 51 / 3 = 17
    # SSC = 4 × (0.5² + 1² + 0.5²) = 6, MSC = 6 / 2 = 3
    # SST = 20.75 + 8.75 + 6.75 + 26.75 = 63, SSE = 63 − 51 − 6 = 6, MSE = 6 / (3 × 2) = 1
    assert (msr, msc, mse) == pytest.approx((17, 3, 1))
    # ICC(2,1) = (17 − 1) / (17 + 2×1 + 3×(3 − 1)/4) = 16 / 20.5
    assert single == pytest.approx(16 / 20.5)
    # ICC(2,k) = (17 − 1) / (17 + (3 − 1)/4) = 16 / 17.5
    assert average == pytest.approx(16 / 17.5)


def test_kendall_w_with_ties_by_hand() -> None:
    y = np.array(list(GRID.values()), dtype=float)
    # ranks (highest = 1): J1 1,3,2,4; J2 1.5,3,1.5,4 (V1 and V3 tie at 8); J3 1,4,2,3
    assert list(average_ranks(y[:, 1])) == [1.5, 3, 1.5, 4]
    # R = 3.5, 10, 5.5, 11; mean 7.5; S = 16 + 6.25 + 4 + 12.25 = 38.5
    # ties: J2 has one pair, 2³ − 2 = 6; W = 12 × 38.5 / (3² × (4³ − 4) − 3 × 6) = 462 / 522
    assert kendall_w(y) == pytest.approx(462 / 522)


def test_kendall_w_perfect_and_none() -> None:
    same = np.array([[3.0, 30.0], [2.0, 20.0], [1.0, 10.0]])
    assert kendall_w(same) == pytest.approx(1.0)  # both judges rank V1 > V2 > V3
    flat = np.array([[5.0, 5.0], [5.0, 5.0]])
    assert kendall_w(flat) is None  # every judge ties every village: nothing to rank


def test_against_pingouin() -> None:
    pg = pytest.importorskip("pingouin")
    pd = pytest.importorskip("pandas")
    rng = np.random.default_rng(7)
    y = rng.normal(30, 4, size=(12, 5)) + rng.normal(0, 3, size=(12, 1)) + np.arange(5) * 0.7
    long = pd.DataFrame(
        [(v, j, y[v, j]) for v in range(12) for j in range(5)], columns=["v", "j", "x"]
    )
    with warnings.catch_warnings():  # pingouin 0.7 on pandas 3 warns about its own calls
        warnings.simplefilter("ignore")
        icc = pg.intraclass_corr(data=long, targets="v", raters="j", ratings="x")
    icc = icc.set_index("Type")
    single, average, *_ = icc2(y)
    # pingouin 0.7 names Shrout & Fleiss' ICC(2,1) / ICC(2,k) "ICC(A,1)" / "ICC(A,k)"
    assert single == pytest.approx(icc.loc["ICC(A,1)", "ICC"], abs=1e-9)
    assert average == pytest.approx(icc.loc["ICC(A,k)", "ICC"], abs=1e-9)
    # Kendall's W without ties equals Friedman's chi² / (m (n − 1)) (scipy)
    from scipy.stats import friedmanchisquare

    chi2 = friedmanchisquare(*[y[v] for v in range(12)]).statistic  # villages as treatments
    assert kendall_w(y) == pytest.approx(chi2 / (5 * (12 - 1)), abs=1e-9)


def test_t_quantiles_against_scipy() -> None:
    stats = pytest.importorskip("scipy.stats")
    for df in (1, 2, 3, 10, 29, 30, 31, 45, 100, 500):
        assert t975(df) == pytest.approx(stats.t.ppf(0.975, df), abs=2e-4)


def test_severity_by_hand() -> None:
    found = severities(table(paper(GRID)))
    # J1: d = 10 − 8.5, 6 − 4.5, 8 − 8, 4 − 4 = 1.5, 1.5, 0, 0 → mean 0.75, n 4
    # s² = (0.75² × 4) / 3 = 0.75, s = 0.8660; half = t(0.975, 3) 3.1824 × 0.8660 / √4 = 1.3780
    j1 = found["J1"]
    assert (j1.mean, j1.n) == (pytest.approx(0.75), 4)
    assert j1.low == pytest.approx(0.75 - 3.1824 * 0.75**0.5 / 2)
    assert j1.high == pytest.approx(0.75 + 3.1824 * 0.75**0.5 / 2)
    # J2: d = 8 − 9.5, 4 − 5.5, 8 − 8, 2 − 5 = −1.5, −1.5, 0, −3 → mean −1.5
    assert found["J2"].mean == pytest.approx(-1.5)
    # s² = (0 + 0 + 1.5² + 1.5²) / 3 = 1.5
    assert found["J2"].sd == pytest.approx(1.5**0.5)
    # J3: d = 9 − 9, 5 − 5, 8 − 8, 6 − 3 = 0, 0, 0, 3 → mean 0.75
    assert found["J3"].mean == pytest.approx(0.75)


def test_severity_skips_villages_without_another_judge() -> None:
    found = severities(table(paper({"V1": (10, 8, None), "V2": (7, None, None)}), JUDGES))
    # V2 has J1 only: nothing to compare with. J1: 10 − 8 = 2 over 1 village, no interval.
    assert (found["J1"].mean, found["J1"].n, found["J1"].low) == (2, 1, None)
    assert found["J3"].n == 0 and found["J3"].mean is None


def test_agreement_on_complete_block_with_a_recusal() -> None:
    grid: dict[str, tuple[float | None, ...]] = {**GRID, "V5": (9, 9, None)}  # J3 recused V5
    t = table(paper(grid))
    rows, cols = complete_block(t)
    # all 3 judges on V1–V4: 4 × 3 = 12 cells; without J3: 5 × 2 = 10 → keep 3 judges, 4 villages
    assert (rows, cols) == ([0, 1, 2, 3], [0, 1, 2])
    a = agreement(t)
    assert (a.villages, a.judges, a.left_out_villages, a.left_out_judges) == (4, 3, 1, ())
    assert a.icc_single == pytest.approx(16 / 20.5)


def test_complete_block_leaves_out_a_judge_with_few_sheets() -> None:
    # J3 scored only V1: with J3 no block of 2 villages; without J3, 4 villages × 2 judges
    grid: dict[str, tuple[float | None, ...]] = {
        "V1": (10, 8, 9), "V2": (6, 4, None), "V3": (8, 8, None), "V4": (4, 2, None),
    }  # fmt: skip
    a = agreement(table(paper(grid)))
    assert (a.villages, a.judges, a.left_out_judges) == (4, 2, ("J3",))


def test_readings() -> None:
    assert icc_reading(16 / 20.5).startswith("良好")  # 0.78
    assert icc_reading(16 / 17.5).startswith("优秀")  # 0.91
    assert icc_reading(0.3).startswith("差")
    assert icc_reading(None) == "数据不足，暂不能计算"
    assert w_reading(462 / 522).startswith("强")  # 0.885
    assert w_reading(0.4).startswith("一般")


def test_suspect_sheet_by_hand() -> None:
    found = suspects(paper({"V1": (30, 31, 32)}, 40))  # 3 sheets, close: none
    assert found == []
    five = PaperSheets(
        "shared",
        D(40),
        {"V1": [JudgeSheet(f"J{i}", {"x": D(x)}) for i, x in enumerate((30, 31, 32, 33, 3), 1)]},
        {"V1": {"x": D(40)}},
    )
    found = suspects(five)
    # J5 = 3: others 30, 31, 32, 33 → median 31.5; |deviations| 1.5, 0.5, 0.5, 1.5 → MAD 1.0
    # scaled 1.4826; 3.5 × 1.4826 = 5.1891 < |3 − 31.5| = 28.5 ≥ 4 (10% of 40) → suspect
    # J4 = 33: others 30, 31, 32, 3 → median 30.5, MAD 1.0; gap 2.5 < 5.1891 → not
    assert [(s.judge, s.median_others, s.gap, s.scaled_mad) for s in found] == [
        ("J5", D("31.5"), D("-28.5"), D("1.4826"))
    ]


def test_suspect_cut_off_is_three_and_a_half_scaled_mads() -> None:
    def last(total: str) -> list[tuple[str, Decimal]]:
        totals = ("30", "31", "32", "33", total)
        p = PaperSheets(
            "shared",
            D(40),
            {"V1": [JudgeSheet(f"J{i}", {"x": D(x)}) for i, x in enumerate(totals, 1)]},
            {"V1": {"x": D(40)}},
        )
        return [(s.judge, s.gap) for s in suspects(p)]

    # others 30, 31, 32, 33: median 31.5, MAD 1.0, 3 × 1.4826 = 4.4478, 3.5 × 1.4826 = 5.1891
    assert last("36.5") == []  # gap 5.0: beyond 3 scaled MADs but not 3.5
    assert last("37") == [("J5", D("5.5"))]  # gap 5.5 > 5.1891 and ≥ 4


def test_suspect_needs_the_minimum_gap() -> None:
    def sheets(last: int) -> PaperSheets:
        totals = (30, 30, 30, last)
        return PaperSheets(
            "shared",
            D(40),
            {"V1": [JudgeSheet(f"J{i}", {"x": D(x)}) for i, x in enumerate(totals, 1)]},
            {"V1": {"x": D(40)}},
        )

    # others all 30: MAD 0, so any gap beats 3 × 0; 33 − 30 = 3 < 4 (10% of 40) → not suspect
    assert suspects(sheets(33)) == []
    # 34 − 30 = 4 ≥ 4 → suspect
    assert [(s.judge, s.gap) for s in suspects(sheets(34))] == [("J4", D(4))]


def test_halo_and_all_max() -> None:
    maxima = {"a": D(10), "b": D(20), "c": D(10)}
    p = PaperSheets(
        "shared",
        D(40),
        {
            "V1": [
                JudgeSheet("J1", {"a": D(8), "b": D(16), "c": D(8)}),  # 0.8 everywhere: halo
                JudgeSheet("J2", {"a": D(10), "b": D(20), "c": D(10)}),  # all at maximum
                JudgeSheet("J3", {"a": D(8), "b": D(16), "c": D(7)}),  # 0.8, 0.8, 0.7: none
            ]
        },
        {"V1": maxima},
    )
    assert [(m.judge, m.kind, m.fraction) for m in patterns(p)] == [
        ("J1", "halo", D("0.8")),
        ("J2", "all_max", D(1)),
    ]


def test_judge_effects_complete_is_column_mean_minus_grand_mean() -> None:
    # b = 7 − 6.5, 5.5 − 6.5, 7 − 6.5
    assert judge_effects(table(paper(GRID))) == {"J1": D("0.50"), "J2": D("-1.00"), "J3": D("0.50")}


def test_judge_effects_incomplete_exact_fit() -> None:
    # V1: 10 = a1 + b, 8 = a1 − b → b = 1; V2 the same; V3 has J1 only (fits any a3)
    grid: dict[str, tuple[float | None, ...]] = {"V1": (10, 8), "V2": (6, 4), "V3": (7, None)}
    effects = judge_effects(table(paper(grid)))
    assert (effects["J1"], effects["J2"]) == (D("1.00"), D("-1.00"))
