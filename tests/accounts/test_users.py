"""/admin/users and the rules around accounts: add, disable, enable, reset; slowed-down guessing."""

from __future__ import annotations

import json

import httpx

from arena.models import Account, AuditEvent, Token
from tests.accounts.helpers import (
    PASSWORD,
    browser_client,
    form_token,
    make_account,
    sessions_of,
    sign_in,
    signed_in,
    unique_name,
)
from tests.conftest import Server


async def _post(client: httpx.AsyncClient, path: str, **fields: str) -> httpx.Response:
    """Post a form of /admin/users with the page's token, as the browser does."""
    page = await client.get("/admin/users")
    return await client.post(path, data={"csrf": form_token(page.text), **fields})


async def _events_after(last_id: int) -> list[AuditEvent]:
    return await AuditEvent.filter(id__gt=last_id).order_by("id")


async def _last_event() -> int:
    event = await AuditEvent.all().order_by("-id").first()
    return event.id if event else 0


async def test_adding_an_account_by_form_is_audited_without_the_password(server: Server) -> None:
    admin = await make_account()
    name = unique_name("组织部")
    before = await _last_event()
    async with signed_in(server, admin) as client:
        response = await _post(
            client, "/admin/users", name=f" {name} ", password="换届选举2026",
            password_again="换届选举2026",
        )  # fmt: skip
        assert response.status_code == 303
        created = await Account.get(name=name)  # stored without the spaces around it
        assert response.headers["location"] == f"/admin/users?done=created&account={created.id}"
        page = await client.get(response.headers["location"])
        assert f"已添加账号「{name}」" in page.text
    token = await Token.get(id=created.token_id)  # type: ignore[attr-defined]
    assert (token.role, token.name, token.revoked) == ("organiser", name, False)
    (event,) = await _events_after(before)
    assert (event.actor, event.action, event.subject) == (
        f"organiser:{admin.name}", "account.create", f"account:{created.id}",
    )  # fmt: skip
    assert event.payload == {"name": name}
    assert "换届选举2026" not in json.dumps(event.payload, ensure_ascii=False)
    async with browser_client(server) as client:
        assert (await sign_in(client, name, "换届选举2026")).status_code == 303


async def test_a_bad_form_lists_every_problem_and_stores_nothing(server: Server) -> None:
    admin = await make_account()
    accounts = await Account.all().count()
    before = await _last_event()
    async with signed_in(server, admin) as client:
        response = await _post(
            client, "/admin/users", name="王 科长", password="qz1234x", password_again="qz1234y"
        )
        taken = await _post(
            client, "/admin/users", name=admin.name, password=PASSWORD, password_again=PASSWORD
        )
    assert response.status_code == 422
    text = response.text
    # each problem beside its own field (the field's error element), all at once
    assert (
        'id="new-name-error" role="alert">登录名只能由汉字、字母、数字和 . _ - · 组成，不能有空格<'
        in text
    )
    assert 'id="new-password-error" role="alert">密码至少 8 位<' in text
    assert 'id="new-again-error" role="alert">两次输入的密码不一致<' in text
    assert 'value="王 科长"' in text and "qz1234" not in text
    assert taken.status_code == 422
    assert 'id="new-name-error" role="alert">该登录名已被使用<' in taken.text
    assert await Account.all().count() == accounts
    assert await _events_after(before) == []


async def test_disabling_ends_the_accounts_sessions_and_refuses_sign_in(server: Server) -> None:
    admin = await make_account()
    other = await make_account()
    async with signed_in(server, admin) as client, signed_in(server, other) as victim:
        assert (await victim.get("/admin/users")).status_code == 200
        before = await _last_event()
        response = await _post(client, f"/admin/users/{other.id}/disable")
        assert response.status_code == 303
        assert response.headers["location"] == f"/admin/users?done=disabled&account={other.id}"
        # the disabled account's open browser is out at once (this process forgot its cache)
        assert (await victim.get("/admin/users")).status_code == 303
        assert await sessions_of(other) == 0
        (event,) = await _events_after(before)
        assert (event.action, event.payload) == (
            "account.disable", {"name": other.name, "sessions_ended": 1}
        )  # fmt: skip
        again = await _post(client, f"/admin/users/{other.id}/disable")  # already: no change
        assert again.status_code == 303
        assert await _events_after(event.id) == []
    token = await Token.get(id=other.token_id)  # type: ignore[attr-defined]
    assert token.revoked is True
    async with browser_client(server) as client:
        refused = await sign_in(client, other.name)
        assert refused.status_code == 403
        assert "该账号已停用" in refused.text
        wrong = await sign_in(client, other.name, "油菜花开2024")
        assert wrong.status_code == 401  # only someone who knows the password learns it is off
    assert await sessions_of(other) == 0
    async with signed_in(server, admin) as client:
        enabled = await _post(client, f"/admin/users/{other.id}/enable")
        assert enabled.status_code == 303
    async with browser_client(server) as client:
        assert (await sign_in(client, other.name)).status_code == 303


async def test_an_organiser_cannot_disable_their_own_account(server: Server) -> None:
    admin = await make_account()
    async with signed_in(server, admin) as client:
        response = await _post(client, f"/admin/users/{admin.id}/disable")
        assert response.status_code == 403
        assert "不能停用自己正在使用的账号" in response.text
    await admin.refresh_from_db()
    assert admin.disabled is False


async def test_reset_ends_every_session_and_only_the_new_password_works(server: Server) -> None:
    admin = await make_account()
    other = await make_account()
    async with signed_in(server, other) as phone, signed_in(server, other) as laptop:
        assert await sessions_of(other) == 2
        async with signed_in(server, admin) as client:
            before = await _last_event()
            bad = await _post(
                client, f"/admin/users/{other.id}/password", password="短", password_again="长"
            )
            assert bad.status_code == 422
            field = f"reset-{other.id}-password"
            assert f'id="{field}-error" role="alert">密码至少 8 位<' in bad.text
            assert (
                f'id="reset-{other.id}-again-error" role="alert">两次输入的密码不一致<' in bad.text
            )
            assert await sessions_of(other) == 2
            response = await _post(
                client, f"/admin/users/{other.id}/password", password="秋收冬藏2026",
                password_again="秋收冬藏2026",
            )  # fmt: skip
            assert response.status_code == 303
            (event,) = await _events_after(before)
            assert (event.action, event.payload) == (
                "account.password_reset", {"name": other.name, "sessions_ended": 2}
            )  # fmt: skip
            assert "秋收冬藏2026" not in json.dumps(event.payload, ensure_ascii=False)
        assert await sessions_of(other) == 0
        assert (await phone.get("/admin/users")).status_code == 303
        assert (await laptop.get("/admin/users")).status_code == 303
    async with browser_client(server) as client:
        assert (await sign_in(client, other.name, PASSWORD)).status_code == 401
        assert (await sign_in(client, other.name, "秋收冬藏2026")).status_code == 303


async def test_resetting_ones_own_password_keeps_this_browser_signed_in(server: Server) -> None:
    me = await make_account()
    async with signed_in(server, me) as elsewhere, signed_in(server, me) as here:
        response = await _post(
            here, f"/admin/users/{me.id}/password", password="秋收冬藏2026",
            password_again="秋收冬藏2026",
        )  # fmt: skip
        assert response.status_code == 303
        assert await sessions_of(me) == 1
        assert (await here.get("/admin/users")).status_code == 200
        assert (await elsewhere.get("/admin/users")).status_code == 303


async def test_five_failures_then_429_with_retry_after(server: Server) -> None:
    account = await make_account()
    async with browser_client(server) as client:
        answers = [await sign_in(client, account.name, f"错误密码{n}") for n in range(5)]
        assert [r.status_code for r in answers] == [401] * 5
        assert "再错 2 次需等待后才能再试" in answers[2].text  # after 3 of 5
        assert "尝试次数过多，请 30 秒后再试" in answers[4].text  # the fifth sets a 30 s wait
        # now even the right password is not checked: 30 s × 2^(5 − 5) = 30 s to wait
        slowed = await sign_in(client, account.name, PASSWORD)
        assert slowed.status_code == 429
        assert slowed.headers["retry-after"] in ("30", "29")  # whole seconds left, rounded up
        assert "尝试次数过多" in slowed.text
    assert await sessions_of(account) == 0
    async with browser_client(server) as client:  # another name from the same address is fine
        other = await make_account()
        assert (await sign_in(client, other.name)).status_code == 303


async def test_only_organisers_open_the_users_page(server: Server, organiser_token: str) -> None:
    from tests.conftest import bearer, create_round

    async with browser_client(server) as client:
        created = await create_round(client, organiser_token)
        judge = created["judges"][0]["url"].removeprefix(server.url)
        assert (await client.get(judge)).status_code == 303
        page = await client.get("/admin/users")
        assert page.status_code == 403
        posted = await client.post(
            "/admin/users", data={"name": "x"}, headers={"X-Arena-Request": "1"}
        )
        assert posted.status_code == 403
    async with httpx.AsyncClient(base_url=server.url) as api:
        page = await api.get("/admin/users", headers=bearer(organiser_token))
        assert page.status_code == 200  # an organiser's integration token may too
