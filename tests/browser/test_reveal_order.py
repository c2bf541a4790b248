"""The results meeting in Chromium: freeze the screen, reveal from the last place up, audited."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from playwright.async_api import BrowserContext, Page, expect

from arena.models import AuditEvent
from tests.conftest import Server, bearer
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
    frozen = (
        await client.get(f"/api/v1/rounds/{round_id}/standings", headers=bearer(organiser_token))
    ).json()
    order = [r["village"] for r in frozen["rows"]]
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
        await expect(screen.locator("#reveal-badge")).to_have_text("名次揭晓中 · 已揭晓 0 / 8")

    # Judges keep scoring: the organiser's view moves, the frozen screens do not.
    answer = await submit(client, current, definition, "J3", order[-1], "shared", 1.0)
    assert answer.status_code == 201, answer.text
    live = (
        await client.get(f"/api/v1/rounds/{round_id}/standings", headers=bearer(organiser_token))
    ).json()
    last = next(r for r in live["rows"] if r["village"] == order[-1])
    await expect(console.locator(f'#live-rows tr[data-village="{order[-1]}"] .num')).to_have_text(
        f"{last['total']:.2f}"
    )
    for screen in screens:
        await expect(screen.locator("#rows li.hidden-row")).to_have_count(8)

    for step in range(1, 9):
        village = order[-step]
        row = frozen["rows"][-step]
        await expect(console.locator("#reveal-next")).to_contain_text(row["name"])
        await console.locator("#btn-step").click()
        await expect(console.locator("#reveal-text")).to_have_text(f"已揭晓 {step} / 8 名")
        for screen in screens:
            shown = screen.locator("#rows li.row:not(.hidden-row)")
            await expect(shown).to_have_count(step)
            await expect(shown.first).to_have_attribute("data-village", village)
            # The frozen figures, not the live ones that changed after the freeze.
            await expect(shown.first.locator(".total")).to_have_text(f"{row['total']:.2f}")
        if step == 3:
            await screens[0].screenshot(path=str(screenshots_dir / "reveal-step3-1920x1080.png"))
    await expect(screens[0].locator("#reveal-badge")).to_have_text("名次揭晓完毕")
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
        await expect(screen.locator(f'#rows li[data-village="{order[-1]}"] .total')).to_have_text(
            f"{last['total']:.2f}"
        )
