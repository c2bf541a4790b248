"""The organiser's home page in Chromium: every round, board and contest page one tap away."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.async_api import expect

from tests.browser.helpers import SIZES, organiser_page
from tests.conftest import Server, create_round

pytestmark = pytest.mark.browser


async def test_admin_home_links_reach_the_notice_and_the_index_board(
    server: Server, client: httpx.AsyncClient, organiser_token: str, new_context: Any,
    screenshots_dir: Path,
) -> None:  # fmt: skip
    created = await create_round(client, organiser_token)
    rid = created["id"]
    outside: list[str] = []
    for label, size in SIZES.items():
        page = await organiser_page(new_context, server, size, outside)
        await page.goto(f"{server.url}/admin")
        panel = page.locator(f'section.round[data-round="{rid}"]')
        await expect(panel.get_by_role("link", name="结果通报")).to_be_visible()
        await expect(panel.get_by_role("link", name="评分明细（Excel）")).to_be_visible()
        width = await page.evaluate("document.documentElement.scrollWidth")
        assert width <= size[0]  # nothing runs off the side on a phone
        await page.screenshot(path=screenshots_dir / f"admin-home-{label}.png")
        await page.context.close()

    page = await organiser_page(new_context, server, SIZES["1024x768"], outside)
    await page.goto(f"{server.url}/admin")
    panel = page.locator(f'section.round[data-round="{rid}"]')
    await panel.get_by_role("link", name="结果通报").click()
    await expect(page).to_have_url(f"{server.url}/admin/rounds/{rid}/notice")
    await expect(page.locator("h1")).to_contain_text("通报")
    await page.go_back()
    async with page.expect_download() as download:
        await panel.get_by_role("link", name="评分明细（Excel）").click()
    assert (await download.value).suggested_filename == f"round-{rid}.xlsx"
    await page.get_by_role("link", name="强村富民指数榜").click()
    await expect(page).to_have_url(f"{server.url}/admin/boards")
    await page.context.close()
    assert outside == []
