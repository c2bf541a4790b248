"""The index board screen fits every hall: 4:3 and 720p projectors, 1080p, 4K, a portrait LED
board, with 8 and 200 villages — nothing outside the screen, cut, overlapping or wrapped, no text
under 2% of the screen's shorter side, and every follow-up village on screen within one paging
cycle. Per-link layouts (?layout=top10 / followups / chart) fit too."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest
from playwright.async_api import BrowserContext, Page, expect

from arena.boards.demo import load_board_demo
from arena.services.boards.followup import save_follow_up
from arena.services.boards.service import BoardService
from arena.services.boards.writes import define_board, import_values
from tests.browser.fit import VIEWPORTS
from tests.browser.fit import fit_problems as screen_problems
from tests.conftest import SCREENSHOTS, Server, bearer

pytestmark = pytest.mark.browser

SHOTS = SCREENSHOTS / "screens"
TOWNS = ("东港镇", "白壁镇", "清水河乡", "马家堡镇", "柳林镇", "石门乡", "云溪乡", "北桥镇")
FIRST = "青红白金银石柳松梨杏桃李龙凤马云溪山河湖"
SECOND = "山岭坪塘湾岗口桥沟坝园庄"
LEADERS = (
    "李建国（市委常委、组织部部长）",
    "王海燕（副市长）",
    "张志强（市农业农村局局长）",
)


def village_name(n: int) -> str:
    """Distinct names of two to four characters, 村 included."""
    name = FIRST[n % len(FIRST)] + SECOND[(n // len(FIRST)) % len(SECOND)]
    return name + ("新" if n >= len(FIRST) * len(SECOND) else "") + "村"


async def make_board(count: int, server: Server) -> tuple[int, list[str]]:
    """A board of `count` villages whose index falls strictly with n; returns the id and the
    codes of the bottom 20% (the follow-up list) in rank order."""
    tag = uuid.uuid4().hex[:6]
    definition = {
        "name": f"测试{tag}县2025年度强村富民指数榜",
        "scope": {"level": "county", "name": f"测试{tag}县"},
        "period": {"kind": "year", "label": "2025"},
        "indicators": [
            {"code": "income", "name": "村集体经营性收入", "unit": "万元", "direction": "higher",
             "weight": 50},
            {"code": "resident", "name": "农村居民人均可支配收入", "unit": "元",
             "direction": "higher", "weight": 30},
            {"code": "waste", "name": "生活垃圾分类处理率", "unit": "%", "direction": "higher",
             "weight": 20},
        ],
        "villages": [
            {"code": f"V{n:03d}", "name": village_name(n), "township": TOWNS[n % len(TOWNS)],
             "county": f"测试{tag}县", "cadres": 4}
            for n in range(count)
        ],
        "flags": [
            {"scope": "village", "category": "产业兴旺", "kind": "top_n", "indicator": "income",
             "n": 3},
            {"scope": "village", "category": "生态宜居", "kind": "threshold", "indicator": "waste",
             "threshold": 80},
            {"scope": "village", "category": "生活富裕", "kind": "top_n",
             "indicator": "resident", "n": 3},
            {"scope": "township", "category": "党建引领", "kind": "top_n", "n": 1},
        ],
    }  # fmt: skip
    board_id = int((await define_board(definition, "organiser:测试"))["id"])
    lines = ["village,name,income,resident,waste"]
    for n in range(count):  # every indicator falls with n: the rank is n + 1
        lines.append(
            f"V{n:03d},{village_name(n)},{1000 - n * 4.5:.1f},{60000 - n * 150},"
            f"{99.5 - n * 0.4 * 100 / max(count, 100):.2f}"
        )
    content = ("\n".join(lines) + "\n").encode()
    service = BoardService()
    await import_values(service, board_id, "指标.csv", content, "organiser:测试")
    # The bottom 20%: the last ceil(count / 5) places — 8 villages: 2; 200 villages: 40.
    bottom = [f"V{n:03d}" for n in range(count - -(-count // 5), count)]
    computed = await service.computed(board_id)
    for k, code in enumerate(bottom[-3:]):
        data = {"status": "跟进中", "leader": LEADERS[k % 3], "measures": "每月到村督导一次"}
        await save_follow_up(computed, code, data, "organiser:测试")
    return board_id, bottom


async def open_screen(
    new_context: Any, server: Server, organiser_token: str, url: str, size: tuple[int, int]
) -> tuple[BrowserContext, Page]:
    context: BrowserContext = await new_context(
        viewport={"width": size[0], "height": size[1]}, locale="zh-CN"
    )
    page = await context.new_page()
    await page.goto(f"{server.url}/o/{organiser_token}")
    await page.goto(url)
    await expect(page.locator("#conn")).to_have_attribute("data-state", "live", timeout=15_000)
    if await page.locator("#histogram").is_visible():
        await expect(page.locator("#histogram .main-svg").first).to_be_attached(timeout=30_000)
    await page.wait_for_timeout(300)
    return context, page


async def shown_follow_ups(page: Page) -> list[str]:
    codes: list[str] = await page.eval_on_selector_all(
        ".bs-follow tbody tr[data-village]:not([hidden])",
        "rows => rows.map(r => r.dataset.village)",
    )
    return codes


@pytest.mark.parametrize("count", [8, 200])
async def test_board_screen_fits_every_screen(
    server: Server, organiser_token: str, new_context: Any, count: int
) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    board_id, bottom = await make_board(count, server)
    assert len(bottom) == {8: 2, 200: 40}[count]
    url = f"{server.url}/screen/boards/{board_id}?page_seconds=120"
    failures: list[str] = []
    for size in VIEWPORTS:
        context, page = await open_screen(new_context, server, organiser_token, url, size)
        await expect(page.locator(".bs-follow h2 small")).to_have_text(f"共 {len(bottom)} 个村")
        await expect(page.locator(".bs-top tbody tr")).to_have_count(min(10, count))
        pages = int(await page.locator("#stage").get_attribute("data-pages") or "1")
        if count == 8:
            assert pages == 1, size
        seen: list[str] = []
        for n in range(pages):
            if n in (0, pages - 1):
                name = f"board-{count}v-{size[0]}x{size[1]}-p{n + 1}.png"
                await page.screenshot(path=str(SHOTS / name))
            failures += [f"{size}, page {n + 1}: {p}" for p in await screen_problems(page)]
            seen += await shown_follow_ups(page)
            if pages > 1:
                await expect(page.locator("#pager")).to_have_css("visibility", "visible")
                await expect(page.locator("#page-text")).to_have_text(
                    f"跟进名单 第 {n + 1} / {pages} 页"
                )
                await page.evaluate("ArenaScreen.turn()")
        # Every follow-up village on screen exactly once in the cycle, in rank order.
        assert seen == bottom, f"{size}: {pages} pages"
        await context.close()
    assert failures == [], "\n".join(failures)


@pytest.mark.parametrize("layout", ["top10", "followups", "chart"])
async def test_each_board_screen_link_can_ask_for_its_own_layout(
    server: Server, organiser_token: str, new_context: Any, layout: str
) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    board_id, bottom = await make_board(200, server)
    url = f"{server.url}/screen/boards/{board_id}?layout={layout}&page_seconds=120"
    shown = {"top10": [".bs-top"], "followups": [".bs-follow"], "chart": [".bs-chart", ".bs-flags"]}
    failures: list[str] = []
    for size in ((1920, 1080), (1024, 768), (1080, 1920)):
        context, page = await open_screen(new_context, server, organiser_token, url, size)
        for card in (".bs-top", ".bs-follow", ".bs-chart", ".bs-flags"):
            if card in shown[layout]:
                await expect(page.locator(card)).to_be_visible()
            else:
                await expect(page.locator(card)).to_be_hidden()
        await page.screenshot(path=str(SHOTS / f"board-layout-{layout}-{size[0]}x{size[1]}.png"))
        failures += [f"{size}: {p}" for p in await screen_problems(page)]
        if layout == "followups":  # the whole list, larger rows: still every village once
            pages = int(await page.locator("#stage").get_attribute("data-pages") or "1")
            seen: list[str] = []
            for _ in range(pages):
                seen += await shown_follow_ups(page)
                await page.evaluate("ArenaScreen.turn()")
            assert seen == bottom
        await context.close()
    assert failures == [], "\n".join(failures)


async def test_an_update_waits_for_the_page_turn(
    server: Server, client: httpx.AsyncClient, organiser_token: str, new_context: Any
) -> None:
    board_id, bottom = await make_board(200, server)
    url = f"{server.url}/screen/boards/{board_id}?page_seconds=120"
    context, page = await open_screen(new_context, server, organiser_token, url, (1920, 1080))
    pages = int(await page.locator("#stage").get_attribute("data-pages") or "1")
    assert pages > 2
    await page.evaluate("ArenaScreen.turn()")
    await page.evaluate("window.stillHere = true")
    reading = await shown_follow_ups(page)
    code = reading[0]
    answer = await client.put(
        f"/api/v1/boards/{board_id}/followups/{code}",
        json={"status": "跟进中", "leader": "赵书记", "measures": "驻村帮扶"},
        headers=bearer(organiser_token),
    )
    assert answer.status_code == 200, answer.text
    # The page being read stays: the screen says new data is waiting for the turn.
    await expect(page.locator("#stage")).to_have_attribute("data-update", "due")
    await expect(page.locator("#update-note")).to_be_visible()
    assert await page.evaluate("window.stillHere") is True
    assert await shown_follow_ups(page) == reading
    assert await screen_problems(page) == []
    # At the turn the new board comes in, on the page the turn leads to (the third).
    await page.evaluate("ArenaScreen.turn()")
    await expect(page.locator("#stage")).to_have_attribute("data-page", "2")
    assert await page.evaluate("window.stillHere === undefined")
    await expect(page.locator("#update-note")).to_be_hidden()
    for _ in range(pages - 1):  # round to the second page again
        await page.evaluate("ArenaScreen.turn()")
    await expect(page.locator("#stage")).to_have_attribute("data-page", "1")
    row = page.locator(f'.bs-follow tr[data-village="{code}"] .leader')
    await expect(row).to_have_text("赵书记")
    await context.close()


async def test_the_demo_board_fits_every_screen(
    server: Server, organiser_token: str, new_context: Any
) -> None:
    """The shipped demo (38 villages, changes since 2024, ten flag categories, long leaders)."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    board = (await load_board_demo("organiser:演示"))[-1]
    failures: list[str] = []
    for size in VIEWPORTS:
        url = f"{server.url}/screen/boards/{board}?page_seconds=120"
        context, page = await open_screen(new_context, server, organiser_token, url, size)
        await page.screenshot(path=str(SHOTS / f"board-demo-{size[0]}x{size[1]}.png"))
        # ceil(38 / 5) = 8 follow-up villages, each once in a cycle; ten flag categories shown.
        pages = int(await page.locator("#stage").get_attribute("data-pages") or "1")
        seen: list[str] = []
        for n in range(pages):
            failures += [f"{size} page {n + 1}: {p}" for p in await screen_problems(page)]
            seen += await shown_follow_ups(page)
            await page.evaluate("ArenaScreen.turn()")
        assert len(seen) == len(set(seen)) == 8, size
        await expect(page.locator(".bs-flag-list li:not(.more):not([hidden])")).to_have_count(10)
        await context.close()
    assert failures == [], "\n".join(failures)
