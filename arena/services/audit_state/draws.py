"""State checks of the verifiable draws (随机抽取): each as committed, and drawn only as audited."""

from __future__ import annotations

from typing import Any

from tortoise.backends.base.client import BaseDBAsyncClient

from arena.models import InspectionDraw
from arena.scoring.inspection_draw import commitment
from arena.services.audit_state.base import Checker, Difference, Event, register, show

COMMITTED = ("kind", "title", "k", "stratify", "items", "strata", "commitment")
DRAWN = ("public", "secret", "seed", "result")


@register
class DrawChecker(Checker):
    """Inspection draws: what was committed (list, number, commitment) and what was drawn."""

    actions = ("inspection.commit", "inspection.draw")

    def __init__(self) -> None:
        self.committed: dict[int, tuple[int, dict[str, Any]]] = {}
        self.drawn: dict[int, dict[str, Any]] = {}

    def replay(self, event: Event) -> None:
        did = int(event.payload["id"])
        if event.action == "inspection.draw":
            self.drawn[did] = event.payload
        else:
            self.committed[did] = (event.subject_id, event.payload)

    async def compare(self, conn: BaseDBAsyncClient) -> list[Difference]:
        out: list[Difference] = []
        rows = await InspectionDraw.all().using_db(conn)
        seen = set()
        for row in rows:
            seen.add(row.id)
            where = f"round:{row.round_id}"  # type: ignore[attr-defined]
            name = str(row.id)
            want = self.committed.get(row.id)
            if want is None:
                out.append(
                    Difference("inspection_draw", name, "审计链中没有这次承诺（库外添加）", where)
                )
                continue
            stored = {k: getattr(row, k) for k in (*COMMITTED, *DRAWN)}
            for key in COMMITTED:
                if stored[key] != want[1].get(key):
                    what = f"{key} 为 {show(stored[key])}，审计链为 {show(want[1].get(key))}"
                    out.append(Difference("inspection_draw", name, what, where))
            if commitment(row.secret) != row.commitment:
                out.append(Difference("inspection_draw", name, "密钥与公布的承诺不符", where))
            drawn = self.drawn.get(row.id)
            if (row.drawn_at is not None) != (drawn is not None):
                what = "抽取状态与审计链不符" + (
                    "（库外抽取）" if drawn is None else "（结果被删除）"
                )
                out.append(Difference("inspection_draw", name, what, where))
            elif drawn is not None:
                for key in DRAWN:
                    if stored[key] != drawn.get(key):
                        what = f"{key} 为 {show(stored[key])}，审计链为 {show(drawn.get(key))}"
                        out.append(Difference("inspection_draw", name, what, where))
        for did in sorted(self.committed.keys() - seen):
            where = f"round:{self.committed[did][0]}"
            out.append(
                Difference("inspection_draw", str(did), "抽取记录被删除（审计链中有）", where)
            )
        return out
