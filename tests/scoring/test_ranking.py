from __future__ import annotations

import re
from decimal import Decimal

import pytest

from arena.scoring.ranking import PAPER_KEYS, Scored, bottom_count, parse_tie_breaks, rank

D = Decimal
DEFAULT_TIE_BREAKS = ("shared", "satisfaction", "-deductions")


def row(
    code: str, shared: str, demonstration: str, satisfaction: str, deductions: str = "0"
) -> Scored:
    return Scored(code, D(shared), D(demonstration), D(satisfaction), D(deductions))


def summary(rows: list[Scored], tie_breaks: tuple[str, ...] = DEFAULT_TIE_BREAKS) -> list[tuple]:
    return [(r.rank, r.row.code, str(r.row.total), r.bottom20) for r in rank(rows, tie_breaks)]


def test_paper_keys() -> None:
    assert PAPER_KEYS == ("shared", "demonstration", "satisfaction", "deductions")


def test_parse_tie_breaks() -> None:
    assert parse_tie_breaks(["shared", "satisfaction", "-deductions"]) == DEFAULT_TIE_BREAKS
    assert parse_tie_breaks([]) == ()


@pytest.mark.parametrize("bad", ["total", "+shared", "--shared", "Shared", "", "-"])
def test_parse_tie_breaks_names_the_bad_key(bad: str) -> None:
    with pytest.raises(ValueError, match=re.escape(f"unknown tie-break '{bad}'")):
        parse_tie_breaks(["shared", bad])


def test_parse_tie_breaks_refuses_a_paper_twice() -> None:
    with pytest.raises(ValueError, match="repeats paper 'shared'"):
        parse_tie_breaks(["shared", "-shared"])


def test_total() -> None:
    # 35.20 + 27.10 + 28.28 − 1.50 = 89.08
    assert row("V01", "35.20", "27.10", "28.28", "1.50").total == D("89.08")


def test_total_never_below_zero() -> None:
    # 3.00 + 2.00 + 0.00 − 10.00 = −5.00 → 0.00
    total = row("V01", "3.00", "2.00", "0.00", "10.00").total
    assert str(total) == "0.00"


@pytest.mark.parametrize(
    ("n", "k"), [(0, 0), (1, 1), (4, 1), (5, 1), (6, 2), (8, 2), (10, 2), (11, 3), (15, 3), (16, 4)]
)
def test_bottom_count_is_ceil_of_a_fifth(n: int, k: int) -> None:
    assert bottom_count(n) == k


def test_rank_by_total() -> None:
    rows = [
        row("V01", "30.00", "20.00", "25.00"),  # 75.00
        row("V02", "35.00", "25.00", "28.00"),  # 88.00
        row("V03", "32.00", "22.00", "26.00"),  # 80.00
    ]
    # ceil(0.2 × 3) = 1: the last one
    assert summary(rows) == [
        (1, "V02", "88.00", False),
        (2, "V03", "80.00", False),
        (3, "V01", "75.00", True),
    ]


def test_tie_on_total_broken_by_shared() -> None:
    rows = [
        row("V03", "33.10", "24.00", "27.25"),  # 84.35
        row("V06", "33.00", "24.30", "28.55", "1.50"),  # 84.35, shared 33.00 < 33.10
    ]
    assert [r.row.code for r in rank(rows, DEFAULT_TIE_BREAKS)] == ["V03", "V06"]
    assert [r.rank for r in rank(rows, DEFAULT_TIE_BREAKS)] == [1, 2]


def test_tie_broken_by_lower_deductions() -> None:
    rows = [
        row("V01", "30.00", "25.00", "27.00", "2.00"),  # 80.00
        row("V02", "30.00", "24.00", "27.00", "1.00"),  # 80.00, same shared and satisfaction
    ]
    # "-deductions": lower is better, V02 first
    assert [(r.rank, r.row.code) for r in rank(rows, DEFAULT_TIE_BREAKS)] == [
        (1, "V02"),
        (2, "V01"),
    ]


def test_competition_ranks_and_code_order_inside_a_tie() -> None:
    rows = [
        row("V09", "30.00", "20.00", "20.00"),  # 70.00
        row("V04", "31.00", "23.50", "27.84"),  # 82.34
        row("V01", "35.00", "25.00", "28.00"),  # 88.00
        row("V02", "31.00", "23.50", "27.84"),  # 82.34, equal to V04 on every paper
    ]
    # ceil(0.2 × 4) = 1 position, the 4th: V09
    assert summary(rows) == [
        (1, "V01", "88.00", False),
        (2, "V02", "82.34", False),
        (2, "V04", "82.34", False),
        (4, "V09", "70.00", True),
    ]


def test_tie_across_the_bottom_boundary_is_all_in() -> None:
    rows = [row(f"V0{i}", "30.00", "20.00", str(30 - i)) for i in range(1, 6)]
    rows.append(row("V06", "30.00", "20.00", "25.00"))  # ties with V05 (totals 75.00)
    # 6 villages → ceil(1.2) = 2 positions, the 5th and 6th.
    # totals: V01 79, V02 78, V03 77, V04 76, V05 75, V06 75 → V05/V06 share rank 5
    assert summary(rows)[-3:] == [
        (4, "V04", "76.00", False),
        (5, "V05", "75.00", True),
        (5, "V06", "75.00", True),
    ]


def test_group_reaching_into_the_bottom_from_above() -> None:
    rows = [
        row("V01", "30.00", "20.00", "30.00"),  # 80.00
        row("V02", "30.00", "20.00", "29.00"),  # 79.00 ┐
        row("V03", "30.00", "20.00", "29.00"),  # 79.00 ├ positions 2–4, rank 2
        row("V04", "30.00", "20.00", "29.00"),  # 79.00 ┘
        row("V05", "30.00", "20.00", "28.00"),  # 78.00
    ]
    # 5 villages → 1 position, the 5th: only V05; the tie group ends at the 4th
    assert [r.bottom20 for r in rank(rows, DEFAULT_TIE_BREAKS)] == [False] * 4 + [True]
    rows.pop()
    # 4 villages → 1 position, the 4th, held by the group: V02, V03, V04 are all in
    assert [(r.rank, r.bottom20) for r in rank(rows, DEFAULT_TIE_BREAKS)] == [
        (1, False),
        (2, True),
        (2, True),
        (2, True),
    ]


def test_no_tie_breaks_ties_on_total_only() -> None:
    rows = [row("V02", "33.00", "20.00", "27.00"), row("V01", "30.00", "23.00", "27.00")]
    assert [(r.rank, r.row.code) for r in rank(rows, ())] == [(1, "V01"), (1, "V02")]


def test_zero_totals_tie() -> None:
    rows = [row("V01", "0", "0", "0", "5"), row("V02", "1", "0", "0", "9")]
    # both totals floor at 0.00; then shared 1 > 0 puts V02 first
    assert summary(rows) == [(1, "V02", "0.00", False), (2, "V01", "0.00", True)]


def test_empty() -> None:
    assert rank([], DEFAULT_TIE_BREAKS) == []


def test_repeated_codes_are_refused() -> None:
    with pytest.raises(ValueError, match="repeat"):
        rank([row("V01", "1", "1", "1"), row("V01", "2", "2", "2")], DEFAULT_TIE_BREAKS)


def test_bad_tie_break_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown tie-break"):
        rank([row("V01", "1", "1", "1")], ("total",))


def test_provisional_is_carried() -> None:
    scored = Scored("V07", D("31.70"), D("24.13"), D("26.55"), D("0.00"), provisional=True)
    assert rank([scored], ())[0].row.provisional is True
