from __future__ import annotations

import math
import random
from collections.abc import Mapping
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from arena.scoring.index import (
    BoardResult,
    Indicator,
    VillageDelta,
    VillageRow,
    against_median,
    board_delta,
    compute_board,
    indicator_medians,
    to_cents,
)

INCOME = Indicator("income", "农村居民人均可支配收入", "元", "higher", 3)
DEBT = Indicator("debt", "村级负债率", "%", "lower", 1)

# Seven villages. income: min 100, max 300 → score (x − 100) / 200 × 100;
# debt (lower is better): min 10, max 50 → score (50 − x) / 40 × 100;
# index = (3 × income score + 1 × debt score) / 4.
SEVEN = {
    #       income debt    income score  debt score  index
    "V01": (300, 10),  # 100           100         (300 + 100) / 4 = 100
    "V05": (200, 30),  # 50            50          (150 + 50) / 4  = 50
    "V02": (250, 50),  # 75            0           (225 + 0) / 4   = 56.25
    "V07": (150, 50),  # 25            0           (75 + 0) / 4    = 18.75
    "V03": (200, 30),  # 50            50          50
    "V04": (100, 20),  # 0             75          (0 + 75) / 4    = 18.75
    "V06": (130, 42),  # 15            20          (45 + 20) / 4   = 16.25
}


def board(data: Mapping[str, tuple[float, ...]], *indicators: Indicator) -> BoardResult:
    """A board of villages (code → values in indicator order)."""
    return compute_board(list(data), np.array(list(data.values()), dtype=float), indicators)


def test_hand_computed_board() -> None:
    result = board(SEVEN, INCOME, DEBT)
    assert result.row("V07").scores == (25.0, 0.0)
    assert result.row("V06").scores == pytest.approx((15.0, 20.0))
    # ranked: 100 (V01), 56.25 (V02), 50 (V03, V05 share 3rd, listed by code),
    # 18.75 (V04, V07 share 5th), 16.25 (V06) 7th
    ranked = [(r.code, r.rank, r.index) for r in result.rows()]
    assert ranked == [
        ("V01", 1, 100.0),
        ("V02", 2, 56.25),
        ("V03", 3, 50.0),
        ("V05", 3, 50.0),
        ("V04", 5, 18.75),
        ("V07", 5, 18.75),
        ("V06", 7, 16.25),
    ]
    # bottom 20%: ceil(0.2 × 7) = 2 → the last 2 positions (V07, V06); V07's tie with V04
    # crosses the boundary, so V04 is followed up too
    bottom = {r.code for r in result.rows() if r.bottom20}
    assert bottom == {"V04", "V07", "V06"}


def test_row_and_lookups() -> None:
    result = board(SEVEN, INCOME, DEBT)
    assert result.row("V02") == VillageRow("V02", 2, 56.25, False, (250.0, 50.0), (75.0, 0.0))
    assert len(result) == 7
    assert result.position("V03") == 4
    with pytest.raises(KeyError, match="村“V99”不在本指数榜中"):
        result.row("V99")
    assert result.index.tolist() == [100.0, 50.0, 56.25, 18.75, 50.0, 18.75, 16.25]


def test_delta_against_previous_period() -> None:
    # previous period, same min/max: V01 (200, 10) → (3×50 + 100)/4 = 62.5, rank 2;
    # V02 (300, 50) → (300 + 0)/4 = 75, rank 1; V08 (150, 30) → (75 + 50)/4 = 31.25, rank 3;
    # V05 (100, 50) → 0, rank 4
    previous = board(
        {"V01": (200, 10), "V02": (300, 50), "V08": (150, 30), "V05": (100, 50)}, INCOME, DEBT
    )
    current = board(SEVEN, INCOME, DEBT)
    delta = board_delta(current, previous)
    assert delta.for_village("V01") == VillageDelta(37.5, 1)  # 100 − 62.5; rank 2 − 1
    assert delta.for_village("V02") == VillageDelta(-18.75, -1)  # 56.25 − 75; rank 1 − 2
    assert delta.for_village("V05") == VillageDelta(50.0, 1)  # 50 − 0; rank 4 − 3
    assert delta.for_village("V03") is None
    assert np.isnan(delta.index_change[current.position("V06")])


def test_index_rounds_half_up() -> None:
    # weights 1 and 7: index = (s1 + 7 × s2) / 8; V2 has s1 = 1, s2 = 0 → 0.125 → 0.13
    # (a calculator's 四舍五入; round-half-even would give 0.12)
    a = Indicator("a", "甲", "", "higher", 1)
    b = Indicator("b", "乙", "", "higher", 7)
    result = board({"V1": (0, 0), "V2": (1, 0), "V3": (100, 100)}, a, b)
    assert result.index.tolist() == [0.0, 0.13, 100.0]
    assert result.index_cents.tolist() == [0, 13, 10000]


def test_to_cents_agrees_with_a_calculator() -> None:
    # 2.675 and 1.005 are stored just below the decimal; round() gives 2.67 and 1.0
    assert to_cents(np.array([2.675, 1.005, 0.125, 56.245, 0.0, 100.0])).tolist() == [
        268,
        101,
        13,
        5625,
        0,
        10000,
    ]


def test_bottom20_uses_integer_ceiling() -> None:
    # 15 distinct indexes: ceil(0.2 × 15) = 3, although 0.2 × 15 is 3.0000000000000004 in floats
    result = board({f"V{k:02d}": (k,) for k in range(15)}, INCOME)
    assert sorted(str(c) for c in result.village_codes[result.bottom20]) == ["V00", "V01", "V02"]


def test_all_equal_minmax_gives_100() -> None:
    result = board({"V1": (5, 1), "V2": (5, 2)}, INCOME, DEBT)
    # income all equal → 100 for both; debt: V1 100, V2 0 → (300 + 100)/4 = 100, (300 + 0)/4 = 75
    assert result.normalised.tolist() == [[100.0, 100.0], [100.0, 0.0]]
    assert result.index.tolist() == [100.0, 75.0]


def test_zscore() -> None:
    # 10, 20, 30: mean 20, population std √((100 + 0 + 100) / 3) = 8.1650;
    # z = −1.2247, 0, 1.2247 → T = 50 + 10z = 37.75, 50, 62.25; lower is better: reversed
    up = Indicator("u", "甲", "", "higher", 1, "zscore")
    down = Indicator("d", "乙", "", "lower", 1, "zscore")
    flat = Indicator("f", "丙", "", "higher", 1, "zscore")
    result = board({"V1": (10, 10, 7), "V2": (20, 20, 7), "V3": (30, 30, 7)}, up, down, flat)
    t = 10 * math.sqrt(1.5)  # 10 × 10 / 8.1650
    assert result.normalised[:, 0].tolist() == pytest.approx([50 - t, 50, 50 + t])
    assert result.normalised[:, 1].tolist() == pytest.approx([50 + t, 50, 50 - t])
    assert result.normalised[:, 2].tolist() == [50.0, 50.0, 50.0]  # std 0 → 50


def test_zscore_is_clipped() -> None:
    # 99 zeros and one 100: mean 1, std √(100 − 1) = 9.95; the 100 has z = 9.95 → T 149.5 → 100;
    # the zeros have z = −1/9.95 → T = 50 − 10/√99 = 48.995
    up = Indicator("u", "甲", "", "higher", 1, "zscore")
    result = board({f"V{k:03d}": (100 if k == 0 else 0,) for k in range(100)}, up)
    assert result.normalised[0, 0] == 100.0
    assert result.normalised[1, 0] == pytest.approx(50 - 10 / math.sqrt(99))


def test_percentile() -> None:
    # 10, 20, 20, 40 among 4 villages (3 others each): 10 beats none → 0; each 20 beats the 10
    # and ties the other 20 (half) → 1.5 / 3 = 50; 40 beats all 3 → 100
    up = Indicator("u", "甲", "", "higher", 1, "percentile")
    down = Indicator("d", "乙", "", "lower", 1, "percentile")
    result = board({"V1": (10, 10), "V2": (20, 20), "V3": (20, 20), "V4": (40, 40)}, up, down)
    assert result.normalised[:, 0].tolist() == [0.0, 50.0, 50.0, 100.0]
    assert result.normalised[:, 1].tolist() == [100.0, 50.0, 50.0, 0.0]
    assert board({"V1": (3, 3)}, up, down).normalised.tolist() == [[50.0, 50.0]]


def test_medians() -> None:
    result = board(SEVEN, INCOME, DEBT)
    # incomes sorted 100 130 150 200 200 250 300 → 200; debts 10 20 30 30 42 50 50 → 30
    assert indicator_medians(result.values).tolist() == [200.0, 30.0]
    income, debt = against_median(result, "V02")
    assert (income.value, income.median, income.score, income.median_score) == (250, 200, 75, 50)
    assert income.gap == 25.0  # better than the median village
    assert (debt.value, debt.median, debt.score, debt.gap) == (50, 30, 0, -50)


@pytest.mark.parametrize(
    ("codes", "values", "indicators", "message"),
    [
        (["V1"], [[1.0, 2.0]], [INCOME], "数值表应为 1 行 × 1 列"),
        (["V1", "V2"], [[1.0], [math.nan]], [INCOME], "非有限数值"),
        (["V1", "V1"], [[1.0], [2.0]], [INCOME], "村代码重复：V1"),
        (["V1"], [[1.0]], [Indicator("x", "甲", "", "higher", 0)], "权重必须大于 0"),
        (["V1"], [[1.0]], [Indicator("x", "甲", "", "up", 1)], "方向“up”无效"),  # type: ignore[arg-type]
        ([], np.empty((0, 1)), [INCOME], "指数榜没有村"),
    ],
)
def test_bad_input_is_refused(
    codes: list[str], values: object, indicators: list[Indicator], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        compute_board(codes, np.asarray(values, dtype=float), indicators)


def reference(
    codes: list[str], rows: list[tuple[int, ...]], weights: list[int]
) -> tuple[list[int], list[int], list[bool], list[int]]:
    """Exact rational arithmetic, one village at a time, as an official would do it."""
    m = len(weights)
    lows = [min(r[j] for r in rows) for j in range(m)]
    highs = [max(r[j] for r in rows) for j in range(m)]
    cents = []
    for r in rows:
        scores = [
            Fraction(100)
            if highs[j] == lows[j]
            else Fraction(r[j] - lows[j], highs[j] - lows[j]) * 100
            for j in range(m)
        ]
        index = sum(w * s for w, s in zip(weights, scores, strict=True)) / sum(weights)
        cents.append(math.floor(index * 100 + Fraction(1, 2)))
    ordered = sorted(range(len(codes)), key=lambda i: (-cents[i], codes[i]))
    ranks = {i: 1 + sum(1 for k in range(len(codes)) if cents[k] > cents[i]) for i in ordered}
    k = math.ceil(Fraction(len(codes), 5))
    cut = cents[ordered[len(codes) - k]]
    return cents, [ranks[i] for i in range(len(codes))], [c <= cut for c in cents], ordered


@settings(max_examples=200, deadline=None)
@given(
    st.integers(1, 2).flatmap(
        lambda m: st.tuples(
            st.lists(st.integers(1, 5), min_size=m, max_size=m),
            st.lists(st.tuples(*[st.integers(0, 20)] * m), min_size=1, max_size=25),
        )
    ),
    st.randoms(use_true_random=False),
)
def test_matches_exact_reference(
    case: tuple[list[int], list[tuple[int, ...]]], rnd: random.Random
) -> None:
    weights, rows = case
    codes = [f"V{k:02d}" for k in range(len(rows))]
    rnd.shuffle(codes)  # input order is not code order
    indicators = [Indicator(f"i{j}", "指标", "", "higher", w) for j, w in enumerate(weights)]
    result = compute_board(codes, np.array(rows, dtype=float), indicators)
    cents, ranks, bottom, ordered = reference(codes, rows, weights)
    assert result.index_cents.tolist() == cents
    assert result.rank.tolist() == ranks
    assert result.bottom20.tolist() == bottom
    assert result.order.tolist() == ordered


def test_national_scale_is_vectorised() -> None:
    # 100,000 villages × 30 indicators in well under a second here; the bench measures 500,000
    rng = np.random.default_rng(7)
    n, m = 100_000, 30
    indicators = [
        Indicator(f"i{j}", "指标", "", "lower" if j % 3 else "higher", 1 + j % 4) for j in range(m)
    ]
    codes = [f"V{k:06d}" for k in rng.permutation(n)]
    result = compute_board(codes, np.round(rng.random((n, m)) * 100, 2), indicators)
    assert result.rank[result.order].tolist() == sorted(result.rank.tolist())
    assert int(result.bottom20.sum()) >= 20_000
