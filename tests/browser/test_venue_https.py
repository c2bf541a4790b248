"""At a venue address over the venue's HTTPS the judges' app works offline; over http: refused.

Chromium resolves venue.test to 127.0.0.1 (--host-resolver-rules) and accepts the server
certificate `arena tls init` made through its public key (--ignore-certificate-errors-spki-list
takes the SHA-256 of the *leaf's* SubjectPublicKeyInfo), so the page is a secure context exactly
as on a tablet that installed the venue's authority.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest
import pytest_asyncio
from playwright.async_api import Browser, Page, WebSocket, expect

from arena.auth import create_token
from arena.models import Judge, Sheet
from tests.browser.test_judge_offline import fill_sheet, open_judge
from tests.conftest import CHROMIUM, CHROMIUM_ARGS, Server, create_round
from tests.judges.helpers import TABLET, judge_link
from tests.venue.helpers import Venue, venue_servers

pytestmark = pytest.mark.browser

HOST = "venue.test"
# The judge app's offline banner (its wording after "当前离线：" belongs to the app).
OFFLINE_BANNER = re.compile(r"^当前离线：")


@pytest_asyncio.fixture(loop_scope="session")
async def venue(server: Server, tmp_path: Path) -> AsyncIterator[Venue]:
    async with venue_servers(server, tmp_path / "venue", [HOST]) as v:
        yield v


@pytest_asyncio.fixture(loop_scope="session")
async def venue_browser(launch_browser: Any, venue: Venue) -> AsyncIterator[Browser]:
    assert venue.served.certificate is not None
    args = [
        *CHROMIUM_ARGS,
        f"--host-resolver-rules=MAP {HOST} 127.0.0.1",
        f"--ignore-certificate-errors-spki-list={venue.served.certificate.spki_sha256}",
    ]
    browser: Browser = await launch_browser(executable_path=CHROMIUM, args=args)
    yield browser
    await browser.close()


def at_venue(url: str, venue: Venue, scheme: str = "https") -> str:
    """A personal link of the session's server, at the venue's address."""
    secret_path = "/" + url.split("/", 3)[3]
    port = venue.https_port if scheme == "https" else venue.plain_port
    return f"{scheme}://{HOST}:{port}{secret_path}"


async def test_judge_app_works_offline_over_the_venue_https_and_is_refused_over_http(
    server: Server,
    client: httpx.AsyncClient,
    organiser_token: str,
    venue: Venue,
    venue_browser: Browser,
    screenshots_dir: Path,
) -> None:
    base = f"https://{HOST}:{venue.https_port}"
    # `arena serve` derives the links' address from the certificate's first name.
    assert venue.settings.public_url == base
    created = await create_round(client, organiser_token)
    round_id = created["id"]
    context = await venue_browser.new_context(viewport=TABLET, has_touch=True, locale="zh-CN")
    urls: list[str] = []
    page = await open_judge(context, at_venue(judge_link(created, "J1"), venue), urls)
    assert page.url == f"{base}/judge"
    assert await page.evaluate("window.isSecureContext") is True
    await page.wait_for_function("navigator.serviceWorker.controller !== null", timeout=15000)
    assert await page.evaluate("navigator.serviceWorker.controller.scriptURL") == (
        f"{base}/judge/sw.js"
    )

    # Dead zone: the reload is answered by the worker, and a sheet waits in the outbox.
    await context.set_offline(True)
    shell: list[bool] = []
    page.on(
        "response",
        lambda r: shell.append(r.from_service_worker) if r.url == f"{base}/judge" else None,
    )
    await page.reload()
    # The route comes from the tablet's own store (the server cannot be reached).
    await expect(page.locator("body")).to_have_attribute("data-app", "ready", timeout=15000)
    await expect(page.locator('.stop[data-village="V01"]')).to_be_visible()
    await expect(page.locator("#banner")).to_have_text(OFFLINE_BANNER, timeout=20000)
    assert shell == [True]  # the page itself was served by the worker
    await fill_sheet(page, "V01", "shared", "")
    await expect(page.locator("#outbox-count")).to_have_attribute("data-count", "1")
    await page.screenshot(path=str(screenshots_dir / "venue-https-judge-offline.png"))

    await context.set_offline(False)
    await expect(page.locator("#outbox-count")).to_have_attribute("data-count", "0", timeout=20000)
    judge = await Judge.get(round_id=round_id, code="J1")
    sheets = await Sheet.filter(round_id=round_id, judge_id=judge.id).prefetch_related("village")
    # Exactly the one sheet typed offline, once: 8.5 + 9 + 7 + 5.5 + 5 = 35 points.
    assert [(s.village.code, s.paper, s.version, s.items) for s in sheets] == [
        ("V01", "shared", 1, {"org": "8.5", "eco": "9", "build": "7", "talent": "5.5", "gov": "5"})
    ]
    assert sum(Decimal(v) for v in sheets[0].items.values()) == Decimal("35")
    assert {u.split("/", 3)[2] for u in urls} == {f"{HOST}:{venue.https_port}"}
    await context.close()

    # The same link over plain http at the venue's name: refused, with the reason and the fix.
    context = await venue_browser.new_context(viewport=TABLET, locale="zh-CN")
    page = await context.new_page()
    response = await page.goto(at_venue(judge_link(created, "J1"), venue, "http"))
    assert response is not None and response.status == 403
    await expect(page.locator("h1")).to_have_text("请用 https 打开评分页面")
    await expect(page.locator("#https-required")).to_contain_text(
        f'arena tls init --name "县委组织部拉练" --host {HOST}'
    )
    await expect(page.locator("#https-required")).to_contain_text("allow_plain_http_judges = true")
    assert await page.evaluate("window.isSecureContext") is False
    await page.screenshot(path=str(screenshots_dir / "venue-http-refused.png"), full_page=True)
    response = await page.goto(f"http://{HOST}:{venue.plain_port}/judge")
    assert response is not None and response.status == 403
    await context.close()


async def test_screen_and_village_pages_go_live_over_wss(
    client: httpx.AsyncClient,
    organiser_token: str,
    venue: Venue,
    venue_browser: Browser,
) -> None:
    created = await create_round(client, organiser_token)
    for url, conn in (
        (created["screen"]["url"], "#conn"),
        (created["villages"][0]["url"], "#conn"),
    ):
        context = await venue_browser.new_context(viewport={"width": 1024, "height": 768})
        page: Page = await context.new_page()
        sockets: list[str] = []

        def opened(ws: WebSocket, sockets: list[str] = sockets) -> None:
            sockets.append(ws.url)

        page.on("websocket", opened)
        await page.goto(at_venue(url, venue))
        await expect(page.locator(conn)).to_have_attribute("data-state", "live", timeout=15000)
        assert sockets and all(s.startswith(f"wss://{HOST}:{venue.https_port}/") for s in sockets)
        await context.close()


async def test_the_venue_page_creates_certificates_and_lists_every_problem_beside_its_field(
    venue: Venue, venue_browser: Browser, screenshots_dir: Path
) -> None:
    base = f"https://{HOST}:{venue.https_port}"
    server_before = venue.files.cert.read_bytes()
    context = await venue_browser.new_context(viewport={"width": 1024, "height": 768})
    page = await context.new_page()
    await page.goto(f"{base}/o/{await create_token('organiser', '组织部王科长')}")
    await page.goto(f"{base}/admin/venue")
    await expect(page.locator("#tls-hosts")).to_have_value(HOST)
    await expect(page.locator("#tls-name")).to_have_value("测试场地")
    await expect(page.locator("#ca-sheet svg")).to_be_visible()

    await page.locator("#tls-name").fill("")
    await page.locator("#tls-hosts").fill("192.168.1.10:8000\nhttps://arena.local")
    await page.locator("#tls-submit").click()
    await expect(page.locator('[data-error-for="name"]')).to_have_text(
        "请写场地或活动名称（1～40 个字），例如 县委组织部拉练"
    )
    await expect(page.locator('[data-error-for="hosts"] span')).to_have_text(
        [
            "192.168.1.10:8000：不要带端口号，端口在 config.toml 的 port 中设置",
            "https://arena.local：只写地址本身，不要写 https:// 或路径，例如 192.168.1.10",
        ]
    )
    await page.screenshot(path=str(screenshots_dir / "venue-admin-form-errors.png"), full_page=True)
    assert venue.files.cert.read_bytes() == server_before  # nothing was sent

    # Fixing the fields clears their messages as the organiser types.
    await page.locator("#tls-name").fill("测试场地")
    await expect(page.locator('[data-error-for="name"]')).to_be_hidden()
    await page.locator("#tls-hosts").fill(f"{HOST}\n10.0.0.23")
    await expect(page.locator('[data-error-for="hosts"]')).to_be_hidden()
    await page.locator("#tls-submit").click()
    await expect(page.locator("#tls-done")).to_have_text(
        "已生成场地证书。重启 arena serve 后启用 https，再打印证书二维码和评委卡。"
        f"（地址：{HOST}、10.0.0.23、localhost、127.0.0.1）"
    )
    assert venue.files.cert.read_bytes() != server_before
    await context.close()
