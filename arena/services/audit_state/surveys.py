"""State checks of the residents' survey: cards issued, answers (and voids), villages closed."""

from __future__ import annotations

from typing import Any

from tortoise.backends.base.client import BaseDBAsyncClient

from arena.models import SurveyAnswer, SurveyCard, SurveyClosure
from arena.services.audit import digest_of
from arena.services.audit_state.base import Checker, Difference, Event, register, show


@register
class SurveyChecker(Checker):
    """Every answer as a resident sent it (its text by digest), voided only by an organiser;
    every card of a printed batch, used exactly when it has an answer; closed villages."""

    actions = ("survey.cards", "survey.answer", "survey.void", "survey.close", "round.delete")

    def __init__(self) -> None:
        self.answers: dict[int, tuple[int, dict[str, Any]]] = {}  # answer id -> (round, payload)
        self.voided: dict[int, dict[str, Any]] = {}
        self.cards: dict[tuple[int, str], set[int]] = {}  # (round, village) -> card numbers
        self.closed: dict[tuple[int, str], dict[str, Any]] = {}

    def replay(self, event: Event) -> None:
        p = event.payload
        rid = event.subject_id
        if event.action == "round.delete":  # only a round without answers; its cards go with it
            self.cards = {k: v for k, v in self.cards.items() if k[0] != rid}
            self.closed = {k: v for k, v in self.closed.items() if k[0] != rid}
        elif event.action == "survey.cards":
            numbers = self.cards.setdefault((rid, p["village"]), set())
            numbers.update(range(int(p["first"]), int(p["last"]) + 1))
        elif event.action == "survey.answer":
            self.answers[int(p["id"])] = (rid, p)
        elif event.action == "survey.void":
            self.voided[int(p["id"])] = p
        else:
            self.closed[(rid, p["village"])] = p

    async def compare(self, conn: BaseDBAsyncClient) -> list[Difference]:
        out = await self._answers(conn)
        out += await self._cards(conn)
        rows = (
            await SurveyClosure.all()
            .using_db(conn)
            .values("id", "village__round_id", "village__code", "closed_by")
        )
        seen = set()
        for row in rows:
            key = (row["village__round_id"], row["village__code"])
            seen.add(key)
            want = self.closed.get(key)
            name = f"{row['id']}（round {key[0]} {key[1]}）"
            if want is None:
                what = "审计链中没有结束这个村的测评（库外添加）"
                out.append(Difference("surveyclosure", name, what, f"round:{key[0]}"))
            elif row["closed_by"] != want["closed_by"]:
                what = f"closed_by 为 {show(row['closed_by'])}，审计链为 {show(want['closed_by'])}"
                out.append(Difference("surveyclosure", name, what, f"round:{key[0]}"))
        for rid, village in sorted(self.closed.keys() - seen):
            what = "结束测评的记录被删除（审计链中有）"
            out.append(Difference("surveyclosure", f"round {rid} {village}", what, f"round:{rid}"))
        return out

    async def _answers(self, conn: BaseDBAsyncClient) -> list[Difference]:
        out: list[Difference] = []
        rows = await SurveyAnswer.all().using_db(conn).values(
            "id", "round_id", "village__code", "card__number", "answers", "free_text", "via",
            "voided_at", "voided_by", "void_reason",
        )  # fmt: skip
        seen = set()
        for row in rows:
            aid, rid = row["id"], row["round_id"]
            seen.add(aid)
            name = f"{aid}（round {rid} {row['village__code']}）"
            where = f"round:{rid}"
            entry = self.answers.get(aid)
            if entry is None or entry[0] != rid:
                out.append(
                    Difference("surveyanswer", name, "审计链中没有这份答卷（库外添加）", where)
                )
                continue
            want = entry[1]
            gone = self.voided.get(aid, {})
            text = row["free_text"] or ""
            pairs = [
                ("village", row["village__code"], want["village"]),
                ("card", row["card__number"], want["card"]),
                ("answers", row["answers"], want["answers"]),
                ("free_text", digest_of(text) if text else "", want["free_text_sha256"]),
                ("via", row["via"], want["via"]),
                ("voided", row["voided_at"] is not None, bool(gone)),
                ("voided_by", row["voided_by"], gone.get("voided_by", "")),
                ("void_reason", row["void_reason"], gone.get("reason", "")),
            ]
            for field, have, should in pairs:
                if have != should:
                    what = f"{field} 为 {show(have)}，审计链为 {show(should)}"
                    out.append(Difference("surveyanswer", name, what, where))
        for aid in sorted(self.answers.keys() - seen):
            rid = self.answers[aid][0]
            what = "答卷被删除（审计链中有）"
            out.append(Difference("surveyanswer", str(aid), what, f"round:{rid}"))
        return out

    async def _cards(self, conn: BaseDBAsyncClient) -> list[Difference]:
        out: list[Difference] = []
        rows = (
            await SurveyCard.all()
            .using_db(conn)
            .values("id", "round_id", "village__code", "number", "used_at")
        )
        answered = {(rid, p["village"], int(p["card"])) for rid, p in self.answers.values()}
        seen: dict[tuple[int, str], set[int]] = {}
        for row in rows:
            rid, village, number = row["round_id"], row["village__code"], row["number"]
            seen.setdefault((rid, village), set()).add(number)
            name = f"{row['id']}（round {rid} {village} {number:04d} 号卡）"
            where = f"round:{rid}"
            if number not in self.cards.get((rid, village), set()):
                out.append(
                    Difference("surveycard", name, "审计链中没有印过这张卡（库外添加）", where)
                )
                continue
            used, should = row["used_at"] is not None, (rid, village, number) in answered
            if used != should:
                what = f"used 为 {used}，审计链为 {should}"
                out.append(Difference("surveycard", name, what, where))
        for (rid, village), numbers in sorted(self.cards.items()):
            for number in sorted(numbers - seen.get((rid, village), set())):
                name = f"round {rid} {village} {number:04d} 号卡"
                out.append(
                    Difference("surveycard", name, "测评卡被删除（审计链中有）", f"round:{rid}")
                )
        return out
