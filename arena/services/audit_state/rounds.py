"""State checks of field review rounds: definition and status, sheets, deductions, surveys."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from tortoise.backends.base.client import BaseDBAsyncClient

from arena.models import Judge, Recusal, Reveal, Round, Village
from arena.services.audit import digest_of
from arena.services.audit_state.base import (
    Checker,
    Difference,
    Event,
    Row,
    register,
    rows_of,
)

SheetKey = tuple[int, str, str, str, int]  # round, village code, judge code, paper, version


def _key_text(key: tuple[Any, ...]) -> str:
    return "/".join(str(k) for k in key)


@register
class RoundChecker(Checker):
    """Rounds: the definition as created, its villages, judges and recusals, and the status."""

    actions = (
        "round.create", "round.edit", "round.delete", "round.lock", "round.unlock",
        "round.publish",
    )  # fmt: skip

    def __init__(self) -> None:
        self.rounds: dict[int, dict[str, Any]] = {}

    def replay(self, event: Event) -> None:
        if event.action == "round.create":
            digest = event.payload.get("definition_sha256")
            self.rounds[event.subject_id] = {"digest": digest, "status": "open"}
        elif event.action == "round.delete":  # only a round with nothing scored is deleted
            self.rounds.pop(event.subject_id, None)
        elif event.action == "round.edit":
            if event.subject_id in self.rounds:
                self.rounds[event.subject_id]["digest"] = event.payload.get("definition_sha256")
        elif event.subject_id in self.rounds:
            self.rounds[event.subject_id]["status"] = event.payload.get("to")

    async def compare(self, conn: BaseDBAsyncClient) -> list[Difference]:
        out: list[Difference] = []
        rows = await rows_of(conn, Round, "id", "definition", "status")
        for round_id, want in self.rounds.items():
            row = rows.get(round_id)
            if row is None:
                out.append(
                    Difference("round", str(round_id), "该轮拉练的记录被删除", f"round:{round_id}")
                )
                continue
            if want["digest"] is not None and digest_of(row.definition) != want["digest"]:
                out.append(
                    Difference(
                        "round",
                        str(round_id),
                        "definition 与创建时不符（被改动）",
                        f"round:{round_id}",
                    )
                )
            if row.status != want["status"]:
                out.append(
                    Difference(
                        "round",
                        str(round_id),
                        f"status 为 {row.status}，审计链为 {want['status']}",
                        f"round:{round_id}",
                    )
                )
            out += await self._members(conn, row)
        for round_id in rows.keys() - self.rounds.keys():
            out.append(
                Difference(
                    "round",
                    str(round_id),
                    "审计链中没有创建该轮的记录（库外添加）",
                    f"round:{round_id}",
                )
            )
        return out

    async def _members(self, conn: BaseDBAsyncClient, row: Row) -> list[Difference]:
        """Villages, judges and recusals as the stored definition lists them."""
        out: list[Difference] = []
        d = row.definition
        want_villages = [
            (n, v["code"], v["name"], v["township"], v["county"])
            for n, v in enumerate(d.get("villages", []))
        ]
        have_villages = await (
            Village.filter(round_id=row.id)
            .using_db(conn)
            .order_by("position")
            .values_list("id", "position", "code", "name", "township", "county")
        )
        if [tuple(v[1:]) for v in have_villages] != want_villages:
            out.append(
                Difference(
                    "village", f"round {row.id}", "参评村名单与本轮定义不符", f"round:{row.id}"
                )
            )
        want_judges = [(n, j["code"], j["name"]) for n, j in enumerate(d.get("judges", []))]
        have_judges = await (
            Judge.filter(round_id=row.id)
            .using_db(conn)
            .order_by("position")
            .values_list("id", "position", "code", "name")
        )
        if [tuple(j[1:]) for j in have_judges] != want_judges:
            out.append(
                Difference("judge", f"round {row.id}", "评委名单与本轮定义不符", f"round:{row.id}")
            )
        want_recusals = {(j["code"], v) for j in d.get("judges", []) for v in j.get("recuse", [])}
        have_recusals = set(
            await Recusal.filter(judge__round_id=row.id)
            .using_db(conn)
            .values_list("judge__code", "village__code")
        )
        for judge, village in sorted(have_recusals ^ want_recusals):
            what = "库外添加的回避" if (judge, village) in have_recusals else "回避记录被删除"
            out.append(
                Difference("recusal", f"round {row.id} {judge}/{village}", what, f"round:{row.id}")
            )
        return out


@register
class RevealChecker(Checker):
    """The results meeting: frozen or live, how many places revealed, the frozen rows."""

    actions = ("reveal.freeze", "reveal.step", "reveal.release")

    def __init__(self) -> None:
        self.reveals: dict[int, dict[str, Any]] = defaultdict(dict)

    def replay(self, event: Event) -> None:
        state = self.reveals[event.subject_id]
        if event.action == "reveal.freeze":
            state.update(frozen=True, revealed=0, rows=event.payload.get("rows_sha256"))
        elif event.action == "reveal.step":
            state["revealed"] = int(event.payload["revealed"])
        else:
            state.update(frozen=False, revealed=0, rows=None)

    async def compare(self, conn: BaseDBAsyncClient) -> list[Difference]:
        out: list[Difference] = []
        rows = await rows_of(conn, Reveal, "round_id", "frozen", "revealed", "snapshot")
        for round_id, want in self.reveals.items():
            row = rows.get(round_id)
            name = f"round {round_id}"
            if row is None:
                out.append(Difference("reveal", name, "揭晓记录被删除", f"round:{round_id}"))
                continue
            if row.frozen != want["frozen"] or row.revealed != want["revealed"]:
                out.append(
                    Difference(
                        "reveal",
                        name,
                        f"frozen={row.frozen} revealed={row.revealed}，审计链为 "
                        f"frozen={want['frozen']} revealed={want['revealed']}",
                        f"round:{round_id}",
                    )
                )
            snapshot = row.snapshot or {}
            if want.get("rows") and digest_of(snapshot.get("rows")) != want["rows"]:
                out.append(Difference("reveal", name, "冻结时的榜单被改动", f"round:{round_id}"))
        for round_id in rows.keys() - self.reveals.keys():
            row = rows[round_id]
            if row.frozen or row.revealed:
                out.append(
                    Difference(
                        "reveal", f"round {round_id}", "审计链中没有冻结记录", f"round:{round_id}"
                    )
                )
        return out
