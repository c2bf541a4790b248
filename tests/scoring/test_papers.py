from __future__ import annotations

from decimal import Decimal

import pytest

from arena.scoring.papers import (
    DEFAULT_SCALE,
    Deduction,
    deductions_total,
    no_satisfaction,
    satisfaction_from_counts,
    satisfaction_from_rate,
)

D = Decimal
MAX = D(30)


def test_default_scale() -> None:
    assert DEFAULT_SCALE == {
        "满意": D("1.0"),
        "比较满意": D("0.8"),
        "基本满意": D("0.6"),
        "不满意": D(0),
    }


def test_counts() -> None:
    counts = {"满意": 90, "比较满意": 20, "基本满意": 8, "不满意": 2}
    result = satisfaction_from_counts(counts, DEFAULT_SCALE, MAX, 30)
    # 90 × 1.0 + 20 × 0.8 + 8 × 0.6 + 2 × 0 = 110.8 over 120 answers;
    # mean 110.8 / 120 = 0.92333…; score 30 × 110.8 / 120 = 27.70
    assert result.score == D("27.70")
    assert (result.source, result.responses, result.insufficient) == ("counts", 120, False)
    assert result.mean is not None and result.mean.quantize(D("0.00001")) == D("0.92333")
    assert result.rate is None


def test_counts_half_up_multiplied_before_dividing() -> None:
    counts = {"满意": 12, "比较满意": 2, "基本满意": 1, "不满意": 1}
    result = satisfaction_from_counts(counts, DEFAULT_SCALE, MAX, 30)
    # 12 + 1.6 + 0.6 = 14.2 over 16 answers; 30 × 14.2 / 16 = 426 / 16 = 26.625 → 26.63
    assert result.score == D("26.63")
    # 16 answers < 30: 样本不足, still scored
    assert result.insufficient is True


def test_counts_below_min_responses_still_count() -> None:
    result = satisfaction_from_counts({"满意": 18, "比较满意": 4, "基本满意": 1, "不满意": 1},
                                      DEFAULT_SCALE, MAX, 30)  # fmt: skip
    # 18 + 3.2 + 0.6 = 21.8 over 24; 30 × 21.8 / 24 = 27.25
    assert (result.score, result.responses, result.insufficient) == (D("27.25"), 24, True)


def test_exactly_min_responses_is_enough() -> None:
    result = satisfaction_from_counts({"满意": 30}, DEFAULT_SCALE, MAX, 30)
    assert (result.score, result.insufficient) == (D("30.00"), False)


def test_counts_in_scale_order_with_missing_answers_as_zero() -> None:
    result = satisfaction_from_counts({"不满意": 1, "满意": 3}, DEFAULT_SCALE, MAX, 0)
    assert list(result.counts.items()) == [
        ("满意", 3),
        ("比较满意", 0),
        ("基本满意", 0),
        ("不满意", 1),
    ]
    # 3 × 1.0 over 4 answers; 30 × 3 / 4 = 22.50
    assert result.score == D("22.50")


def test_no_answers() -> None:
    result = satisfaction_from_counts({}, DEFAULT_SCALE, MAX, 0)
    assert (result.score, result.responses, result.mean, result.insufficient) == (
        D("0.00"),
        0,
        None,
        True,
    )


def test_custom_scale_and_maximum() -> None:
    scale = {"好": D(1), "中": D("0.5"), "差": D(0)}
    result = satisfaction_from_counts({"好": 7, "中": 2, "差": 1}, scale, D(20), 5)
    # (7 + 1) / 10 = 0.8; 20 × 8 / 10 = 16.00
    assert (result.score, result.mean) == (D("16.00"), D("0.8"))


@pytest.mark.parametrize(
    ("counts", "message"),
    [({"非常满意": 3}, "not on the scale"), ({"满意": -1}, "negative")],
)
def test_bad_counts(counts: dict[str, int], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        satisfaction_from_counts(counts, DEFAULT_SCALE, MAX, 30)


@pytest.mark.parametrize(
    ("rate", "score"),
    [
        ("92.5", "27.75"),  # 30 × 92.5 / 100
        ("88.5", "26.55"),
        ("33.35", "10.01"),  # 30 × 33.35 / 100 = 10.005 → 10.01
        ("0", "0.00"),
        ("100", "30.00"),
    ],
)
def test_rate(rate: str, score: str) -> None:
    result = satisfaction_from_rate(D(rate), MAX)
    assert str(result.score) == score
    assert (result.source, result.rate, result.mean) == ("rate", D(rate), D(rate) / 100)
    assert (result.responses, result.counts, result.insufficient) == (0, {}, False)


@pytest.mark.parametrize("rate", ["-0.5", "100.5"])
def test_rate_out_of_range(rate: str) -> None:
    with pytest.raises(ValueError, match="between 0 and 100"):
        satisfaction_from_rate(D(rate), MAX)


def test_no_satisfaction() -> None:
    result = no_satisfaction()
    assert (str(result.score), result.source, result.mean, result.rate) == (
        "0.00",
        "none",
        None,
        None,
    )
    # 未录入 is not 样本不足: nothing was surveyed, so nothing is "too few"
    assert (result.responses, result.counts, result.insufficient) == (0, {}, False)
    assert result.missing is True


def test_deductions_under_cap() -> None:
    entries = [
        Deduction("formalism", D("1.5"), "迎检台账重复打印"),
        Deduction("relapse", D("2"), "河道保洁反弹"),
    ]
    result = deductions_total(entries, D(10))
    # 1.5 + 2 = 3.5
    assert (result.total, result.raw, result.capped) == (D("3.50"), D("3.5"), False)
    assert result.entries == tuple(entries)


def test_deductions_capped() -> None:
    entries = [Deduction("falsified", D(8), "台账不符"), Deduction("safety", D(4), "工地无防护")]
    result = deductions_total(entries, D(10))
    # 8 + 4 = 12 > 10 → 10.00
    assert (result.total, result.raw, result.capped) == (D("10.00"), D(12), True)


def test_deductions_exactly_at_cap_are_not_capped() -> None:
    result = deductions_total([Deduction("falsified", D(10), "台账不符")], D(10))
    assert (result.total, result.capped) == (D("10.00"), False)


def test_no_deductions() -> None:
    result = deductions_total([], D(10))
    assert (str(result.total), result.raw, result.capped, result.entries) == ("0.00", 0, False, ())


def test_negative_deduction_is_refused() -> None:
    with pytest.raises(ValueError, match="negative"):
        deductions_total([Deduction("formalism", D(-1), "")], D(10))
