from __future__ import annotations
from typing import Any
import httpx
import pytest
from playwright.async_api import expect
from tests.browser.test_contest_screen_fit import contest_definition, sheet, SEED
from tests.conftest import Server, bearer
from tests.contests.test_flow import Host, score

pytestmark = pytest.mark.browser

async def test_debug(server: Server, client: httpx.AsyncClient, organiser_token: str, new_context: Any) -> None:
    created = (await client.post("/api/v1/contests", json=contest_definition(6, 5), headers=bearer(organiser_token))).json()
    cid = created["id"]
    tokens = {j["code"]: j["token"] for j in created["judges"]}
    host = Host(client, organiser_token, cid)
    await host.ok("draw", seed=SEED)
    for _ in range(6):
        for a in ("next", "start", "stop", "open"):
            await host.ok(a)
        code = (await host.state())["current"]["code"]
        for n in range(1, 6):
            await score(client, tokens[f"J{n}"], cid, code, sheet(code, n, 5))
        await host.ok("close"); await host.ok("reveal")
    ctx = await new_context(viewport={"width": 1920, "height": 1080})
    page = await ctx.new_page()
    await page.goto(created["screen"]["url"])
    await expect(page.locator("#stage")).to_have_attribute("data-phase", "revealed")
    await page.wait_for_timeout(3000)
    out = await page.evaluate("""() => [...document.querySelectorAll('#ranking small')].map(s => {
      const r = document.createRange(); r.selectNodeContents(s); const t = r.getBoundingClientRect(); const b = s.getBoundingClientRect();
      return [s.textContent, s.scrollWidth, s.clientWidth, t.left, t.right, t.top, t.bottom, b.left, b.right, b.top, b.bottom, getComputedStyle(s).fontSize].join(' ')})""")
    print("\n".join(out))
    await page.screenshot(path="/tmp/shots/screens/debug.png")
    await ctx.close()
