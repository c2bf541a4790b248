"""Sessions: they expire unused, are bounded per link, can be listed and ended by an organiser,
and an ended one stops within the authenticator's cache time."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
from typing import Any

import httpx
from starlette.requests import HTTPConnection

from arena.auth import Authenticator, digest
from arena.models import AuditEvent, Session
from tests.accounts.helpers import browser_client, form_token, lifetime, make_account, signed_in
from tests.conftest import Server, create_round

DAY = 24 * 3600  # [auth] link_session_hours = 24


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


async def _village_link(client: httpx.AsyncClient, organiser_token: str) -> tuple[int, str]:
    created = await create_round(client, organiser_token)
    return created["id"], created["villages"][0]["url"]


async def _open(server: Server, link: str) -> str:
    """Open a personal link in a fresh browser; the session cookie it sets."""
    async with browser_client(server) as browser:
        response = await browser.get(link.removeprefix(server.url))
        assert response.status_code == 303
        return browser.cookies["arena_session"]


async def _reads(server: Server, cookie: str, round_id: int) -> int:
    """The status of a round read made with a session cookie."""
    async with httpx.AsyncClient(base_url=server.url, cookies={"arena_session": cookie}) as c:
        return (await c.get(f"/api/v1/rounds/{round_id}")).status_code


async def test_a_link_session_lasts_a_day_from_its_last_use(
    server: Server, client: httpx.AsyncClient, organiser_token: str
) -> None:
    round_id, link = await _village_link(client, organiser_token)
    cookie = await _open(server, link)
    session = await Session.get(session_hash=digest(cookie))
    assert session.ttl_seconds == DAY
    assert lifetime(session) == dt.timedelta(seconds=DAY)
    assert await _reads(server, cookie, round_id) == 200


async def test_each_link_keeps_its_ten_most_recent_sessions(
    server: Server, client: httpx.AsyncClient, organiser_token: str
) -> None:
    round_id, link = await _village_link(client, organiser_token)
    cookies = [await _open(server, link) for _ in range(12)]
    token_id = (await Session.get(session_hash=digest(cookies[-1]))).token_id  # type: ignore[attr-defined]
    # 12 visits, at most 10 kept ([auth] sessions_per_link): the two used longest ago went
    assert await Session.filter(token_id=token_id).count() == 10
    assert [await _reads(server, c, round_id) for c in cookies[:3]] == [401, 401, 200]
    assert await _reads(server, cookies[-1], round_id) == 200


async def test_an_expired_session_is_refused_and_deleted(
    server: Server, client: httpx.AsyncClient, organiser_token: str
) -> None:
    round_id, link = await _village_link(client, organiser_token)
    cookie = await _open(server, link)
    await Session.filter(session_hash=digest(cookie)).update(
        expires_at=now() - dt.timedelta(seconds=1)
    )
    assert await _reads(server, cookie, round_id) == 401
    assert await Session.filter(session_hash=digest(cookie)).count() == 0


async def test_use_moves_the_expiry_at_most_once_a_minute(
    server: Server, client: httpx.AsyncClient, organiser_token: str
) -> None:
    round_id, link = await _village_link(client, organiser_token)
    cookie = await _open(server, link)
    hashed = digest(cookie)
    recent = now() - dt.timedelta(seconds=30)
    await Session.filter(session_hash=hashed).update(
        last_seen_at=recent, expires_at=recent + dt.timedelta(seconds=DAY)
    )
    assert await _reads(server, cookie, round_id) == 200
    session = await Session.get(session_hash=hashed)
    assert session.last_seen_at == recent  # used 30 s ago: not written again
    stale = now() - dt.timedelta(minutes=2)
    await Session.filter(session_hash=hashed).update(
        last_seen_at=stale, expires_at=stale + dt.timedelta(hours=1)
    )
    before = now()
    assert await _reads(server, cookie, round_id) == 200
    session = await Session.get(session_hash=hashed)
    assert session.last_seen_at is not None and session.last_seen_at >= before
    assert lifetime(session) == dt.timedelta(seconds=DAY)


async def test_sessions_from_before_expiry_existed_last_a_day_from_creation(
    server: Server, client: httpx.AsyncClient, organiser_token: str
) -> None:
    round_id, link = await _village_link(client, organiser_token)
    old, fresh = await _open(server, link), await _open(server, link)
    await Session.filter(session_hash=digest(old)).update(
        expires_at=None, last_seen_at=None, created_at=now() - dt.timedelta(days=2)
    )
    await Session.filter(session_hash=digest(fresh)).update(expires_at=None, last_seen_at=None)
    assert await _reads(server, old, round_id) == 401
    assert await _reads(server, fresh, round_id) == 200
    session = await Session.get(session_hash=digest(fresh))
    assert lifetime(session) == dt.timedelta(seconds=DAY)


async def test_expired_sessions_are_swept_when_a_session_opens(
    server: Server, client: httpx.AsyncClient, organiser_token: str
) -> None:
    _, link = await _village_link(client, organiser_token)
    _, other = await _village_link(client, organiser_token)
    stale = await _open(server, link)
    await Session.filter(session_hash=digest(stale)).update(
        expires_at=now() - dt.timedelta(hours=1)
    )
    await _open(server, other)  # any new session clears every expired one
    assert await Session.filter(session_hash=digest(stale)).count() == 0


async def test_an_organiser_lists_and_ends_sessions(
    server: Server, client: httpx.AsyncClient, organiser_token: str
) -> None:
    round_id, link = await _village_link(client, organiser_token)
    cookie = await _open(server, link)
    session = await Session.get(session_hash=digest(cookie)).select_related("token")
    admin = await make_account()
    async with signed_in(server, admin) as browser:
        page = await browser.get("/admin/sessions")
        assert page.status_code == 200
        row = page.text.split(f'data-session="{session.id}"', 1)[1].split("</tr>", 1)[0]
        assert 'data-role="participant"' in row and f'data-name="{session.token.name}"' in row
        assert "试点村" in row and "个人链接" in row and "python-httpx" not in row
        assert "脚本" in row  # the device, in words
        mine = await Session.get(session_hash=digest(browser.cookies["arena_session"]))
        assert f'data-session="{mine.id}" data-role="organiser"' in page.text
        assert "本机" in page.text.split(f'data-session="{mine.id}"', 1)[1].split("</tr>", 1)[0]
        last = await AuditEvent.all().order_by("-id").first()
        ended = await browser.post(
            f"/admin/sessions/{session.id}/end", data={"csrf": form_token(page.text)}
        )
        assert ended.status_code == 303
        assert ended.headers["location"] == "/admin/sessions?done=ended"
        assert await Session.filter(id=session.id).count() == 0
        assert await _reads(server, cookie, round_id) == 401
        (event,) = await AuditEvent.filter(id__gt=last.id if last else 0)
        assert (event.actor, event.action, event.subject) == (
            f"organiser:{admin.name}", "session.end", f"session:{session.id}",
        )  # fmt: skip
        assert event.payload == {"role": "participant", "name": session.token.name, "via": "link"}
        gone = await browser.post(
            f"/admin/sessions/{session.id}/end", data={"csrf": form_token(page.text)}
        )
        assert gone.status_code == 404
        own = await browser.post(
            f"/admin/sessions/{mine.id}/end", data={"csrf": form_token(page.text)}
        )
        assert own.headers["location"] == "/login?notice=out"  # ending one's own = signing out
        assert (await browser.get("/admin/sessions")).status_code == 303


class _Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def _request(cookie: str) -> HTTPConnection:
    scope: dict[str, Any] = {
        "type": "http",
        "method": "GET",
        "path": "/",
        "headers": [(b"cookie", f"arena_session={cookie}".encode())],
    }
    return HTTPConnection(scope)


async def test_an_ended_session_stops_within_the_cache_time(
    server: Server, client: httpx.AsyncClient, organiser_token: str
) -> None:
    _, link = await _village_link(client, organiser_token)
    cookie = await _open(server, link)
    clock = _Clock()
    other_process = Authenticator("arena_session", cache_seconds=5, clock=clock)
    assert (await other_process.principal(_request(cookie))) is not None
    await Session.filter(session_hash=digest(cookie)).delete()  # ended by another process
    clock.now += 4.9
    assert (await other_process.principal(_request(cookie))) is not None  # still cached
    clock.now += 0.1  # token_cache_seconds after it was checked
    assert (await other_process.principal(_request(cookie))) is None


async def test_ending_a_session_closes_the_live_socket_it_opened(
    server: Server, client: httpx.AsyncClient, organiser_token: str
) -> None:
    from websockets.asyncio.client import connect
    from websockets.exceptions import ConnectionClosed

    created = await create_round(client, organiser_token)
    member, admin = await make_account(), await make_account()
    async with signed_in(server, member) as browser, signed_in(server, admin) as other:
        cookie = f"arena_session={browser.cookies['arena_session']}"
        url = server.url.replace("http://", "ws://") + f"/ws/rounds/{created['id']}/live"
        async with connect(url, additional_headers={"Cookie": cookie}, proxy=None) as ws:
            first = json.loads(await asyncio.wait_for(ws.recv(), 10))
            assert first["type"] == "snapshot"
            mine = await Session.get(session_hash=digest(browser.cookies["arena_session"]))
            page = await other.get("/admin/sessions")
            ended = await other.post(
                f"/admin/sessions/{mine.id}/end", data={"csrf": form_token(page.text)}
            )
            assert ended.status_code == 303
            # this process sweeps its sockets as the session ends: closed with 1008 at once
            try:
                async with asyncio.timeout(10):
                    while True:
                        await ws.recv()
            except ConnectionClosed as closed:
                assert closed.rcvd is not None and closed.rcvd.code == 1008
