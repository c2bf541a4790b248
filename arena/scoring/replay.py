"""The day replayed (复盘): the standings after each score event, from the audit log alone.

The audit events of a round are replayed in chain order onto an empty round: a judge's sheet
(`sheet.submit`, or `sheet.proxy` typed in by the organiser) becomes that judge's current sheet
for the village and paper, replacing the earlier version; `sheet.void` takes the named version
out; `deduction.add` / `deduction.withdraw` and `satisfaction.set` / `satisfaction.withdraw`
add and remove the other papers' figures; `survey.answer` / `survey.void` / `survey.close` are
the residents' phone survey. After each event (`by="sheet"`) or after each run of events at the
same village (`by="stop"`), the standings are computed with the same scoring core as the live
ranking (`compute_standings`), so the last frame is the final standings exactly. Residents'
answers arrive by the hundred: they never end a frame of their own, they count from the next one.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any, Literal

from arena.scoring.aggregate import JudgeSheet
from arena.scoring.numbers import to_decimal
from arena.scoring.papers import Deduction, SurveyTally
from arena.scoring.standings import (
    Previous,
    RoundRules,
    Standings,
    VillageInput,
    compute_standings,
)
from arena.scoring.whatif import adjust_inputs

SCORE_ACTIONS = (
    "sheet.submit",
    "sheet.proxy",
    "sheet.void",
    "deduction.add",
    "deduction.withdraw",
    "satisfaction.set",
    "satisfaction.withdraw",
    "survey.answer",
    "survey.void",
    "survey.close",
)
Granularity = Literal["sheet", "stop"]


@dataclass(frozen=True)
class ScoreEvent:
    """One score event of the round as the audit chain holds it."""

    id: int  # the audit entry's number: chain order
    at: str  # ISO 8601 UTC
    action: str
    payload: Mapping[str, Any]

    @property
    def village(self) -> str:
        """The code of the village the event is about."""
        return str(self.payload.get("village", ""))


@dataclass(frozen=True)
class Frame:
    """The standings as they stood after `events` (the last of them is `last`)."""

    index: int  # 0 = before the first event
    last: ScoreEvent | None
    events: int  # how many score events are in
    standings: Standings


@dataclass
class _State:
    """What the round holds after the events so far (mutable while replaying)."""

    sheets: dict[tuple[str, str, str], tuple[int, JudgeSheet]] = field(default_factory=dict)
    deductions: dict[int, tuple[str, Deduction]] = field(default_factory=dict)
    satisfaction: dict[str, tuple[dict[str, int] | None, Decimal | None]] = field(
        default_factory=dict
    )
    answers: dict[int, tuple[str, tuple[str, ...]]] = field(default_factory=dict)
    closed: set[str] = field(default_factory=set)

    def apply(self, event: ScoreEvent) -> None:
        p = event.payload
        village = event.village
        if event.action in ("sheet.submit", "sheet.proxy"):
            items = {str(k): to_decimal(v) for k, v in p["items"].items()}
            sheet = JudgeSheet(str(p["judge"]), items, str(p.get("comment", "")))
            self.sheets[(village, str(p["paper"]), sheet.judge)] = (int(p["version"]), sheet)
        elif event.action == "sheet.void":
            key = (village, str(p["paper"]), str(p["judge"]))
            current = self.sheets.get(key)
            if current is not None and current[0] == int(p["version"]):
                del self.sheets[key]
        elif event.action == "deduction.add":
            entry = Deduction(str(p["item"]), to_decimal(p["points"]), str(p.get("reason", "")))
            self.deductions[int(p["id"])] = (village, entry)
        elif event.action == "deduction.withdraw":
            self.deductions.pop(int(p["id"]), None)
        elif event.action == "satisfaction.set":
            counts = p.get("counts")
            rate = p.get("rate")
            self.satisfaction[village] = (
                {str(k): int(v) for k, v in counts.items()} if counts is not None else None,
                to_decimal(rate) if rate is not None else None,
            )
        elif event.action == "satisfaction.withdraw":
            self.satisfaction.pop(village, None)
        elif event.action == "survey.answer":
            labels = tuple(str(label) for label in p["answers"].values())
            self.answers[int(p["id"])] = (village, labels)
        elif event.action == "survey.void":
            self.answers.pop(int(p["id"]), None)
        elif event.action == "survey.close":
            self.closed.add(village)
        else:
            raise ValueError(f"not a score event: {event.action}")

    def tally(self, code: str) -> SurveyTally:
        """A village's residents' answers so far, as arena/services/surveys/tally.py counts them."""
        counts: dict[str, int] = {}
        respondents = 0
        for village, labels in self.answers.values():
            if village == code:
                respondents += 1
                for label in labels:
                    counts[label] = counts.get(label, 0) + 1
        return SurveyTally(counts, respondents, code in self.closed)

    def inputs(self, villages: Sequence[VillageInput]) -> list[VillageInput]:
        """The round's villages with what has been recorded for them so far."""
        # Sheets in judge-code order: the same order for every frame (aggregation ignores it).
        sheets: dict[tuple[str, str], list[tuple[str, JudgeSheet]]] = {}
        for (code, paper, judge), (_, sheet) in self.sheets.items():
            sheets.setdefault((code, paper), []).append((judge, sheet))
        deductions: dict[str, list[Deduction]] = {}
        for _, (code, entry) in sorted(self.deductions.items()):
            deductions.setdefault(code, []).append(entry)

        def papers(code: str, paper: str) -> tuple[JudgeSheet, ...]:
            return tuple(s for _, s in sorted(sheets.get((code, paper), []), key=lambda t: t[0]))

        out = []
        for v in villages:
            counts, rate = self.satisfaction.get(v.code, (None, None))
            out.append(
                replace(
                    v,
                    shared_sheets=papers(v.code, "shared"),
                    demonstration_sheets=papers(v.code, "demonstration"),
                    satisfaction_counts=counts,
                    satisfaction_rate=rate,
                    deductions=tuple(deductions.get(v.code, ())),
                    # A round that runs the residents' survey gives every village a tally.
                    survey=self.tally(v.code) if v.survey is not None else None,
                )
            )
        return out


def _standings(
    rules: RoundRules,
    villages: Sequence[VillageInput],
    previous: Mapping[str, Previous],
    state: _State,
) -> Standings:
    inputs = state.inputs(villages)
    if rules.aggregation.adjust_judge_severity:  # the round opted in: score as the live ranking
        inputs = adjust_inputs(rules, inputs)
    return compute_standings(rules, inputs, previous)


def _cuts(events: Sequence[ScoreEvent], by: Granularity) -> set[int]:
    """The indexes of the events after which a frame is taken (always after the last one)."""
    ends = [i for i, e in enumerate(events) if e.action != "survey.answer"]
    if by == "stop":
        ends = [
            i for n, i in enumerate(ends)
            if n == len(ends) - 1 or events[ends[n + 1]].village != events[i].village
        ]  # fmt: skip
    return {*ends, len(events) - 1} if events else set()


def replay(
    rules: RoundRules,
    villages: Sequence[VillageInput],
    previous: Mapping[str, Previous],
    events: Iterable[ScoreEvent],
    by: Granularity = "sheet",
) -> list[Frame]:
    """Frame 0 (nothing in), then the standings after each event or each stop, in chain order.

    `villages` are the round's villages with nothing recorded (code, name, targets, expected
    judges; `survey` an empty tally when the round runs the residents' survey); events that are
    not score events are skipped.
    """
    if by not in ("sheet", "stop"):
        raise ValueError(f"unknown replay granularity {by!r}")
    scored = [e for e in events if e.action in SCORE_ACTIONS]
    state = _State()
    frames = [Frame(0, None, 0, _standings(rules, villages, previous, state))]
    cuts = _cuts(scored, by)
    for i, event in enumerate(scored):
        state.apply(event)
        if i in cuts:
            standings = _standings(rules, villages, previous, state)
            frames.append(Frame(len(frames), event, i + 1, standings))
    return frames
