from __future__ import annotations

from decimal import Decimal

import pytest

from arena.scoring.weak import ItemScore, Scorecard, WeakItem, median, ratio, weak_items

D = Decimal


def items(*rows: tuple[str, str, int]) -> tuple[ItemScore, ...]:
    return tuple(ItemScore(code, code, D(score), D(maximum)) for code, score, maximum in rows)


def test_ratio_rounds_to_four_decimals_half_up() -> None:
    assert ratio(D("4.87"), D(6)) == D("0.8117")  # 0.811666…
    assert ratio(D("6.75"), D(8)) == D("0.8438")  # 0.84375
    assert str(ratio(D("8.00"), D(10))) == "0.8000"


def test_median() -> None:
    assert median([D("0.9"), D("0.6"), D("0.7")]) == D("0.7000")
    # (0.7833 + 0.8117) / 2 = 0.7975
    assert median([D("0.8117"), D("0.75"), D("0.7833"), D("0.9")]) == D("0.7975")
    # (0.8000 + 0.8043) / 2 = 0.80215 → 0.8022
    assert median([D("0.8043"), D("0.8000")]) == D("0.8022")
    with pytest.raises(ValueError):
        median([])


# Three villages, shared items A (max 10) and B (max 5), two targets each (max 15).
CARDS = {
    # A 8/10 = .8, B 4/5 = .8; t1 12/15 = .8, t2 12/15 = .8; paper 24/30 = .8
    "V1": Scorecard(
        items(("A", "8.00", 10), ("B", "4.00", 5)),
        items(("t1", "12.00", 15), ("t2", "12.00", 15)),
        D("0.8000"),
    ),
    # A .6, B .9; t1 9/15 = .6, t2 12/15 = .8; paper 21/30 = .7
    "V2": Scorecard(
        items(("A", "6.00", 10), ("B", "4.50", 5)),
        items(("t1", "9.00", 15), ("t2", "12.00", 15)),
        D("0.7000"),
    ),
    # A .7, B .6; t1 14/15 = .9333, t2 13/15 = .8667; paper 27/30 = .9
    "V3": Scorecard(
        items(("A", "7.00", 10), ("B", "3.00", 5)),
        items(("t1", "14.00", 15), ("t2", "13.00", 15)),
        D("0.9000"),
    ),
}
# medians: A .6 .7 .8 → .7; B .6 .8 .9 → .8; demonstration paper .7 .8 .9 → .8


def gaps(weak: tuple[WeakItem, ...]) -> list[tuple[str, str, str]]:
    return [(w.code, str(w.ratio), str(w.gap)) for w in weak]


def test_weak_items_by_gap() -> None:
    weak = weak_items(CARDS)
    # V2: t1 .6 − .8 = −.2, A .6 − .7 = −.1, t2 .8 − .8 = 0 (B .9 − .8 = +.1 is not weak)
    assert gaps(weak["V2"]) == [
        ("t1", "0.6000", "-0.2000"),
        ("A", "0.6000", "-0.1000"),
        ("t2", "0.8000", "0.0000"),
    ]
    # V3: B .6 − .8 = −.2, A .7 − .7 = 0, t2 .8667 − .8 = .0667 (t1 .9333 − .8 = .1333)
    assert gaps(weak["V3"]) == [
        ("B", "0.6000", "-0.2000"),
        ("A", "0.7000", "0.0000"),
        ("t2", "0.8667", "0.0667"),
    ]
    first = weak["V3"][0]
    assert (first.paper, first.score, first.maximum, first.median_ratio) == (
        "shared",
        D("3.00"),
        D(5),
        D("0.8000"),
    )


def test_equal_gap_and_ratio_shared_first_then_item_order() -> None:
    # V1: B, t1 and t2 all at ratio .8 with gap 0; A .8 − .7 = +.1
    weak = weak_items(CARDS)["V1"]
    assert [(w.paper, w.code) for w in weak] == [
        ("shared", "B"),
        ("demonstration", "t1"),
        ("demonstration", "t2"),
    ]


def test_equal_gap_smaller_ratio_first() -> None:
    cards = {
        # B listed first; medians: B (.7 + .9) / 2 = .8, A (.6 + .8) / 2 = .7
        "W1": Scorecard(items(("B", "3.50", 5), ("A", "6.00", 10))),  # B .7 −.1, A .6 −.1
        "W2": Scorecard(items(("B", "4.50", 5), ("A", "8.00", 10))),
    }
    # equal gaps of −.1: A has the smaller ratio (.6 < .7) and comes first despite item order
    assert [w.code for w in weak_items(cards)["W1"]] == ["A", "B"]


def test_demonstration_without_sheets_is_left_out() -> None:
    cards = {
        "V1": Scorecard(items(("A", "8.00", 10)), items(("t1", "1.00", 30)), None),
        "V2": Scorecard(items(("A", "6.00", 10)), items(("t1", "20.00", 30)), D("0.6667")),
    }
    weak = weak_items(cards)
    # V1 has no demonstration sheets: only A (.8 − .7 = .1); V2 compares t1 with the median of
    # the one demonstration ratio there is: .6667 − .6667 = 0
    assert gaps(weak["V1"]) == [("A", "0.8000", "0.1000")]
    assert gaps(weak["V2"]) == [("A", "0.6000", "-0.1000"), ("t1", "0.6667", "0.0000")]


def test_items_with_zero_maximum_are_left_out() -> None:
    cards = {"V1": Scorecard(items(("A", "8.00", 10), ("Z", "0", 0)))}
    assert [w.code for w in weak_items(cards)["V1"]] == ["A"]


def test_count() -> None:
    assert len(weak_items(CARDS, count=1)["V2"]) == 1
    assert len(weak_items(CARDS, count=10)["V2"]) == 4


def test_no_cards() -> None:
    assert weak_items({}) == {}
