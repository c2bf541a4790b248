"""The contest screen fits every hall in every phase of a 擂台赛: waiting, the draw, a contestant
ready, presenting with the clock running, scoring, scores closed, the reveal with struck-through
scores, and the final ranking with awards — at 1024×768, 1280×720, 1920×1080, 3840×2160 and a
portrait 1080×1920 board, with 6 and 20 contestants. Nothing outside the screen, cut, overlapping
or wrapped, no text under 2% of the shorter side, and every contestant of a paged list on screen
within one paging cycle.

Scores by hand: contestant i (C01 = 0 …) gets a = 58 − 2i and b = 30 + o from the judge with
offset o (offsets −2 … 2 for five judges, −4 … 4 for nine), so the highest and the lowest judge are
struck and the trimmed mean is exactly 88 − 2i. The first on stage uses 540 s of a 480 s limit:
60 s over = 2 started 30 s steps × 0.5 = 1.00 off. No two finals tie (they differ by 2, or by 1).
"""

from __future__ import annotations

import asyncio
import hashlib
import uuid
from typing import Any

import httpx
import pytest
from playwright.async_api import BrowserContext, Page, expect

from tests.browser.fit import VIEWPORTS
from tests.browser.fit import fit_problems as screen_problems
from tests.conftest import SCREENSHOTS, Server, bearer
from tests.contests.test_flow import Host, score

pytestmark = pytest.mark.browser

SHOTS = SCREENSHOTS / "screens"
SEED = "20251218"
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
GIVEN = ("建国", "秀英", "志强", "海燕", "长根", "春梅", "德明", "晓燕", "卫东", "丽华")
POSTS = ("镇党委书记", "村党支部书记、村委会主任", "乡党委副书记、乡长", "村党总支书记")
UNITS = ("溪口镇", "竹源乡毛竹坪村", "石桥镇东岙村", "青溪镇", "溪口镇鲤鱼村")
NAME = "青溪县2025年度乡村两级党组织书记抓党建促乡村振兴擂台比武"
# Entrance animations over (running ones; the over-time blink runs for ever).
SETTLE = """
() => document.getAnimations().every(a => {
  const timing = a.effect && a.effect.getComputedTiming();
  return a.playState !== "running" || (timing && timing.iterations === Infinity);
})
"""


def contest_definition(count: int, judges: int) -> dict[str, Any]:
    return {
        "name": NAME + f"（{uuid.uuid4().hex[:4]}）",
        "campaign": "党建引领乡村振兴试点三年行动",
        "date": "2025-12-18",
        "time_limit_seconds": 480,
        "aggregation": {"method": "trimmed", "trim": 1, "min_judges_for_trim": 3},
        "contestants": [
            {
                "code": f"C{i + 1:02d}",
                "name": SURNAMES[i] + GIVEN[i % len(GIVEN)],
                "post": POSTS[i % len(POSTS)],
                "unit": UNITS[i % len(UNITS)],
            }
            for i in range(count)
        ],
        "judges": [{"code": f"J{n}", "name": f"评委{n}号"} for n in range(1, judges + 1)],
        "criteria": [
            {"code": "a", "name": "工作实绩", "max": 60},
            {"code": "b", "name": "现场表现", "max": 40},
        ],
        "awards": [
            {"name": n, "count": c} for n, c in (("一等奖", 1), ("二等奖", 2), ("三等奖", 3))
        ],
    }


def sheet(code: str, judge: int, judges: int) -> dict[str, float]:
    i = int(code[1:]) - 1
    offset = judge - (judges + 1) // 2  # −2 … 2 or −4 … 4
    return {"a": 58 - 2 * i, "b": 30 + offset}


async def settled(page: Page) -> None:
    """Entrance animations over (rows slide in): measure the picture the hall will see."""
    await page.wait_for_function(SETTLE, timeout=30_000)
    await page.wait_for_timeout(250)


class Screens:
    """One contest screen per viewport, all open at once, checked together at each phase."""

    def __init__(self, pages: dict[tuple[int, int], Page], count: int) -> None:
        self.pages, self.count = pages, count
        self.failures: list[str] = []

    async def check(self, phase: str, attribute: str, value: str) -> None:
        for size, page in self.pages.items():
            await expect(page.locator("#stage")).to_have_attribute(attribute, value, timeout=15_000)
            await settled(page)
            self.failures += [f"{phase} {size}: {p}" for p in await screen_problems(page)]
            name = f"contest-{self.count}c-{phase}-{size[0]}x{size[1]}.png"
            await page.screenshot(path=str(SHOTS / name))

    async def cycle(self, phase: str, selector: str, key: str) -> None:
        """Turn every page of the list once: each entry seen exactly once, each page fitting."""
        for size, page in self.pages.items():
            pages = int(await page.locator("#stage").get_attribute("data-pages") or "1")
            seen: list[str] = []
            for n in range(pages):
                if n:
                    await page.evaluate("ArenaScreen.turn()")
                    await settled(page)
                    self.failures += [
                        f"{phase} {size} page {n + 1}: {p}" for p in await screen_problems(page)
                    ]
                seen += await page.eval_on_selector_all(
                    selector + ":not([hidden])", f"els => els.map(e => e.{key})"
                )
            await page.evaluate("ArenaScreen.turn()")  # back to where the cycle began
            assert len(seen) == len(set(seen)) == self.count, f"{phase} {size}: {seen}"


@pytest.mark.parametrize(("count", "judges"), [(6, 5), (20, 9)])
async def test_contest_screen_fits_every_phase_on_every_screen(
    server: Server,
    client: httpx.AsyncClient,
    organiser_token: str,
    new_context: Any,
    count: int,
    judges: int,
) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    answer = await client.post(
        "/api/v1/contests",
        json=contest_definition(count, judges),
        headers=bearer(organiser_token),
    )
    assert answer.status_code == 201, answer.text
    created = answer.json()
    cid = created["id"]
    tokens = {j["code"]: j["token"] for j in created["judges"]}
    host = Host(client, organiser_token, cid)
    pages: dict[tuple[int, int], Page] = {}
    contexts: list[BrowserContext] = []
    for size in VIEWPORTS:
        context: BrowserContext = await new_context(
            viewport={"width": size[0], "height": size[1]}, locale="zh-CN"
        )
        contexts.append(context)
        page = await context.new_page()
        await page.goto(created["screen"]["url"])  # the screen's link signs the browser in
        await page.goto(f"{server.url}/screen/contest?contest={cid}&page_seconds=120")
        await expect(page.locator("#conn")).to_have_attribute("data-state", "live")
        pages[size] = page
    screens = Screens(pages, count)
    await screens.check("waiting", "data-view", "waiting")

    await host.ok("draw", seed=SEED)
    codes = [f"C{i + 1:02d}" for i in range(count)]
    order = sorted(codes, key=lambda c: hashlib.sha256(f"{SEED}:{c}".encode()).hexdigest())
    await screens.check("draw", "data-view", "draw")
    await screens.cycle("draw", "#draw-list li", "querySelector('.d-pos').textContent")

    async def scores(code: str, judges_in: int) -> None:
        posts = [
            score(client, tokens[f"J{n}"], cid, code, sheet(code, n, judges))
            for n in range(1, judges_in + 1)
        ]
        for r in await asyncio.gather(*posts):
            assert r.status_code == 201, r.text

    first = order[0]
    await host.ok("next")
    await screens.check("ready", "data-phase", "ready")
    await host.ok("start")
    await screens.check("presenting", "data-phase", "presenting")
    await host.ok("stop")
    await host.ok("time", elapsed_seconds=540)
    await host.ok("open")
    await scores(first, judges - 2)  # two judges still to submit
    for page in pages.values():
        await expect(page.locator("#judges li.done")).to_have_count(judges - 2)
    await screens.check("scoring", "data-phase", "scoring")
    await scores_rest(client, tokens, cid, first, judges)
    await host.ok("close")
    await screens.check("closed", "data-phase", "closed")
    await host.ok("reveal")
    for page in pages.values():  # the highest and the lowest judge struck through
        await expect(page.locator("#jscores li.dropped .jl")).to_have_text(
            ["评委1", f"评委{judges}"]
        )
        # 88 − 2i, then 1.00 off for 60 s over
        i = int(first[1:]) - 1
        await expect(page.locator("#penalty")).to_have_text("−1.00")
        await expect(page.locator("#final")).to_have_text(f"{88 - 2 * i - 1:.2f}")
        await expect(page.locator(".sum.pen span")).to_have_text("超时扣分（超时 60 秒）")
    await screens.check("revealed-first", "data-phase", "revealed")

    for code in order[1:]:
        for action in ("next", "start", "stop", "open"):
            await host.ok(action)
        if code == order[-1]:
            turned = await an_update_keeps_the_page(
                pages, client, tokens[f"J{judges}"], cid, code, judges
            )
            # 19 revealed: the ranking pages on some screens (4:3 and 720p at least).
            assert count < 20 or turned
            await scores(code, judges - 1)
        else:
            await scores(code, judges)
        await host.ok("close")
        await host.ok("reveal")
    # The last reveal: the whole ranking beside it, paged where it must be.
    await screens.check("revealed-last", "data-phase", "revealed")
    await screens.cycle("revealed-last", "#ranking li", "dataset.code")

    await host.ok("finish")
    await screens.check("final", "data-view", "final")
    await screens.cycle("final", "#ranking li", "dataset.code")
    # The final ranking by hand: 88 − 2i, the first on stage 1.00 less; awards 1 / 2 / 3 places.
    finals = {c: 88 - 2 * (int(c[1:]) - 1) - (1 if c == first else 0) for c in codes}
    expected = sorted(codes, key=lambda c: -finals[c])
    page = pages[(1920, 1080)]
    seen: list[str] = []
    awards: list[str] = []
    for _ in range(int(await page.locator("#stage").get_attribute("data-pages") or "1")):
        rows = page.locator("#ranking li:not([hidden])")
        seen += await rows.evaluate_all("els => els.map(e => e.dataset.code)")
        awards += await rows.locator(".r-award").all_text_contents()
        await page.evaluate("ArenaScreen.turn()")
    assert seen == expected
    tiers = ["一等奖"] + ["二等奖"] * 2 + ["三等奖"] * 3
    assert awards == tiers + [""] * (count - 6)
    for context in contexts:
        await context.close()
    assert screens.failures == [], "\n".join(screens.failures)


async def an_update_keeps_the_page(
    pages: dict[tuple[int, int], Page],
    client: httpx.AsyncClient,
    token: str,
    cid: int,
    code: str,
    judges: int,
) -> dict[tuple[int, int], str | None]:
    """A judge's sheet arriving while a later page of the ranking is up does not turn it back."""
    turned: dict[tuple[int, int], str | None] = {}
    for size, page in pages.items():
        await expect(page.locator("#stage")).to_have_attribute("data-phase", "scoring")
        if int(await page.locator("#stage").get_attribute("data-pages") or "1") > 1:
            await page.evaluate("ArenaScreen.turn()")
            turned[size] = await page.locator("#stage").get_attribute("data-page")
    r = await score(client, token, cid, code, sheet(code, judges, judges))
    assert r.status_code == 201, r.text
    for size, page in pages.items():
        await expect(page.locator("#judges li.done")).to_have_count(1)
        if size in turned:
            assert await page.locator("#stage").get_attribute("data-page") == turned[size], size
    return turned


async def scores_rest(
    client: httpx.AsyncClient, tokens: dict[str, str], cid: int, code: str, judges: int
) -> None:
    """The last two judges' sheets for the contestant on stage."""
    for n in (judges - 1, judges):
        r = await score(client, tokens[f"J{n}"], cid, code, sheet(code, n, judges))
        assert r.status_code == 201, r.text
