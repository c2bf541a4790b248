"""A judge scores on a tablet through a dead zone: nothing is lost, nothing is counted twice."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.async_api import BrowserContext, Page, expect

from arena.models import Judge, Sheet
from tests.conftest import Server, create_round
from tests.judges.helpers import TABLET, judge_link

pytestmark = pytest.mark.browser


# What the judge types, per village and paper (the last item is reached with the + button).
SCORES: dict[str, dict[str, dict[str, float]]] = {
    "V01": {
        "shared": {"org": 8.5, "eco": 9, "build": 7, "talent": 5.5, "gov": 5},
        "demonstration": {"t1": 13.5, "t2": 12},
    },
    "V02": {
        "shared": {"org": 7, "eco": 8, "build": 6.5, "talent": 5, "gov": 5},
        "demonstration": {"t1": 17, "t2": 8.5},
    },
    "V04": {
        "shared": {"org": 9.5, "eco": 8.5, "build": 7.5, "talent": 4, "gov": 5.5},
        "demonstration": {"t1": 12, "t2": 13.5},
    },
}
COMMENTS = {
    "V01": "四色线路串联成片，游客接待有台账。",
    "V02": "",
    "V04": "共建共治议事会运行规范。",
}


async def open_judge(context: BrowserContext, url: str, urls: list[str]) -> Page:
    """Open a judge's personal link and wait until the app and its offline cache are ready."""
    page = await context.new_page()
    page.on("request", lambda request: urls.append(request.url))
    await page.goto(url)
    await expect(page.locator("body")).to_have_attribute("data-app", "ready")
    await expect(page.locator("body")).to_have_attribute("data-offline", "ready")
    return page


async def fill_sheet(page: Page, village: str, paper: str, comment: str) -> None:
    """Enter one sheet on the route's village card, check it and submit it."""
    await page.locator(f'.stop[data-village="{village}"] .paper-row[data-paper="{paper}"]').tap()
    await expect(page.locator("#view")).to_have_attribute("data-view", "sheet")
    items = SCORES[village][paper]
    codes = list(items)
    for code in codes:
        value = items[code] - 1 if code == codes[-1] else items[code]
        await page.locator(f'.item[data-item="{code}"] .score-input').fill(f"{value:g}")
    last = page.locator(f'.item[data-item="{codes[-1]}"]')
    await last.locator(".plus").tap()
    await last.locator(".plus").tap()
    await expect(last.locator(".score-input")).to_have_value(f"{items[codes[-1]]:g}")
    if comment:
        await page.locator("#comment").fill(comment)
    total = float(sum(Decimal(str(v)) for v in items.values()))
    await expect(page.locator("#running-total strong")).to_have_text(f"{total:g}")
    await page.locator("#to-check").tap()
    await expect(page.locator("#check-total")).to_have_text(f"{total:g}")
    await page.locator("#submit").tap()
    await expect(page.locator("#view")).to_have_attribute("data-view", "done")
    await page.locator("#to-route").tap()
    await expect(page.locator("#view")).to_have_attribute("data-view", "route")


def chip(page: Page, village: str, paper: str) -> Any:
    """The state chip of one sheet on the route."""
    return page.locator(f'.stop[data-village="{village}"] .paper-row[data-paper="{paper}"] .chip')


async def test_scores_survive_a_dead_zone_reload_and_restart(
    server: Server,
    client: httpx.AsyncClient,
    organiser_token: str,
    new_context: Any,
    screenshots_dir: Path,
) -> None:
    created = await create_round(client, organiser_token)
    round_id = created["id"]
    context: BrowserContext = await new_context(viewport=TABLET, has_touch=True, locale="zh-CN")
    urls: list[str] = []
    page = await open_judge(context, judge_link(created, "J1"), urls)
    assert page.url == f"{server.url}/judge"

    # A score outside 0..max is refused on the spot, in Chinese, and not kept.
    await page.locator('.stop[data-village="V01"] .paper-row[data-paper="shared"]').tap()
    org = page.locator('.item[data-item="org"]')
    await org.locator(".score-input").fill("11")
    await expect(org.locator(".item-error")).to_have_text(
        "超出范围：本项满分 10 分，请输入 0～10 之间的分数"
    )
    await expect(page.locator("#running-total strong")).to_have_text("0")
    await page.locator(".back").tap()

    for village in ("V01", "V02"):
        for paper in ("shared", "demonstration"):
            await fill_sheet(page, village, paper, COMMENTS[village] if paper == "shared" else "")
    await expect(page.locator("#outbox-count")).to_have_attribute("data-count", "0")
    for village in ("V01", "V02"):
        await expect(chip(page, village, "shared")).to_have_text("已提交")
        await expect(chip(page, village, "demonstration")).to_have_text("已提交")

    await context.set_offline(True)
    await expect(page.locator("#network")).to_have_text("离线")
    for paper in ("shared", "demonstration"):
        await fill_sheet(page, "V04", paper, COMMENTS["V04"] if paper == "shared" else "")
    for paper in ("shared", "demonstration"):
        await expect(chip(page, "V04", paper)).to_have_text("待发送（恢复网络后自动发送）")
        await expect(chip(page, "V04", paper)).to_have_class("chip pending")
    await expect(page.locator("#outbox-count")).to_have_text("待发送 2 份，恢复网络后自动发送")
    await expect(page.locator("#banner")).to_contain_text("当前离线")
    await page.screenshot(path=str(screenshots_dir / "judge-route-offline-tablet.png"))

    await page.reload()
    await expect(page.locator("body")).to_have_attribute("data-app", "ready")
    await expect(chip(page, "V04", "shared")).to_have_text("待发送（恢复网络后自动发送）")
    await expect(chip(page, "V01", "shared")).to_have_text("已提交")
    await page.close()

    page = await context.new_page()
    page.on("request", lambda request: urls.append(request.url))
    await page.goto(f"{server.url}/judge#v/V04/shared")
    await expect(page.locator("body")).to_have_attribute("data-app", "ready")
    await expect(page.locator('.item[data-item="org"] .score-input')).to_have_value("9.5")
    await expect(page.locator("#comment")).to_have_value(COMMENTS["V04"])
    await page.locator(".back").tap()

    await context.set_offline(False)
    await expect(page.locator("#outbox-count")).to_have_attribute("data-count", "0")
    await expect(chip(page, "V04", "shared")).to_have_text("已提交")
    await expect(chip(page, "V04", "demonstration")).to_have_text("已提交")

    judge = await Judge.get(round_id=round_id, code="J1")
    sheets = await Sheet.filter(round_id=round_id, judge_id=judge.id).prefetch_related("village")
    got = sorted(
        (s.village.code, s.paper, s.version, s.current, s.items, s.comment) for s in sheets
    )
    expected = sorted(
        (
            village,
            paper,
            1,
            True,
            {k: str(Decimal(str(v))) for k, v in items.items()},
            COMMENTS[village] if paper == "shared" else "",
        )
        for village, papers in SCORES.items()
        for paper, items in papers.items()
    )
    assert got == expected
    assert sorted({u.split("/", 3)[2] for u in urls}) == [server.url.removeprefix("http://")]
    await context.close()
