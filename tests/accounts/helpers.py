"""What the accounts tests share: an account made in the database, a browser-like client that
signs in through the form, and reading a page's form token."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx

from arena.models import Account, Session
from arena.services.accounts import Accounts
from arena.settings import AuthSettings
from tests.conftest import Server

PASSWORD = "油菜花开2025"  # 8 characters (the least allowed), not common, not a name


def unique_name(prefix: str = "测试") -> str:
    """A sign-in name no other test uses (throttling counts per name)."""
    return f"{prefix}{uuid.uuid4().hex[:8]}"


async def make_account(name: str | None = None, password: str = PASSWORD) -> Account:
    """An organiser account created as `arena user create` does."""
    created = await Accounts(AuthSettings()).create(
        name or unique_name(), password, password, "test"
    )
    return await Account.get(id=created.id)


def form_token(html: str) -> str:
    """The hidden form token of the first form on a page."""
    found = re.search(r'name="csrf" value="([0-9a-f]{64})"', html)
    assert found, "no form token on the page"
    return found.group(1)


async def sign_in(
    client: httpx.AsyncClient, name: str, password: str = PASSWORD, next_path: str = ""
) -> httpx.Response:
    """Open /login and post its form, as a browser does."""
    page = await client.get("/login")
    assert page.status_code == 200
    data = {"csrf": form_token(page.text), "name": name, "password": password}
    if next_path:
        data["next"] = next_path
    return await client.post("/login", data=data)


@asynccontextmanager
async def browser_client(server: Server) -> AsyncIterator[httpx.AsyncClient]:
    """A client that keeps cookies, like one browser."""
    async with httpx.AsyncClient(base_url=server.url, timeout=30) as client:
        yield client


@asynccontextmanager
async def signed_in(server: Server, account: Account) -> AsyncIterator[httpx.AsyncClient]:
    """A browser signed in to `account`."""
    async with browser_client(server) as client:
        response = await sign_in(client, account.name)
        assert response.status_code == 303, response.text
        yield client


async def sessions_of(account: Account) -> int:
    """How many sessions the account's token holds."""
    return await Session.filter(token_id=account.token_id).count()  # type: ignore[attr-defined]


def lifetime(session: Session) -> dt.timedelta:
    """How long a session has left after its last use."""
    assert session.expires_at is not None and session.last_seen_at is not None
    return session.expires_at - session.last_seen_at
