"""Personal links: listed again, 192-bit secrets, the cookie they set, and replacing any of them.

A replaced link must stop: at once in the process that replaced it, and within the shipped
`token_cache_seconds` (5) in any other process sharing the database.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import os
import re
import secrets
import subprocess
import sys
import time
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from starlette.requests import HTTPConnection

from arena.auth import Authenticator
from tests.conftest import (
    Server,
    _drop_postgres,
    _postgres_database,
    bearer,
    create_round,
    example_definition,
    free_port,
)
from tests.services import require_postgres

ARENA = [sys.executable, "-c", "from arena.cli import main; raise SystemExit(main())"]
PREFIX = {"judge": "j", "participant": "v", "screen": "s"}


def server_key(server: Server) -> bytes:
    """The key the test server derives links from, as it sits in its data directory."""
    return (server.settings.data_dir / "secret.key").read_text().strip().encode()


def expected_secret(key: bytes, role: str, round_id: int, code: str, generation: int) -> str:
    """README: a link carries a 192-bit secret, HMAC-SHA256(key, role:round:code:generation)."""
    mac = hmac.new(key, f"{role}:{round_id}:{code}:{generation}".encode(), hashlib.sha256)
    return base64.urlsafe_b64encode(mac.digest()[:24]).decode().rstrip("=")


def bits(secret: str) -> int:
    """How many random bits a base64url secret carries."""
    assert re.fullmatch(r"[A-Za-z0-9_-]+", secret), secret
    return len(base64.urlsafe_b64decode(secret + "=" * (-len(secret) % 4))) * 8


async def test_links_lists_every_personal_link_again(
    server: Server, client: httpx.AsyncClient, organiser_token: str
) -> None:
    created = await create_round(client, organiser_token)
    rid, key = created["id"], server_key(server)
    r = await client.get(f"/api/v1/rounds/{rid}/links", headers=bearer(organiser_token))
    assert r.status_code == 200
    links = r.json()
    # 7 judges J1..J7 and 8 villages V01..V08 of the example, in definition order, and one screen.
    judges = ["李明", "王芳", "张强", "刘洋", "陈静", "杨帆", "赵磊"]
    villages = ["青山村", "港边村", "银滩村", "和睦村", "巧巧村", "乡贤村", "桥头村", "红岩村"]
    assert [(j["code"], j["name"]) for j in links["judges"]] == [
        (f"J{n}", name) for n, name in enumerate(judges, 1)
    ]
    assert [(v["code"], v["name"]) for v in links["villages"]] == [
        (f"V0{n}", name) for n, name in enumerate(villages, 1)
    ]
    entries = [
        *(("judge", e) for e in links["judges"]),
        *(("participant", e) for e in links["villages"]),
        ("screen", links["screen"]),
    ]
    assert len(entries) == 16
    for role, entry in entries:
        secret = expected_secret(key, role, rid, entry["code"], 0)
        assert entry["token"] == secret
        assert entry["url"] == f"{server.url}/{PREFIX[role]}/{secret}"
    # the same links as the round's creation answered
    assert [j["url"] for j in created["judges"]] == [j["url"] for j in links["judges"]]
    assert created["screen"]["url"] == links["screen"]["url"]
    # only organisers may list them
    assert (await client.get(f"/api/v1/rounds/{rid}/links")).status_code == 401
    judge = bearer(links["judges"][0]["token"])
    r = await client.get(f"/api/v1/rounds/{rid}/links", headers=judge)
    assert (r.status_code, r.json()["error"]["code"]) == (403, "forbidden")


async def test_link_secrets_carry_192_bits(
    server: Server, client: httpx.AsyncClient, organiser_token: str
) -> None:
    created = await create_round(client, organiser_token)
    secrets_ = [e["token"] for e in (*created["judges"], *created["villages"], created["screen"])]
    # 24 bytes = 192 bits = 32 base64url characters without padding
    assert {len(s) for s in secrets_} == {32}
    assert {bits(s) for s in secrets_} == {192}
    assert len(set(secrets_)) == 16


@pytest.mark.parametrize("scheme", ["http", "https"])
async def test_a_link_sets_an_httponly_lax_cookie_secure_on_https(
    server: Server, client: httpx.AsyncClient, organiser_token: str, scheme: str
) -> None:
    created = await create_round(client, organiser_token)
    path = created["villages"][0]["url"].removeprefix(server.url)
    # uvicorn trusts X-Forwarded-Proto from 127.0.0.1, as from the venue's TLS proxy
    r = await client.get(path, headers={"X-Forwarded-Proto": scheme})
    assert r.status_code == 303
    assert r.headers["location"] == f"/village?round={created['id']}"
    assert r.headers["cache-control"] == "no-store"
    assert r.headers["referrer-policy"] == "no-referrer"
    [cookie] = r.headers.get_list("set-cookie")
    name, _, rest = cookie.partition("=")
    value, *attributes = [a.strip() for a in rest.split(";")]
    assert name == "arena_session"
    assert bits(value) >= 128  # a new random session secret, not the link's
    assert value != path.rsplit("/", 1)[1]
    flags = {a.split("=")[0].lower(): a.partition("=")[2] for a in attributes}
    assert "httponly" in flags
    assert flags["samesite"].lower() == "lax"
    assert flags["path"] == "/"
    assert ("secure" in flags) == (scheme == "https")


async def _open_session(server: Server, url: str) -> httpx.AsyncClient:
    client = httpx.AsyncClient(base_url=server.url, timeout=20)
    response = await client.get(url.removeprefix(server.url))
    assert response.status_code == 303
    return client


@pytest.mark.parametrize(
    ("role", "code", "probe"),
    [
        ("participant", "V03", "/api/v1/rounds/{rid}/villages/V03"),
        ("screen", "screen", "/api/v1/rounds/{rid}/standings"),
        ("judge", "J2", "/judge/api/state"),
    ],
)
async def test_a_replaced_link_stops_with_its_sessions_and_the_new_one_works(
    server: Server,
    client: httpx.AsyncClient,
    organiser_token: str,
    role: str,
    code: str,
    probe: str,
) -> None:
    created = await create_round(client, organiser_token)
    rid = created["id"]
    probe = probe.format(rid=rid)
    kind = {"participant": "villages", "judge": "judges"}.get(role)
    old = created["screen"] if kind is None else next(e for e in created[kind] if e["code"] == code)
    browser = await _open_session(server, old["url"])
    try:
        assert (await browser.get(probe)).status_code == 200
        assert (await client.get(probe, headers=bearer(old["token"]))).status_code == 200
        r = await client.post(
            f"/api/v1/rounds/{rid}/links",
            json={"role": role, "code": code},
            headers=bearer(organiser_token),
        )
        assert r.status_code == 201, r.text
        new = r.json()
        # generation 1 of the same link, derived from the server key
        assert new["token"] == expected_secret(server_key(server), role, rid, code, 1)
        assert new["url"] == f"{server.url}/{PREFIX[role]}/{new['token']}"
        # the old link, its session cookie and its secret as a bearer token: all refused at once
        assert (await client.get(old["url"].removeprefix(server.url))).status_code == 404
        assert (await browser.get(probe)).status_code == 401
        assert (await client.get(probe, headers=bearer(old["token"]))).status_code == 401
        # the new one works, and the links list shows it in place of the old
        fresh = await _open_session(server, new["url"])
        try:
            assert (await fresh.get(probe)).status_code == 200
        finally:
            await fresh.aclose()
        listed = (
            await client.get(f"/api/v1/rounds/{rid}/links", headers=bearer(organiser_token))
        ).json()
        entry = listed["screen"] if kind is None else next(
            e for e in listed[kind] if e["code"] == code
        )  # fmt: skip
        assert entry["url"] == new["url"]
    finally:
        await browser.aclose()


class FakeClock:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _request(token: str) -> HTTPConnection:
    headers = [(b"authorization", f"Bearer {token}".encode())]
    return HTTPConnection({"type": "http", "method": "GET", "headers": headers, "path": "/"})


async def test_another_process_trusts_a_replaced_link_at_most_five_seconds(
    server: Server, client: httpx.AsyncClient, organiser_token: str
) -> None:
    # Another process's authenticator with the shipped setting, on a clock moved by hand.
    assert server.settings.auth.token_cache_seconds == 0  # the test server checks every time
    shipped = 5.0  # config.toml: [auth] token_cache_seconds = 5
    clock = FakeClock()
    other = Authenticator("arena_session", shipped, clock=clock)
    created = await create_round(client, organiser_token)
    screen = created["screen"]["token"]
    seen = await other.principal(_request(screen))
    assert seen is not None and (seen.role, seen.round_id) == ("screen", created["id"])
    r = await client.post(
        f"/api/v1/rounds/{created['id']}/links",
        json={"role": "screen", "code": "screen"},
        headers=bearer(organiser_token),
    )
    assert r.status_code == 201
    clock.now += 4.999  # still inside the 5 s it trusted the token for
    assert await other.principal(_request(screen)) == seen
    clock.now += 0.001  # 5 s after the check: looked up again and refused
    assert await other.principal(_request(screen)) is None
    assert await other.principal(_request(r.json()["token"])) is not None


def _wait_until_up(process: subprocess.Popen[bytes], url: str) -> None:
    with httpx.Client(timeout=1) as c:
        for _ in range(600):
            if process.poll() is not None:
                raise RuntimeError(f"server at {url} exited with {process.returncode}")
            try:
                if c.get(url + "/").status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.05)
    raise RuntimeError(f"server at {url} did not start")


@pytest.fixture
async def two_processes(tmp_path: Path) -> AsyncIterator[tuple[str, str, str]]:
    """Two `arena serve` processes on one fresh PostgreSQL database, shipped settings."""
    pg = await require_postgres()
    db_url, name = await _postgres_database(pg)
    ports = [free_port(), free_port()]
    env = {
        **os.environ,
        "ARENA_DB_URL": db_url,
        "ARENA_SECRET_KEY": secrets.token_hex(32),
        "ARENA_DATA_DIR": str(tmp_path),
        "ARENA_BASE_URL": f"http://127.0.0.1:{ports[0]}",
        "ARENA_LIVE_BACKEND": "memory",
    }
    env.pop("ARENA_AUTH_TOKEN_CACHE_SECONDS", None)  # the shipped 5 s
    token = subprocess.run(
        [*ARENA, "token", "create", "--role", "organiser", "--name", "测试"],
        env=env, capture_output=True, text=True, check=True, timeout=120,
    ).stdout.split()[-1]  # fmt: skip
    processes: list[subprocess.Popen[bytes]] = []
    try:
        for port in ports:  # one after the other: the first applies the migrations
            process = subprocess.Popen(
                [*ARENA, "serve", "--port", str(port)],
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            processes.append(process)
            await asyncio.to_thread(_wait_until_up, process, f"http://127.0.0.1:{port}")
        a, b = (f"http://127.0.0.1:{port}" for port in ports)
        yield a, b, token
    finally:
        for process in processes:
            process.terminate()
            process.wait(timeout=15)
        await _drop_postgres(pg, name)


@pytest.mark.postgres
async def test_a_link_replaced_on_one_process_stops_on_the_other_within_five_seconds(
    two_processes: tuple[str, str, str],
) -> None:
    a, b, organiser = two_processes
    definition = example_definition(campaign=f"测试行动-{uuid.uuid4().hex[:8]}")
    async with (
        httpx.AsyncClient(base_url=a, timeout=20) as on_a,
        httpx.AsyncClient(base_url=b, timeout=20) as on_b,
    ):
        created = await create_round(on_a, organiser, definition)
        rid = created["id"]
        old = next(v for v in created["villages"] if v["code"] == "V05")["token"]
        probe = f"/api/v1/rounds/{rid}/villages/V05"
        assert (await on_b.get(probe, headers=bearer(old))).status_code == 200  # B caches it
        replaced_at = time.monotonic()
        r = await on_a.post(
            f"/api/v1/rounds/{rid}/links",
            json={"role": "participant", "code": "V05"},
            headers=bearer(organiser),
        )
        assert r.status_code == 201, r.text
        new = r.json()["token"]
        # A replaced it: refused there at once; the old link's address is refused on B at once
        assert (await on_a.get(probe, headers=bearer(old))).status_code == 401
        assert (await on_b.get(f"/v/{old}")).status_code == 404
        assert (await on_b.get(probe, headers=bearer(new))).status_code == 200
        # B may trust its cached check for up to 5 s; poll for 7 s at most
        status = 200
        while status == 200 and time.monotonic() - replaced_at < 7:
            await asyncio.sleep(0.2)
            status = (await on_b.get(probe, headers=bearer(old))).status_code
        assert status == 401, "the replaced link still worked on the other process after 7 s"
        assert time.monotonic() - replaced_at < 7
