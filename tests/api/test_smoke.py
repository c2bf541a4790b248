"""The server answers and a round can be created and read back."""

from __future__ import annotations

import httpx

from tests.conftest import bearer, create_round


async def test_create_round_and_read_standings(
    client: httpx.AsyncClient, organiser_token: str
) -> None:
    created = await create_round(client, organiser_token)
    assert [j["code"] for j in created["judges"]] == ["J1", "J2", "J3", "J4", "J5", "J6", "J7"]
    assert [v["code"] for v in created["villages"]][:2] == ["V01", "V02"]
    r = await client.get(
        f"/api/v1/rounds/{created['id']}/standings", headers=bearer(organiser_token)
    )
    assert r.status_code == 200
    body = r.json()
    assert body["complete"] is False
    assert len(body["rows"]) == 8
    assert body["sheets_expected"] == 2 * (7 * 8 - 1)
