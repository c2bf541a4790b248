"""One of everything, made through the API: a round with scores, a board with values and a
follow-up, a contest on stage; and a credential for every role (the access matrix's rows)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

import httpx

from tests.boards import helpers as boards
from tests.conftest import bearer, create_round
from tests.contests.test_flow import definition as contest_definition
from tests.trust.support import new_campaign, post_sheet, small_definition, tokens

ROLES = ("organiser", "judge", "screen", "participant", "contest_judge", "contestant", "anonymous")


@dataclass
class World:
    """Ids to fill route parameters with, and each role's token (None: anonymous)."""

    round_id: int
    board_id: int
    contest_id: int
    deduction_id: int
    sheet_id: int
    credentials: dict[str, str | None] = field(default_factory=dict)
    round_links: dict[str, Any] = field(default_factory=dict)

    def params(self) -> dict[str, str]:
        """A value for every path parameter the routing table uses."""
        return {
            "round_id": str(self.round_id),
            "board_id": str(self.board_id),
            "contest_id": str(self.contest_id),
            "deduction_id": str(self.deduction_id),
            "sheet_id": str(self.sheet_id),
            "code": "A",  # a village of the round and of the board, a contestant is C1
            "action": "step",
            "secret": "not-a-real-secret",
            "account_id": "999999",
            "session_id": "999999",
            "path": "css/arena.css",
        }

    def query(self, path: str) -> str:
        """The query string a page needs to name its object (?round=, ?contest=)."""
        pages = {"/screen": f"round={self.round_id}", "/village": f"round={self.round_id}",
                 "/screen/contest": f"contest={self.contest_id}",
                 "/contest/mine": f"contest={self.contest_id}"}  # fmt: skip
        return pages.get(path, "")

    def code(self, path: str) -> str:
        """`{code}`: a contestant in contest routes, else village A (of the round and board)."""
        return "C1" if path.startswith("/api/v1/contests/") else "A"


async def build_world(client: httpx.AsyncClient, organiser_token: str) -> World:
    """Everything through the API, as an organiser, judges and a host would make it."""
    org = bearer(organiser_token)
    created = await create_round(client, organiser_token, small_definition(new_campaign()))
    rid = created["id"]
    judges, villages = tokens(created), tokens(created, "villages")
    r = await post_sheet(client, judges["J1"], rid, "A", "shared", {"a": 8, "b": 7})
    assert r.status_code == 201, r.text
    sheet_id = r.json()["sheet"]["id"]
    r = await client.post(
        f"/api/v1/rounds/{rid}/deductions", headers=org,
        json={"village": "A", "item": "f", "points": 1, "reason": "材料不实",
              "idempotency_key": uuid.uuid4().hex},
    )  # fmt: skip
    assert r.status_code == 201, r.text
    deduction_id = r.json()["deduction"]["id"]
    board_id = await boards.define(client, organiser_token, boards.unique_scope(), "2025")
    r = await boards.upload(client, organiser_token, board_id, boards.VALUES_2025)
    assert r.status_code == 201, r.text
    r = await client.post("/api/v1/contests", json=contest_definition(), headers=org)
    assert r.status_code == 201, r.text
    contest = r.json()
    return World(
        round_id=rid,
        board_id=board_id,
        contest_id=int(contest["id"]),
        deduction_id=int(deduction_id),
        sheet_id=int(sheet_id),
        credentials={
            "organiser": organiser_token,
            "judge": judges["J2"],
            "screen": created["screen"]["token"],
            "participant": villages["A"],
            "contest_judge": contest["judges"][0]["token"],
            "contestant": next(c["token"] for c in contest["contestants"] if c["code"] == "C1"),
            "anonymous": None,
        },
        round_links=created,
    )
