"""A board with no values can be deleted (naming it); one with values is archived, never deleted."""

from __future__ import annotations

import httpx

from arena.models import AuditEvent, Board, BoardImport, BoardIndicator, BoardVillage
from tests.boards.helpers import VALUES_2025, define, unique_scope, upload
from tests.conftest import bearer


async def listed(client: httpx.AsyncClient, token: str) -> set[int]:
    r = await client.get("/api/v1/boards", headers=bearer(token))
    return {b["id"] for b in r.json()["boards"]}


async def test_a_board_without_values_is_deleted_once_named(
    client: httpx.AsyncClient, organiser_token: str
) -> None:
    scope = unique_scope()
    board_id = await define(client, organiser_token, scope, "2025")
    name = f"2025年度{scope}强村富民指数榜"
    url, auth = f"/api/v1/boards/{board_id}", bearer(organiser_token)
    wrong = await client.request("DELETE", url, json={"confirm": "别的榜"}, headers=auth)
    assert wrong.status_code == 422
    assert wrong.json()["error"]["field"] == "confirm"
    assert wrong.json()["error"]["message"] == f"请确认要删除的指数榜名称：{name}"
    assert await Board.exists(id=board_id)
    r = await client.request("DELETE", url, json={"confirm": name}, headers=auth)
    assert r.status_code == 200, r.text
    assert r.json() == {"id": board_id, "deleted": True}
    assert not await Board.exists(id=board_id)
    assert not await BoardVillage.filter(board_id=board_id).exists()
    assert not await BoardIndicator.filter(board_id=board_id).exists()
    assert (await client.get(url, headers=auth)).status_code == 404  # no cached ghost
    event = await AuditEvent.filter(action="board.delete", subject=f"board:{board_id}").first()
    assert event is not None
    assert event.payload == {"board": board_id, "name": name, "scope": scope, "period": "2025"}
    # the same scope and period may be defined again
    assert await define(client, organiser_token, scope, "2025") != board_id


async def test_a_board_with_values_is_archived_never_deleted(
    client: httpx.AsyncClient, organiser_token: str
) -> None:
    scope = unique_scope()
    board_id = await define(client, organiser_token, scope, "2025")
    assert (await upload(client, organiser_token, board_id, VALUES_2025)).status_code == 201
    name = f"2025年度{scope}强村富民指数榜"
    url, auth = f"/api/v1/boards/{board_id}", bearer(organiser_token)
    r = await client.request("DELETE", url, json={"confirm": name}, headers=auth)
    assert r.status_code == 409
    assert r.json()["error"]["message"] == "该指数榜已导入数值，不能删除，只能归档"
    assert await BoardImport.filter(board_id=board_id).count() == 1
    assert board_id in await listed(client, organiser_token)

    r = await client.post(url + "/archive", json={"archived": True}, headers=auth)
    assert r.json() == {"id": board_id, "archived": True}
    assert board_id not in await listed(client, organiser_token)
    page = await client.get("/admin/boards", headers=auth)
    assert page.text.count(f'data-board="{board_id}"') == 1  # only under 已归档
    assert "已归档的指数榜（" in page.text
    # kept whole: its rankings are still there
    rankings = await client.get(url + "/rankings", headers=auth)
    assert [x["village"] for x in rankings.json()["rows"]] == ["C", "B", "D", "A", "E"]

    r = await client.post(url + "/archive", json={"archived": False}, headers=auth)
    assert r.json() == {"id": board_id, "archived": False}
    assert board_id in await listed(client, organiser_token)
    actions = (
        await AuditEvent.filter(subject=f"board:{board_id}")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == ["board.define", "board.import", "board.archive", "board.restore"]
    bad = await client.post(url + "/archive", json={"archived": "yes"}, headers=auth)
    assert bad.status_code == 422 and bad.json()["error"]["field"] == "archived"


async def test_only_organisers_delete_or_archive(
    client: httpx.AsyncClient, organiser_token: str
) -> None:
    board_id = await define(client, organiser_token, unique_scope(), "2025")
    url = f"/api/v1/boards/{board_id}"
    assert (await client.request("DELETE", url, json={"confirm": "x"})).status_code == 401
    assert (await client.post(url + "/archive", json={"archived": True})).status_code == 401
    assert await Board.exists(id=board_id)


async def test_the_audit_vouches_for_the_state_after_a_delete_and_an_archive(
    client: httpx.AsyncClient, organiser_token: str
) -> None:
    from arena.services.audit_state import verify_all

    auth = bearer(organiser_token)
    gone = await define(client, organiser_token, unique_scope(), "2025")
    row = await Board.get(id=gone)
    await client.request(
        "DELETE", f"/api/v1/boards/{gone}", json={"confirm": row.name}, headers=auth
    )
    kept = await define(client, organiser_token, unique_scope(), "2025")
    assert (await upload(client, organiser_token, kept, VALUES_2025)).status_code == 201
    await client.post(f"/api/v1/boards/{kept}/archive", json={"archived": True}, headers=auth)
    report = await verify_all()
    assert report.chain.ok
    mine = {str(gone), str(kept), f"board {gone}", f"board {kept}"}
    assert [d for d in report.differences if d.row in mine] == []
