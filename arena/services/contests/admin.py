"""Contests on the organiser's list: counts, delete (no scores yet), archive and restore."""

from __future__ import annotations

from typing import Any

from tortoise.transactions import in_transaction

from arena.errors import UserError, invalid, not_found
from arena.models import Contest, Contestant, ContestJudge, ContestScore
from arena.services import audit
from arena.services.contests.catalogue import ContestCatalogue
from arena.services.putaway import set_archived

STATUS_NAMES = {"setup": "未开始", "running": "比赛中", "finished": "已结束"}


async def contest_list(*, archived: bool = False) -> list[dict[str, Any]]:
    """Contests in use (or archived), newest first, with their people and scores counted."""
    rows = (
        await Contest.filter(archived=archived)
        .order_by("-date", "-id")
        .values("id", "name", "date", "status")
    )
    ids = [r["id"] for r in rows]
    people = await Contestant.filter(contest_id__in=ids).values_list("contest_id", "state")
    judges = await ContestJudge.filter(contest_id__in=ids).values_list("contest_id", flat=True)
    scores = await ContestScore.filter(contestant__contest_id__in=ids).values_list(
        "contestant__contest_id", flat=True
    )
    for r in rows:
        states = [state for contest_id, state in people if contest_id == r["id"]]
        r.update(
            contestants=len(states),
            revealed=states.count("revealed"),
            judges=sum(1 for j in judges if j == r["id"]),
            scores=sum(1 for s in scores if s == r["id"]),
            status_name=STATUS_NAMES.get(r["status"], r["status"]),
        )
    return rows


async def delete_contest(
    catalogue: ContestCatalogue, contest_id: int, confirm: Any, actor: str
) -> None:
    """Delete a contest no judge has scored (a mistake); 409 once there are scores."""
    async with in_transaction() as conn:
        row = await Contest.select_for_update().using_db(conn).get_or_none(id=contest_id)
        if row is None:
            raise not_found("该擂台赛")
        if not isinstance(confirm, str) or confirm.strip() != row.name:
            raise invalid("confirm", f"请确认要删除的擂台赛名称：{row.name}", "not_confirmed")
        scored = ContestScore.filter(contestant__contest_id=contest_id).using_db(conn)
        if await scored.exists():
            raise UserError(
                409, "has_scores", "该擂台赛已有评委打分，不能删除，只能归档", "contest"
            )
        payload = {"contest": contest_id, "name": row.name, "date": row.date.isoformat()}
        await row.delete(using_db=conn)  # contestants, judges and their links go with it
        await audit.append(conn, actor, "contest.delete", f"contest:{contest_id}", payload)
    catalogue.forget(contest_id)


async def archive_contest(contest_id: int, archived: bool, actor: str) -> dict[str, Any]:
    """Archive a contest (hidden from lists, kept whole) or bring it back; audited."""
    return await set_archived(Contest, "contest", "该擂台赛", contest_id, archived, actor)
