"""The round screen fits every hall: 4:3 and 720p projectors, 1080p, 4K, a portrait LED board,
with 8, 30 and 60 villages — nothing outside the screen, cut, overlapping or wrapped, no text
under 2% of the screen's shorter side, and every village on screen within one paging cycle."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.async_api import BrowserContext, Page, expect

from tests.browser.fit import VIEWPORTS, fit_problems
from tests.conftest import bearer
from tests.screens.support import create_round

pytestmark = pytest.mark.browser

TOWNS = ("东港镇", "白壁镇", "清水河乡", "马家堡镇", "柳林镇")
NAMES = (
    "青山 港边 银滩 和睦 巧巧 乡贤 桥头 红岩 石门 柳溪 "
    "松岭 梨园 新风 龙潭 凤鸣 金鸡 玉泉 杏花 望江 太平"
)


def definition(count: int, campaign: str, name: str, date: str) -> dict[str, Any]:
    """A round of `count` villages (names up to five characters), three judges."""
    words = NAMES.split()
    villages = [
        {
            "code": f"V{n:02d}",
            "name": (words[n % len(words)] + ("新" * (n // len(words))) + "村")[:5],
            "township": TOWNS[n % len(TOWNS)],
            "county": "安阳县",
            "targets": [{"code": "t1", "name": "示范项目", "max": 30}],
        }
        for n in range(count)
    ]
    return {
        "name": name,
        "campaign": campaign,
        "date": date,
        "aggregation": {"method": "mean", "trim": 1, "min_judges_for_trim": 5},
        "papers": {
            "shared": {"max": 40, "items": [{"code": "org", "name": "组织建设", "max": 40}]},
            "demonstration": {"max": 30},
            "satisfaction": {"max": 30, "min_responses": 1},
            "deductions": {"cap": 10, "items": [{"code": "f", "name": "形式主义", "max": 5}]},
        },
        "villages": villages,
        "judges": [{"code": f"J{j}", "name": f"评委{j}号"} for j in (1, 2, 3)],
    }


async def score(
    client: httpx.AsyncClient, created: dict[str, Any], count: int, lean: float, token: str
) -> None:
    """Every judge, every village, both papers; village n gets a share that falls with n."""
    for n in range(count):
        code = f"V{n:02d}"
        share = max(0.05, min(1.0, 0.95 - 0.013 * n + lean * (n % 3 - 1)))
        for judge in created["judges"]:
            for paper, item, top in (("shared", "org", 40), ("demonstration", "t1", 30)):
                body = {
                    "village": code,
                    "paper": paper,
                    "items": {item: round(top * share, 1)},
                    "idempotency_key": uuid.uuid4().hex,
                }
                answer = await client.post(
                    f"/api/v1/rounds/{created['id']}/sheets",
                    json=body,
                    headers=bearer(judge["token"]),
                )
                assert answer.status_code == 201, answer.text
        answer = await client.post(
            f"/api/v1/rounds/{created['id']}/satisfaction",
            json={"village": code, "rate": 90, "idempotency_key": uuid.uuid4().hex},
            headers=bearer(token),
        )
        assert answer.status_code == 201, answer.text


async def visible_villages(page: Page) -> list[str]:
    codes: list[str] = await page.eval_on_selector_all(
        "#rows li[data-village]", "els => els.map(e => e.dataset.village)"
    )
    return codes


@pytest.mark.parametrize("count", [8, 30, 60])
async def test_round_screen_fits_every_screen(
    client: httpx.AsyncClient,
    organiser_token: str,
    new_context: object,
    screenshots_dir: Path,
    count: int,
) -> None:
    campaign = f"全县拉练-{uuid.uuid4().hex[:8]}"
    earlier = await create_round(
        client, organiser_token, definition(count, campaign, "2025年第二季度拉练", "2025-06-18")
    )
    await score(client, earlier, count, 0.05, organiser_token)
    created = await create_round(
        client, organiser_token, definition(count, campaign, "2025年第三季度试点拉练", "2025-09-16")
    )
    await score(client, created, count, -0.04, organiser_token)
    standings = (
        await client.get(
            f"/api/v1/rounds/{created['id']}/standings", headers=bearer(organiser_token)
        )
    ).json()
    # The bottom 20% by hand: ceil(0.2 × n) places (no ties at the line in these shares).
    bottom = {8: 2, 30: 6, 60: 12}[count]
    assert sum(r["bottom20"] for r in standings["rows"]) == bottom

    for width, height in VIEWPORTS:
        viewport = {"width": width, "height": height}
        context: BrowserContext = await new_context(viewport=viewport)  # type: ignore[operator]
        page = await context.new_page()
        await page.goto(created["screen"]["url"] + "?page_seconds=120")
        await expect(page.locator("#conn")).to_have_attribute("data-state", "live")
        await expect(page.locator("#rows li[data-village]").first).to_be_attached()
        if page.url and await page.locator("#chart-panel").is_visible():
            await expect(page.locator("#chart .main-svg").first).to_be_attached(timeout=30_000)
        await page.wait_for_timeout(800)  # FLIP transitions settle (700 ms)
        pages = int(await page.locator("#stage").get_attribute("data-pages") or "1")
        seen: list[str] = []
        for n in range(pages):
            if n in (0, pages - 1):
                name = f"screen-{count}v-{width}x{height}-p{n + 1}.png"
                await page.screenshot(path=str(screenshots_dir / name))
            problems = await fit_problems(page)
            assert problems == [], f"{width}×{height}, {count} villages, page {n + 1}: {problems}"
            shown = await visible_villages(page)
            seen += shown
            flagged = [r["village"] for r in standings["rows"] if r["bottom20"]]
            if flagged[0] in shown:
                # The bottom 20% are kept together under their line: on the last page when they
                # fit on one, else from the top of their own pages to the end.
                await expect(page.locator(".bottom-line")).to_have_count(1)
                assert set(flagged) <= set(shown) or shown[0] == flagged[0], shown
                assert n == pages - 1 or shown[0] == flagged[0], shown
            if pages > 1:
                await page.evaluate("ArenaScreen.turn()")
                await page.wait_for_timeout(600)  # the new page's rows fade in (500 ms)
        # Every village was on screen once in the cycle.
        expected = sorted(r["village"] for r in standings["rows"])
        assert sorted(seen) == expected, f"{width}×{height}, {count} villages, {pages} pages"
        await context.close()


async def test_each_screen_link_can_ask_for_its_own_layout(
    server: Any,
    client: httpx.AsyncClient,
    organiser_token: str,
    new_context: object,
    screenshots_dir: Path,
) -> None:
    count = 12
    created = await create_round(
        client,
        organiser_token,
        definition(count, f"分屏-{uuid.uuid4().hex[:8]}", "2025年第三季度试点拉练", "2025-09-16"),
    )
    await score(client, created, count, 0.0, organiser_token)
    # Shares fall with n (0.95 − 0.013n, no lean): V00 first … V11 last; the bottom 20% are the
    # last ceil(0.2 × 12) = 3 places: V09, V10, V11.
    context: BrowserContext = await new_context(viewport={"width": 1920, "height": 1080})  # type: ignore[operator]
    page = await context.new_page()
    await page.goto(created["screen"]["url"] + "?layout=bottom20")
    await expect(page.locator("#sub")).to_have_text("后20%")
    await expect(page.locator("#rows li[data-village]")).to_have_count(3)
    assert await visible_villages(page) == ["V09", "V10", "V11"]
    await expect(page.locator("#chart-panel")).to_be_hidden()
    assert await fit_problems(page) == []
    await page.screenshot(path=str(screenshots_dir / "screen-layout-bottom20.png"))

    await page.goto(created["screen"]["url"] + "?layout=top10")
    await expect(page.locator("#sub")).to_have_text("前十名")
    await expect(page.locator("#rows li[data-village]")).to_have_count(10)
    assert await visible_villages(page) == [f"V{n:02d}" for n in range(10)]
    await expect(page.locator("#pager")).to_have_css("visibility", "hidden")

    # The organiser's links page offers one link per layout.
    admin = await context.new_page()
    await admin.goto(f"{server.url}/o/{organiser_token}")
    await admin.goto(f"{server.url}/admin/rounds/{created['id']}/links")
    layouts = admin.locator("#screen-layouts tr[data-layout] .link-url")
    await expect(layouts).to_have_count(5)
    assert (await layouts.nth(3).inner_text()).endswith("?layout=bottom20")
    await context.close()
