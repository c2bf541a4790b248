"""The day replayed, in the pure core: frames worked out by hand."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from arena.scoring.aggregate import Aggregation
from arena.scoring.replay import ScoreEvent, replay
from arena.scoring.standings import Item, RoundRules, VillageInput

D = Decimal
RULES = RoundRules(
    aggregation=Aggregation(),  # trimmed from 5 judges: with 2 judges, the mean of both
    tie_breaks=("shared", "satisfaction", "-deductions"),
    shared_items=(Item("a", "组织建设", D(10)),),
    shared_max=D(10),
    demonstration_max=D(10),
    satisfaction_max=D(30),
    deduction_cap=D(5),
    scale={"满意": D(1), "不满意": D(0)},
    min_responses=2,
)
VILLAGES = [
    VillageInput("A", "甲村", (Item("t1", "示范", D(10)),), ("J1", "J2"), (), ()),
    VillageInput("B", "乙村", (Item("t1", "示范", D(10)),), ("J1", "J2"), (), ()),
]


def sheet(n: int, village: str, judge: str, points: int, version: int = 1) -> ScoreEvent:
    payload = {"village": village, "paper": "shared", "judge": judge, "version": version}
    return ScoreEvent(n, f"2025-09-16T0{n}:00:00+00:00", "sheet.submit",
                      {**payload, "items": {"a": str(points)}, "total": str(points)})  # fmt: skip


def event(n: int, action: str, **payload: Any) -> ScoreEvent:
    return ScoreEvent(n, f"2025-09-16T0{n}:00:00+00:00", action, payload)


EVENTS = [
    sheet(1, "A", "J1", 8),
    sheet(2, "B", "J1", 9),
    sheet(3, "A", "J2", 10),
    event(4, "deduction.add", id=41, village="A", item="f", points="0.5", reason="材料不全"),
    event(5, "sheet.void", village="A", paper="shared", judge="J2", version=1, reason="录错"),
    event(6, "deduction.withdraw", id=41, village="A", reason="核实无误"),
    sheet(7, "B", "J2", 5),
    event(8, "satisfaction.set", village="B", counts={"满意": 3, "不满意": 1}),
    event(9, "report.something", village="B"),  # not a score event: skipped
]


def places(frame: Any) -> list[tuple[str, int, str, bool]]:
    return [(r.code, r.rank, str(r.total), r.bottom20) for r in frame.standings.rows]


def test_frames_sheet_by_sheet() -> None:
    frames = replay(RULES, VILLAGES, {}, EVENTS, by="sheet")
    # Frame 0: nothing in, both 0.00 and tied (bottom 20% = ceil(0.2 × 2) = the last 1 rank).
    assert [f.events for f in frames] == [0, 1, 2, 3, 4, 5, 6, 7, 8]
    assert [str(r.total) for r in frames[0].standings.rows] == ["0.00", "0.00"]
    # 1: A has J1's 8 -> A 8.00, B 0.00
    assert places(frames[1]) == [("A", 1, "8.00", False), ("B", 2, "0.00", True)]
    # 2: B has J1's 9 -> B 9.00 above A 8.00
    assert places(frames[2]) == [("B", 1, "9.00", False), ("A", 2, "8.00", True)]
    # 3: A = mean(8, 10) = 9.00 = B; shared, satisfaction, deductions all equal -> a shared 1st,
    # and the shared place holds the last position: both are in the bottom 20%
    assert places(frames[3]) == [("A", 1, "9.00", True), ("B", 1, "9.00", True)]
    # 4: A − 0.5 deduction = 8.50 -> B first again
    assert places(frames[4]) == [("B", 1, "9.00", False), ("A", 2, "8.50", True)]
    # 5: J2's sheet for A voided -> A = 8 − 0.5 = 7.50
    assert places(frames[5]) == [("B", 1, "9.00", False), ("A", 2, "7.50", True)]
    # 6: the deduction withdrawn -> A 8.00
    assert places(frames[6]) == [("B", 1, "9.00", False), ("A", 2, "8.00", True)]
    # 7: B = mean(9, 5) = 7.00 -> A 8.00 first
    assert places(frames[7]) == [("A", 1, "8.00", False), ("B", 2, "7.00", True)]
    # 8: B's satisfaction 30 × (3×1 + 1×0) / 4 = 22.50 -> B 29.50
    assert places(frames[8]) == [("B", 1, "29.50", False), ("A", 2, "8.00", True)]
    assert frames[8].last is not None and frames[8].last.id == 8
    # Sheets in: A has J1 (J2 voided), B has J1 and J2 -> 3 of 2 villages × 2 judges × 2 papers
    assert (frames[8].standings.sheets_in, frames[8].standings.sheets_expected) == (3, 8)


def test_frames_stop_by_stop() -> None:
    frames = replay(RULES, VILLAGES, {}, EVENTS, by="stop")
    # Runs at one village: [1 A] [2 B] [3 4 5 6 A] [7 8 B] -> frames after events 1, 2, 6, 8
    assert [f.events for f in frames] == [0, 1, 2, 6, 8]
    assert places(frames[3]) == [("B", 1, "9.00", False), ("A", 2, "8.00", True)]
    assert places(frames[-1]) == places(replay(RULES, VILLAGES, {}, EVENTS)[-1])


def test_a_replaced_sheet_counts_once_and_survey_answers_fold_into_the_next_frame() -> None:
    surveyed = [v.__class__(**{**v.__dict__, "survey": None}) for v in VILLAGES]
    events = [
        sheet(1, "A", "J1", 8),
        sheet(2, "A", "J1", 6, version=2),  # replaces version 1: A = 6.00, not mean(8, 6)
        event(3, "survey.answer", id=1, village="A", answers={"q1": "满意"}),
        event(4, "deduction.add", id=7, village="A", item="f", points="1", reason="x"),
    ]
    frames = replay(RULES, surveyed, {}, events, by="sheet")
    assert [f.events for f in frames] == [0, 1, 2, 4]  # no frame of its own for the answer
    assert places(frames[2])[0] == ("A", 1, "6.00", False)
    assert places(frames[3])[0] == ("A", 1, "5.00", False)  # 6 − 1


def test_unknown_granularity_is_refused() -> None:
    with pytest.raises(ValueError):
        replay(RULES, VILLAGES, {}, EVENTS, by="hour")  # type: ignore[arg-type]
