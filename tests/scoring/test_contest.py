from __future__ import annotations

import random
from decimal import Decimal

import pytest

from arena.scoring.aggregate import Aggregation, JudgeSheet
from arena.scoring.contest import (
    AwardTier,
    ContestantResult,
    ContestRules,
    Criterion,
    award_for,
    overtime_penalty,
    rank_contest,
    score_contestant,
)

D = Decimal
# 工作实绩 40, 特色亮点 25, 群众满意 20, 现场表现 15; 8 minutes; 0.5 per started 30 s over
RULES = ContestRules(
    criteria=(
        Criterion("results", "工作实绩", D(40)),
        Criterion("features", "特色亮点", D(25)),
        Criterion("satisfaction", "群众满意", D(20)),
        Criterion("delivery", "现场表现", D(15)),
    ),
    time_limit_seconds=480,
)


def sheet(judge: str, results: int, features: int, satisfaction: int, delivery: int) -> JudgeSheet:
    points = {"results": results, "features": features, "satisfaction": satisfaction}
    return JudgeSheet(judge, {k: D(v) for k, v in (points | {"delivery": delivery}).items()})


def test_defaults_are_the_usual_contest_rules() -> None:
    assert RULES.overtime_penalty == D("0.5")
    assert RULES.overtime_step_seconds == 30
    assert RULES.aggregation == Aggregation("trimmed", trim=1, min_judges_for_trim=3)
    assert [(t.name, t.count) for t in RULES.award_tiers] == [
        ("一等奖", 1),
        ("二等奖", 2),
        ("三等奖", 3),
    ]


def test_equal_highest_scores_drop_the_judge_whose_code_sorts_first() -> None:
    result = score_contestant(
        [
            sheet("J1", 37, 23, 18, 14),  # 92 highest
            sheet("J2", 36, 24, 19, 13),  # 92 highest too
            sheet("J3", 34, 21, 17, 13),  # 85
            sheet("J4", 35, 22, 18, 13),  # 88
            sheet("J5", 32, 20, 16, 12),  # 80 lowest
        ],
        480,
        RULES,
    )
    # J1 and J2 both gave 92: J1 (sorts first) is struck; the kept mean is the same either way.
    assert (result.dropped_high, result.dropped_low) == (("J1",), ("J5",))
    assert result.kept == ("J2", "J3", "J4")
    assert result.judge_totals == {"J1": 92, "J2": 92, "J3": 85, "J4": 88, "J5": 80}
    # (92 + 85 + 88) / 3 = 265 / 3 = 88.333… → 88.33; exactly 8 minutes: no penalty
    assert (result.mean, result.over_seconds, result.penalty) == (D("88.33"), 0, D("0.00"))
    assert result.final == D("88.33")
    # 工作实绩 (36+34+35)/3 = 35, 特色亮点 (24+21+22)/3 = 22.333…, 群众满意 (19+17+18)/3 = 18,
    # 现场表现 13: floors 35.00 + 22.33 + 18.00 + 13.00 = 88.33, nothing left to apportion
    assert result.criterion_means == {
        "results": D("35.00"),
        "features": D("22.33"),
        "satisfaction": D("18.00"),
        "delivery": D("13.00"),
    }
    assert result.method_used == "trimmed"


def test_equal_lowest_scores_drop_the_judge_whose_code_sorts_first_and_overtime() -> None:
    result = score_contestant(
        [
            sheet("J1", 36, 23, 18, 13),  # 90
            sheet("J2", 34, 21, 17, 12),  # 84 lowest
            sheet("J3", 33, 22, 17, 12),  # 84 lowest too
            sheet("J4", 35, 22, 17, 13),  # 87
            sheet("J5", 37, 24, 18, 14),  # 93 highest
        ],
        515,
        RULES,
    )
    assert (result.dropped_low, result.dropped_high) == (("J2",), ("J5",))
    assert result.kept == ("J1", "J3", "J4")
    # (90 + 84 + 87) / 3 = 261 / 3 = 87.00; 515 s is 35 s over: 2 started steps × 0.5 = 1.00
    assert (result.mean, result.over_seconds, result.overtime_steps) == (D("87.00"), 35, 2)
    assert (result.penalty, result.final) == (D("1.00"), D("86.00"))
    # 104/3 = 34.666…, 67/3 = 22.333…, 52/3 = 17.333…, 38/3 = 12.666…: floors sum 86.98,
    # the 2 missing cents go to the largest remainders (工作实绩 and 现场表现, 0.00666… each)
    assert result.criterion_means == {
        "results": D("34.67"),
        "features": D("22.33"),
        "satisfaction": D("17.33"),
        "delivery": D("12.67"),
    }


@pytest.mark.parametrize(
    ("elapsed", "over", "steps", "penalty"),
    [
        (None, 0, 0, "0.00"),  # timer never run
        (300, 0, 0, "0.00"),  # under the limit
        (480, 0, 0, "0.00"),  # exactly 8 minutes
        (481, 1, 1, "0.50"),  # 1 s over: one started step
        (510, 30, 1, "0.50"),  # 30 s over: still one step
        (511, 31, 2, "1.00"),  # 31 s over: a second step has started
        (541, 61, 3, "1.50"),  # 61 s over: three steps
    ],
)
def test_overtime_penalty_per_started_step(
    elapsed: int | None, over: int, steps: int, penalty: str
) -> None:
    assert overtime_penalty(elapsed, RULES) == (over, steps, D(penalty))


def test_overtime_penalty_with_other_step_and_points() -> None:
    rules = ContestRules(RULES.criteria, 300, overtime_penalty=D("1"), overtime_step_seconds=60)
    # 361 s: 61 s over, ceil(61 / 60) = 2 steps × 1 = 2.00
    assert overtime_penalty(361, rules) == (61, 2, D("2.00"))
    with pytest.raises(ValueError, match="negative"):
        overtime_penalty(-1, rules)


def test_final_never_goes_below_zero() -> None:
    rules = ContestRules(RULES.criteria, time_limit_seconds=60)
    sheets = [sheet(j, 1, 0, 0, 0) for j in ("J1", "J2", "J3")]
    result = score_contestant(sheets, 181, rules)
    # all three gave 1: J1 struck as lowest, J2 as highest, J3 kept → mean 1.00;
    # 121 s over → ceil(121 / 30) = 5 steps × 0.5 = 2.50; 1.00 − 2.50 = −1.50 → 0.00
    assert (result.dropped_low, result.dropped_high, result.kept) == (("J1",), ("J2",), ("J3",))
    assert (result.mean, result.penalty, result.final) == (D("1.00"), D("2.50"), D("0.00"))


def test_fewer_judges_than_needed_for_trimming_take_the_plain_mean() -> None:
    result = score_contestant([sheet("J1", 36, 22, 18, 14), sheet("J2", 32, 20, 16, 12)], 0, RULES)
    # (90 + 80) / 2 = 85.00, nobody struck
    assert (result.mean, result.final, result.method_used) == (D("85.00"), D("85.00"), "mean")
    assert (result.dropped_high, result.dropped_low) == ((), ())


def test_no_sheets_yet_is_not_scored() -> None:
    result = score_contestant([], None, RULES)
    assert not result.scored
    assert (result.mean, result.final) == (D("0.00"), D("0.00"))


def test_points_outside_a_criterion_or_missing_ones_are_refused() -> None:
    with pytest.raises(ValueError, match="outside 0–40"):
        score_contestant([sheet("J1", 41, 20, 16, 12)], 0, RULES)
    with pytest.raises(ValueError, match="expected"):
        score_contestant([JudgeSheet("J1", {"results": D(30)})], 0, RULES)


def test_rules_are_checked() -> None:
    with pytest.raises(ValueError, match="time limit"):
        ContestRules(RULES.criteria, 0)
    with pytest.raises(ValueError, match="distinct"):
        ContestRules(RULES.criteria + RULES.criteria[:1], 480)
    with pytest.raises(ValueError, match="award tier"):
        ContestRules(RULES.criteria, 480, award_tiers=(AwardTier("一等奖", 0),))


def done(final: str, mean: str | None = None) -> ContestantResult:
    """A scored contestant; the mean defaults to the final (no penalty)."""
    mean = mean or final
    return ContestantResult(
        judge_totals={"J1": D(mean)},
        kept=("J1",),
        dropped_high=(),
        dropped_low=(),
        mean=D(mean),
        over_seconds=0,
        overtime_steps=0,
        penalty=D(mean) - D(final),
        final=D(final),
        criterion_means={},
        method_used="mean",
    )


def table(results: dict[str, ContestantResult | None]) -> list[tuple[int, str, str, str | None]]:
    return [(s.rank, s.code, str(s.final), s.award) for s in rank_contest(results)]


def test_ranking_by_final_then_mean_before_penalty_with_shared_ranks() -> None:
    results: dict[str, ContestantResult | None] = {
        "C1": done("90.00"),
        "C2": done("88.50", "89.00"),  # 0.50 off for overtime
        "C3": done("88.50"),
        "C4": done("88.50", "89.00"),  # equal to C2 on both: shares rank 2
        "C5": done("85.00"),
        "C6": done("85.00"),
        "C7": done("80.00"),
        "C8": done("79.00"),
    }
    # the 88.50s: C2 and C4 had 89.00 before the penalty and go before C3 (88.50)
    assert table(results) == [
        (1, "C1", "90.00", "一等奖"),
        (2, "C2", "88.50", "二等奖"),
        (2, "C4", "88.50", "二等奖"),
        (4, "C3", "88.50", "三等奖"),
        (5, "C5", "85.00", "三等奖"),
        (5, "C6", "85.00", "三等奖"),
        (7, "C7", "80.00", None),
        (8, "C8", "79.00", None),
    ]


def test_tie_at_a_tier_boundary_gives_both_the_higher_tier() -> None:
    finals = {"A": "95", "B": "92", "C": "90", "D": "90", "E": "88", "F": "87", "G": "86"}
    # ranks 1, 2, 3, 3, 5, 6, 7: 二等奖 covers places 2–3, so C and D (both rank 3) get it;
    # 三等奖 keeps places 4–6 by position, so only E (5) and F (6) get it
    assert [
        (s.rank, s.code, s.award) for s in rank_contest({k: done(v) for k, v in finals.items()})
    ] == [
        (1, "A", "一等奖"),
        (2, "B", "二等奖"),
        (3, "C", "二等奖"),
        (3, "D", "二等奖"),
        (5, "E", "三等奖"),
        (6, "F", "三等奖"),
        (7, "G", None),
    ]


def test_tie_across_the_last_boundary_all_get_the_last_tier() -> None:
    finals = {"A": "95", "B": "94", "C": "93", "D": "92", "E": "91", "F": "90", "G": "90"}
    # F and G share rank 6, the last place of 三等奖: seven awards instead of six
    awards = [(s.rank, s.award) for s in rank_contest({k: done(v) for k, v in finals.items()})]
    assert awards[-2:] == [(6, "三等奖"), (6, "三等奖")]


def test_tie_for_first_skips_the_second_tier() -> None:
    finals = {"A": "95", "B": "95", "C": "95", "D": "90"}
    # three share rank 1 → all 一等奖; D is rank 4, within 三等奖's places 4–6
    assert [(s.rank, s.award) for s in rank_contest({k: done(v) for k, v in finals.items()})] == [
        (1, "一等奖"),
        (1, "一等奖"),
        (1, "一等奖"),
        (4, "三等奖"),
    ]


def test_ranks_do_not_depend_on_input_order() -> None:
    finals = ["90.00", "88.50", "88.50", "88.50", "85.00", "85.00", "80.00", "0.00"]
    means = ["90.00", "89.00", "88.50", "89.00", "85.00", "85.50", "80.00", "0.50"]
    items = [(f"C{n}", done(f, m)) for n, (f, m) in enumerate(zip(finals, means, strict=True))]
    expected = rank_contest(dict(items))
    shuffler = random.Random(7)
    for _ in range(20):
        shuffler.shuffle(items)
        assert rank_contest(dict(items)) == expected


def test_unscored_contestants_are_left_out() -> None:
    results = {"C1": done("80.00"), "C2": None, "C3": score_contestant([], 0, RULES)}
    assert table(results) == [(1, "C1", "80.00", "一等奖")]
    assert rank_contest({}) == []


def test_custom_award_tiers() -> None:
    tiers = (AwardTier("金奖", 2), AwardTier("银奖", 1))
    results = {"A": done("90"), "B": done("80"), "C": done("70"), "D": done("60")}
    assert [s.award for s in rank_contest(results, tiers)] == ["金奖", "金奖", "银奖", None]
    assert [award_for(rank, tiers) for rank in (1, 2, 3, 4)] == ["金奖", "金奖", "银奖", None]
    assert award_for(1, ()) is None
