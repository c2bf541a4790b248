"""Stuffing patterns in a village's answers (pure: plain values in, flags out).

An answer is flagged, never refused, for these (the thresholds are the module's constants):
- 同一地址集中作答: BURST_COUNT or more answers from one client address (its keyed digest)
  within BURST_SECONDS. A village square on one Wi-Fi can do this honestly, hence a flag.
- 同一手机多次作答: DEVICE_COUNT or more answers from one browser (its device cookie) within
  DEVICE_SECONDS.
- 连续相同答案: RUN_LENGTH or more answers in a row (in time order) with exactly the same
  choices, each within RUN_GAP_SECONDS of the one before.
- 卡号猜测: an address that typed GUESS_FLAG or more codes matching no card within GUESS_WINDOW.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

BURST_COUNT, BURST_SECONDS = 5, 120
DEVICE_COUNT, DEVICE_SECONDS = 3, 600
RUN_LENGTH, RUN_GAP_SECONDS = 4, 30
GUESS_FLAG, GUESS_WINDOW = 5, dt.timedelta(hours=1)


@dataclass(frozen=True)
class Answered:
    """One answer as the checks see it."""

    id: int
    at: dt.datetime
    addr: str
    device: str
    choices: tuple[str, ...]  # the labels, in question order


@dataclass
class Flags:
    """Why each flagged answer is flagged, and the patterns found (for the organiser)."""

    by_answer: dict[int, list[str]] = field(default_factory=dict)
    patterns: list[dict[str, object]] = field(default_factory=list)

    def mark(self, ids: Sequence[int], reason: str) -> None:
        for i in ids:
            reasons = self.by_answer.setdefault(i, [])
            if reason not in reasons:
                reasons.append(reason)


def _bursts(
    answers: Sequence[Answered], key: str, count: int, seconds: int
) -> list[list[Answered]]:
    """Maximal groups of answers sharing `key` with `count` or more inside one window."""
    groups: dict[str, list[Answered]] = {}
    for a in answers:
        value = getattr(a, key)
        if value:
            groups.setdefault(value, []).append(a)
    found: list[list[Answered]] = []
    for same in groups.values():
        same.sort(key=lambda a: (a.at, a.id))
        flagged: set[int] = set()
        start = 0
        for end in range(len(same)):
            while (same[end].at - same[start].at).total_seconds() > seconds:
                start += 1
            if end - start + 1 >= count:
                flagged.update(a.id for a in same[start : end + 1])
        if flagged:
            found.append([a for a in same if a.id in flagged])
    return found


def _runs(answers: Sequence[Answered]) -> list[list[Answered]]:
    ordered = sorted(answers, key=lambda a: (a.at, a.id))
    runs: list[list[Answered]] = []
    current: list[Answered] = []
    for a in ordered:
        if (
            current
            and a.choices == current[-1].choices
            and (a.at - current[-1].at).total_seconds() <= RUN_GAP_SECONDS
        ):
            current.append(a)
        else:
            if len(current) >= RUN_LENGTH:
                runs.append(current)
            current = [a]
    if len(current) >= RUN_LENGTH:
        runs.append(current)
    return runs


def find_flags(
    answers: Sequence[Answered], bad_codes: Sequence[tuple[str, dt.datetime]], now: dt.datetime
) -> Flags:
    """Flag the answers of one village, and the addresses guessing typed codes."""
    out = Flags()
    for group in _bursts(answers, "addr", BURST_COUNT, BURST_SECONDS):
        reason = f"同一地址 {BURST_SECONDS // 60} 分钟内 {len(group)} 份"
        out.mark([a.id for a in group], reason)
        out.patterns.append(_pattern("burst", reason, group))
    for group in _bursts(answers, "device", DEVICE_COUNT, DEVICE_SECONDS):
        reason = f"同一手机 {DEVICE_SECONDS // 60} 分钟内 {len(group)} 份"
        out.mark([a.id for a in group], reason)
        out.patterns.append(_pattern("device", reason, group))
    for run in _runs(answers):
        reason = f"连续 {len(run)} 份答案完全相同、间隔不超过 {RUN_GAP_SECONDS} 秒"
        out.mark([a.id for a in run], reason)
        out.patterns.append(_pattern("identical", reason, run))
    per_addr: dict[str, list[dt.datetime]] = {}
    for addr, at in bad_codes:
        if now - at <= GUESS_WINDOW:
            per_addr.setdefault(addr, []).append(at)
    for addr, times in sorted(per_addr.items()):
        if len(times) >= GUESS_FLAG:
            out.patterns.append(
                {
                    "kind": "guessing",
                    "text": f"地址 {addr[:8]}… 1 小时内输错卡号 {len(times)} 次",
                    "answers": [],
                    "first": min(times).isoformat(timespec="seconds"),
                    "last": max(times).isoformat(timespec="seconds"),
                }
            )
    return out


def _pattern(kind: str, text: str, group: Sequence[Answered]) -> dict[str, object]:
    return {
        "kind": kind,
        "text": text,
        "answers": [a.id for a in group],
        "first": min(a.at for a in group).isoformat(timespec="seconds"),
        "last": max(a.at for a in group).isoformat(timespec="seconds"),
    }
