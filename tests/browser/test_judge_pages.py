"""The judge app as a recused judge sees it, at tablet and phone sizes, and the organiser pages."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.async_api import BrowserContext, Dialog, Page, expect

from arena.models import Judge, Sheet
from tests.conftest import Server, bearer, create_round
from tests.judges.helpers import PHONE, TABLET, judge_client, judge_link, sheet_body

pytestmark = pytest.mark.browser


def record(page: Page, urls: list[str]) -> Page:
    """Collect every URL the page requests."""
    page.on("request", lambda request: urls.append(request.url))
    return page


def hosts(urls: list[str]) -> list[str]:
    """The distinct hosts of these URLs."""
    return sorted({u.split("/", 3)[2] for u in urls})


@pytest.mark.parametrize(("size", "viewport"), [("tablet", TABLET), ("phone", PHONE)])
async def test_recused_judge_route_and_sheet(
    server: Server,
    client: httpx.AsyncClient,
    organiser_token: str,
    new_context: Any,
    screenshots_dir: Path,
    size: str,
    viewport: dict[str, int],
) -> None:
    created = await create_round(client, organiser_token)
    context: BrowserContext = await new_context(viewport=viewport, has_touch=True, locale="zh-CN")
    urls: list[str] = []
    page = record(await context.new_page(), urls)
    await page.goto(judge_link(created, "J4"))
    await expect(page.locator("body")).to_have_attribute("data-app", "ready")
    assert page.url == f"{server.url}/judge"
    # The bus's numbering is kept: 巧巧村 is 第 5 站 for everyone, and shown as 回避 to 刘洋,
    # so 乡贤村 stays 第 6 站 on his tablet as on everyone else's.
    stops = page.locator(".stop")
    await expect(stops).to_have_count(8)
    assert await stops.evaluate_all("els => els.map(e => e.dataset.village)") == [
        "V01",
        "V02",
        "V03",
        "V04",
        "V05",
        "V06",
        "V07",
        "V08",
    ]
    await expect(page.locator(".stop-no")).to_have_text([f"第 {n} 站" for n in range(1, 9)])
    await expect(page.locator(".stop-name")).to_have_text(
        ["青山村", "港边村", "银滩村", "和睦村", "巧巧村", "乡贤村", "桥头村", "红岩村"]
    )
    recused = page.locator('.stop[data-village="V05"]')
    await expect(recused.locator(".stop-head")).to_contain_text("第 5 站")
    await expect(recused.locator(".recused-mark")).to_have_text("— 回避")
    await expect(recused.locator(".paper-row")).to_have_count(0)
    await expect(page.locator(".view-title")).to_have_text("今日拉练路线（共 8 站，您评 7 站）")
    await expect(page.locator("#judge-name")).to_have_text("评委：刘洋")
    await page.screenshot(path=str(screenshots_dir / f"judge-route-{size}.png"))

    await page.locator('.stop[data-village="V02"] .paper-row[data-paper="demonstration"]').tap()
    await expect(page.locator(".item-name")).to_have_text(
        ["港边、路边、屋边美化 满分 20 分", "长效管护机制 满分 10 分"]
    )
    t1 = page.locator('.item[data-item="t1"]')
    await t1.locator(".score-input").fill("16.5")
    await t1.locator(".minus").tap()
    await expect(t1.locator(".score-input")).to_have_value("16")
    await page.locator('.item[data-item="t2"] .score-input').fill("12")
    await expect(page.locator('.item[data-item="t2"] .item-error')).to_have_text(
        "超出范围：本项满分 10 分，请输入 0～10 之间的分数"
    )
    await expect(page.locator('.tab[aria-current="page"] .chip')).to_have_text("本机已保存")
    await expect(page.locator("#running-total")).to_contain_text("合计 16 / 30 分")
    await page.screenshot(path=str(screenshots_dir / f"judge-sheet-{size}.png"), full_page=True)
    await page.locator('.item[data-item="t2"] .score-input').fill("8")
    await page.locator("#comment").fill("长效管护有制度、有队伍、有经费，建议推广。")
    await page.locator("#to-check").tap()
    await expect(page.locator("#check-total")).to_have_text("24")
    await page.screenshot(path=str(screenshots_dir / f"judge-check-{size}.png"), full_page=True)
    assert hosts(urls) == [server.url.removeprefix("http://")]
    await context.close()


async def test_locked_round_makes_sheets_read_only(
    server: Server,
    client: httpx.AsyncClient,
    organiser_token: str,
    new_context: Any,
    screenshots_dir: Path,
) -> None:
    created = await create_round(client, organiser_token)
    async with judge_client(server, created, "J2") as judge:
        body = sheet_body(
            "V01", "shared", {"org": 8, "eco": 9, "build": 7, "talent": 5, "gov": 5}, "locked-1"
        )
        r = await judge.post(
            f"/api/v1/rounds/{created['id']}/sheets", json=body, headers={"X-Arena-Request": "1"}
        )
        assert r.status_code == 201
    r = await client.post(f"/api/v1/rounds/{created['id']}/lock", headers=bearer(organiser_token))
    assert r.status_code == 200
    context: BrowserContext = await new_context(viewport=TABLET, has_touch=True, locale="zh-CN")
    page = await context.new_page()
    await page.goto(judge_link(created, "J2") + "#v/V01/shared")
    await expect(page.locator("body")).to_have_attribute("data-app", "ready")
    await expect(page.locator("#round-status")).to_have_text("已锁定")
    await expect(page.locator(".notice.locked")).to_have_text(
        "本轮评分已锁定，分数只能查看，不能修改。"
    )
    await expect(page.locator('.item[data-item="org"] .score-input')).to_have_value("8")
    await expect(page.locator('.item[data-item="org"] .score-input')).to_be_disabled()
    await expect(page.locator("#to-check")).to_have_count(0)
    await page.screenshot(path=str(screenshots_dir / "judge-locked-tablet.png"))
    await context.close()


async def test_organiser_pages(
    server: Server,
    client: httpx.AsyncClient,
    organiser_token: str,
    new_context: Any,
    screenshots_dir: Path,
) -> None:
    created = await create_round(client, organiser_token)
    rid = created["id"]
    context: BrowserContext = await new_context(
        viewport={"width": 1366, "height": 900},
        locale="zh-CN",
        extra_http_headers=bearer(organiser_token),
    )
    urls: list[str] = []
    page = record(await context.new_page(), urls)
    await page.goto(f"{server.url}/admin/rounds/{rid}/progress")
    await expect(page.locator("#expected")).to_have_text("110")
    await expect(page.locator("#received")).to_have_text("0")
    await expect(page.locator('tr[data-judge="J4"] td[data-village="V05"]')).to_have_text("回避")
    async with judge_client(server, created, "J1") as judge:
        body = sheet_body(
            "V01", "shared", {"org": 8, "eco": 9, "build": 7, "talent": 5, "gov": 5}, "board-1"
        )
        r = await judge.post(
            f"/api/v1/rounds/{rid}/sheets", json=body, headers={"X-Arena-Request": "1"}
        )
        assert r.status_code == 201
    # The board polls by itself: no reload.
    await expect(page.locator("#received")).to_have_text("1")
    await expect(page.locator('tr[data-judge="J1"] td[data-village="V01"]')).to_have_attribute(
        "data-state", "1/2"
    )
    await expect(page.locator("#updated")).to_have_text(re.compile(r"^\d{2}:\d{2}:\d{2}$"))
    await page.screenshot(path=str(screenshots_dir / "admin-progress.png"), full_page=True)

    await page.goto(f"{server.url}/admin/rounds/{rid}/cards")
    await expect(page.locator(".card svg")).to_have_count(7)
    await page.screenshot(path=str(screenshots_dir / "admin-cards.png"), full_page=True)
    await page.emulate_media(media="print")
    await page.screenshot(path=str(screenshots_dir / "admin-cards-print.png"), full_page=True)
    await page.emulate_media(media="screen")

    await page.goto(f"{server.url}/admin/rounds/{rid}/links")
    messages: list[str] = []

    async def accept(dialog: Dialog) -> None:
        messages.append(dialog.message)
        await dialog.accept()

    page.on("dialog", accept)
    row = page.locator('tr[data-role="judge"][data-code="J3"]')
    old = created["judges"][2]["url"]
    await expect(row.locator(".link-url")).to_have_text(old)
    await row.locator(".reissue").click()
    await expect(row.locator(".link-note")).to_have_text(
        "已更换：上面是新链接，旧链接已失效。评委卡需要重新打印。"
    )
    new = await row.locator(".link-url").text_content()
    assert new is not None and new.startswith(f"{server.url}/j/") and new != old
    assert messages == [
        "确定要更换「张强」的链接吗？\n旧链接和用旧链接登录的设备将立即失效，需要把新链接发给本人。"
    ]
    await page.screenshot(path=str(screenshots_dir / "admin-links.png"))
    assert hosts(urls) == [server.url.removeprefix("http://")]
    await context.close()


async def test_editing_a_submitted_sheet_sends_a_new_version(
    server: Server, client: httpx.AsyncClient, organiser_token: str, new_context: Any
) -> None:
    created = await create_round(client, organiser_token)
    context: BrowserContext = await new_context(viewport=TABLET, has_touch=True, locale="zh-CN")
    page = await context.new_page()
    await page.goto(judge_link(created, "J5") + "#v/V03/demonstration")
    await expect(page.locator("body")).to_have_attribute("data-app", "ready")
    await page.locator('.item[data-item="t1"] .score-input').fill("15")
    await page.locator('.item[data-item="t2"] .score-input').fill("10")
    await page.locator("#to-check").tap()
    await page.locator("#submit").tap()
    await expect(page.locator("#confirm-line")).to_have_text("已提交 银滩村 示范目标 25 分")
    await page.locator("#to-route").tap()
    paper = page.locator('.stop[data-village="V03"] .paper-row[data-paper="demonstration"]')
    await expect(paper.locator(".chip")).to_have_text("已提交")
    await paper.tap()
    await page.locator('.item[data-item="t2"] .plus').tap()
    await expect(page.locator('.tab[aria-current="page"] .chip')).to_have_text(
        "本机已保存（修改未提交）"
    )
    await page.locator("#to-check").tap()
    await expect(page.locator("#check-total")).to_have_text("25.5")
    await page.locator("#submit").tap()
    await expect(page.locator("#confirm-line")).to_have_text("已提交 银滩村 示范目标 25.5 分")
    await page.locator("#to-route").tap()
    await expect(paper.locator(".chip")).to_have_text("已提交")
    judge = await Judge.get(round_id=created["id"], code="J5")
    sheets = await Sheet.filter(judge_id=judge.id).order_by("version")
    assert [(s.version, s.current, s.items, str(s.total)) for s in sheets] == [
        (1, False, {"t1": "15", "t2": "10"}, "25.00"),
        (2, True, {"t1": "15", "t2": "10.5"}, "25.50"),
    ]
    await context.close()
