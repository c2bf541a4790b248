"""The results meeting in Chromium: freeze the screen, reveal from the last place up, audited."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from playwright.async_api import BrowserContext, Page, expect

from arena.models import AuditEvent
from tests.conftest import Server
from tests.screens.support import STRENGTH, campaign_rounds, score_all, submit

pytestmark = pytest.mark.browser


async def open_page(
    new_context: object, url: str, width: int, height: int, then: str | None = None
) -> Page:
    """Open a personal link (then maybe another page) and wait until its channel is live."""
    context: BrowserContext = await new_context(viewport={"width": width, "height": height})  # type: ignore[operator]
    page = await context.new_page()
    await page.goto(url)
    if then is not None:
        await page.goto(then)
    await expect(page.locator("#conn")).to_have_attribute("data-state", "live")
    return page


async def test_reveal_goes_from_last_to_first_on_every_screen(
    server: Server,
    client: httpx.AsyncClient,
    organiser_token: str,
    new_context: object,
    screenshots_dir: Path,
) -> None:
    earlier, current, definition = await campaign_rounds(client, organiser_token)
    await score_all(client, earlier, definition, STRENGTH)
    await score_all(client, current, definition, {**STRENGTH, "V04": 0.88})
    round_id = current["id"]
    # The ranking at the freeze, by hand (tests/screens/support.py: judge n scores every item at
    # strength + (n − 3) × 0.02 of its maximum, to the half point; 5+ judges: drop the highest
    # and the lowest total; no surveys or deductions). E.g. V04 (0.88): shared 32.5, 33.5, 34,
    # 36, 36, 36.5, 37.5 -> 176/5 = 35.20, demonstration 25, 25, 26, 26, 27, 28, 28 -> 132/5 =
    # 26.40, total 61.60; V08 (0.5): 17.5, 18.5, 20, 20, 20, 21.5, 22.5 -> 100/5 = 20.00 and
    # 13.5 … 16.5 -> 15.00, total 35.00.
    frozen = [
        ("V01", "青山村", "63.00"), ("V04", "和睦村", "61.60"), ("V05", "巧巧村", "59.50"),
        ("V03", "银滩村", "55.90"), ("V06", "乡贤村", "52.40"), ("V02", "港边村", "49.10"),
        ("V07", "桥头村", "45.50"), ("V08", "红岩村", "35.00"),
    ]  # fmt: skip
    order = [code for code, _, _ in frozen]
    screens = [await open_page(new_context, current["screen"]["url"], 1920, 1080) for _ in range(2)]
    console = await open_page(
        new_context,
        f"{server.url}/o/{organiser_token}",
        1280,
        900,
        then=f"{server.url}/admin/rounds/{round_id}/console",
    )
    await expect(console.locator("#live-rows tr")).to_have_count(8)

    await console.locator("#btn-freeze").click()
    await expect(console.locator("#reveal-text")).to_have_text("已揭晓 0 / 8 名")
    for screen in screens:
        await expect(screen.locator("#rows li.hidden-row")).to_have_count(8)
        await expect(screen.locator("#reveal-badge")).to_have_text("已揭晓 0 / 8")
        await expect(screen.locator("#status-badge")).to_have_text("名次揭晓中")

    # Judges keep scoring: the organiser's view moves, the frozen screens do not. J3 now gives
    # V08 full marks on the shared paper (40 instead of 20): 17.5, 18.5, 20, 20, 21.5, 22.5, 40
    # -> drop 17.5 and 40 -> 102.5/5 = 20.50; total 20.50 + 15.00 = 35.50 (still last).
    answer = await submit(client, current, definition, "J3", "V08", "shared", 1.0)
    assert answer.status_code == 201, answer.text
    # (the console marks it 暂定: no satisfaction survey entered yet)
    await expect(console.locator('#live-rows tr[data-village="V08"] .num')).to_have_text(
        "35.50 暂定"
    )
    for screen in screens:
        await expect(screen.locator("#rows li.hidden-row")).to_have_count(8)

    for step in range(1, 9):
        village, name, total = frozen[-step]
        await expect(console.locator("#reveal-next")).to_contain_text(name)
        await console.locator("#btn-step").click()
        await expect(console.locator("#reveal-text")).to_have_text(f"已揭晓 {step} / 8 名")
        for screen in screens:
            shown = screen.locator("#rows li.row:not(.hidden-row)")
            await expect(shown).to_have_count(step)
            await expect(shown.first).to_have_attribute("data-village", village)
            # The frozen figures, not the live ones that changed after the freeze.
            await expect(shown.first.locator(".total")).to_have_text(total)
        if step == 3:
            await screens[0].screenshot(path=str(screenshots_dir / "reveal-step3-1920x1080.png"))
    await expect(screens[0].locator("#status-badge")).to_have_text("名次揭晓完毕")
    await expect(screens[0].locator("#reveal-badge")).to_have_text("已揭晓 8 / 8")
    await expect(console.locator("#btn-step")).to_be_disabled()
    await screens[0].screenshot(path=str(screenshots_dir / "reveal-done-1920x1080.png"))
    await console.screenshot(path=str(screenshots_dir / "console-1280x900.png"), full_page=True)

    steps = await AuditEvent.filter(subject=f"round:{round_id}", action="reveal.step").order_by(
        "id"
    )
    assert [(e.payload["revealed"], e.payload["village"]) for e in steps] == [
        (n, order[-n]) for n in range(1, 9)
    ]
    assert [e.actor for e in steps] == ["organiser:测试组织者"] * 8

    await console.locator("#btn-release").click()
    for screen in screens:
        await expect(screen.locator("#reveal-badge")).to_be_hidden()
        await expect(screen.locator('#rows li[data-village="V08"] .total')).to_have_text("35.50")
