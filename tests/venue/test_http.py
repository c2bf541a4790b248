"""The venue over HTTP: refusals, the certificate page and downloads, keys never served."""

from __future__ import annotations

import plistlib
import re
import ssl
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest_asyncio
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from starlette.routing import Route

from arena.venue.serve import plain_app
from tests.conftest import Server, bearer, create_round
from tests.venue.helpers import Venue, venue_servers

HOST = "venue.test"


@pytest_asyncio.fixture(loop_scope="session")
async def venue(server: Server, tmp_path: Path) -> AsyncIterator[Venue]:
    async with venue_servers(server, tmp_path / "venue", [HOST]) as v:
        yield v


def trusting(venue: Venue) -> ssl.SSLContext:
    """A client that trusts the venue's authority (as a tablet that installed it)."""
    return ssl.create_default_context(cafile=str(venue.files.ca_cert))


async def test_judge_app_over_plain_http_at_a_venue_address_is_refused(server: Server) -> None:
    async with httpx.AsyncClient(base_url=server.url, timeout=20) as c:
        page = await c.get("/judge", headers={"Host": f"{HOST}:8000"})
        assert page.status_code == 403
        assert "请用 https 打开评分页面" in page.text
        assert "allow_plain_http_judges = true" in page.text
        assert page.headers["cache-control"] == "no-store"
        link = await c.get("/j/not-a-real-secret", headers={"Host": "192.168.1.10:8000"})
        assert link.status_code == 403 and "http://192.168.1.10" in link.text
        for path in ("/judge/sw.js", "/judge/api/state"):
            answer = await c.get(path, headers={"Host": HOST})
            assert answer.status_code == 403
            assert answer.json()["error"]["code"] == "https_required"
        # The laptop itself is a secure context: the app is served there over http.
        for host in ("127.0.0.1:8000", "localhost", "[::1]:8000"):
            assert (await c.get("/judge", headers={"Host": host})).status_code == 200
        # Other pages are not the judges' app.
        assert (await c.get("/", headers={"Host": HOST})).status_code == 200
        assert (await c.get("/venue/ca", headers={"Host": HOST})).status_code == 200


async def test_the_organiser_may_allow_plain_http_explicitly(
    server: Server, tmp_path: Path
) -> None:
    async with venue_servers(server, tmp_path, [HOST], allow_plain_http_judges=True) as v:
        async with httpx.AsyncClient(timeout=20) as c:
            url = f"http://127.0.0.1:{v.plain_port}/judge"
            assert (await c.get(url, headers={"Host": HOST})).status_code == 200


async def test_forwarded_proto_counts_only_from_trusted_proxies(
    server: Server, tmp_path: Path, venue: Venue
) -> None:
    forwarded = {"Host": HOST, "X-Forwarded-Proto": "https", "X-Forwarded-For": "10.1.1.9"}
    async with httpx.AsyncClient(timeout=20) as c:
        # Not configured: anyone could send the header, so it is ignored.
        url = f"http://127.0.0.1:{venue.plain_port}/judge"
        assert (await c.get(url, headers=forwarded)).status_code == 403
    async with venue_servers(server, tmp_path, [HOST], trusted_proxies=("127.0.0.1",)) as v:
        async with httpx.AsyncClient(timeout=20) as c:
            url = f"http://127.0.0.1:{v.plain_port}/judge"
            assert (await c.get(url, headers=forwarded)).status_code == 200
            assert (await c.get(url, headers={"Host": HOST})).status_code == 403


async def test_certificate_page_and_downloads(venue: Venue) -> None:
    ca = x509.load_pem_x509_certificate(venue.files.ca_cert.read_bytes())
    der = ca.public_bytes(serialization.Encoding.DER)
    assert venue.served.venue_ca is not None
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{venue.plain_port}") as c:
        page = await c.get("/venue/ca", headers={"Host": f"{HOST}:{venue.plain_port}"})
        assert page.status_code == 200
        assert "安卓平板" in page.text and "iPad" in page.text and "证书信任设置" in page.text
        assert venue.served.venue_ca.sha256 in page.text
        assert f"https://{HOST}:{venue.https_port}/venue/ok" in page.text
        assert page.text.count("<svg") == 8  # one drawing per step, four steps per tablet

        crt = await c.get("/venue/arena-venue-ca.crt")
        assert crt.headers["content-type"] == "application/x-x509-ca-cert"
        assert crt.content == der
        pem = await c.get("/venue/arena-venue-ca.pem")
        assert pem.content == venue.files.ca_cert.read_bytes()
        profile = await c.get("/venue/arena-venue-ca.mobileconfig")
        assert profile.headers["content-type"] == "application/x-apple-aspen-config"
        plist = plistlib.loads(profile.content)
        (payload,) = plist["PayloadContent"]
        assert payload["PayloadType"] == "com.apple.security.root"
        assert payload["PayloadContent"] == der
        assert plist["PayloadDisplayName"] == "测试场地 · Arena 评分平台证书"
        # The same profile every time (iPadOS replaces rather than duplicates it).
        again = await c.get("/venue/arena-venue-ca.mobileconfig")
        assert again.content == profile.content

    async with httpx.AsyncClient(verify=trusting(venue)) as c:
        ok = await c.get(f"https://127.0.0.1:{venue.https_port}/venue/ok")
        assert 'data-secure="true"' in ok.text
    async with httpx.AsyncClient() as c:
        ok = await c.get(f"http://127.0.0.1:{venue.plain_port}/venue/ok")
        assert 'data-secure="false"' in ok.text


async def test_private_keys_are_owner_only_and_never_served(venue: Venue) -> None:
    keys = [venue.files.ca_key, venue.files.key]
    assert [oct(k.stat().st_mode & 0o777) for k in keys] == ["0o600", "0o600"]
    secrets = [re.sub(r"-----[A-Z ]+-----|\s", "", k.read_text()) for k in keys]
    guesses = [
        "/static/../tls/ca.key", "/static/%2e%2e/tls/ca.key", "/static/..%2ftls%2fserver.key",
        "/static/%2e%2e/%2e%2e/data/tls/server.key", "/venue/ca.key", "/venue/server.key",
        "/venue/../tls/server.key", "/venue/%2e%2e/tls/ca.key", "/tls/server.key",
        "/venue/arena-venue-ca.key", "/venue/arena-venue-ca.crt/../ca.key", "/data/tls/ca.key",
    ]  # fmt: skip
    # ... and every parameterless page and file the app and the plain listener serve.
    routes = [r.path for r in plain_app(venue.settings).routes if isinstance(r, Route)]
    paths = guesses + [p for p in routes if "{" not in p]
    bases = [f"https://127.0.0.1:{venue.https_port}", f"http://127.0.0.1:{venue.plain_port}"]
    async with httpx.AsyncClient(verify=trusting(venue), timeout=20) as c:
        for base in bases:
            for path in paths:
                body = (await c.get(base + path)).text
                assert "PRIVATE KEY" not in body, path
                assert not any(s[:40] in body.replace("\n", "") for s in secrets), path


async def test_the_plain_listener_sends_the_rest_on_to_https(venue: Venue) -> None:
    app = plain_app(venue.settings)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://venue.test:8080") as c:
        moved = await c.get("/j/abc?x=1")
        assert moved.status_code == 307
        assert moved.headers["location"] == f"https://venue.test:{venue.https_port}/j/abc?x=1"
        assert (await c.get("/venue/ca")).status_code == 200
        css = await c.get("/static/css/venue.css")
        assert css.status_code == 200 and ".venue-warning" in css.text
        missing = await c.get("/venue/nothing-here")
        assert missing.status_code == 307  # not a venue file: on to https like everything else


async def test_admin_venue_page_and_https_judge_cards(
    client: httpx.AsyncClient, organiser_token: str, venue: Venue
) -> None:
    created = await create_round(client, organiser_token)
    base = f"https://127.0.0.1:{venue.https_port}"
    async with httpx.AsyncClient(base_url=base, verify=trusting(venue), timeout=20) as c:
        assert (await c.get("/admin/venue")).status_code == 401
        page = await c.get("/admin/venue", headers=bearer(organiser_token))
        assert page.status_code == 200
        assert venue.served.venue_ca is not None and venue.served.certificate is not None
        for fact in (venue.served.venue_ca.sha256, venue.served.certificate.sha256):
            assert fact in page.text
        assert f"<code>http://{HOST}:{venue.plain_port}/venue/ca</code>" in page.text
        assert 'id="ca-sheet"' in page.text and "<svg" in page.text
        assert 'data-scheme="https"' in page.text
        assert "data-link-warnings" not in page.text  # https links: nothing to warn about

        cards = await c.get(f"/admin/rounds/{created['id']}/cards", headers=bearer(organiser_token))
        urls = re.findall(r'<p class="card-url">([^<]+)</p>', cards.text)
        assert len(urls) == 7 and all(
            u.startswith(f"https://{HOST}:{venue.https_port}/j/") for u in urls
        )
        assert "data-link-warnings" not in cards.text


async def test_cards_warn_when_links_point_at_the_laptop(
    client: httpx.AsyncClient, organiser_token: str
) -> None:
    created = await create_round(client, organiser_token)
    cards = await client.get(
        f"/admin/rounds/{created['id']}/cards", headers=bearer(organiser_token)
    )
    assert cards.status_code == 200
    assert 'data-link-warnings="loopback"' in cards.text
    assert "平板扫码后打不开" in cards.text and cards.text.count("venue-warning") == 1


async def test_the_organiser_creates_certificates_from_the_console(
    organiser_token: str, venue: Venue
) -> None:
    base = f"https://127.0.0.1:{venue.https_port}"
    ca_before = venue.files.ca_cert.read_bytes()
    server_before = venue.files.cert.read_bytes()
    async with httpx.AsyncClient(base_url=base, verify=trusting(venue), timeout=20) as c:
        body = {"name": " ", "hosts": ["192.168.1.10:8000", "", "http://x", "arena.local"]}
        bad = await c.post("/admin/venue/tls", json=body, headers=bearer(organiser_token))
        assert bad.status_code == 422
        assert bad.json()["error"]["field"] == "name"
        assert [(p["field"], p["message"]) for p in bad.json()["error"]["problems"]] == [
            ("name", "请写场地或活动名称（1～40 个字），例如 县委组织部拉练"),
            ("hosts[0]", "192.168.1.10:8000：不要带端口号，端口在 config.toml 的 port 中设置"),
            ("hosts[2]", "http://x：只写地址本身，不要写 https:// 或路径，例如 192.168.1.10"),
        ]
        none = await c.post(
            "/admin/venue/tls", json={"name": "拉练", "hosts": " "}, headers=bearer(organiser_token)
        )
        assert none.status_code == 422 and none.json()["error"]["field"] == "hosts"
        assert (venue.files.ca_cert.read_bytes(), venue.files.cert.read_bytes()) == (
            ca_before, server_before
        )  # fmt: skip
        # Outside the authority's names: refused, nothing changed, --new-ca named.
        outside = await c.post(
            "/admin/venue/tls",
            json={"name": "测试场地", "hosts": "pingfen.example.cn"},
            headers=bearer(organiser_token),
        )
        assert outside.status_code == 409 and "--new-ca" in outside.json()["error"]["message"]
        assert venue.files.cert.read_bytes() == server_before
        # A new DHCP address: one string as typed in the form, split at 、 and new lines.
        ok = await c.post(
            "/admin/venue/tls",
            json={"name": "测试场地", "hosts": f"{HOST}、10.0.0.23\n"},
            headers=bearer(organiser_token),
        )
        assert ok.status_code == 201, ok.text
        assert ok.json()["hosts"] == [HOST, "10.0.0.23", "localhost", "127.0.0.1"]
        assert ok.json()["restart_needed"] is True
        assert venue.files.ca_cert.read_bytes() == ca_before  # tablets keep their trust
        assert venue.files.cert.read_bytes() != server_before
        assert oct(venue.files.key.stat().st_mode & 0o777) == "0o600"
        anonymous = await c.post("/admin/venue/tls", json={"name": "x", "hosts": "10.0.0.1"})
        assert anonymous.status_code == 401
