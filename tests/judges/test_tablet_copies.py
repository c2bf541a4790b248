"""A judge's own records (what the tablet compares its copies with) and sheets a tablet re-sends."""

from __future__ import annotations

import re

import httpx

from arena.models import AuditEvent
from tests.conftest import Server, bearer, create_round
from tests.judges.helpers import judge_client, sheet_body

WRITE = {"X-Arena-Request": "1"}
SHARED = {"org": 8.5, "eco": 9, "build": 7, "talent": 5.5, "gov": 5}
# The canonical text of SHARED with the comment "好" is
#   [[["build","7"],["eco","9"],["gov","5"],["org","8.5"],["talent","5.5"]],"好"]
# and its SHA-256, computed apart from Arena with `printf '%s' '<that text>' | sha256sum`:
SHARED_GOOD = "1991259c28f2b85b4bc626b0ae672a1599aab06119acb8446da97f0f427223b3"
MICROSECONDS = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}\+00:00$")


async def test_my_sheets_lists_the_newest_version_with_its_digest(
    server: Server, client: httpx.AsyncClient, organiser_token: str
) -> None:
    created = await create_round(client, organiser_token)
    rid = created["id"]
    async with judge_client(server, created, "J2") as judge:
        r = await judge.get(f"/api/v1/rounds/{rid}/my-sheets")
        assert r.status_code == 200
        assert r.headers["cache-control"] == "no-store"
        assert r.json() == {"round": rid, "status": "open", "sheets": []}
        first = sheet_body("V01", "shared", {**SHARED, "org": 6}, "m-1", "好")
        second = sheet_body("V01", "shared", SHARED, "m-2", "好")
        for body in (first, second):
            assert (
                await judge.post(f"/api/v1/rounds/{rid}/sheets", json=body, headers=WRITE)
            ).status_code == 201
        r = await judge.get(f"/api/v1/rounds/{rid}/my-sheets")
    sheets = r.json()["sheets"]
    assert [(s["village"], s["paper"], s["version"], s["voided"]) for s in sheets] == [
        ("V01", "shared", 2, False)
    ]
    assert sheets[0]["digest"] == SHARED_GOOD
    assert MICROSECONDS.match(sheets[0]["at"]), sheets[0]["at"]

    async with judge_client(server, created, "J3") as other:  # J3's records hold none of J2's
        r = await other.get(f"/api/v1/rounds/{rid}/my-sheets")
        assert r.json()["sheets"] == []
        r = await other.get(f"/api/v1/rounds/{rid + 1000}/my-sheets")
        assert r.status_code == 403
    r = await client.get(f"/api/v1/rounds/{rid}/my-sheets", headers=bearer(organiser_token))
    assert r.status_code == 403


async def test_a_resend_replays_when_held_and_is_audited_as_healed_when_stored(
    server: Server, client: httpx.AsyncClient, organiser_token: str
) -> None:
    created = await create_round(client, organiser_token)
    rid = created["id"]
    url = f"/api/v1/rounds/{rid}/sheets"
    async with judge_client(server, created, "J1") as judge:
        body = sheet_body("V02", "shared", SHARED, "h-1", "好")
        first = await judge.post(url, json=body, headers=WRITE)
        assert first.status_code == 201
        # The server still holds it (and its idempotency record): the mark changes nothing.
        again = await judge.post(url, json={**body, "resend": True}, headers=WRITE)
        assert (again.status_code, again.json()) == (200, first.json())
        bad = await judge.post(url, json={**body, "resend": "yes"}, headers=WRITE)
        assert bad.status_code == 422
        assert bad.json()["error"]["field"] == "resend"
        # A sheet the server has no record of (as after a restore from an older copy).
        lost = sheet_body("V03", "demonstration", {"t1": 15, "t2": 10}, "h-2")
        healed = await judge.post(url, json={**lost, "resend": True}, headers=WRITE)
        assert healed.status_code == 201
        assert healed.json()["sheet"]["version"] == 1
    events = await AuditEvent.filter(subject=f"round:{rid}", action="sheet.submit").order_by("id")
    assert [(e.payload["village"], e.payload.get("healed")) for e in events] == [
        ("V02", None),
        ("V03", True),
    ]
    r = await client.get(f"/admin/rounds/{rid}/progress.json", headers=bearer(organiser_token))
    heals = r.json()["heals"]
    assert [(h["judge"], h["village"], h["paper"], h["version"]) for h in heals] == [
        ("李明", "银滩村", "示范目标", 1)
    ]
    assert heals[0]["at"] == events[1].at
