"""Judges' sheets: idempotency, versions, who may write, locked rounds, and bad input."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import httpx
import pytest

from arena.models import AuditEvent, AuditHead, IdempotencyRecord, Round, Sheet
from arena.services import audit
from tests.api.helpers import new_campaign, post_sheet, small_definition, tokens
from tests.conftest import bearer, create_round

ITEMS = {"a": 8.5, "b": 7}


async def _stored(round_id: int) -> tuple[int, int, int]:
    return (
        await Sheet.filter(round_id=round_id).count(),
        await AuditEvent.all().count(),
        await IdempotencyRecord.all().count(),
    )


@pytest.fixture
async def created(client: httpx.AsyncClient, organiser_token: str) -> dict[str, Any]:
    return await create_round(client, organiser_token, small_definition(new_campaign()))


async def test_same_key_same_body_replays_without_storing(
    client: httpx.AsyncClient, created: dict[str, Any]
) -> None:
    rid, judge = created["id"], tokens(created)
    first = await post_sheet(client, judge["J1"], rid, "A", "shared", ITEMS, key="k-1")
    assert first.status_code == 201
    sheet = first.json()["sheet"]
    assert (sheet["village"], sheet["paper"], sheet["judge"], sheet["version"]) == (
        "A",
        "shared",
        "J1",
        1,
    )
    assert (sheet["items"], sheet["total"]) == ({"a": 8.5, "b": 7}, 15.5)
    before = await _stored(rid)
    again = await post_sheet(client, judge["J1"], rid, "A", "shared", ITEMS, key="k-1")
    assert again.status_code == 200
    assert again.json() == first.json()
    assert await _stored(rid) == before
    other = await post_sheet(client, judge["J1"], rid, "A", "shared", {"a": 9, "b": 7}, key="k-1")
    assert other.status_code == 409
    assert other.json()["error"]["field"] == "idempotency_key"
    assert await _stored(rid) == before


async def test_new_key_replaces_with_a_new_version(
    client: httpx.AsyncClient, created: dict[str, Any]
) -> None:
    rid, judge = created["id"], tokens(created)
    await post_sheet(client, judge["J2"], rid, "B", "shared", ITEMS)
    second = await post_sheet(client, judge["J2"], rid, "B", "shared", {"a": 6, "b": 6})
    assert second.status_code == 201
    assert second.json()["sheet"]["version"] == 2
    rows = (
        await Sheet.filter(round_id=rid, paper="shared")
        .order_by("version")
        .values_list("version", "current", "total")
    )
    assert [(v, c, str(t)) for v, c, t in rows] == [(1, False, "15.50"), (2, True, "12.00")]


async def test_who_may_write(
    client: httpx.AsyncClient, organiser_token: str, created: dict[str, Any]
) -> None:
    rid, judge, village = created["id"], tokens(created), tokens(created, "villages")
    recused = await post_sheet(client, judge["J5"], rid, "C", "shared", ITEMS)
    assert recused.status_code == 403
    assert recused.json()["error"]["code"] == "recused"
    other = await create_round(client, organiser_token, small_definition(new_campaign()))
    foreign = await post_sheet(client, tokens(other)["J1"], rid, "A", "shared", ITEMS)
    assert foreign.status_code == 403
    participant = await post_sheet(client, village["A"], rid, "A", "shared", ITEMS)
    assert participant.status_code == 403
    nobody = await client.post(f"/api/v1/rounds/{rid}/sheets", json={})
    assert nobody.status_code == 401
    # A judge cannot name another judge: the sheet is always the token's own.
    named = await client.post(
        f"/api/v1/rounds/{rid}/sheets",
        headers=bearer(judge["J1"]),
        json={
            "village": "A",
            "paper": "shared",
            "items": ITEMS,
            "judge": "J2",
            "idempotency_key": "x",
        },
    )
    assert (named.status_code, named.json()["error"]["field"]) == (422, "judge")
    assert await Sheet.filter(round_id=rid).count() == 0


async def test_locked_round_refuses_then_unlock(
    client: httpx.AsyncClient, organiser_token: str, created: dict[str, Any]
) -> None:
    rid, judge, org = created["id"], tokens(created), bearer(organiser_token)
    assert (await client.post(f"/api/v1/rounds/{rid}/lock", headers=org)).json() == {
        "id": rid,
        "status": "locked",
    }
    refused = await post_sheet(client, judge["J1"], rid, "A", "shared", ITEMS)
    assert (refused.status_code, refused.json()["error"]["code"]) == (403, "round_locked")
    deduction = await client.post(
        f"/api/v1/rounds/{rid}/deductions",
        headers=org,
        json={"village": "A", "item": "f", "points": 1, "reason": "r", "idempotency_key": "d"},
    )
    assert deduction.status_code == 403
    assert (await client.post(f"/api/v1/rounds/{rid}/unlock", headers=org)).status_code == 200
    assert (await post_sheet(client, judge["J1"], rid, "A", "shared", ITEMS)).status_code == 201
    await client.post(f"/api/v1/rounds/{rid}/lock", headers=org)
    # Sheets and satisfaction figures are still missing: publishing needs an explicit confirm.
    published = await client.post(
        f"/api/v1/rounds/{rid}/publish", headers=org, json={"confirm": True}
    )
    assert published.json()["status"] == "published"
    again = await client.post(f"/api/v1/rounds/{rid}/unlock", headers=org)
    assert (again.status_code, again.json()["error"]["code"]) == (409, "wrong_status")
    info = await client.get(f"/api/v1/rounds/{rid}", headers=org)
    assert info.json()["status"] == "published"


def _body(**changes: Any) -> bytes:
    data: dict[str, Any] = {
        "village": "A",
        "paper": "shared",
        "items": dict(ITEMS),
        "idempotency_key": "bad-1",
    }
    for key, value in changes.items():
        if key.startswith("items_"):
            data["items"][key[6:]] = value
        elif value is _DROP:
            data.pop(key)
        else:
            data[key] = value
    return json.dumps(data, ensure_ascii=False).encode()


_DROP = object()
BAD = [
    ("malformed JSON", b'{"village": "A",', 400, "malformed_json", None),
    ("array body", b"[1, 2]", 400, "malformed_json", None),
    ("NaN", _body().replace(b"8.5", b"NaN"), 400, "malformed_json", None),
    ("Infinity", _body().replace(b"8.5", b"Infinity"), 400, "malformed_json", None),
    ("points as text", _body(items_a="8"), 422, "wrong_type", "items.a"),
    ("points as bool", _body(items_a=True), 422, "wrong_type", "items.a"),
    ("above max", _body(items_a=10.5), 422, "out_of_range", "items.a"),
    ("negative", _body(items_b=-1), 422, "out_of_range", "items.b"),
    ("huge", _body().replace(b"8.5", b"1e400"), 422, "out_of_range", "items.a"),
    ("three decimals", _body(items_a=8.125), 422, "too_precise", "items.a"),
    ("unknown item", _body(items_z=1), 422, "unknown_code", "items.z"),
    ("missing item", _body(items={"a": 8}), 422, "missing", "items.b"),
    ("items not object", _body(items=[8, 7]), 422, "wrong_type", "items"),
    ("unknown village", _body(village="Z"), 422, "unknown_code", "village"),
    ("village wrong type", _body(village=3), 422, "wrong_type", "village"),
    ("unknown paper", _body(paper="satisfaction"), 422, "invalid", "paper"),
    ("no idempotency key", _body(idempotency_key=_DROP), 422, "missing", "idempotency_key"),
    ("comment too long", _body(comment="很" * 2001), 422, "too_long", "comment"),
    ("body over 1 MiB", _body(comment="x" * (1024 * 1024 + 10)), 413, "body_too_large", None),
]


@pytest.mark.parametrize(
    ("raw", "status", "code", "field"), [b[1:] for b in BAD], ids=[b[0] for b in BAD]
)
async def test_bad_sheet_is_refused_and_nothing_stored(
    client: httpx.AsyncClient,
    created: dict[str, Any],
    raw: bytes,
    status: int,
    code: str,
    field: str | None,
) -> None:
    rid, judge = created["id"], tokens(created)
    before = await _stored(rid)
    r = await client.post(
        f"/api/v1/rounds/{rid}/sheets",
        content=raw,
        headers={**bearer(judge["J1"]), "content-type": "application/json"},
    )
    assert r.status_code == status, r.text
    error = r.json()["error"]
    assert (error["code"], error["field"]) == (code, field)
    assert error["message"]
    assert await _stored(rid) == before


async def test_unknown_round_is_404(client: httpx.AsyncClient, created: dict[str, Any]) -> None:
    judge = tokens(created)
    r = await post_sheet(client, judge["J1"], 999999, "A", "shared", ITEMS)
    assert (r.status_code, r.json()["error"]["code"]) == (404, "not_found")
    r = await client.get("/api/v1/rounds/abc/standings", headers=bearer(judge["J1"]))
    assert r.status_code == 404


async def test_concurrent_writes_keep_versions_revision_and_the_chain_whole(
    client: httpx.AsyncClient, organiser_token: str
) -> None:
    # Four judges at once, each sending every village's shared paper twice: the round's row and
    # the chain's head serialise the writes, so none is lost, versions follow, the chain holds.
    created = await create_round(client, organiser_token, small_definition(new_campaign()))
    rid, judges = created["id"], tokens(created)
    before = await Round.get(id=rid)
    writes = [
        post_sheet(client, judges[j], rid, v, "shared", {"a": 5 + n, "b": 6})
        for j in ("J1", "J2", "J3", "J4")
        for v in ("A", "B", "C")
        for n in (0, 1)
    ]
    answers = await asyncio.gather(*writes)
    assert [a.status_code for a in answers] == [201] * 24
    current = await Sheet.filter(round_id=rid, current=True).values_list(
        "village_id", "judge_id", "version"
    )
    assert len(current) == 12 and {v for _, _, v in current} == {2}
    assert await Sheet.filter(round_id=rid).count() == 24
    assert (await Round.get(id=rid)).revision == before.revision + 24
    verdict = await audit.verify()
    assert verdict.ok and verdict.latest == (await AuditHead.get(id=1)).last_hash
    submitted = await AuditEvent.filter(subject=f"round:{rid}", action="sheet.submit").count()
    assert submitted == 24
