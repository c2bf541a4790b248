"""The pure scoring core: a village without a satisfaction figure is 未录入 and provisional."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal as D

from arena.scoring.aggregate import JudgeSheet
from arena.scoring.papers import DEFAULT_SCALE, MISSING_MARK
from arena.scoring.standings import Item, VillageInput, compute_standings
from tests.scoring.test_standings import RULES, SHARED_ITEMS


def village(code: str, counts: dict[str, int] | None) -> VillageInput:
    """Both judges give 80% of every maximum: shared 32.00, demonstration 24.00."""
    shared = {item.code: item.maximum * D("0.8") for item in SHARED_ITEMS}
    return VillageInput(
        code=code,
        name=code,
        targets=(Item("t1", "示范目标", D(30)),),
        expected_judges=("J1", "J2"),
        shared_sheets=tuple(JudgeSheet(j, shared) for j in ("J1", "J2")),
        demonstration_sheets=tuple(JudgeSheet(j, {"t1": D(24)}) for j in ("J1", "J2")),
        satisfaction_counts=counts,
    )


def test_missing_figure_is_provisional_not_a_silent_zero() -> None:
    counts = {"满意": 120, "比较满意": 50, "基本满意": 20, "不满意": 10}
    standings = compute_standings(RULES, [village("V01", counts), village("V02", None)], {})
    surveyed, missing = standings.rows
    # V01: 30 × (120×1.0 + 50×0.8 + 20×0.6 + 10×0) / 200 = 30 × 172 / 200 = 25.80
    #      32.00 + 24.00 + 25.80 = 81.80, every sheet in, figure entered: final
    assert (surveyed.code, surveyed.total, surveyed.provisional) == ("V01", D("81.80"), False)
    assert surveyed.satisfaction_missing is False
    # V02: all sheets in, but no figure: 32.00 + 24.00 = 56.00 and provisional (未录入)
    assert (missing.code, missing.total, missing.provisional) == ("V02", D("56.00"), True)
    assert (missing.satisfaction_missing, missing.satisfaction.missing) == (True, True)
    assert (missing.sheets_in, missing.sheets_expected) == (4, 4)
    assert missing.satisfaction.insufficient is False  # 未录入 is not 样本不足
    assert standings.complete is False
    assert MISSING_MARK == "未录入"


def test_a_rate_or_counts_make_it_final() -> None:
    rated = replace(village("V02", None), satisfaction_rate=D("92.5"))
    (row,) = compute_standings(RULES, [rated], {}).rows
    # 30 × 92.5 / 100 = 27.75; 32.00 + 24.00 + 27.75 = 83.75
    assert (row.total, row.provisional, row.satisfaction_missing) == (D("83.75"), False, False)
    assert compute_standings(RULES, [rated], {}).complete is True


def test_round_without_a_satisfaction_paper_needs_no_figure() -> None:
    rules = replace(RULES, satisfaction_max=D(0))
    (row,) = compute_standings(rules, [village("V01", None)], {}).rows
    # 32.00 + 24.00 = 56.00; a paper worth nothing cannot be missing
    assert (row.total, row.provisional, row.satisfaction_missing) == (D("56.00"), False, False)


def test_zero_answers_on_the_scale_is_not_missing() -> None:
    scale_counts = dict.fromkeys(DEFAULT_SCALE, 0) | {"不满意": 40}
    (row,) = compute_standings(RULES, [village("V01", scale_counts)], {}).rows
    # 40 answers, all 不满意 (0): 30 × 0 / 40 = 0.00 — a real zero, entered, final
    assert (row.satisfaction.score, row.provisional, row.total) == (D("0.00"), False, D("56.00"))
