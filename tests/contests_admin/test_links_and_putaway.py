"""A contest's links replaced from its links page; delete without scores, archive with them."""

from __future__ import annotations

from typing import Any

import httpx

from arena.models import AuditEvent, Contest, Contestant, ContestJudge, Token
from tests.conftest import bearer
from tests.contests.test_flow import Host, definition, score


async def create(client: httpx.AsyncClient, token: str) -> dict[str, Any]:
    r = await client.post("/api/v1/contests", json=definition(), headers=bearer(token))
    assert r.status_code == 201, r.text
    return r.json()  # type: ignore[no-any-return]


async def test_a_replaced_judge_link_stops_the_old_one_and_is_audited(
    client: httpx.AsyncClient, organiser_token: str
) -> None:
    contest = await create(client, organiser_token)
    cid = contest["id"]
    old = next(j for j in contest["judges"] if j["code"] == "J2")
    # the old link opens a session in a browser before it is replaced
    opened = await client.get(old["url"].replace(str(client.base_url), ""))
    assert opened.status_code == 303
    session = {"Cookie": "; ".join(f"{k}={v}" for k, v in opened.cookies.items())}
    client.cookies.clear()
    assert (await client.get(f"/api/v1/contests/{cid}", headers=session)).status_code == 200
    assert (
        await client.get(f"/api/v1/contests/{cid}", headers=bearer(old["token"]))
    ).status_code == 200

    r = await client.post(
        f"/api/v1/contests/{cid}/links",
        json={"role": "judge", "code": "J2"},
        headers=bearer(organiser_token),
    )
    assert r.status_code == 201, r.text
    new = r.json()
    assert new["code"] == "J2" and new["token"] != old["token"]
    assert new["url"].endswith("/j/" + new["token"])
    # the old token and the session it opened stop; the new one works
    assert (
        await client.get(f"/api/v1/contests/{cid}", headers=bearer(old["token"]))
    ).status_code == 401
    stale = await client.get(f"/api/v1/contests/{cid}", headers=session)
    assert stale.status_code == 401
    mine = await client.get(f"/api/v1/contests/{cid}", headers=bearer(new["token"]))
    assert mine.status_code == 200
    # the links page and the links API now carry the new link, and the others are unchanged
    links = (
        await client.get(f"/api/v1/contests/{cid}/links", headers=bearer(organiser_token))
    ).json()
    assert [j["token"] for j in links["judges"]] == [
        new["token"] if j["code"] == "J2" else j["token"] for j in contest["judges"]
    ]
    page = await client.get(f"/admin/contests/{cid}/links", headers=bearer(organiser_token))
    assert new["url"] in page.text and old["url"] not in page.text
    assert page.text.count('class="button reissue"') == 5 + 3 + 1  # judges, contestants, screen
    event = await AuditEvent.filter(action="link.reissue", subject=f"contest:{cid}").first()
    assert event is not None and event.payload == {"role": "judge", "code": "J2", "generation": 1}
    assert event.actor == "organiser:测试组织者"


async def test_contestant_and_screen_links_are_replaced_too(
    client: httpx.AsyncClient, organiser_token: str
) -> None:
    contest = await create(client, organiser_token)
    cid = contest["id"]
    auth = bearer(organiser_token)
    for role, code, old in (
        ("participant", "C3", contest["contestants"][2]["token"]),
        ("screen", "screen", contest["screen"]["token"]),
    ):
        r = await client.post(f"/api/v1/contests/{cid}/links", json={"role": role, "code": code},
                              headers=auth)  # fmt: skip
        assert r.status_code == 201
        assert (await client.get(f"/api/v1/contests/{cid}", headers=bearer(old))).status_code == 401
        fresh = await client.get(f"/api/v1/contests/{cid}", headers=bearer(r.json()["token"]))
        assert fresh.status_code == 200
    unknown = await client.post(f"/api/v1/contests/{cid}/links",
                                json={"role": "judge", "code": "J9"}, headers=auth)  # fmt: skip
    assert unknown.status_code == 404 and unknown.json()["error"]["field"] == "code"
    judge = contest["judges"][0]["token"]
    refused = await client.post(
        f"/api/v1/contests/{cid}/links", json={"role": "judge", "code": "J1"}, headers=bearer(judge)
    )
    assert refused.status_code == 403


async def test_a_contest_without_scores_is_deleted_once_named(
    client: httpx.AsyncClient, organiser_token: str
) -> None:
    contest = await create(client, organiser_token)
    cid = contest["id"]
    name = (await Contest.get(id=cid)).name
    url, auth = f"/api/v1/contests/{cid}", bearer(organiser_token)
    # drawn but not scored: still a mistake that may go
    await Host(client, organiser_token, cid).ok("draw", seed="1")
    wrong = await client.request("DELETE", url, json={"confirm": "别的"}, headers=auth)
    assert wrong.status_code == 422 and wrong.json()["error"]["field"] == "confirm"
    r = await client.request("DELETE", url, json={"confirm": name}, headers=auth)
    assert r.status_code == 200, r.text
    assert not await Contest.exists(id=cid)
    assert not await Contestant.filter(contest_id=cid).exists()
    assert not await ContestJudge.filter(contest_id=cid).exists()
    assert not await Token.filter(contest_id=cid).exists()
    judge = contest["judges"][0]["token"]
    assert (await client.get(url, headers=bearer(judge))).status_code == 401
    assert (await client.get(url, headers=auth)).status_code == 404  # no cached template
    event = await AuditEvent.filter(action="contest.delete", subject=f"contest:{cid}").first()
    assert event is not None
    assert event.payload == {"contest": cid, "name": name, "date": "2025-10-20"}


async def test_a_contest_with_scores_is_archived_never_deleted(
    client: httpx.AsyncClient, organiser_token: str
) -> None:
    contest = await create(client, organiser_token)
    cid = contest["id"]
    name = (await Contest.get(id=cid)).name
    host = Host(client, organiser_token, cid)
    await host.ok("draw", seed="7")
    await host.ok("next")
    first = (await host.state())["current"]["code"]
    await host.ok("start")
    await host.ok("open")
    r = await score(client, contest["judges"][0]["token"], cid, first, {"a": 50, "b": 30})
    assert r.status_code == 201, r.text
    url, auth = f"/api/v1/contests/{cid}", bearer(organiser_token)
    refused = await client.request("DELETE", url, json={"confirm": name}, headers=auth)
    assert refused.status_code == 409
    assert refused.json()["error"]["message"] == "该擂台赛已有评委打分，不能删除，只能归档"
    assert await Contest.exists(id=cid)

    page = await client.get("/admin/contests", headers=auth)
    assert f'data-contest="{cid}"' in page.text
    assert (await client.post(url + "/archive", json={"archived": True}, headers=auth)).json() == {
        "id": cid, "archived": True,
    }  # fmt: skip
    page = await client.get("/admin/contests", headers=auth)
    assert page.text.count(f'data-contest="{cid}"') == 1 and "已归档的擂台赛（" in page.text
    home = await client.get("/admin", headers=auth)
    assert f'data-contest="{cid}"' not in home.text  # hidden from the organiser's home too
    # kept whole: the result still reads
    results = await client.get(url + "/results", headers=auth)
    assert results.status_code == 200
    await client.post(url + "/archive", json={"archived": False}, headers=auth)
    actions = (
        await AuditEvent.filter(subject=f"contest:{cid}")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions[-2:] == ["contest.archive", "contest.restore"]
    assert not (await Contest.get(id=cid)).archived


async def test_the_audit_vouches_for_the_state_after_a_contest_is_deleted(
    client: httpx.AsyncClient, organiser_token: str
) -> None:
    from arena.services.audit_state import verify_all

    contest = await create(client, organiser_token)
    cid = contest["id"]
    name = (await Contest.get(id=cid)).name
    r = await client.request(
        "DELETE", f"/api/v1/contests/{cid}", json={"confirm": name}, headers=bearer(organiser_token)
    )
    assert r.status_code == 200
    report = await verify_all()
    assert report.chain.ok
    assert [d for d in report.differences if d.row == str(cid)] == []
