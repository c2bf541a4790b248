from __future__ import annotations

from decimal import Decimal, localcontext

import pytest

from arena.scoring.numbers import CENT, apportion, divide, q2, q4, to_decimal

D = Decimal


@pytest.mark.parametrize(
    ("value", "rounded"),
    [
        ("33.375", "33.38"),
        ("24.625", "24.63"),  # half up; banker's rounding would give 24.62
        ("28.275", "28.28"),
        ("26.7857142857", "26.79"),
        ("26.7849", "26.78"),
        ("31", "31.00"),
        ("-0.005", "-0.01"),  # half away from zero
    ],
)
def test_q2_rounds_half_up(value: str, rounded: str) -> None:
    assert str(q2(D(value))) == rounded


def test_q4_rounds_half_up() -> None:
    # (0.8000 + 0.8043) / 2 = 0.80215 → 0.8022
    assert q4(D("0.80215")) == D("0.8022")
    assert str(q4(D("0.9"))) == "0.9000"


def test_divide_ignores_the_callers_context() -> None:
    with localcontext() as context:
        context.prec = 3
        # 133.5 / 4 = 33.375 exactly, even where the thread's context keeps 3 digits
        assert divide(D("133.5"), 4) == D("33.375")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (8, D("8")),
        (0.1, D("0.1")),  # via str(): not 0.1000000000000000055511151231257827...
        (92.5, D("92.5")),
        ("8.5", D("8.5")),
        (" 7 ", D("7")),
        (D("9.50"), D("9.50")),
    ],
)
def test_to_decimal(value: int | float | str | Decimal, expected: Decimal) -> None:
    result = to_decimal(value)
    assert result == expected
    assert str(result) == str(expected)


@pytest.mark.parametrize(
    "value",
    [True, False, float("nan"), float("inf"), float("-inf"), "NaN", "Infinity", "-inf", "abc", "",
     D("NaN"), D("sNaN"), D("-Infinity"), None, [8]],
)  # fmt: skip
def test_to_decimal_refuses(value: object) -> None:
    with pytest.raises(ValueError):
        to_decimal(value)  # type: ignore[arg-type]


def test_apportion_keeps_exact_values() -> None:
    assert apportion({"org": D("8.7"), "eco": D("8.70"), "gov": D("5")}, D("22.40")) == {
        "org": D("8.70"),
        "eco": D("8.70"),
        "gov": D("5.00"),
    }


def test_apportion_three_judges_sums_not_divisible_by_three() -> None:
    # Three kept judges; item sums 25.5, 23.0, 20.5 (total 69.0, score 69.0 / 3 = 23.00).
    # Means 8.5, 7.666…, 6.833…; floors 8.50 + 7.66 + 6.83 = 22.99, one cent short.
    # Remainders 0, 0.00666…, 0.00333…: eco has the largest and gets the cent.
    exact = {"org": divide(D("25.5"), 3), "eco": divide(D(23), 3), "build": divide(D("20.5"), 3)}
    assert apportion(exact, D("23.00")) == {"org": D("8.50"), "eco": D("7.67"), "build": D("6.83")}


def test_apportion_where_plain_rounding_overshoots() -> None:
    # Item sums 8, 8, 8 over three judges: each 2.666…; q2 each → 2.67 × 3 = 8.01 ≠ 8.00.
    # Floors 2.66 × 3 = 7.98, two cents missing, equal remainders: the first two keys get them.
    exact = {code: divide(D(8), 3) for code in ("org", "eco", "build")}
    assert apportion(exact, D("8.00")) == {"org": D("2.67"), "eco": D("2.67"), "build": D("2.66")}


def test_apportion_where_plain_rounding_falls_short() -> None:
    # 4 / 3 each: q2 → 1.33 × 3 = 3.99 ≠ 4.00; the first key gets the missing cent.
    exact = {code: divide(D(4), 3) for code in ("a", "b", "c")}
    assert apportion(exact, D("4.00")) == {"a": D("1.34"), "b": D("1.33"), "c": D("1.33")}


def test_apportion_equal_remainders_from_different_magnitudes_tie_by_key_order() -> None:
    # 7/3, 4/3 and 1/3 all leave a third of a cent, although their 40-digit quotients carry
    # different numbers of 3s after the cent; "c" comes first, so it gets the missing cent.
    exact = {"c": divide(D(7), 3), "b": divide(D(4), 3), "a": divide(D(1), 3)}
    # floors 2.33 + 1.33 + 0.33 = 3.99; target 12/3 = 4.00
    expected = {"c": D("2.34"), "b": D("1.33"), "a": D("0.33")}
    assert apportion(exact, D("4.00")) == expected
    with localcontext() as context:
        context.prec = 60  # a caller's wider context changes nothing
        assert apportion(exact, D("4.00")) == expected


def test_apportion_half_cents() -> None:
    # four kept judges: 8.625 + 4.875 + 4.875 = 18.375 → 18.38; floors 8.62 + 4.87 + 4.87 = 18.36
    exact = {"eco": D("8.625"), "talent": D("4.875"), "gov": D("4.875")}
    assert apportion(exact, D("18.38")) == {"eco": D("8.63"), "talent": D("4.88"), "gov": D("4.87")}


def test_apportion_results_have_two_decimals() -> None:
    result = apportion({"a": D("1"), "b": D("2.5")}, D("3.5"))
    assert [str(value) for value in result.values()] == ["1.00", "2.50"]
    assert all(value.as_tuple().exponent == CENT.as_tuple().exponent for value in result.values())


def test_apportion_empty() -> None:
    assert apportion({}, D("0")) == {}


@pytest.mark.parametrize(
    ("exact", "target"),
    [
        ({"a": D("1.00")}, D("1.005")),  # target not a whole number of cents
        ({"a": D("1.00"), "b": D("1.00")}, D("2.03")),  # would need more than a cent each
        ({"a": D("1.00"), "b": D("1.00")}, D("1.99")),  # would need rounding down below floor
        ({}, D("0.01")),
    ],
)
def test_apportion_refuses_unreachable_targets(exact: dict[str, Decimal], target: Decimal) -> None:
    with pytest.raises(ValueError):
        apportion(exact, target)
