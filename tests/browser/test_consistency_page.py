"""The judges' consistency page (1366×768), the progress flag, the tablet's 请核对 and the
village's own explanations on a phone (390×844), on the designed round of
tests/consistency/helpers.py whose figures are worked out by hand."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.async_api import BrowserContext, expect

from tests.browser.helpers import organiser_page
from tests.conftest import Server
from tests.consistency.helpers import designed_round, submit
from tests.judges.helpers import TABLET, judge_link

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def _shots() -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)


# Screenshots to look at (kept after the run), beside the other browser tests' ones.
SHOTS = Path(__file__).resolve().parents[2] / "screenshots" / "consistency"
WAIT = {"timeout": 20000}


async def test_consistency_page_shows_hand_computed_figures_live(
    server: Server, client: httpx.AsyncClient, organiser_token: str, new_context: Any
) -> None:
    created = await designed_round(client, organiser_token)
    rid = created["id"]
    outside: list[str] = []
    page = await organiser_page(new_context, server, (1366, 768), outside)
    await page.goto(f"{server.url}/admin/rounds/{rid}/judges")
    await expect(page.locator("#consistency")).to_have_attribute("data-ready", "true", **WAIT)
    shared = page.locator('section.paper-review[data-paper="shared"]')
    # ICC(2,1) = 16/20.5 = 0.7805, ICC(2,k) = 16/17.5 = 0.9143, W = 462/522 = 0.8851
    for key, text in (("icc_single", "0.78"), ("icc_average", "0.91"), ("kendall_w", "0.89")):
        await expect(shared.locator(f'.fig[data-fig="{key}"] b')).to_have_text(text)
    await expect(shared.locator('.fig[data-fig="icc_single"] .reading')).to_contain_text("良好")
    await expect(shared.locator(".basis")).to_have_text("依据：评分齐全的 4 个村 × 3 位评委")
    # severity (tests/consistency/test_http.py): 张伟 +0.75 (−0.63 ～ +2.13),
    # 王强 +0.75 (−1.64 ～ +3.14), 李娜 −1.50 (−3.45 ～ +0.45)
    rows = await shared.locator("tbody tr").evaluate_all(
        """trs => trs.map(tr => [tr.querySelector("th").textContent,
            ...["leniency", "severity", "interval", "n", "effect"].map(
                c => tr.querySelector(`[data-col="${c}"]`).textContent)])"""
    )
    assert rows == [
        ["张伟", "1", "+0.75", "-0.63 ～ +2.13", "4", "+0.50"],
        ["王强", "2", "+0.75", "-1.64 ～ +3.14", "4", "+0.50"],
        ["李娜", "3", "-1.50", "-3.45 ～ +0.45", "4", "-1.00"],
    ]
    # J3's 2 on 南岭村 (示范目标): others 20, 21 → median 20.5, gap −18.5
    suspects = page.locator("#suspects li")
    await expect(suspects).to_have_count(1)
    await expect(suspects).to_have_text(
        "王强 · 南岭村 · 示范目标：总分 2.00，其他 2 位评委中位数 20.50，相差 -18.50"
    )
    await expect(page.locator("#suspect-count")).to_have_text("1")
    await expect(page.locator("#whatif-changed")).to_have_text(
        "去掉评委宽严影响后，各村名次都不变。"
    )
    await expect(page.locator("#whatif-table tbody tr")).to_have_count(4)
    v2 = page.locator('#whatif-table tr[data-village="V2"]')
    await expect(v2.locator('[data-col="official_total"]')).to_have_text("19.33")
    await expect(v2.locator('[data-col="adjusted_rank"]')).to_have_text("4")
    for term in ("severity", "icc", "kendall", "patterns", "suspect", "what_if"):
        await expect(page.locator(f'dd[data-term="{term}"]')).not_to_be_empty()
    await expect(page.locator('dd[data-term="icc"]')).to_contain_text("Shrout & Fleiss")
    await page.screenshot(path=str(SHOTS / "judges-1366x768.png"))
    await page.screenshot(path=str(SHOTS / "judges-1366x768-full.png"), full_page=True)
    await page.set_viewport_size({"width": 1024, "height": 768})
    width = await page.evaluate("document.documentElement.scrollWidth")
    assert width <= 1024
    await page.screenshot(path=str(SHOTS / "judges-1024x768.png"), full_page=True)

    # the progress board flags the sheet
    board = await page.context.new_page()
    await board.goto(f"{server.url}/admin/rounds/{rid}/progress")
    flag = board.locator('tr[data-judge="J3"] td[data-village="V2"] [data-check="demonstration"]')
    await expect(flag).to_have_text("请核对", **WAIT)
    await expect(board.locator("#checks-list li")).to_have_count(1)
    await board.screenshot(path=str(SHOTS / "progress-check-1366x768.png"))

    # J3 corrects the sheet: both pages follow by themselves
    await submit(client, created, "J3", "V2", "demonstration", {"t1": 20})
    await expect(page.locator("#suspects li")).to_have_text("目前没有需要核对的评分表。", **WAIT)
    await expect(flag).to_have_count(0, **WAIT)
    await expect(board.locator("#checks")).to_be_hidden()
    await page.context.close()
    assert outside == []


async def test_tablet_shows_a_gentle_check_on_the_far_sheet(
    server: Server, client: httpx.AsyncClient, organiser_token: str, new_context: Any
) -> None:
    created = await designed_round(client, organiser_token)
    context: BrowserContext = await new_context(viewport=TABLET, has_touch=True, locale="zh-CN")
    page = await context.new_page()
    await page.goto(judge_link(created, "J3") + "#v/V2/demonstration")
    await expect(page.locator("body")).to_have_attribute("data-app", "ready", **WAIT)
    await expect(page.locator("#check-note")).to_contain_text("请核对", **WAIT)
    text = await page.locator("body").inner_text()
    assert "20.5" not in text and "21" not in text  # nothing of the other judges' scores
    await page.screenshot(path=str(SHOTS / "tablet-check-1024x768.png"))
    await page.goto(judge_link(created, "J3") + "#v/V2/shared")
    await expect(page.locator("body")).to_have_attribute("data-app", "ready", **WAIT)
    await expect(page.locator(".items")).to_be_visible()
    await expect(page.locator("#check-note")).to_have_count(0)
    await context.close()


async def test_explain_my_score_on_a_phone(
    server: Server, client: httpx.AsyncClient, organiser_token: str, new_context: Any
) -> None:
    created = await designed_round(client, organiser_token)
    link = next(v for v in created["villages"] if v["code"] == "V2")
    context: BrowserContext = await new_context(
        viewport={"width": 390, "height": 844}, has_touch=True, locale="zh-CN"
    )
    page = await context.new_page()
    await page.goto(link["url"])
    await expect(page.locator("#app")).to_have_attribute("data-ready", "true", **WAIT)
    # V2: shared (6 + 4 + 5)/3 = 5; demonstration (20 + 21 + 2)/3 = 14.3333 → 14.33;
    # total 5 + 14.33 + 0 − 0 = 19.33, 4th of 4
    total = page.locator('#explain-hero details[data-explain="total"]')
    await total.locator("summary").click()
    await expect(total.locator("li").first).to_have_text(
        "共性目标 5 + 示范目标 14.33 + 满意度 0（未录入） − 扣分 0 = 19.33"
    )
    rank = page.locator('#explain-hero details[data-explain="rank"]')
    await rank.locator("summary").click()
    await expect(rank.locator("li").first).to_have_text(
        "按总分从高到低排名：本村 19.33 分，在 4 个村中排第 4 名"
    )
    demo = page.locator('#paper-demonstration details[data-explain="score"]')
    await demo.locator("summary").click()
    await expect(demo.locator("li").last).to_contain_text(
        "÷ 3 = ≈14.3333，四舍五入到两位小数得 14.33 分"
    )
    item = page.locator('#paper-demonstration .item[data-code="t1"] details')
    await item.locator("summary").click()
    await expect(item.locator("li")).to_have_text(
        "特色产业：保留的 3 位评委本项合计 43 分，÷ 3 = ≈14.3333，记 14.33"
    )
    row = page.locator('#papers details[data-explain="paper-satisfaction"]')
    await row.locator("summary").click()
    await expect(row.locator("li")).to_have_text("满意度尚未录入：名次暂定，不按 0 分计")
    width = await page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390  # nothing runs off the side of the phone
    body = await page.locator("body").inner_text()
    assert not any(name in body for name in ("张伟", "李娜", "王强"))
    await page.screenshot(path=str(SHOTS / "explain-390x844.png"))
    await demo.scroll_into_view_if_needed()
    await page.screenshot(path=str(SHOTS / "explain-390x844-paper.png"))
    await page.screenshot(path=str(SHOTS / "explain-390x844-full.png"), full_page=True)
    await context.close()
