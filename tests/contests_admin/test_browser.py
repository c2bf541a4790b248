"""Creating a contest by form in Chromium (1366×768 and 1024×768): the criteria that do not add
up to 100 are shown and fixed, the contest is created, a judge's link is replaced on the links
page, and the contest (no scores yet) is deleted from the list."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest
from playwright.async_api import Page, expect

from arena.models import AuditEvent, Contest, Contestant, ContestJudge
from tests.browser.dialogs import accept, noting
from tests.browser.helpers import organiser_page
from tests.conftest import SCREENSHOTS, Server, bearer

pytestmark = pytest.mark.browser

SHOTS = SCREENSHOTS / "boards-contests"
SIZES = {"1366x768": (1366, 768), "1024x768": (1024, 768)}
WAIT = 15000


async def fill_contest(page: Page, name: str, shots: str) -> None:
    form = page.locator("#definition-form")
    await form.locator("[name='name']").fill(name)
    await form.locator("[name='date']").fill("2025-12-18")
    await form.locator("[name='time_limit_seconds']").fill("480")
    people = form.locator("[data-list=contestants]")
    await expect(people.locator("[name='contestants[0].code']")).to_have_value("C01")
    for i, (who, post, unit) in enumerate(
        [("王建国", "镇党委书记", "溪口镇"), ("李秀英", "村党支部书记", "竹源乡龙潭村")]
    ):
        if i:
            await people.locator(".add-row").click()
        await expect(people.locator(f"[name='contestants[{i}].code']")).to_have_value(f"C0{i + 1}")
        await people.locator(f"[name='contestants[{i}].name']").fill(who)
        await people.locator(f"[name='contestants[{i}].post']").fill(post)
        await people.locator(f"[name='contestants[{i}].unit']").fill(unit)
    judges = form.locator("[data-list=judges]")
    for i, who in enumerate(["郑国平", "孙丽华", "钱卫东"]):
        if i:
            await judges.locator(".add-row").click()
        await expect(judges.locator(f"[name='judges[{i}].code']")).to_have_value(f"J{i + 1}")
        await judges.locator(f"[name='judges[{i}].name']").fill(who)
    criteria = form.locator("[data-list=criteria]")
    await criteria.locator("[name='criteria[0].code']").fill("results")
    await criteria.locator("[name='criteria[0].name']").fill("工作实绩")
    await criteria.locator("[name='criteria[0].max']").fill("60")
    await criteria.locator(".add-row").click()
    await criteria.locator("[name='criteria[1].code']").fill("delivery")
    await criteria.locator("[name='criteria[1].name']").fill("现场表现")
    await criteria.locator("[name='criteria[1].max']").fill("30")
    total = page.locator("[data-sum-of='criteria.max']")
    await expect(total).to_have_text("合计 90 分，应为 100 分")
    slot = criteria.locator("[data-error-for='criteria']")
    await expect(slot).to_have_text("评分标准分值合计 90 与满分 100 不一致", timeout=WAIT)
    # the default awards (1 + 2 + 3 places) outnumber the two contestants
    awards = form.locator("[data-error-for='awards']")
    await expect(page.locator("#problems")).to_contain_text(
        "奖项：奖项名额合计 6 超过选手人数 2", timeout=WAIT
    )
    await page.screenshot(path=SHOTS / f"contest-new-error-{shots}.png")
    await criteria.locator("[name='criteria[1].max']").fill("40")
    await expect(total).to_have_text("合计 100 分，应为 100 分")
    await expect(slot).to_be_hidden(timeout=WAIT)
    rows = form.locator("[data-list=awards] tbody tr")
    await rows.nth(2).get_by_role("button", name="删除").click()
    await rows.nth(1).locator("[name='awards[1].count']").fill("1")
    await expect(awards).to_be_hidden(timeout=WAIT)
    await expect(page.locator("#problems")).to_contain_text("检查通过，可以创建。", timeout=WAIT)


async def test_create_a_contest_by_form_replace_a_link_and_delete_it(
    server: Server, client: httpx.AsyncClient, organiser_token: str, new_context: Any
) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    outside: list[str] = []
    for label, size in SIZES.items():
        page = await organiser_page(new_context, server, size, outside)
        await page.goto(f"{server.url}/admin/contests")
        await page.get_by_role("link", name="＋ 新建擂台赛").click()
        await expect(page).to_have_url(f"{server.url}/admin/contests/new")
        name = f"书记擂台比武 {uuid.uuid4().hex[:6]}"
        await fill_contest(page, name, label)
        await page.screenshot(path=SHOTS / f"contest-new-filled-{label}.png", full_page=True)
        await page.get_by_role("button", name="创建擂台赛").click()
        await expect(page.locator("h1")).to_have_text(f"{name} · 个人链接与二维码", timeout=WAIT)
        contest = await Contest.get(name=name)
        assert page.url == f"{server.url}/admin/contests/{contest.id}/links"
        assert await Contestant.filter(contest_id=contest.id).order_by("position").values_list(
            "code", "name", "post", "unit"
        ) == [
            ("C01", "王建国", "镇党委书记", "溪口镇"),
            ("C02", "李秀英", "村党支部书记", "竹源乡龙潭村"),
        ]
        assert await ContestJudge.filter(contest_id=contest.id).order_by("position").values_list(
            "code", "name"
        ) == [("J1", "郑国平"), ("J2", "孙丽华"), ("J3", "钱卫东")]
        d = contest.definition
        assert [(c["code"], c["max"]) for c in d["criteria"]] == [("results", 60), ("delivery", 40)]
        assert d["awards"] == [{"name": "一等奖", "count": 1}, {"name": "二等奖", "count": 1}]

        # replace 孙丽华's link: the card shows a new link, the old one stops
        links = (await client.get(f"/api/v1/contests/{contest.id}/links",
                                  headers=bearer(organiser_token))).json()  # fmt: skip
        old = links["judges"][1]
        card = page.locator("article.card[data-role=judge][data-code=J2]")
        await expect(card.locator(".card-url")).to_have_text(old["url"])
        page.once("dialog", accept)
        await card.get_by_role("button", name="更换链接").click()
        await expect(card.locator(".link-note")).to_have_text(
            "已更换：上面是新链接和新二维码，旧链接已失效。请重新打印这张卡片。", timeout=WAIT
        )
        new_url = await card.locator(".card-url").text_content()
        assert new_url and new_url != old["url"] and "/j/" in new_url
        assert await card.locator(".card-qr svg").count() == 1
        refused = await client.get(f"/api/v1/contests/{contest.id}", headers=bearer(old["token"]))
        assert refused.status_code == 401
        assert (
            await AuditEvent.filter(action="link.reissue", subject=f"contest:{contest.id}").count()
            == 1
        )
        await page.screenshot(path=SHOTS / f"contest-links-{label}.png")

        # no scores yet: the list offers 删除, naming the contest
        await page.goto(f"{server.url}/admin/contests")
        row = page.locator(f"tr[data-contest='{contest.id}']")
        await expect(row).to_contain_text("未开始")
        if label == "1024x768":
            await page.screenshot(path=SHOTS / f"contest-list-{label}.png", full_page=True)
        asked: list[str] = []
        page.once("dialog", noting(asked))
        await row.get_by_role("button", name="删除").click()
        await expect(row).to_have_count(0, timeout=WAIT)
        assert asked == [f"确定删除擂台赛「{name}」吗？\n删除后不可恢复。"]
        assert not await Contest.exists(id=contest.id)
        await page.context.close()
    assert outside == []
