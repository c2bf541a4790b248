"""Judges' consistency figures on small tables worked out by hand (severity, suspects, …)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from arena.scoring.aggregate import JudgeSheet
from arena.scoring.consistency import (
    PaperSheets,
    judge_effects,
    patterns,
    severities,
    suspects,
    t975,
    table,
)
from tests.scoring.judge_grid import GRID, JUDGES, paper

D = Decimal


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
