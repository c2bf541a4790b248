from __future__ import annotations

from decimal import Decimal

import pytest

from arena.scoring.aggregate import Aggregation, JudgeSheet, aggregate

D = Decimal
ITEMS = ("org", "eco")
TRIMMED = Aggregation("trimmed", trim=1, min_judges_for_trim=5)
MEAN = Aggregation("mean")
MEDIAN = Aggregation("median")


def sheets(*rows: tuple[str, str, str]) -> list[JudgeSheet]:
    """(judge, org, eco) rows as sheets."""
    return [JudgeSheet(judge, {"org": D(org), "eco": D(eco)}) for judge, org, eco in rows]


def test_sheet_total_is_exact() -> None:
    assert JudgeSheet("J1", {"org": D("8.5"), "eco": D("7.5"), "gov": D("4")}).total == D("20.0")
    assert JudgeSheet("J1", {}).total == D(0)


def test_trimmed_drops_one_lowest_and_one_highest() -> None:
    result = aggregate(
        sheets(
            ("J1", "8.5", "8.0"),  # 16.5
            ("J2", "9.0", "9.0"),  # 18.0 highest
            ("J3", "7.0", "7.5"),  # 14.5 lowest
            ("J4", "8.0", "8.0"),  # 16.0
            ("J5", "8.0", "8.5"),  # 16.5
        ),
        ITEMS,
        TRIMMED,
    )
    # (16.5 + 16.0 + 16.5) / 3 = 49.0 / 3 = 16.333… → 16.33
    assert result.score == D("16.33")
    assert (result.dropped_low, result.dropped_high, result.kept) == (
        ("J3",),
        ("J2",),
        ("J1", "J4", "J5"),
    )
    assert result.method_used == "trimmed"
    # org (8.5 + 8.0 + 8.0) / 3 = 8.1666…, eco (8.0 + 8.0 + 8.5) / 3 = 8.1666…;
    # floors 8.16 + 8.16 = 16.32, one cent short of 16.33, equal remainders: org (first) gets it
    assert result.item_means == {"org": D("8.17"), "eco": D("8.16")}


def test_trimmed_all_totals_equal_drops_first_codes() -> None:
    rows = [(f"J{i}", "8.0", "8.0") for i in (3, 5, 1, 4, 2)]
    result = aggregate(sheets(*rows), ITEMS, TRIMMED)
    # the lowest goes first: J1 (sorts first); then of J2–J5 the highest: J2 (sorts first)
    assert (result.dropped_low, result.dropped_high) == (("J1",), ("J2",))
    assert result.kept == ("J3", "J4", "J5")
    assert result.score == D("16.00")


def test_trimmed_ties_at_both_ends() -> None:
    result = aggregate(
        sheets(
            ("J1", "15", "15"),  # 30
            ("J2", "14", "14"),  # 28 ┐ tied lowest: J2 goes
            ("J3", "14", "14"),  # 28 ┘
            ("J4", "17", "18"),  # 35 ┐ tied highest: J4 goes
            ("J5", "18", "17"),  # 35 ┘
        ),
        ITEMS,
        TRIMMED,
    )
    assert (result.dropped_low, result.dropped_high, result.kept) == (
        ("J2",),
        ("J4",),
        ("J1", "J3", "J5"),
    )
    # (30 + 28 + 35) / 3 = 93 / 3 = 31.00
    assert result.score == D("31.00")


def test_judge_codes_sort_as_plain_strings() -> None:
    rows = [(f"J{i}", "5", "5") for i in range(1, 11)]
    result = aggregate(sheets(*rows), ITEMS, TRIMMED)
    # "J1" < "J10" < "J2" < …: J1 dropped low, then J10 dropped high
    assert (result.dropped_low, result.dropped_high) == (("J1",), ("J10",))
    assert list(result.judge_totals) == [
        "J1",
        "J10",
        "J2",
        "J3",
        "J4",
        "J5",
        "J6",
        "J7",
        "J8",
        "J9",
    ]


def test_trim_two() -> None:
    rows = [(f"J{i}", str(i), "0") for i in range(1, 8)]  # totals 1 … 7
    result = aggregate(sheets(*rows), ITEMS, Aggregation("trimmed", trim=2, min_judges_for_trim=5))
    # drop 1, 2 and 6, 7; (3 + 4 + 5) / 3 = 4.00
    assert (result.dropped_low, result.dropped_high) == (("J1", "J2"), ("J6", "J7"))
    assert result.score == D("4.00")


def test_trimmed_falls_back_to_mean_below_min_judges() -> None:
    result = aggregate(
        sheets(("J1", "8", "9"), ("J2", "6", "6"), ("J3", "9", "9.5"), ("J4", "7.5", "7")),
        ITEMS,
        TRIMMED,
    )
    # four judges < 5: (17 + 12 + 18.5 + 14.5) / 4 = 62 / 4 = 15.50, nobody dropped
    assert result.score == D("15.50")
    assert result.method_used == "mean"
    assert (result.dropped_low, result.dropped_high) == ((), ())
    assert result.kept == ("J1", "J2", "J3", "J4")
    # org (8 + 6 + 9 + 7.5) / 4 = 7.625, eco (9 + 6 + 9.5 + 7) / 4 = 7.875;
    # floors 7.62 + 7.87 = 15.49, one cent short of 15.50: equal remainders (0.005), org gets it
    assert result.item_means == {"org": D("7.63"), "eco": D("7.87")}


def test_trimmed_needs_more_judges_than_it_drops() -> None:
    rows = [(f"J{i}", str(i), "0") for i in range(1, 7)]  # totals 1 … 6
    result = aggregate(sheets(*rows), ITEMS, Aggregation("trimmed", trim=3, min_judges_for_trim=5))
    # 6 judges ≥ 5, but dropping 3 + 3 would leave nobody: mean (1 + … + 6) / 6 = 21 / 6 = 3.50
    assert (result.method_used, result.score) == ("mean", D("3.50"))


def test_median_odd() -> None:
    rows = [("J1", "15", "16"), ("J2", "16", "17"), ("J3", "14", "14"), ("J4", "17", "18"),
            ("J5", "15", "15")]  # fmt: skip
    result = aggregate(sheets(*rows), ITEMS, MEDIAN)
    # totals J3 28, J5 30, J1 31, J2 33, J4 35: the middle one is J1, 31.00
    assert result.score == D("31.00")
    assert (result.dropped_low, result.kept, result.dropped_high) == (
        ("J3", "J5"),
        ("J1",),
        ("J2", "J4"),
    )
    assert result.method_used == "median"
    assert result.item_means == {"org": D("15.00"), "eco": D("16.00")}


def test_median_even_ties_ordered_by_code() -> None:
    rows = [("J4", "15", "15"), ("J2", "15", "15"), ("J3", "14", "14"), ("J1", "16.5", "16")]
    result = aggregate(sheets(*rows), ITEMS, MEDIAN)
    # (total, code): (28, J3) (30, J2) (30, J4) (32.5, J1): middle two J2 and J4, (30 + 30) / 2
    assert (result.dropped_low, result.kept, result.dropped_high) == (
        ("J3",),
        ("J2", "J4"),
        ("J1",),
    )
    assert result.score == D("30.00")


def test_median_even_half_up() -> None:
    rows = [("J1", "8", "8"), ("J2", "8.5", "8"), ("J3", "9", "8.5"), ("J4", "10", "10")]
    result = aggregate(sheets(*rows), ITEMS, MEDIAN)
    # middle totals 16.5 and 17.5 → 34 / 2 = 17.00; items org (8.5 + 9) / 2 = 8.75, eco 8.25
    assert result.score == D("17.00")
    assert result.item_means == {"org": D("8.75"), "eco": D("8.25")}


def test_median_single_sheet() -> None:
    result = aggregate(sheets(("J1", "7", "6.5")), ITEMS, MEDIAN)
    assert (result.score, result.kept, result.method_used) == (D("13.50"), ("J1",), "median")


def test_mean_keeps_everyone() -> None:
    rows = [(f"J{i}", str(i), "1") for i in range(1, 7)]  # totals 2 … 7
    result = aggregate(sheets(*rows), ITEMS, MEAN)
    # (2 + 3 + 4 + 5 + 6 + 7) / 6 = 27 / 6 = 4.50
    assert (result.score, result.method_used, len(result.kept)) == (D("4.50"), "mean", 6)
    assert (result.dropped_low, result.dropped_high) == ((), ())


@pytest.mark.parametrize("aggregation", [TRIMMED, MEAN, MEDIAN])
def test_no_sheets(aggregation: Aggregation) -> None:
    result = aggregate([], ITEMS, aggregation)
    assert str(result.score) == "0.00"
    assert result.item_means == {"org": D("0.00"), "eco": D("0.00")}
    assert (result.kept, result.judge_totals, result.comments) == ((), {}, {})
    assert result.method_used == ("median" if aggregation.method == "median" else "mean")


def test_comments_and_totals_by_judge_code() -> None:
    result = aggregate(
        [
            JudgeSheet("J2", {"org": D(8), "eco": D(7)}, comment="台账规范,集体经济增幅明显"),
            JudgeSheet("J1", {"org": D(9), "eco": D(8)}),
        ],
        ITEMS,
        TRIMMED,
    )
    assert result.judge_totals == {"J1": D(17), "J2": D(15)}
    assert list(result.judge_totals) == ["J1", "J2"]
    assert result.comments == {"J2": "台账规范,集体经济增幅明显"}


def test_item_means_follow_item_codes_order() -> None:
    result = aggregate(sheets(("J1", "8", "7")), ("eco", "org"), MEAN)
    assert list(result.item_means) == ["eco", "org"]


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ([JudgeSheet("J1", {"org": D(1), "eco": D(1)})] * 2, "more than one sheet"),
        ([JudgeSheet("J1", {"org": D(1)})], "expected"),
        ([JudgeSheet("J1", {"org": D(1), "eco": D(1), "gov": D(1)})], "expected"),
    ],
)
def test_bad_sheets_are_refused(bad: list[JudgeSheet], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        aggregate(bad, ITEMS, TRIMMED)


@pytest.mark.parametrize(
    "kwargs",
    [{"method": "average"}, {"trim": -1}, {"min_judges_for_trim": -1}],
)
def test_bad_aggregation_is_refused(kwargs: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        Aggregation(**kwargs)  # type: ignore[arg-type]
