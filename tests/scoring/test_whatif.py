"""What-if ranking without the judges' severity, and the opt-in official adjustment, by hand."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest

from arena.scoring.aggregate import Aggregation, JudgeSheet
from arena.scoring.papers import DEFAULT_SCALE
from arena.scoring.review import review_round
from arena.scoring.standings import Item, RoundRules, VillageInput, compute_standings
from arena.scoring.whatif import adjust_inputs, papers_of, what_if

D = Decimal

RULES = RoundRules(
    aggregation=Aggregation("trimmed", trim=1, min_judges_for_trim=5),  # 3 judges: plain mean
    tie_breaks=("shared", "satisfaction", "-deductions"),
    shared_items=(Item("x", "综合", D(40)),),
    shared_max=D(40),
    demonstration_max=D(30),
    satisfaction_max=D(30),
    deduction_cap=D(10),
    scale=DEFAULT_SCALE,
    min_responses=30,
)

# Shared totals; J3 is recused from C. Every judge gives 20 / 30 on the demonstration target,
# satisfaction 100% (30 points) everywhere, no deductions.
#       J1  J2  J3   official mean
#   A   30  30  21   27
#   B   29  29  20   26
#   C   27  27  —    27
SHARED = {"A": (30, 30, 21), "B": (29, 29, 20), "C": (27, 27)}


def village(code: str) -> VillageInput:
    judges = ("J1", "J2", "J3")[: len(SHARED[code])]
    return VillageInput(
        code=code,
        name=f"{code}村",
        targets=(Item("t", "示范", D(30)),),
        expected_judges=judges,
        shared_sheets=tuple(
            JudgeSheet(j, {"x": D(x)}) for j, x in zip(judges, SHARED[code], strict=True)
        ),
        demonstration_sheets=tuple(JudgeSheet(j, {"t": D(20)}) for j in judges),
        satisfaction_rate=D(100),
    )


VILLAGES = [village(c) for c in "ABC"]


def test_official_ranking_ties_a_and_c() -> None:
    s = compute_standings(RULES, VILLAGES, {})
    # A 27 + 20 + 30 = 77, C 27 + 20 + 30 = 77 (all tie-breaks equal), B 26 + 20 + 30 = 76
    assert [(r.code, r.rank, r.total) for r in s.rows] == [
        ("A", 1, D("77.00")),
        ("C", 1, D("77.00")),
        ("B", 3, D("76.00")),
    ]


def test_what_if_removes_j3_severity() -> None:
    s = compute_standings(RULES, VILLAGES, {})
    w = what_if(RULES, s, papers_of(RULES, VILLAGES))
    # x = a_v + b_j fits exactly: J1 = J2 = b, J3 = −2b (Σ b = 0); A: a + b = 30, a − 2b = 21
    # → b = 3: effects J1 +3, J2 +3, J3 −6; the demonstration paper has none
    assert w.effects["shared"] == {"J1": D("3.00"), "J2": D("3.00"), "J3": D("-6.00")}
    assert w.effects["demonstration"] == {"J1": D(0), "J2": D(0), "J3": D(0)}
    # adjusted: A 27, 27, 27 → 27; B 26, 26, 26 → 26; C 24, 24 → 24
    assert [
        (r.code, r.official_rank, r.adjusted_rank, r.adjusted_total, r.moved) for r in w.rows
    ] == [
        ("A", 1, 1, D("77.00"), 0),
        ("B", 3, 2, D("76.00"), 1),
        ("C", 1, 3, D("74.00"), -2),
    ]
    assert w.changed == 2


def test_review_round_figures() -> None:
    s = compute_standings(RULES, VILLAGES, {})
    review = review_round(RULES, s, papers_of(RULES, VILLAGES), ["J1", "J2", "J3"])
    shared = review.papers["shared"]
    by_judge = {row.judge: row for row in shared.judges}
    # J3: 21 − 30 = −9 on A, 20 − 29 = −9 on B → −9 over 2 villages, s = 0
    assert (by_judge["J3"].severity.mean, by_judge["J3"].severity.n) == (pytest.approx(-9), 2)
    assert by_judge["J3"].severity.low == pytest.approx(-9)
    # J1: 30 − 25.5 = 4.5, 29 − 24.5 = 4.5, 27 − 27 = 0 → mean 3 over 3; s² = (2.25·2 + 9)/2
    # = 6.75; half = t(0.975, 2) 4.3027 × √6.75 / √3 = 4.3027 × 1.5
    assert by_judge["J1"].severity.mean == pytest.approx(3)
    assert by_judge["J1"].severity.high == pytest.approx(3 + 4.3027 * 1.5)
    # leniency: J1 and J2 both +3 (code order), J3 last
    assert [(row.judge, row.leniency) for row in shared.judges] == [
        ("J1", 1),
        ("J2", 2),
        ("J3", 3),
    ]
    assert by_judge["J3"].effect == D("-6.00")
    assert (by_judge["J1"].sheets, by_judge["J3"].sheets, by_judge["J3"].trimmed) == (3, 2, 0)
    # agreement on A, B × J1, J2, J3 (6 cells; without J3: A, B, C × 2 = 6, not more)
    assert (shared.agreement.villages, shared.agreement.judges) == (2, 3)
    assert review.what_if.changed == 2


def test_trimmed_counts() -> None:
    five = ("J1", "J2", "J3", "J4", "J5")
    v = VillageInput(
        code="A",
        name="A村",
        targets=(Item("t", "示范", D(30)),),
        expected_judges=five,
        shared_sheets=tuple(
            JudgeSheet(j, {"x": D(x)}) for j, x in zip(five, (30, 31, 32, 33, 3), strict=True)
        ),
        demonstration_sheets=(),
        satisfaction_rate=D(100),
    )
    s = compute_standings(RULES, [v], {})
    shared = review_round(RULES, s, papers_of(RULES, [v]), five).papers["shared"]
    rows = {r.judge: r for r in shared.judges}
    # 5 judges: drop J5 (3, lowest) and J4 (33, highest)
    assert (rows["J5"].trimmed_low, rows["J4"].trimmed_high, rows["J1"].trimmed) == (1, 1, 0)
    assert [(x.judge, x.gap) for x in shared.suspects] == [("J5", D("-28.5"))]


def test_adjusted_official_scores_only_when_opted_in() -> None:
    rules = replace(RULES, aggregation=replace(RULES.aggregation, adjust_judge_severity=True))
    adjusted = adjust_inputs(rules, VILLAGES)
    # J3's sheet on A: 21 − (−6) × 40 / 40 = 27
    assert adjusted[0].shared_sheets[2].items == {"x": D(27)}
    s = compute_standings(rules, adjusted, {})
    assert [(r.code, r.rank, r.shared.score) for r in s.rows] == [
        ("A", 1, D("27.00")),
        ("B", 2, D("26.00")),
        ("C", 3, D("24.00")),
    ]
    # the definition default keeps official scores plain
    assert Aggregation().adjust_judge_severity is False


def test_adjusted_score_matches_aggregate() -> None:
    import random

    from arena.scoring.aggregate import aggregate
    from arena.scoring.consistency import adjusted_score

    rng = random.Random(5)
    for method in ("trimmed", "mean", "median"):
        for n in range(1, 9):
            sheets = [JudgeSheet(f"J{i}", {"x": D(rng.randint(0, 80)) / 2}) for i in range(n)]
            effects = {f"J{i}": D(rng.randint(-300, 300)) / 100 for i in range(n)}
            a = Aggregation(method, trim=1, min_judges_for_trim=5)  # type: ignore[arg-type]
            shifted = [JudgeSheet(s.judge, {"x": s.total - effects[s.judge]}) for s in sheets]
            assert adjusted_score(sheets, effects, a) == aggregate(shifted, ["x"], a).score
