"""The index board's screen, organiser page and participant page in Chromium, at three sizes."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.async_api import BrowserContext, expect

from arena.boards.demo import load_board_demo
from arena.models import AuditEvent
from tests.browser.helpers import SIZES, is_local, organiser_page
from tests.conftest import Server, create_round, example_definition

pytestmark = pytest.mark.browser

# The demo's 2025 board (arena/boards/demo.py, seed 2025: 38 villages, 6 indicators), worked out
# once from its generated values with the README's rules in a plain-Python script of its own
# (min–max to 0–100, z-score T = 50 + 10z, percentile share of the others beaten; index = the
# weighted mean 30/25/15/10/10/10 ÷ 100, half up to the cent):
# - first: 白云村 92.06 (the highest collective income 361.3 万元 and the lowest debt 5.1%)
# - 红岩村 last of 38 at 3.81: it has the lowest collective income (65.4), resident income (28,690)
#   and waste sorting (80.2%): 0 on each; debt 30.9% -> (31.3 − 30.9)/(31.3 − 5.1) × 100 = 1.53;
#   growth −2.2% beats 3 of the 37 others -> 8.11; disputes 4.4 (the most), mean 2.2868, sd
#   0.9471 -> 50 − 10 × 2.231 = 27.69; (15 × 1.53 + 10 × 8.11 + 10 × 27.69)/100 = 3.81
# - follow-ups: the bottom 20% = the last ceil(0.2 × 38) = 8 (indexes 35.27 … 3.81, no tie at
#   the line); the demo's three follow-up records are on three of them
TOP_2025 = "白云村"
FOLLOW_UPS_2025 = 8
HONGYAN_2025 = ("38", "3.81")


async def test_board_screen_shows_top_ten_follow_ups_and_distribution(
    server: Server, new_context: Any, screenshots_dir: Path
) -> None:
    board = (await load_board_demo("organiser:演示"))[-1]
    outside: list[str] = []
    for label, size in SIZES.items():
        page = await organiser_page(new_context, server, size, outside)
        await page.goto(f"{server.url}/screen/boards/{board}")
        rows = page.locator(".bs-top tbody tr")
        await expect(rows).to_have_count(10)
        await expect(rows.first.locator(".name")).to_have_text(TOP_2025)
        follow = page.locator(".bs-follow tbody tr")
        await expect(follow).to_have_count(FOLLOW_UPS_2025)
        await expect(page.locator("#histogram .main-svg").first).to_be_visible()
        await expect(page.locator("#histogram")).to_contain_text("中位数")
        await page.screenshot(path=screenshots_dir / f"board-screen-{label}.png",
                              full_page=label != "1920x1080")  # fmt: skip
        if label == "1920x1080":  # the whole screen fits without scrolling
            height = await page.evaluate("document.documentElement.scrollHeight")
            assert height <= 1080
        await page.context.close()
    assert outside == []


async def test_admin_page_filters_imports_and_edits_follow_ups(
    server: Server, client: httpx.AsyncClient, new_context: Any, screenshots_dir: Path
) -> None:
    board = (await load_board_demo("organiser:演示"))[-1]
    outside: list[str] = []
    for label, size in SIZES.items():
        page = await organiser_page(new_context, server, size, outside)
        await page.goto(f"{server.url}/admin/boards/{board}")
        await expect(page.locator("#ranking tbody tr")).to_have_count(38)
        await expect(page.locator("#follow-ups tbody tr")).to_have_count(FOLLOW_UPS_2025)
        await page.screenshot(path=screenshots_dir / f"board-admin-{label}.png", full_page=True)
        await page.context.close()

    page = await organiser_page(new_context, server, SIZES["1024x768"], outside)
    await page.goto(f"{server.url}/admin/boards/{board}")
    await page.select_option("select[name=township]", "北桥镇")
    await expect(page.locator("#ranking tbody tr")).to_have_count(6)
    await page.fill("input[name=q]", "红岩")
    await expect(page.locator("#ranking tbody tr")).to_have_count(1)
    await expect(page.locator("#ranking tbody tr td").nth(2)).to_have_text("红岩村")
    await page.fill("input[name=q]", "")
    await page.select_option("select[name=township]", "")
    await page.select_option("select[name=sort]", "-rank")
    await expect(page.locator("#ranking tbody tr").first.locator("td").nth(2)).to_have_text(
        "红岩村"
    )

    # a file with bad cells: every one listed by row and column, nothing imported
    bad = "village,collective_income,resident_income,debt_ratio,income_growth,"
    bad += "waste_sorting,disputes\n"
    bad += "HZ101,abc,30000,10,5,90,1\nHZ102,100,30000,120,5,90,1\n"
    await page.set_input_files("#import-file", files=[
        {"name": "错误示例.csv", "mimeType": "text/csv", "buffer": bad.encode()}
    ])  # fmt: skip
    await page.click("#import-form button")
    errors = page.locator("#import-result table.errors tbody tr")
    await expect(errors.first).to_contain_text("第 2 行")
    await expect(errors.first).to_contain_text("“abc”不是数字")
    await expect(errors.nth(1)).to_contain_text("不能大于 100（现为 120）")
    await expect(errors).to_have_count(3)  # the 36 villages missing from the file: one line
    await expect(errors.nth(2)).to_contain_text("文件中缺少 36 个村的数据：HZ103 银滩村、")
    await page.screenshot(path=screenshots_dir / "board-admin-import-errors.png", full_page=True)

    # edit the lowest village's follow-up
    row = page.locator("#follow-ups tbody tr").last
    code = await row.get_attribute("data-village")
    await row.locator("input[name=leader]").fill("赵书记（市委副书记）")
    await row.locator("textarea[name=measures]").fill("每季度到村召开现场推进会")
    await row.locator("select[name=status]").select_option("跟进中")
    await row.locator("button").click()
    await expect(row.locator(".ok-message")).to_have_text("已保存")
    event = await AuditEvent.filter(action="board.follow_up").order_by("-id").first()
    assert event is not None and event.payload["village"] == code
    assert event.payload["changes"]["leader"] == "赵书记（市委副书记）"
    await page.context.close()
    assert outside == []


async def test_participant_sees_own_village_on_the_latest_board(
    server: Server, client: httpx.AsyncClient, organiser_token: str, new_context: Any,
    screenshots_dir: Path,
) -> None:  # fmt: skip
    await load_board_demo("organiser:演示")
    created = await create_round(client, organiser_token)
    link = next(v for v in created["villages"] if v["code"] == "V08")  # 红岩村, 北桥镇
    outside: list[str] = []
    for label, size in SIZES.items():
        viewport = {"width": size[0], "height": size[1]}
        context: BrowserContext = await new_context(viewport=viewport, locale="zh-CN")
        page = await context.new_page()
        page.on("request", lambda r: outside.append(r.url) if not is_local(server, r.url) else None)
        await page.goto(link["url"])
        await page.goto(f"{server.url}/village/board")
        await expect(page.locator("h1")).to_have_text("红岩村 · 强村富民指数榜")
        await expect(page.locator(".tile .big").first).to_have_text(HONGYAN_2025[0])
        await expect(page.locator(".tile .big").nth(1)).to_have_text(HONGYAN_2025[1])
        await expect(page.locator("table.data tbody tr")).to_have_count(6)
        await expect(page.locator("#trend .main-svg").first).to_be_visible()
        await page.screenshot(path=screenshots_dir / f"board-village-{label}.png", full_page=True)
        await context.close()

    # a village on no board gets a clear message
    definition = example_definition(campaign=f"测试行动-{uuid.uuid4().hex[:8]}")
    definition["villages"][0]["name"] = "无名村"
    other = await create_round(client, organiser_token, definition)
    context = await new_context(viewport={"width": 390, "height": 844})
    page = await context.new_page()
    await page.goto(other["villages"][0]["url"])
    await page.goto(f"{server.url}/village/board")
    await expect(page.locator(".notice")).to_contain_text(
        "暂未找到包含东港镇无名村的强村富民指数榜"
    )
    await context.close()
    assert outside == []
