"""Agreement (ICC(2,1), ICC(2,k), Kendall's W) worked out by hand, cross-checked with pingouin."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from arena.scoring.agreement import (
    agreement,
    average_ranks,
    complete_block,
    icc2,
    icc_reading,
    kendall_w,
    w_reading,
)
from arena.scoring.consistency import table
from tests.scoring.judge_grid import GRID, paper


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
    # with ties too: scipy corrects Friedman's chi² for ties as W's correction does
    grid = np.array(list(GRID.values()), dtype=float)
    chi2 = friedmanchisquare(*grid).statistic
    assert kendall_w(grid) == pytest.approx(chi2 / (3 * (4 - 1)), abs=1e-12)


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
