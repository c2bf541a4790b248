"""The lot draw asks before it fires, and the screen says where its seed came from.

Also the console at 1024×768: no button breaks its label over two lines ("开始计/时").
"""

from __future__ import annotations

import asyncio
import hashlib
from typing import Any

import httpx
import pytest
from playwright.async_api import BrowserContext, Dialog, Page, expect

from tests.browser.test_contest_flow import PEOPLE, definition, open_page, step
from tests.conftest import SCREENSHOTS, Server, bearer

pytestmark = pytest.mark.browser
WAIT = 15000
SHOTS = SCREENSHOTS / "documents"

# every button and tab whose label is on more than one line, or cut off
WRAPPED = """
[...document.querySelectorAll('#contest-console button')].filter(b => b.offsetParent !== null)
  .filter(b => {
    const range = document.createRange();
    range.selectNodeContents(b);
    const tops = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
    return tops.size > 1 || b.scrollWidth > b.clientWidth + 1;
  }).map(b => b.textContent.trim())
"""


async def _console(
    new_context: Any, server: Server, token: str, cid: int
) -> tuple[BrowserContext, Page]:
    ctx: BrowserContext = await new_context(viewport={"width": 1024, "height": 768})
    await (await open_page(ctx, f"{server.url}/o/{token}", [])).close()
    page = await open_page(ctx, f"{server.url}/admin/contests/{cid}/console", [])
    await expect(page.locator("#conn")).to_have_attribute("data-state", "live", timeout=WAIT)
    return ctx, page


async def test_empty_seed_asks_first_and_the_screen_says_the_server_chose(
    server: Server, client: httpx.AsyncClient, organiser_token: str, new_context: Any
) -> None:
    r = await client.post("/api/v1/contests", json=definition(), headers=bearer(organiser_token))
    created = r.json()
    cid = created["id"]
    ctx, console = await _console(new_context, server, organiser_token, cid)
    assert await console.evaluate(WRAPPED) == []
    SHOTS.mkdir(parents=True, exist_ok=True)
    await console.screenshot(path=str(SHOTS / "contest-console-1024x768.png"), full_page=True)
    asked: asyncio.Future[str] = asyncio.get_running_loop().create_future()

    async def refuse(dialog: Dialog) -> None:
        asked.set_result(dialog.message)
        await dialog.dismiss()

    console.once("dialog", refuse)
    await console.get_by_role("button", name="抽签", exact=True).click()
    assert await asyncio.wait_for(asked, 15) == (
        "种子框是空的：将由服务器随机选定一个种子（大屏会注明“服务器随机选定”），"
        "抽签后出场顺序不能再改。确定抽签？"
    )
    state = (await client.get(f"/api/v1/contests/{cid}", headers=bearer(organiser_token))).json()
    assert state["contest"]["seed"] is None  # refused: nothing drawn
    console.on("dialog", lambda d: d.accept())
    await step(console, "抽签")
    state = (await client.get(f"/api/v1/contests/{cid}", headers=bearer(organiser_token))).json()
    seed = state["contest"]["seed"]
    assert len(seed) == 6 and seed.isdigit()
    assert state["contest"]["seed_source"] == "server"
    await expect(console.locator("#seed-line")).to_have_text(f"抽签种子 {seed}（服务器随机选定）")
    screen_ctx: BrowserContext = await new_context(viewport={"width": 1920, "height": 1080})
    screen = await open_page(screen_ctx, created["screen"]["url"], [])
    await expect(screen.locator("#seed")).to_have_text(seed, timeout=WAIT)
    await expect(screen.locator("#seed-source")).to_have_text("服务器随机选定")
    await screen.screenshot(path=str(SHOTS / "contest-screen-server-seed.png"))
    assert await console.evaluate(WRAPPED) == []
    await screen_ctx.close()
    await ctx.close()


async def test_a_typed_seed_is_confirmed_and_credited_to_the_host(
    server: Server, client: httpx.AsyncClient, organiser_token: str, new_context: Any
) -> None:
    r = await client.post("/api/v1/contests", json=definition(), headers=bearer(organiser_token))
    created = r.json()
    ctx, console = await _console(new_context, server, organiser_token, created["id"])
    asked: list[str] = []

    async def accept(dialog: Dialog) -> None:
        asked.append(dialog.message)
        await dialog.accept()

    console.on("dialog", accept)
    await console.locator("#seed-input").fill("202512")
    await step(console, "抽签")
    assert asked == ["将以种子 202512 抽签，抽签后出场顺序不能再改。确定抽签？"]
    await expect(console.locator("#seed-line")).to_have_text("抽签种子 202512（主持人输入）")
    order = sorted(PEOPLE, key=lambda c: hashlib.sha256(f"202512:{c}".encode()).hexdigest())
    await expect(console.locator("#order .name")).to_have_text([PEOPLE[c][0] for c in order])
    screen_ctx: BrowserContext = await new_context(viewport={"width": 1920, "height": 1080})
    screen = await open_page(screen_ctx, created["screen"]["url"], [])
    await expect(screen.locator("#seed-source")).to_have_text("主持人现场输入", timeout=WAIT)
    await step(console, "下一位")  # the stage buttons appear: none may wrap at 1024 wide
    assert await console.evaluate(WRAPPED) == []
    await console.screenshot(path=str(SHOTS / "contest-console-running-1024x768.png"))
    await screen_ctx.close()
    await ctx.close()
