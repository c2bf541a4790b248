"""Properties that hold for any input, checked with hypothesis."""

from __future__ import annotations

from decimal import Decimal
from random import Random

from hypothesis import given, settings
from hypothesis import strategies as st

from arena.scoring.aggregate import Aggregation, JudgeSheet, PaperResult, aggregate
from arena.scoring.numbers import CENT, apportion, divide, q2
from arena.scoring.ranking import PAPER_KEYS, Ranked, Scored, bottom_count, rank

D = Decimal
ITEMS = ("org", "eco", "build")
JUDGES = [f"J{i}" for i in range(1, 13)]


def cents(low: int, high: int) -> st.SearchStrategy[Decimal]:
    """2-decimal numbers between low and high cents."""
    return st.integers(low, high).map(lambda n: D(n).scaleb(-2))


half_points = st.integers(0, 20).map(lambda n: D(n) / 2)  # 0, 0.5, … 10
points = st.one_of(half_points, cents(0, 1000))


@st.composite
def judge_sheets(draw: st.DrawFn, min_size: int = 0) -> list[JudgeSheet]:
    judges = draw(st.lists(st.sampled_from(JUDGES), min_size=min_size, max_size=9, unique=True))
    return [JudgeSheet(judge, {code: draw(points) for code in ITEMS}) for judge in judges]


aggregations = st.builds(
    Aggregation,
    method=st.sampled_from(["mean", "trimmed", "median"]),
    trim=st.integers(0, 3),
    min_judges_for_trim=st.integers(0, 7),
)


@given(judge_sheets(), aggregations)
def test_item_means_add_up_to_the_paper_score(sheets: list[JudgeSheet], how: Aggregation) -> None:
    result = aggregate(sheets, ITEMS, how)
    assert sum(result.item_means.values(), D(0)) == result.score
    kept = [sheet for sheet in sheets if sheet.judge in result.kept]
    for code, mean in result.item_means.items():
        assert mean == mean.quantize(CENT)
        if kept:
            exact = divide(sum((sheet.items[code] for sheet in kept), D(0)), len(kept))
            assert abs(mean - exact) < CENT


def partition_ok(result: PaperResult, sheets: list[JudgeSheet]) -> bool:
    groups = result.kept + result.dropped_low + result.dropped_high
    return sorted(groups) == sorted(sheet.judge for sheet in sheets)


@given(judge_sheets(min_size=1), aggregations)
def test_score_lies_between_the_lowest_and_highest_total(
    sheets: list[JudgeSheet], how: Aggregation
) -> None:
    result = aggregate(sheets, ITEMS, how)
    totals = [sheet.total for sheet in sheets]
    assert min(totals) <= result.score <= max(totals)
    assert partition_ok(result, sheets)
    kept = [result.judge_totals[j] for j in result.kept]
    assert all(result.judge_totals[j] <= min(kept) for j in result.dropped_low)
    assert all(result.judge_totals[j] >= max(kept) for j in result.dropped_high)


@given(judge_sheets(min_size=5), st.integers(1, 2))
def test_trimmed_mean_drops_trim_each_side(sheets: list[JudgeSheet], trim: int) -> None:
    result = aggregate(sheets, ITEMS, Aggregation("trimmed", trim=trim, min_judges_for_trim=5))
    assert (len(result.dropped_low), len(result.dropped_high)) == (trim, trim)
    assert result.method_used == "trimmed"
    kept_totals = [result.judge_totals[j] for j in result.kept]
    assert result.score == q2(divide(sum(kept_totals, D(0)), len(kept_totals)))


@given(
    st.dictionaries(
        st.text("abcdef", min_size=1, max_size=3), cents(0, 100000).map(lambda v: v / 7)
    )
)
def test_apportion_sums_to_the_rounded_total(exact: dict[str, Decimal]) -> None:
    target = q2(sum(exact.values(), D(0)))
    result = apportion(exact, target)
    assert list(result) == list(exact)
    assert sum(result.values(), D(0)) == target
    assert all(abs(result[key] - value) < CENT for key, value in exact.items())


paper_score = st.sampled_from([D("0.00"), D("10.00"), D("24.50"), D("27.84"), D("31.00")])


@st.composite
def scored_rows(draw: st.DrawFn) -> list[Scored]:
    n = draw(st.integers(0, 12))
    # few distinct values, so that ties on total and on tie-breaks are common
    return [
        Scored(
            f"V{i:02d}",
            draw(paper_score),
            draw(paper_score),
            draw(paper_score),
            draw(st.sampled_from([D("0.00"), D("1.50"), D("10.00")])),
        )
        for i in range(n)
    ]


tie_break_lists = st.lists(st.sampled_from(PAPER_KEYS), unique=True, max_size=4).flatmap(
    lambda keys: st.tuples(*[st.sampled_from([key, f"-{key}"]) for key in keys])
)


@given(scored_rows(), tie_break_lists, st.randoms(use_true_random=False))
def test_ranks_do_not_depend_on_input_order(
    rows: list[Scored], tie_breaks: tuple[str, ...], random: Random
) -> None:
    shuffled = list(rows)
    random.shuffle(shuffled)
    assert rank(shuffled, tie_breaks) == rank(rows, tie_breaks)


def strictly_ahead(a: Scored, b: Scored, tie_breaks: tuple[str, ...]) -> bool:
    """Whether a ranks strictly ahead of b, compared field by field as an official would."""
    if a.total != b.total:
        return a.total > b.total
    for key in tie_breaks:
        paper = key.removeprefix("-")
        x, y = getattr(a, paper), getattr(b, paper)
        if x != y:
            return x < y if key.startswith("-") else x > y
    return False


@given(scored_rows(), tie_break_lists)
def test_ranks_are_competition_ranks(rows: list[Scored], tie_breaks: tuple[str, ...]) -> None:
    ranked: list[Ranked] = rank(rows, tie_breaks)
    assert len(ranked) == len(rows)
    for r in ranked:
        ahead = sum(strictly_ahead(other, r.row, tie_breaks) for other in rows)
        assert r.rank == 1 + ahead
    assert [r.rank for r in ranked] == sorted(r.rank for r in ranked)
    for before, after in zip(ranked, ranked[1:], strict=False):
        if before.rank == after.rank:
            assert before.row.code < after.row.code


@given(scored_rows(), tie_break_lists)
def test_bottom20_is_the_last_positions_and_everyone_tied_with_them(
    rows: list[Scored], tie_breaks: tuple[str, ...]
) -> None:
    ranked = rank(rows, tie_breaks)
    k = bottom_count(len(ranked))
    tail_ranks = {r.rank for r in ranked[len(ranked) - k :]}
    assert all(r.bottom20 for r in ranked[len(ranked) - k :])
    assert all(r.bottom20 == (r.rank in tail_ranks) for r in ranked)


@given(cents(0, 4000), cents(0, 3000), cents(0, 3000), cents(0, 100000))
@settings(max_examples=200)
def test_a_total_is_never_negative(
    shared: Decimal, demonstration: Decimal, satisfaction: Decimal, deductions: Decimal
) -> None:
    total = Scored("V01", shared, demonstration, satisfaction, deductions).total
    assert total >= 0
    assert total == max(D(0), shared + demonstration + satisfaction - deductions)
    assert total == total.quantize(CENT)
