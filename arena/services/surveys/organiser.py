"""The organiser's side of the survey: print cards, watch it live, void an answer, close a village.

Every write goes through ScoreWriter.write: one transaction with the audit event, the round's
revision bumped (so standings are computed again and pushed), idempotent under a key.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

from tortoise.backends.base.client import BaseDBAsyncClient

from arena import body
from arena.auth import Principal
from arena.db import plain_rows
from arena.errors import UserError, invalid
from arena.models import SurveyAnswer, SurveyCard, SurveyClosure, SurveyGuess
from arena.rounds.definition import num
from arena.services.rounds import RoundMeta, VillageMeta
from arena.services.scores import ScoreWriter
from arena.services.standings import StandingsService
from arena.surveys import secrets
from arena.surveys.definition import SurveyDef
from arena.surveys.flags import GUESS_WINDOW, Answered, find_flags
from arena.surveys.pdf import PrintedCard, cards_pdf

MAX_BATCH = 2000
CURVE_BUCKETS = 60


def survey_of(meta: RoundMeta) -> SurveyDef:
    """The round's survey settings, or a 404 when the round runs none."""
    if meta.definition.survey is None:
        raise UserError(
            404, "no_survey", "本轮没有设置群众满意度测评（papers.satisfaction.survey）", None
        )
    return meta.definition.survey


def village_of(meta: RoundMeta, code: Any, field: str = "village") -> VillageMeta:
    if not isinstance(code, str) or code not in meta.villages:
        raise invalid(field, f"村编码 {code} 不在本轮名单中", "unknown_code")
    return meta.villages[code]


class SurveyAdmin:
    """Cards, live view, voiding and closing, for organisers."""

    def __init__(self, scores: ScoreWriter, standings: StandingsService, base_url: str) -> None:
        self.scores = scores
        self.rounds = scores.rounds
        self.standings = standings
        self.base_url = base_url.rstrip("/")

    async def issue_cards(
        self, principal: Principal, round_id: int, data: dict[str, Any]
    ) -> tuple[bytes, dict[str, Any]]:
        """Make N new cards for a village and the PDF that prints them (their only copy)."""
        meta = await self.rounds.get(round_id)
        body.only(data, {"village", "count"})
        village = village_of(meta, data.get("village"))
        survey = survey_of(meta)
        count = body.integer(data.get("count", survey.sample_size), "count", low=1, high=MAX_BATCH)
        printed: list[PrintedCard] = []

        async def apply(conn: BaseDBAsyncClient) -> tuple[dict[str, Any], dict[str, Any]]:
            last = await plain_rows(
                SurveyCard,
                "SELECT MAX(number) AS last_number, MAX(batch) AS last_batch"
                " FROM {table} WHERE village_id = {0}",
                village.id, conn=conn,
            )  # fmt: skip
            first = int(last[0][0] or 0) + 1
            batch = int(last[0][1] or 0) + 1
            rows = []
            for n in range(first, first + count):
                qr, code = secrets.qr_secret(), secrets.typed_code()
                printed.append(PrintedCard(n, f"{self.base_url}/q/{qr}", code))
                rows.append(
                    SurveyCard(
                        round_id=round_id,
                        village_id=village.id,
                        number=n,
                        batch=batch,
                        qr_hash=secrets.digest(qr),
                        code_hash=secrets.digest(code),
                    )
                )
            await SurveyCard.bulk_create(rows, using_db=conn)
            info = {
                "village": village.code,
                "batch": batch,
                "first": first,
                "last": first + count - 1,
            }
            return {"cards": dict(info, count=count)}, dict(info, count=count)

        _, answer = await self.scores.write(
            principal, round_id, data, None, "survey.cards", _ok, apply
        )
        pdf = cards_pdf(meta.name, village.name, f"{self.base_url}/q", printed)
        return pdf, answer

    async def void(
        self, principal: Principal, round_id: int, answer_id: int, data: dict[str, Any]
    ) -> tuple[int, dict[str, Any]]:
        """Void one answer with a reason (kept, no longer counted)."""
        meta = await self.rounds.get(round_id)
        body.only(data, {"reason", "idempotency_key"})
        row = await SurveyAnswer.get_or_none(id=answer_id, round_id=round_id)
        if row is None:
            raise UserError(404, "not_found", "本轮没有这份答卷", "answer_id")
        survey_of(meta)
        key = body.text(data, "idempotency_key", required=False, max_length=128) or None
        reason = body.text(data, "reason", max_length=500)
        village = meta.village_by_id(row.village_id)  # type: ignore[attr-defined]
        assert village is not None
        number = await SurveyCard.filter(id=row.card_id).values_list(  # type: ignore[attr-defined]
            "number", flat=True
        )

        async def apply(conn: BaseDBAsyncClient) -> tuple[dict[str, Any], dict[str, Any]]:
            done = await plain_rows(
                SurveyAnswer,
                "UPDATE {table} SET voided_at = {0}, voided_by = {1}, void_reason = {2}"
                " WHERE id = {3} AND voided_at IS NULL RETURNING id",
                dt.datetime.now(dt.UTC), principal.name, reason, answer_id, conn=conn,
            )  # fmt: skip
            if not done:
                raise UserError(409, "already_voided", "这份答卷已经作废", "answer")
            info = {"id": answer_id, "village": village.code, "card": number[0]}
            payload = dict(info, reason=reason, voided_by=principal.name)
            return {"voided": dict(info, reason=reason)}, payload

        return await self.scores.write(principal, round_id, data, key, "survey.void", _ok, apply)

    async def close(
        self, principal: Principal, round_id: int, code: str, data: dict[str, Any]
    ) -> tuple[int, dict[str, Any]]:
        """Close a village's survey: no more answers; its satisfaction score becomes final."""
        meta = await self.rounds.get(round_id)
        body.only(data, {"idempotency_key"})
        key = body.text(data, "idempotency_key", required=False, max_length=128) or None
        village = village_of(meta, code)
        survey_of(meta)

        async def apply(conn: BaseDBAsyncClient) -> tuple[dict[str, Any], dict[str, Any]]:
            if await SurveyClosure.exists(village_id=village.id, using_db=conn):
                raise UserError(409, "already_closed", f"{village.name}的测评已经结束", "village")
            await SurveyClosure.create(
                village_id=village.id, closed_by=principal.name, using_db=conn
            )
            info = {"village": village.code, "closed_by": principal.name}
            return {"closed": info}, info

        return await self.scores.write(principal, round_id, data, key, "survey.close", _ok, apply)

    async def live(self, round_id: int, now: dt.datetime | None = None) -> dict[str, Any]:
        """Every village's survey as the organiser watches it (read again on every push)."""
        meta = await self.rounds.get(round_id)
        survey = survey_of(meta)
        now = now or dt.datetime.now(dt.UTC)
        result = await self.standings.result(round_id)
        by_code = {r.code: r for r in result.standings.rows}
        rows = await SurveyAnswer.filter(round_id=round_id).order_by("created_at", "id").values(
            "id", "village_id", "card__number", "answers", "free_text", "via", "addr_hash",
            "device_hash", "created_at", "voided_at", "voided_by", "void_reason",
        )  # fmt: skip
        issued: list[int] = await SurveyCard.filter(round_id=round_id).values_list(
            "village_id", flat=True
        )  # type: ignore[assignment]
        cards = Counter(issued)
        closed = {
            v: (by, at)
            for v, by, at in await SurveyClosure.filter(
                village_id__in=[v.id for v in meta.villages.values()]
            ).values_list("village_id", "closed_by", "closed_at")
        }
        since = now - GUESS_WINDOW
        guesses = [
            (addr, _utc(at))
            for addr, at in await SurveyGuess.filter(at__gte=since).values_list("addr_hash", "at")
        ]
        villages = []
        for village in meta.villages.values():
            mine = [r for r in rows if r["village_id"] == village.id]
            villages.append(
                _village_live(
                    survey, village, mine, cards[village.id], closed.get(village.id),
                    by_code.get(village.code), now,
                )
            )  # fmt: skip
        guessing = find_flags([], guesses, now).patterns
        return {
            "round": {**meta.summary(result.status)},
            "survey": survey.to_json(),
            "state": survey.state_at(now),
            "scale": list(meta.definition.scale),
            "villages": villages,
            "guessing": guessing,
            "now": now.isoformat(timespec="seconds"),
        }


def _utc(at: dt.datetime) -> dt.datetime:
    return at if at.tzinfo is not None else at.replace(tzinfo=dt.UTC)


def _village_live(
    survey: SurveyDef,
    village: VillageMeta,
    rows: list[dict[str, Any]],
    issued: int,
    closed: tuple[str, dt.datetime] | None,
    standing: Any,
    now: dt.datetime,
) -> dict[str, Any]:
    counted = [r for r in rows if r["voided_at"] is None]
    questions = []
    for q in survey.questions:
        tally = Counter(r["answers"].get(q.code) for r in counted)
        questions.append(
            {"code": q.code, "text": q.text, "counts": {o: tally.get(o, 0) for o in q.options}}
        )
    flags = find_flags(
        [
            Answered(
                r["id"], _utc(r["created_at"]), r["addr_hash"], r["device_hash"],
                tuple(r["answers"].get(q.code, "") for q in survey.questions),
            )
            for r in counted
        ],
        [],
        now,
    )  # fmt: skip
    sat = standing.satisfaction if standing is not None else None
    return {
        "code": village.code,
        "name": village.name,
        "sample_size": survey.sample_size,
        "cards": issued,
        "answers": len(counted),
        "voided": len(rows) - len(counted),
        "closed": closed is not None,
        "closed_by": closed[0] if closed else None,
        "questions": questions,
        "curve": _curve([_utc(r["created_at"]) for r in counted]),
        "flags": flags.patterns,
        "score": None if sat is None or sat.missing else num(sat.score),
        "provisional": bool(sat and sat.provisional),
        "insufficient": bool(sat and sat.insufficient and not sat.missing),
        "paper_counts": sat.paper_counts if sat else None,
        "survey_counts": sat.survey_counts if sat else None,
        "recent": [
            {
                "id": r["id"],
                "card": r["card__number"],
                "at": _utc(r["created_at"]).isoformat(timespec="seconds"),
                "answers": r["answers"],
                "free_text": r["free_text"],
                "via": r["via"],
                "voided": r["voided_at"] is not None,
                "void_reason": r["void_reason"],
                "flags": flags.by_answer.get(r["id"], []),
            }
            for r in reversed(rows[-200:])
        ],
    }


def _curve(times: list[dt.datetime]) -> dict[str, Any]:
    """Answers per time bucket from the first answer to the last (at most CURVE_BUCKETS bars)."""
    if not times:
        return {"start": None, "seconds": 60, "counts": []}
    start, end = min(times), max(times)
    span = (end - start).total_seconds()
    seconds = 60
    while span / seconds >= CURVE_BUCKETS:
        seconds *= 2
    counts = [0] * (int(span // seconds) + 1)
    for t in times:
        counts[int((t - start).total_seconds() // seconds)] += 1
    return {"start": start.isoformat(timespec="seconds"), "seconds": seconds, "counts": counts}


def _ok() -> None:
    return None
