"""During the results meeting a village sees its own place only once it has been announced."""

from __future__ import annotations

import httpx

from tests.api.helpers import new_campaign, post_sheet, small_definition, tokens
from tests.conftest import bearer, create_round


async def test_participant_rank_hidden_until_announced(
    client: httpx.AsyncClient, organiser_token: str
) -> None:
    created = await create_round(client, organiser_token, small_definition(new_campaign()))
    rid, judge, village = created["id"], tokens(created), tokens(created, "villages")
    # A totals 18, C 8, B 0 (nothing scored yet): announced from the last, B, then C, then A.
    for code, points in (("A", 9), ("C", 4)):
        r = await post_sheet(client, judge["J1"], rid, code, "shared", {"a": points, "b": points})
        assert r.status_code == 201
    org = bearer(organiser_token)

    async def seen_by(code: str, token: str) -> tuple[object, object]:
        r = await client.get(f"/api/v1/rounds/{rid}/villages/{code}", headers=bearer(token))
        assert r.status_code == 200
        return r.json()["rank"], r.json().get("rank_hidden", False)

    assert await seen_by("C", village["C"]) == (2, False)
    r = await client.post(f"/admin/rounds/{rid}/reveal/freeze", headers=org)
    assert r.status_code == 200, r.text
    assert await seen_by("C", village["C"]) == (None, True)
    assert await seen_by("A", village["A"]) == (None, True)
    assert await seen_by("A", organiser_token) == (1, False)  # the organiser sees live figures
    await client.post(f"/admin/rounds/{rid}/reveal/step", headers=org)  # third place: B
    assert await seen_by("B", village["B"]) == (3, False)
    assert await seen_by("C", village["C"]) == (None, True)
    await client.post(f"/admin/rounds/{rid}/reveal/step", headers=org)  # second place: C
    assert await seen_by("C", village["C"]) == (2, False)
    assert await seen_by("A", village["A"]) == (None, True)
    await client.post(f"/admin/rounds/{rid}/reveal/release", headers=org)
    assert await seen_by("A", village["A"]) == (1, False)
