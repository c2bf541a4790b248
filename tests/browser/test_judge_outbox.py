"""The tablet outbox as a judge sees it: pending is calm, refusals red, a slow reconnect drains.

Issue 11: six sheets queued offline, the server slow to answer (state 5.5 s, each sheet 3 s); when
the network returns every sheet goes out, oldest first, none held back by an earlier back-off.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

import httpx
import pytest
from playwright.async_api import BrowserContext, Page, Route, expect

from arena.models import Judge, Sheet
from tests.conftest import SCREENSHOTS, Server, bearer, create_round
from tests.judges.helpers import TABLET, judge_link

pytestmark = pytest.mark.browser
SHOTS = SCREENSHOTS / "durability"
SHARED = {"org": 8, "eco": 7.5, "build": 6, "talent": 4, "gov": 4.5}  # 30
# (village, paper, items, name, paper name, total), in the order the judge submits them.
SIX = [
    ("V01", "shared", SHARED, "青山村", "共性目标", "30"),
    ("V01", "demonstration", {"t1": 12, "t2": 11.5}, "青山村", "示范目标", "23.5"),
    ("V02", "shared", {**SHARED, "org": 9}, "港边村", "共性目标", "31"),
    ("V02", "demonstration", {"t1": 15, "t2": 8}, "港边村", "示范目标", "23"),
    ("V03", "shared", {**SHARED, "gov": 5}, "银滩村", "共性目标", "30.5"),
    ("V03", "demonstration", {"t1": 16, "t2": 10}, "银滩村", "示范目标", "26"),
]


async def open_tablet(context: BrowserContext, url: str) -> Page:
    page = await context.new_page()
    await page.goto(url)
    await expect(page.locator("body")).to_have_attribute("data-app", "ready")
    return page


async def type_sheet(page: Page, village: str, paper: str, items: dict[str, float]) -> None:
    await page.evaluate(f"location.hash = '#v/{village}/{paper}'")
    await expect(page.locator("#view")).to_have_attribute("data-view", "sheet")
    for code, value in items.items():
        await page.locator(f'.item[data-item="{code}"] .score-input').fill(f"{value:g}")
    await page.locator("#to-check").click()
    await page.locator("#submit").click()
    await expect(page.locator("#view")).to_have_attribute("data-view", "done")


def chip(page: Page, village: str, paper: str) -> Any:
    return page.locator(f'.stop[data-village="{village}"] .paper-row[data-paper="{paper}"] .chip')


async def test_six_offline_sheets_drain_oldest_first_after_a_slow_reconnect(
    server: Server, client: httpx.AsyncClient, organiser_token: str, new_context: Any
) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    created = await create_round(client, organiser_token)
    context: BrowserContext = await new_context(viewport=TABLET, locale="zh-CN")
    page = await open_tablet(context, judge_link(created, "J3"))
    await expect(page.locator("#banner")).to_be_hidden()

    await context.set_offline(True)
    # The banner appears at once when the connection drops, not after a reload.
    await expect(page.locator("#banner")).to_have_text(
        "当前离线：已填的分数都保存在本机，评分照常进行，恢复网络后自动发送。"
    )
    await expect(page.locator("#network")).to_have_text("离线")
    for n, (village, paper, items, name, paper_name, total) in enumerate(SIX):
        await type_sheet(page, village, paper, items)
        await expect(page.locator("#confirm-line")).to_have_text(
            f"已保存 {name} {paper_name} {total} 分"
        )
        await expect(page.locator("#confirm .chip")).to_have_text("待发送（恢复网络后自动发送）")
        if n == 0:
            # After submitting: the other paper of this village, or on to the next stop.
            await expect(page.locator("#next-paper")).to_have_text("接着评本村示范目标")
            await expect(page.locator("#next-stop")).to_have_text("下一站：第 2 站 港边村")
            await page.screenshot(path=str(SHOTS / "tablet-confirm-pending-1024x768.png"))
    await page.locator("#to-route").click()
    for village, paper, *_ in SIX:
        await expect(chip(page, village, paper)).to_have_text("待发送（恢复网络后自动发送）")
        await expect(chip(page, village, paper)).to_have_class("chip pending")
    await expect(page.locator("#outbox-count")).to_have_text("待发送 6 份，恢复网络后自动发送")
    await page.screenshot(path=str(SHOTS / "tablet-pending-offline-1024x768.png"))

    # A slow server: the state answers after 5.5 s, each sheet after 3 s.
    sent: list[tuple[str, str]] = []

    async def slow_state(route: Route) -> None:
        await asyncio.sleep(5.5)
        await route.continue_()

    async def slow_sheet(route: Route) -> None:
        body = route.request.post_data_json
        sent.append((body["village"], body["paper"]))
        await asyncio.sleep(3)
        await route.continue_()

    await page.route("**/judge/api/state", slow_state)
    await page.route("**/api/v1/rounds/*/sheets", slow_sheet)
    await context.set_offline(False)
    back = time.monotonic()
    judge = await Judge.get(round_id=created["id"], code="J3")
    while await Sheet.filter(judge_id=judge.id).count() < 6:
        # A functional bound, not a timing measurement: before the fix the oldest sheet waited
        # out a back-off of about a minute.
        assert time.monotonic() - back < 20, f"only {sent} sent 20 s after the network returned"
        await asyncio.sleep(0.25)
    assert sent == [(v, p) for v, p, *_ in SIX]  # each once, oldest first
    rows = await Sheet.filter(judge_id=judge.id).prefetch_related("village")
    assert sorted((s.village.code, s.paper, s.version) for s in rows) == sorted(
        (v, p, 1) for v, p, *_ in SIX
    )
    for village, paper, *_ in SIX:
        await expect(chip(page, village, paper)).to_have_text("已提交", timeout=15000)
    await expect(page.locator("#outbox-count")).to_have_text("全部已发送")
    await expect(page.locator("#banner")).to_be_hidden()
    await context.close()


async def test_a_refused_sheet_is_red_and_a_recused_stop_keeps_its_number(
    server: Server, client: httpx.AsyncClient, organiser_token: str, new_context: Any
) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    created = await create_round(client, organiser_token)
    context: BrowserContext = await new_context(viewport=TABLET, locale="zh-CN")
    page = await open_tablet(context, judge_link(created, "J4"))  # 刘洋, recused from 巧巧村
    recused = page.locator('.stop[data-village="V05"]')
    await expect(recused.locator(".stop-head")).to_have_text("第 5 站 巧巧村 — 回避 滨海区 西岭镇")
    await expect(page.locator('.stop[data-village="V06"] .stop-no')).to_have_text("第 6 站")
    await recused.scroll_into_view_if_needed()
    await page.screenshot(path=str(SHOTS / "tablet-recused-stop-1024x768.png"))

    await type_sheet(page, "V04", "shared", SHARED)
    await expect(page.locator("#confirm-line")).to_have_text("已提交 和睦村 共性目标 30 分")
    await expect(page.locator("#next-stop")).to_have_text("下一站：第 6 站 乡贤村")  # 5 is recused
    await page.screenshot(path=str(SHOTS / "tablet-confirm-submitted-1024x768.png"))

    # The organiser locks the round; the tablet has not heard yet and submits: a refusal (red).
    r = await client.post(f"/api/v1/rounds/{created['id']}/lock", headers=bearer(organiser_token))
    assert r.status_code == 200
    await type_sheet(page, "V04", "demonstration", {"t1": 12, "t2": 13})
    await expect(page.locator("#confirm-line")).to_have_text("未被接收：和睦村 示范目标 25 分")
    await expect(page.locator("#confirm .chip")).to_have_text("提交失败（本轮已锁定）")
    await expect(page.locator("#confirm .chip")).to_have_class("chip failed")
    await expect(page.locator("#outbox-count")).to_have_text("1 份未被接收")
    await page.screenshot(path=str(SHOTS / "tablet-confirm-failed-1024x768.png"))
    await page.locator("#to-route").click()
    await expect(chip(page, "V04", "demonstration")).to_have_text("提交失败（本轮已锁定）")
    await expect(chip(page, "V04", "shared")).to_have_text("已提交")
    await page.screenshot(path=str(SHOTS / "tablet-failed-route-1024x768.png"))
    await page.set_viewport_size({"width": 390, "height": 844})  # a judge's phone
    await recused.scroll_into_view_if_needed()
    await page.screenshot(path=str(SHOTS / "phone-route-390x844.png"))
    await page.evaluate("location.hash = '#v/V04/shared/done'")
    await expect(page.locator("#confirm-line")).to_have_text("已提交 和睦村 共性目标 30 分")
    # The round is locked: nothing more to score, only the way back.
    await expect(page.locator(".next-steps .button")).to_have_text(["返回路线"])
    await page.screenshot(path=str(SHOTS / "phone-confirm-390x844.png"))
    await context.close()
