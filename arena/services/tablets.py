"""Tablets as the second copy: what the server holds of one judge's sheets, and the heals.

A judge's tablet keeps every sheet the server acknowledged until the round is published. It
compares its copies with `round_records` (periodically and on every reconnect) and re-sends,
with the original idempotency key and `"resend": true`, each one the server lacks or holds older
than the tablet's acknowledgment. The rule the tablet applies (web/static/js/judge/heal.js):

- the server's record has the same digest: the server holds the tablet's sheet;
- the server has no record, or its record (the newest version: a sheet, or a voided sheet) was
  written *before* the server acknowledged the tablet's sheet: the server has lost the tablet's
  sheet (an older backup, lost commits) and the tablet re-sends it;
- the server's record was written at or after that acknowledgment (another device of the judge,
  an organiser's proxy entry or void): the server's is the later decision; the tablet keeps it.

Times are the server's clock, to the microsecond: the later decision wins, as it would have had
nothing been lost. A re-sent sheet the server stores (201) is audited as an ordinary
`sheet.submit` with `"healed": true` in its payload; `round_heals` lists those for the organiser.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from arena.errors import forbidden, invalid
from arena.models import AuditEvent, ContestScore, Sheet
from arena.rounds.digest import sheet_digest
from arena.services.rounds import RoundMeta

PAPER_NAMES = {"shared": "共性目标", "demonstration": "示范目标"}


def take_resend(data: dict[str, Any]) -> bool:
    """Remove the `resend` mark from a write's body (it is not part of the request); its value."""
    resend = data.pop("resend", False)
    if not isinstance(resend, bool):
        raise invalid("resend", "必须是 true 或 false", "wrong_type")
    return resend


def stamp(value: dt.datetime) -> str:
    """A server time as the tablets compare it: UTC ISO 8601 to the microsecond."""
    return value.astimezone(dt.UTC).isoformat(timespec="microseconds")


async def round_records(meta: RoundMeta, judge_id: int, status: str) -> dict[str, Any]:
    """The newest version of each of this judge's sheets: version, digest, time, voided or not."""
    rows = await Sheet.filter(round_id=meta.id, judge_id=judge_id).values(
        "village_id", "paper", "version", "items", "comment", "submitted_at", "voided_at"
    )
    newest: dict[tuple[int, str], dict[str, Any]] = {}
    for row in rows:
        key = (row["village_id"], row["paper"])
        if key not in newest or row["version"] > newest[key]["version"]:
            newest[key] = row
    sheets = []
    for (village_id, paper), row in sorted(newest.items(), key=lambda kv: kv[0]):
        village = meta.village_by_id(village_id)
        if village is None:
            continue
        voided = row["voided_at"] is not None
        sheets.append(
            {
                "village": village.code,
                "paper": paper,
                "version": row["version"],
                "digest": sheet_digest(
                    {k: Decimal(v) for k, v in row["items"].items()}, row["comment"]
                ),
                "at": stamp(row["voided_at"] if voided else row["submitted_at"]),
                "voided": voided,
            }
        )
    return {"round": meta.id, "status": status, "sheets": sheets}


async def round_heals(meta: RoundMeta) -> list[dict[str, Any]]:
    """Every sheet a tablet brought back after the server had lost it, oldest first."""
    events = await AuditEvent.filter(subject=f"round:{meta.id}", action="sheet.submit").values(
        "at", "payload"
    )
    judges = {j.code: j.name for j in meta.judges.values()}
    heals = []
    for event in events:
        payload = event["payload"]
        if not payload.get("healed"):
            continue
        village = meta.villages.get(payload["village"])
        heals.append(
            {
                "at": event["at"],
                "judge": judges.get(payload["judge"], payload["judge"]),
                "village": village.name if village else payload["village"],
                "paper": PAPER_NAMES.get(payload["paper"], payload["paper"]),
                "version": payload["version"],
            }
        )
    heals.sort(key=lambda h: h["at"])
    return heals


async def contest_records(contest_id: int, judge_id: int, codes: dict[int, str]) -> dict[str, Any]:
    """This judge's contest scores the server holds: contestant, digest, time."""
    rows = await ContestScore.filter(judge_id=judge_id, contestant__contest_id=contest_id).values(
        "contestant_id", "items", "submitted_at"
    )
    return {
        "contest": contest_id,
        "scores": [
            {
                "contestant": codes[r["contestant_id"]],
                "digest": sheet_digest({k: Decimal(v) for k, v in r["items"].items()}, ""),
                "at": stamp(r["submitted_at"]),
            }
            for r in rows
            if r["contestant_id"] in codes
        ],
    }


def require_round_judge(role: str, round_id: int | None, wanted: int) -> None:
    """Only a judge of this round reads its own records."""
    if role != "judge" or round_id != wanted:
        raise forbidden("只有本轮评委可以读取自己的评分表")
