"""State checks of arena contests: the definition, the host's steps, the judges' scores."""

from __future__ import annotations

from typing import Any

from tortoise.backends.base.client import BaseDBAsyncClient

from arena.models import Contest, Contestant, ContestScore
from arena.services.audit import digest_of
from arena.services.audit_state.base import (
    Checker,
    Difference,
    Event,
    register,
    rows_of,
    same_items,
    same_number,
    show,
)

PHASE_AFTER = {"next": "ready", "start": "presenting", "stop": "presented", "open": "scoring",
               "close": "closed", "reveal": "revealed", "finish": "idle"}  # fmt: skip
NEW_CONTEST = {"digest": None, "status": "setup", "seed": None, "order": None, "current": None,
               "phase": "idle"}  # fmt: skip
CONTEST_FIELDS = ("status", "seed", "order", "current", "phase")
STEPS = ("draw", "next", "start", "stop", "time", "open", "close", "reveal", "finish")


@register
class ContestChecker(Checker):
    """Contests: definition, draw (seed and order), status, phase, who is on stage, time used."""

    actions = ("contest.create", "contest.delete", *(f"contest.{s}" for s in STEPS))

    def __init__(self) -> None:
        self.contests: dict[int, dict[str, Any]] = {}
        self.contestants: dict[tuple[int, str], dict[str, Any]] = {}

    def replay(self, event: Event) -> None:
        cid, p = event.subject_id, event.payload
        if event.action == "contest.create":
            self.contests[cid] = {**NEW_CONTEST, "digest": p.get("definition_sha256")}
            return
        if event.action == "contest.delete":  # only a contest without scores can be deleted
            self.contests.pop(cid, None)
            for key in [k for k in self.contestants if k[0] == cid]:
                del self.contestants[key]
            return
        c = self.contests.setdefault(cid, dict(NEW_CONTEST))
        step = event.action.split(".", 1)[1]
        if step == "draw":
            c.update(seed=p["seed"], order=p["order"], status="running")
            return
        if step == "finish":
            c.update(status="finished", phase="idle", current=None)
            return
        c["phase"] = PHASE_AFTER.get(step, c["phase"])
        code = p.get("contestant")
        if step == "next":
            c["current"] = code
        who = self.contestants.setdefault((cid, str(code)), {"state": "waiting", "elapsed": 0})
        if step == "next":
            who["state"] = "on_stage"
        elif step == "reveal":
            who["state"] = "revealed"
        if "elapsed_seconds" in p:
            who["elapsed"] = int(p["elapsed_seconds"])

    async def compare(self, conn: BaseDBAsyncClient) -> list[Difference]:
        out = []
        rows = await rows_of(conn, Contest, "id", "definition", *CONTEST_FIELDS)
        for cid, want in self.contests.items():
            row = rows.get(cid)
            if row is None:
                out.append(Difference("contest", str(cid), "擂台赛记录被删除"))
                continue
            if want["digest"] is not None and digest_of(row.definition) != want["digest"]:
                out.append(Difference("contest", str(cid), "definition 与创建时不符（被改动）"))
            for field in CONTEST_FIELDS:
                have = getattr(row, field)
                if have != want[field]:
                    out.append(
                        Difference(
                            "contest",
                            str(cid),
                            f"{field} 为 {show(have)}，审计链为 {show(want[field])}",
                        )
                    )
        for cid in rows.keys() - self.contests.keys():
            out.append(
                Difference("contest", str(cid), "审计链中没有创建该擂台赛的记录（库外添加）")
            )
        people = (
            await Contestant.all()
            .using_db(conn)
            .values_list("id", "contest_id", "code", "state", "elapsed_seconds")
        )
        for pid, cid, code, state, elapsed in people:
            want = self.contestants.get((cid, code), {"state": "waiting", "elapsed": 0})
            if (state, elapsed) != (want["state"], want["elapsed"]):
                out.append(
                    Difference(
                        "contestant",
                        f"{pid}（contest {cid} {code}）",
                        f"state={state} elapsed_seconds={elapsed}，审计链为 "
                        f"state={want['state']} elapsed_seconds={want['elapsed']}",
                    )
                )
        return out


@register
class ContestScoreChecker(Checker):
    """Contest scores: one per judge and contestant, as submitted."""

    actions = ("contest.score",)

    def __init__(self) -> None:
        self.scores: dict[tuple[int, str, str], dict[str, Any]] = {}

    def replay(self, event: Event) -> None:
        p = event.payload
        self.scores[(event.subject_id, p["contestant"], p["judge"])] = p

    async def compare(self, conn: BaseDBAsyncClient) -> list[Difference]:
        out = []
        rows = (
            await ContestScore.all()
            .using_db(conn)
            .values_list(
                "id", "contestant__contest_id", "contestant__code", "judge__code", "items", "total"
            )
        )
        seen = set()
        for sid, cid, contestant, judge, items, total in rows:
            key = (cid, contestant, judge)
            seen.add(key)
            want = self.scores.get(key)
            name = str(sid)
            if want is None:
                out.append(Difference("contest_score", name, "审计链中没有这次打分（库外添加）"))
                continue
            if not same_items(items, want["items"]):
                out.append(
                    Difference(
                        "contest_score",
                        name,
                        f"items 为 {show(items)}，审计链为 {show(want['items'])}",
                    )
                )
            if not same_number(total, want["total"]):
                out.append(
                    Difference("contest_score", name, f"total 为 {total}，审计链为 {want['total']}")
                )
        for key in sorted(self.scores.keys() - seen):
            out.append(Difference("contest_score", "/".join(map(str, key)), "打分记录被删除"))
        return out
