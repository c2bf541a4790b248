"""On rural signal the village's own figures never wait for the chart library."""

from __future__ import annotations

import asyncio
import uuid
from pathlib import Path

import httpx
import pytest
from playwright.async_api import BrowserContext, Route, expect

from tests.conftest import Server, example_definition
from tests.screens.support import create_round, submit, survey

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


async def test_figures_show_while_the_chart_library_is_still_on_its_way(
    server: Server,
    client: httpx.AsyncClient,
    organiser_token: str,
    new_context: object,
    screenshots_dir: Path,
) -> None:
    definition = example_definition(campaign=f"慢网测试-{uuid.uuid4().hex[:8]}")
    created = await create_round(client, organiser_token, definition)
    for judge in definition["judges"]:
        for paper in ("shared", "demonstration"):
            answer = await submit(client, created, definition, judge["code"], "V01", paper, 1.0)
            assert answer.status_code == 201, answer.text
    await survey(client, organiser_token, created["id"], "V01", (20, 6, 3, 1))
    # By hand: every judge gave every item its maximum, so 共性目标 40.00 and 示范目标 30.00;
    # 满意度 = 30 × (20×1.0 + 6×0.8 + 3×0.6 + 1×0) / 30 answers = 30 × 26.6 / 30 = 26.60;
    # no deductions: total = 40.00 + 30.00 + 26.60 = 96.60, the only village scored: 第 1 名.

    held = asyncio.Event()
    requested: list[str] = []

    async def hold(route: Route) -> None:
        requested.append(route.request.url)
        await held.wait()
        await route.continue_()

    link = next(v for v in created["villages"] if v["code"] == "V01")
    context: BrowserContext = await new_context(viewport=PHONE, has_touch=True)  # type: ignore[operator]
    await context.route("**/static/vendor/plotly.min.js*", hold)
    page = await context.new_page()
    await page.goto(link["url"])
    await expect(page.locator("#total")).to_have_text("96.60", timeout=15_000)
    await expect(page.locator("#rank")).to_have_text("1")
    await expect(page.locator('#papers tr[data-paper="satisfaction"] .num')).to_have_text("26.60")
    # The library was asked for (after the figures), and no chart is drawn yet.
    assert len(requested) == 1 and "?v=" in requested[0]
    await expect(page.locator("#radar .main-svg")).to_have_count(0)
    await page.screenshot(path=str(screenshots_dir / "participant-before-charts-390x844.png"))

    held.set()
    await expect(page.locator("#radar .main-svg").first).to_be_attached(timeout=30_000)
    await expect(page.locator("#trend .main-svg").first).to_be_attached()
    await expect(page.locator("#total")).to_have_text("96.60")
