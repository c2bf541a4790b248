"""Benchmark the judges' consistency review as sheets arrive: 200 villages × 15 judges.

    python bench/consistency.py [--villages 200] [--judges 15] [--sheets 60] [--seed 2025]

Builds a whole round in memory (every judge scores every village on both judged papers: 5 shared
items, 2 demonstration targets; seeded, with a few harsh and kind judges and some typing slips),
then lets `--sheets` more sheets arrive one at a time (a judge re-submits a village's paper) and
after each one recomputes what the organiser's page shows: the standings (compute_standings) and
the consistency review (review_round: severity, ICC(2,1)/ICC(2,k), Kendall's W, patterns,
suspect sheets, the what-if ranking). Prints milliseconds per recompute, review alone and with
the standings, as median and 95th percentile.
"""

from __future__ import annotations

import argparse
import dataclasses
import random
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a checkout

from arena.scoring.aggregate import Aggregation, JudgeSheet
from arena.scoring.papers import DEFAULT_SCALE
from arena.scoring.review import review_round
from arena.scoring.standings import Item, RoundRules, VillageInput, compute_standings
from arena.scoring.whatif import papers_of

SHARED = (("org", 10), ("eco", 10), ("build", 8), ("talent", 6), ("gov", 6))
TARGETS = (("t1", 15), ("t2", 15))


def half(x: float, maximum: int) -> Decimal:
    """Points to the half point, within 0 … maximum."""
    return Decimal(str(max(0.0, min(maximum, round(x * 2) / 2))))


def sheet(rng: random.Random, judge: str, bias: float, level: float, items: tuple) -> JudgeSheet:
    points = {c: half(m * (level + bias + rng.gauss(0, 0.05)), m) for c, m in items}
    if rng.random() < 0.003:  # a typing slip: one item at a tenth
        code, m = items[0]
        points[code] = half(float(points[code]) / 10, m)
    return JudgeSheet(judge, points)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--villages", type=int, default=200)
    parser.add_argument("--judges", type=int, default=15)
    parser.add_argument("--sheets", type=int, default=60)
    parser.add_argument("--seed", type=int, default=2025)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    judges = [f"J{n:02d}" for n in range(1, args.judges + 1)]
    bias = {j: rng.gauss(0, 0.04) for j in judges}
    level = {f"V{n:03d}": rng.uniform(0.5, 0.9) for n in range(1, args.villages + 1)}
    rules = RoundRules(
        aggregation=Aggregation("trimmed", 1, 5),
        tie_breaks=("shared", "satisfaction", "-deductions"),
        shared_items=tuple(Item(c, c, Decimal(m)) for c, m in SHARED),
        shared_max=Decimal(40),
        demonstration_max=Decimal(30),
        satisfaction_max=Decimal(30),
        deduction_cap=Decimal(10),
        scale=DEFAULT_SCALE,
        min_responses=30,
    )
    villages = {
        code: VillageInput(
            code=code,
            name=code,
            targets=tuple(Item(c, c, Decimal(m)) for c, m in TARGETS),
            expected_judges=tuple(judges),
            shared_sheets=tuple(sheet(rng, j, bias[j], lv, SHARED) for j in judges),
            demonstration_sheets=tuple(sheet(rng, j, bias[j], lv, TARGETS) for j in judges),
            satisfaction_rate=Decimal(str(round(rng.uniform(80, 99), 1))),
        )
        for code, lv in level.items()
    }
    sheets = 2 * args.villages * args.judges
    review_ms: list[float] = []
    total_ms: list[float] = []
    last = None
    for _ in range(args.sheets):
        code = rng.choice(list(villages))
        judge = rng.choice(judges)
        v = villages[code]
        shared = tuple(
            sheet(rng, judge, bias[judge], level[code], SHARED) if s.judge == judge else s
            for s in v.shared_sheets
        )
        villages[code] = dataclasses.replace(v, shared_sheets=shared)
        inputs = list(villages.values())
        start = time.perf_counter()
        standings = compute_standings(rules, inputs, {})
        middle = time.perf_counter()
        last = review_round(rules, standings, papers_of(rules, inputs), judges)
        end = time.perf_counter()
        review_ms.append((end - middle) * 1000)
        total_ms.append((end - start) * 1000)
    assert last is not None

    def line(name: str, values: list[float]) -> str:
        p95 = sorted(values)[max(0, int(round(0.95 * len(values))) - 1)]
        return f"{name}: median {statistics.median(values):.1f} ms, p95 {p95:.1f} ms"

    print(
        f"consistency: {args.villages} villages × {args.judges} judges, {sheets} sheets, "
        f"{args.sheets} recomputes (one per arriving sheet)"
    )
    print(line("  review_round per sheet", review_ms))
    print(line("  standings + review per sheet", total_ms))
    shared_review = last.papers["shared"]
    a = shared_review.agreement
    print(
        f"  last review: shared ICC(2,1) {a.icc_single:.3f}, ICC(2,k) {a.icc_average:.3f}, "
        f"W {a.kendall_w:.3f} on {a.villages}×{a.judges}; suspects {len(last.suspects)}; "
        f"what-if changes {last.what_if.changed} places"
    )


if __name__ == "__main__":
    main()
