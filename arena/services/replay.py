"""The day replayed (复盘) from a round's audit events, with the freeze respected."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from arena.errors import UserError, forbidden, invalid
from arena.models import AuditEvent
from arena.rounds.definition import num
from arena.scoring.papers import SurveyTally
from arena.scoring.replay import SCORE_ACTIONS, Frame, Granularity, ScoreEvent, replay
from arena.scoring.standings import Item, Previous, VillageInput
from arena.services.reveal import RevealState, load_state
from arena.services.rounds import RoundMeta
from arena.services.standings import StandingsService, rules_of
from arena.services.views import row_view

GRANULARITIES: tuple[Granularity, ...] = ("sheet", "stop")
PAPER_WORDS = {"shared": "共性目标", "demonstration": "示范目标"}


def granularity(raw: str | None, organiser: bool) -> Granularity:
    """`by` of a request: stop (default) or sheet — sheet by sheet is for organisers only,
    as it ties each change to one judge's sheet (judges stay anonymous to villages)."""
    by = raw or "stop"
    if by not in GRANULARITIES:
        raise invalid("by", "只能是 sheet（逐份评分表）或 stop（逐站）")
    if by == "sheet" and not organiser:
        raise forbidden("逐份评分表复盘仅限组织者查看", "organiser_only", "by")
    return by  # type: ignore[return-value]


async def replay_limit(round_id: int, state: RevealState, organiser: bool) -> int | None:
    """The last audit entry a reader may replay up to (None: all of them).

    Before the places are revealed only an organiser can play the day. Once every place is
    announced but the screens are still frozen, the others see it up to the freeze — the board
    they were shown — and after the release, the whole day.
    """
    if organiser or not state.frozen:
        return None
    rows = state.snapshot["rows"] if state.snapshot else []
    if state.revealed < len(rows):
        raise UserError(403, "reveal_pending", "名次揭晓前，只有组织者可以播放当天复盘", None)
    freeze = (
        await AuditEvent.filter(subject=f"round:{round_id}", action="reveal.freeze")
        .order_by("-id")
        .first()
    )
    return freeze.id - 1 if freeze is not None else None


async def score_events(round_id: int, until: int | None = None) -> list[ScoreEvent]:
    """The round's score events in chain order (up to entry `until`)."""
    query = AuditEvent.filter(subject=f"round:{round_id}", action__in=SCORE_ACTIONS)
    if until is not None:
        query = query.filter(id__lte=until)
    rows = await query.order_by("id").values_list("id", "at", "action", "payload")
    return [ScoreEvent(i, at, action, payload) for i, at, action, payload in rows]


def skeletons(meta: RoundMeta) -> list[VillageInput]:
    """The round's villages with nothing recorded, as the standings service builds them."""
    surveyed = meta.definition.survey is not None
    return [
        VillageInput(
            code=v.code,
            name=v.name,
            targets=tuple(Item(t.code, t.name, t.max) for t in v.targets),
            expected_judges=tuple(j.code for j in meta.expected_judges(v)),
            shared_sheets=(),
            demonstration_sheets=(),
            survey=SurveyTally({}, 0, False) if surveyed else None,
        )
        for v in meta.villages.values()
    ]


CACHED = 16  # replays kept per process (a results meeting plays one or two rounds)


class ReplayService:
    """Frames of a round's day, computed with the standings service's rules and previous round.

    Frames are kept until the round gets another score event or a round its deltas compare with
    changes (the standings' signature), so a hall screen and the villages' phones reloading the
    replay cost one computation.
    """

    def __init__(self, standings: StandingsService, zone: ZoneInfo) -> None:
        self.standings = standings
        self.zone = zone
        self._cache: dict[tuple[Any, ...], tuple[RoundMeta, str, list[Frame]]] = {}

    async def previous(self, round_id: int) -> dict[str, Previous]:
        """Each village's total and rank in the round its delta compares with."""
        result = await self.standings.result(round_id)
        out: dict[str, Previous] = {}
        for code, other_id in result.previous_round.items():
            other = await self.standings.result(other_id)
            row = next(r for r in other.standings.rows if r.code == code)
            out[code] = Previous(row.total, row.rank)
        return out

    async def frames(
        self, round_id: int, by: Granularity, until: int | None = None
    ) -> tuple[RoundMeta, str, list[Frame]]:
        """The round, its status and its frames."""
        result = await self.standings.result(round_id)
        meta = result.meta
        events = await score_events(round_id, until)
        key = (round_id, by, until, events[-1].id if events else 0, result.signature)
        cached = self._cache.get(key)
        if cached is not None and cached[0] is meta:
            return cached
        frames = replay(rules_of(meta), skeletons(meta), await self.previous(round_id), events, by)
        if len(self._cache) >= CACHED:
            self._cache.pop(next(iter(self._cache)))
        self._cache[key] = (meta, result.status, frames)
        return meta, result.status, frames

    async def view(
        self, round_id: int, by: Granularity, organiser: bool, village: str | None = None
    ) -> dict[str, Any]:
        """The replay as the screen plays it (or one village's places through the day)."""
        until = await replay_limit(round_id, await load_state(round_id), organiser)
        meta, status, frames = await self.frames(round_id, by, until)
        if village is not None and village not in meta.villages:
            raise invalid("village", f"村编码 {village} 不在本轮名单中", "unknown_code")
        last = frames[-1]
        body: dict[str, Any] = {
            "round": meta.summary(status),
            "by": by,
            "until": until,
            "villages": {
                v.code: {"name": v.name, "township": v.township} for v in meta.villages.values()
            },
            "count": len(meta.villages),
            "sheets_expected": last.standings.sheets_expected,
        }
        if village is not None:
            body["places"] = [self._place(meta, f, village) for f in frames]
            return body
        body["frames"] = [
            self._frame(meta, f, f.events - frames[i - 1].events if i else 0)
            for i, f in enumerate(frames)
        ]
        body["final"] = [row_view(meta, r) for r in last.standings.rows]
        return body

    def _moment(self, frame: Frame) -> dict[str, Any]:
        event = frame.last
        at = dt.datetime.fromisoformat(event.at) if event is not None else None
        return {
            "index": frame.index,
            "event": event.id if event is not None else None,
            "at": event.at if event is not None else None,
            "clock": at.astimezone(self.zone).strftime("%H:%M") if at is not None else None,
            "events": frame.events,
            "sheets_in": frame.standings.sheets_in,
        }

    def _frame(self, meta: RoundMeta, frame: Frame, run: int) -> dict[str, Any]:
        return {
            **self._moment(frame),
            "what": describe(meta, frame, run),
            "village": frame.last.village if frame.last is not None else None,
            "complete": frame.standings.complete,
            "rows": [
                {
                    "village": r.code,
                    "rank": r.rank,
                    "total": num(r.total),
                    "provisional": r.provisional,
                    "bottom20": r.bottom20,
                    "sheets_in": r.sheets_in,
                }
                for r in frame.standings.rows
            ],
        }

    def _place(self, meta: RoundMeta, frame: Frame, code: str) -> dict[str, Any]:
        row = next(r for r in frame.standings.rows if r.code == code)
        return {
            **self._moment(frame),
            "what": describe(meta, frame, 1),
            "rank": row.rank if row.sheets_in else None,  # no place before it was scored
            "total": num(row.total),
            "provisional": row.provisional,
        }


def describe(meta: RoundMeta, frame: Frame, run: int) -> str:
    """What happened since the frame before (`run` events), in words that name no judge."""
    event = frame.last
    if event is None:
        return "开始：尚无评分"
    v = meta.villages.get(event.village)
    name = v.name if v is not None else event.village
    if run > 1:
        return f"{name} · 收到 {run} 条评分记录"
    p = event.payload
    words = {
        "sheet.submit": lambda: f"{name} · 收到{PAPER_WORDS.get(str(p.get('paper')), '')}评分表",
        "sheet.proxy": lambda: f"{name} · 代录{PAPER_WORDS.get(str(p.get('paper')), '')}评分表",
        "sheet.void": lambda: f"{name} · 作废一份{PAPER_WORDS.get(str(p.get('paper')), '')}评分表",
        "deduction.add": lambda: f"{name} · 扣分 {p.get('points')} 分",
        "deduction.withdraw": lambda: f"{name} · 撤销一项扣分",
        "satisfaction.set": lambda: f"{name} · 录入满意度",
        "satisfaction.withdraw": lambda: f"{name} · 撤销满意度",
        "survey.answer": lambda: f"{name} · 群众测评答卷",
        "survey.void": lambda: f"{name} · 作废一份测评答卷",
        "survey.close": lambda: f"{name} · 群众测评结束",
    }
    return words.get(event.action, lambda: name)()
