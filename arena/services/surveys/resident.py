"""A resident answers one card: find it (QR secret or typed code), check, store once, audit.

Refusals, as the README documents them:
- a card already answered: 409 `card_used` (the page says so); the same form sent again (same
  one-time nonce and the same answers) is a replay: 200 with the first answer, nothing stored;
- a typed code whose check character is wrong: 422 `mistyped` (a typo; not looked up, not
  counted); a well-formed code that matches no card: 404 `unknown_code`, counted against the
  client address (its keyed digest); GUESS_LIMIT of those within GUESS_WINDOW give 429
  `too_many_guesses` with Retry-After, before any lookup;
- a survey not yet open, over, closed for the village, or a locked round: 403 `survey_closed`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from tortoise.transactions import in_transaction

from arena.db import plain_rows
from arena.errors import Problem, UserError, invalid_all
from arena.models import Round, SurveyAnswer, SurveyCard, SurveyClosure, SurveyGuess
from arena.services import audit
from arena.services.rounds import RoundCatalogue, RoundMeta, VillageMeta
from arena.surveys import secrets
from arena.surveys.definition import SurveyDef
from arena.textcheck import check_tree

GUESS_LIMIT = 10  # typed codes matching no card, per address digest …
GUESS_WINDOW = dt.timedelta(hours=1)  # … within this window; then 429 until the oldest ages out
FREE_TEXT_MAX = 500
RESIDENT = "resident:匿名"  # how the audit log names a resident: never a person


class SurveyClosed(UserError):
    """The survey does not take answers now (403)."""

    def __init__(self, message: str) -> None:
        super().__init__(403, "survey_closed", message, None)


class TooManyGuesses(UserError):
    """Too many typed codes matching no card from one address (429, Retry-After)."""

    def __init__(self, retry_after: int) -> None:
        minutes = max(1, (retry_after + 59) // 60)
        super().__init__(
            429, "too_many_guesses", f"输错卡号次数过多，请 {minutes} 分钟后再试", "code"
        )
        self.retry_after = retry_after


@dataclass(frozen=True)
class CardView:
    """A card found by its secret, with what its page shows."""

    card_id: int
    number: int
    used: bool
    meta: RoundMeta
    village: VillageMeta
    survey: SurveyDef
    state: str  # "open", "pending", "over", "closed" (the village), "locked" (the round)


def now_utc() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class ResidentSurvey:
    """What the resident's page calls."""

    def __init__(
        self,
        rounds: RoundCatalogue,
        server_key: bytes,
        on_change: Callable[[int], None],
        clock: Callable[[], dt.datetime] = now_utc,
    ) -> None:
        self.rounds = rounds
        self.key = server_key
        self.on_change = on_change
        self.clock = clock

    def addr_hash(self, address: str) -> str:
        return secrets.keyed(self.key, "addr", address)

    def device_hash(self, device: str) -> str:
        return secrets.keyed(self.key, "device", device)

    async def by_secret(self, secret: str) -> CardView | None:
        """The card a QR link names, or None (an unknown secret is not counted: 144 bits)."""
        if not secret or len(secret) > 64:
            return None
        card = await SurveyCard.get_or_none(qr_hash=secrets.digest(secret))
        return await self._view(card) if card is not None else None

    async def by_code(self, raw: str, address: str) -> CardView:
        """The card a typed code names; 422 for a mistyped code, 404 (counted) for no card."""
        addr = self.addr_hash(address)
        await self._check_guesses(addr)
        code = secrets.normalise(raw or "")
        if not code:
            raise UserError(422, "missing", "请输入卡片上的卡号", "code")
        if not secrets.well_formed(code):
            # Caught by the check character before any lookup: a typo, not a guess (a guesser
            # computes check characters for free, so counting these would protect nothing).
            raise UserError(
                422, "mistyped", "卡号不对：请核对 9 位卡号（不含 0、1、I、L、O）", "code"
            )
        card = await SurveyCard.get_or_none(code_hash=secrets.digest(code))
        if card is None:
            await SurveyGuess.create(addr_hash=addr)
            raise UserError(404, "unknown_code", "没有这个卡号，请核对后再输入", "code")
        return await self._view(card)

    async def _check_guesses(self, addr: str) -> None:
        since = self.clock() - GUESS_WINDOW
        recent = await SurveyGuess.filter(addr_hash=addr, at__gte=since).order_by("at")
        if len(recent) >= GUESS_LIMIT:
            oldest = recent[len(recent) - GUESS_LIMIT].at
            wait = int((oldest + GUESS_WINDOW - self.clock()).total_seconds()) + 1
            raise TooManyGuesses(max(wait, 1))

    async def _view(self, card: SurveyCard) -> CardView:
        meta = await self.rounds.get(card.round_id)  # type: ignore[attr-defined]
        village = meta.village_by_id(card.village_id)  # type: ignore[attr-defined]
        survey = meta.definition.survey
        if village is None or survey is None:
            raise UserError(404, "not_found", "这张卡不属于任何进行中的测评", None)
        state = survey.state_at(self.clock())
        if state == "open":
            if await SurveyClosure.exists(village_id=village.id):
                state = "closed"
            else:
                status = await Round.filter(id=meta.id).values_list("status", flat=True)
                if status and status[0] != "open":
                    state = "locked"
        return CardView(
            card.id, card.number, card.used_at is not None, meta, village, survey, state
        )

    async def submit(
        self, view: CardView, data: dict[str, Any], address: str, device: str, via: str
    ) -> tuple[int, dict[str, Any]]:
        """Store the card's answers once; the same form again replays (200), else 409."""
        answers, free_text, key = parse_answers(view.survey, data)
        if view.used:
            return await self._replay_or_used(view, answers, free_text, key)
        if view.state != "open":
            raise SurveyClosed(STATE_WORDS[view.state])
        meta, village = view.meta, view.village
        async with in_transaction() as conn:
            bumped = await plain_rows(
                Round,
                "UPDATE {table} SET revision = revision + 1"
                " WHERE id = {0} AND status = {1} RETURNING id",
                meta.id, "open", conn=conn,
            )  # fmt: skip
            if not bumped:
                raise SurveyClosed(STATE_WORDS["locked"])
            if await SurveyClosure.exists(village_id=village.id, using_db=conn):
                raise SurveyClosed(STATE_WORDS["closed"])
            claimed = await plain_rows(
                SurveyCard,
                "UPDATE {table} SET used_at = {0} WHERE id = {1} AND used_at IS NULL"
                " RETURNING id",
                self.clock(), view.card_id, conn=conn,
            )  # fmt: skip
            if not claimed:
                raise _Raced()
            row = await SurveyAnswer.create(
                round_id=meta.id,
                village_id=village.id,
                card_id=view.card_id,
                answers=answers,
                free_text=free_text,
                key=key,
                via=via,
                addr_hash=self.addr_hash(address),
                device_hash=self.device_hash(device),
                using_db=conn,
            )
            payload = answer_payload(row.id, village.code, view.number, answers, free_text, via)
            audit_hash = await audit.append(
                conn, RESIDENT, "survey.answer", f"round:{meta.id}", payload
            )
        self.on_change(meta.id)
        return 201, {"answer": _public(view, answers), "audit_hash": audit_hash}

    async def submit_safely(
        self, view: CardView, data: dict[str, Any], address: str, device: str, via: str
    ) -> tuple[int, dict[str, Any]]:
        """`submit`, answering a card taken by a concurrent request as a used card."""
        try:
            return await self.submit(view, data, address, device, via)
        except _Raced:
            answers, free_text, key = parse_answers(view.survey, data)
            return await self._replay_or_used(view, answers, free_text, key)

    async def _replay_or_used(
        self, view: CardView, answers: dict[str, str], free_text: str, key: str
    ) -> tuple[int, dict[str, Any]]:
        first = await SurveyAnswer.get_or_none(card_id=view.card_id)
        if (
            first is not None
            and first.key == key
            and first.answers == answers
            and first.free_text == free_text
        ):
            return 200, {"answer": _public(view, answers), "replayed": True}
        raise UserError(409, "card_used", "这张卡已经答过了，每张卡只能答一次", None)


class _Raced(Exception):
    """Another request used the card between the check and the claim."""


STATE_WORDS = {
    "pending": "测评还没有开始，请在规定时间内作答",
    "over": "测评已经结束，感谢关注",
    "closed": "本村测评已经结束，感谢关注",
    "locked": "本轮评比已锁定，测评已经结束",
}


def parse_answers(survey: SurveyDef, data: dict[str, Any]) -> tuple[dict[str, str], str, str]:
    """The answers of a form or JSON body; 422 listing every unanswered or unknown question."""
    check_tree(data)  # a form's NUL or lone surrogate: 422, as from JSON (PostgreSQL refuses NUL)
    problems: list[Problem] = []
    for name in data:
        if name not in {"answers", "free_text", "key"}:
            problems.append(Problem(str(name), "未知字段"))
    raw = data.get("answers")
    if not isinstance(raw, dict):
        raw = {}
        problems.append(Problem("answers", "必须是对象（题目编码 → 答案）"))
    codes = {q.code for q in survey.questions}
    for name in raw:
        if name not in codes:
            problems.append(Problem(f"answers.{name}", "没有这道题"))
    answers: dict[str, str] = {}
    for q in survey.questions:
        value = raw.get(q.code)
        if value in (None, ""):
            problems.append(Problem(f"answers.{q.code}", "请选择一项"))
        elif value not in q.options:
            problems.append(Problem(f"answers.{q.code}", f"只能选 {'、'.join(q.options)}"))
        else:
            answers[q.code] = str(value)
    free_text = data.get("free_text", "")
    if not isinstance(free_text, str):
        problems.append(Problem("free_text", "必须是文字"))
        free_text = ""
    free_text = free_text.strip()
    if len(free_text) > FREE_TEXT_MAX:
        problems.append(Problem("free_text", f"不能超过 {FREE_TEXT_MAX} 个字"))
    key = data.get("key")
    if not isinstance(key, str) or not 8 <= len(key) <= 64:
        problems.append(Problem("key", "缺少表单标识，请刷新页面后重新作答"))
        key = ""
    if problems:
        raise invalid_all(problems)
    return answers, free_text, key


def answer_payload(
    answer_id: int, village: str, number: int, answers: dict[str, str], free_text: str, via: str
) -> dict[str, Any]:
    """What the audit log keeps of an answer: no address, device or text (only its digest)."""
    return {
        "id": answer_id,
        "village": village,
        "card": number,
        "answers": dict(answers),
        "free_text_sha256": audit.digest_of(free_text) if free_text else "",
        "via": via,
    }


def _public(view: CardView, answers: dict[str, str]) -> dict[str, Any]:
    return {"village": view.village.code, "card": view.number, "answers": answers}
