"""A hall screen is honest about its link: offline at once when the network drops, live again
as soon as it returns (reconnects back off to at most 2 s)."""

from __future__ import annotations

import uuid

import httpx
import pytest
from playwright.async_api import BrowserContext, expect

from tests.browser.test_screen_fit import definition
from tests.screens.support import create_round

pytestmark = pytest.mark.browser


async def test_screen_badge_follows_the_network(
    client: httpx.AsyncClient, organiser_token: str, new_context: object
) -> None:
    created = await create_round(
        client,
        organiser_token,
        definition(8, f"断网-{uuid.uuid4().hex[:8]}", "2025年第三季度试点拉练", "2025-09-16"),
    )
    context: BrowserContext = await new_context(viewport={"width": 1920, "height": 1080})  # type: ignore[operator]
    page = await context.new_page()
    await page.goto(created["screen"]["url"])
    conn = page.locator("#conn")
    await expect(conn).to_have_attribute("data-state", "live")
    await expect(page.locator("#conn-text")).to_have_text("实时")

    await context.set_offline(True)
    # The browser's offline event closes the socket: the badge says so without waiting for a
    # missed heartbeat, and the rows are dimmed as stale.
    await expect(conn).to_have_attribute("data-state", "offline")
    await expect(page.locator("#conn-text")).to_contain_text("连接中断")
    await expect(page.locator("#stage")).to_have_class("stage stale")
    await page.wait_for_timeout(6000)  # several failed attempts: the back-off would have grown

    await context.set_offline(False)
    await expect(conn).to_have_attribute("data-state", "live", timeout=5000)
    await expect(page.locator("#conn-text")).to_have_text("实时")
    await expect(page.locator("#stage")).to_have_class("stage")
    await context.close()
