"""Signing in and out over HTTP: the form, its token, where it leads, what a session holds."""

from __future__ import annotations

import datetime as dt

import httpx

from arena.models import Account, Session
from tests.accounts.helpers import (
    PASSWORD,
    browser_client,
    form_token,
    lifetime,
    make_account,
    sessions_of,
    sign_in,
    signed_in,
)
from tests.conftest import Server


async def test_login_page_offers_a_form_with_a_token(server: Server) -> None:
    async with browser_client(server) as client:
        page = await client.get("/login")
        assert page.status_code == 200
        assert page.headers["cache-control"] == "no-store"
        assert 'action="/login"' in page.text
        assert 'autocomplete="current-password"' in page.text
        assert len(form_token(page.text)) == 64
        assert "arena_form" in client.cookies  # the token's seed, HttpOnly
        home = await client.get("/")
        assert 'href="/login"' in home.text
        assert "管理令牌" not in home.text


async def test_sign_in_opens_a_session_on_the_accounts_token(server: Server) -> None:
    account = await make_account()
    async with browser_client(server) as client:
        response = await sign_in(client, account.name)
        assert response.status_code == 303
        assert response.headers["location"] == "/admin"
        cookies = response.headers.get_list("set-cookie")
        (cookie,) = [c for c in cookies if c.startswith("arena_session=")]
        assert "HttpOnly" in cookie and "SameSite=lax" in cookie
        assert "Max-Age" not in cookie and "expires" not in cookie  # gone when the browser closes
        (seed,) = [c for c in cookies if c.startswith("arena_form=")]
        assert "Max-Age=0" in seed  # the sign-in form's seed is no longer needed
        admin = await client.get("/admin")
        assert admin.status_code == 200
        users = await client.get("/admin/users")
        assert users.status_code == 200
        assert f"当前登录：<strong>{account.name}</strong>" in users.text
    (session,) = await Session.filter(token_id=account.token_id)  # type: ignore[attr-defined]
    assert session.ttl_seconds == 12 * 3600  # [auth] account_session_hours = 12
    assert lifetime(session) == dt.timedelta(hours=12)
    assert session.address == "127.0.0.1"
    assert session.agent.startswith("python-httpx/")
    await account.refresh_from_db()
    assert account.last_login_at == session.last_seen_at


async def test_wrong_password_and_unknown_name_get_the_same_answer(server: Server) -> None:
    account = await make_account()
    async with browser_client(server) as client:
        wrong = await sign_in(client, account.name, "油菜花开2024")
        unknown = await sign_in(client, account.name + "x", PASSWORD)
    assert wrong.status_code == unknown.status_code == 401
    for response in (wrong, unknown):
        assert "登录名或密码不正确" in response.text
        assert "arena_session" not in response.headers.get("set-cookie", "")
    assert f'value="{account.name}"' in wrong.text  # the name stays filled in, never the password
    assert "油菜花开2024" not in wrong.text
    assert await sessions_of(account) == 0


async def test_empty_fields_are_listed_together(server: Server) -> None:
    async with browser_client(server) as client:
        page = await client.get("/login")
        response = await client.post("/login", data={"csrf": form_token(page.text)})
    assert response.status_code == 422
    assert "请填写登录名" in response.text and "请填写密码" in response.text


async def test_a_post_without_the_form_token_is_refused(server: Server) -> None:
    account = await make_account()
    async with browser_client(server) as client:
        await client.get("/login")
        data = {"name": account.name, "password": PASSWORD}
        forged = await client.post("/login", data={**data, "csrf": "0" * 64})
        missing = await client.post("/login", data=data)
        assert forged.status_code == missing.status_code == 403
        assert "页面已过期" in forged.text
        assert await sessions_of(account) == 0
        # a script sends the header instead, as for every other cookie write
        scripted = await client.post("/login", data=data, headers={"X-Arena-Request": "1"})
        assert scripted.status_code == 303
    assert await sessions_of(account) == 1


async def test_a_token_from_another_browser_does_not_fit(server: Server) -> None:
    account = await make_account()
    async with browser_client(server) as attacker, browser_client(server) as victim:
        token = form_token((await attacker.get("/login")).text)
        await victim.get("/login")
        response = await victim.post(
            "/login", data={"csrf": token, "name": account.name, "password": PASSWORD}
        )
    assert response.status_code == 403


async def test_form_posts_must_be_forms(server: Server) -> None:
    async with browser_client(server) as client:
        response = await client.post("/login", json={"name": "x", "password": "y"})
    assert response.status_code == 415


async def test_next_leads_back_but_only_within_arena(server: Server) -> None:
    account = await make_account()
    async with browser_client(server) as client:
        back = await sign_in(client, account.name, next_path="/admin/users")
        assert back.headers["location"] == "/admin/users"
    async with browser_client(server) as client:
        away = await sign_in(client, account.name, next_path="//evil.example/")
        assert away.headers["location"] == "/admin"
    async with browser_client(server) as client:
        page = await client.get("/admin/users")
        assert page.status_code == 303
        assert page.headers["location"] == "/login?next=/admin/users"


async def test_logout_ends_the_session(server: Server) -> None:
    account = await make_account()
    async with signed_in(server, account) as client:
        ask = await client.get("/logout")
        assert ask.status_code == 200 and "退出登录" in ask.text
        assert await sessions_of(account) == 1
        forged = await client.post("/logout", data={"csrf": "0" * 64})
        assert forged.status_code == 403
        assert await sessions_of(account) == 1
        out = await client.post("/logout", data={"csrf": form_token(ask.text)})
        assert out.status_code == 303
        assert out.headers["location"] == "/login?notice=out"
        assert await sessions_of(account) == 0
        assert "arena_session" not in client.cookies
        again = await client.get("/login?notice=out")
        assert "您已退出登录" in again.text


async def test_an_old_cookie_stops_working_after_logout(server: Server) -> None:
    account = await make_account()
    async with signed_in(server, account) as client:
        cookie = client.cookies["arena_session"]
        page = await client.get("/logout")
        await client.post("/logout", data={"csrf": form_token(page.text)})
    async with httpx.AsyncClient(base_url=server.url, cookies={"arena_session": cookie}) as c:
        response = await c.get("/admin/users")
        assert response.status_code == 303
        assert response.headers["location"] == "/login?next=/admin/users"


async def test_signing_in_again_replaces_this_browsers_session(server: Server) -> None:
    account = await make_account()
    async with signed_in(server, account) as client:
        first = client.cookies["arena_session"]
        response = await sign_in(client, account.name)
        assert response.status_code == 303
        assert client.cookies["arena_session"] != first
    assert await sessions_of(account) == 1  # the earlier one was ended, not left behind


async def test_password_is_never_stored_in_clear(server: Server) -> None:
    account = await make_account(password="只有本人知道的口令")
    stored = await Account.get(id=account.id)
    assert stored.password_hash.startswith("$argon2id$")
    assert "只有本人知道的口令" not in stored.password_hash
