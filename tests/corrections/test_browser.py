"""The correction pages in Chromium at 1366×768 and 1024×768: deduction and satisfaction by form,
a voided sheet and a 代录 one, the checks, lock and publish with the problems named."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.async_api import Page, expect

from arena.models import Deduction
from tests.browser.helpers import organiser_page
from tests.conftest import Server
from tests.corrections.helpers import row, scored_round

pytestmark = pytest.mark.browser
WAIT = 15000
SIZES = {"1366x768": (1366, 768), "1024x768": (1024, 768)}


async def shot(page: Page, dirs: Path, label: str, name: str) -> None:
    width = await page.evaluate("document.documentElement.scrollWidth")
    assert width <= int(label.split("x")[0]), name  # nothing runs off the side
    if label == "1024x768":
        await page.screenshot(path=str(dirs / f"corrections-{name}-{label}.png"), full_page=True)


@pytest.mark.parametrize("label", list(SIZES))
async def test_correct_check_and_lock(
    server: Server, client: httpx.AsyncClient, organiser_token: str, new_context: Any,
    screenshots_dir: Path, label: str,
) -> None:  # fmt: skip
    created = await scored_round(client, organiser_token)
    rid = created["id"]
    outside: list[str] = []
    page = await organiser_page(new_context, server, SIZES[label], outside)
    page.set_default_timeout(WAIT)

    # 扣分项: every problem beside its field, then one deduction for a double click
    await page.goto(f"{server.url}/admin/rounds/{rid}/deductions")
    totals = page.locator('#ded-totals tr[data-village="A"] .total')
    await expect(totals).to_have_text("49.97", timeout=WAIT)
    await page.locator("#ded-submit").click()
    form = page.locator("#ded-form")
    await expect(form.locator('[data-field="village"] .field-error')).to_have_text("请选择试点村")
    await expect(form.locator('[data-field="item"] .field-error')).to_have_text("请选择扣分项")
    await expect(form.locator('[data-field="points"] .field-error')).to_have_text("请填写扣分")
    await expect(form.locator('[data-field="reason"] .field-error')).to_have_text("请写明扣分原因")
    await page.select_option("#ded-village", "A")
    await page.select_option("#ded-item", "f")
    await page.fill("#ded-points", "6")
    await expect(form.locator('[data-field="points"] .field-error')).to_have_text(
        "该项最多扣 5.00 分"
    )
    await page.fill("#ded-points", "2")
    await expect(form.locator('[data-field="points"] .field-error')).to_have_text("")
    await page.fill("#ded-reason", "村口垃圾集中点清运不及时")
    await page.fill("#ded-evidence", "现场照片 IMG_0412")
    # 49.97 − 2 = 47.97
    await expect(page.locator("#ded-effect")).to_contain_text("总分约为 47.97")
    await page.locator("#ded-submit").dblclick()
    await expect(page.locator("#flash")).to_contain_text("已保存：A村 形式主义 扣 2.00 分")
    await expect(totals).to_have_text("47.97")
    await expect(page.locator("#ded-list tbody tr")).to_have_count(1)
    assert await Deduction.filter(round_id=rid).count() == 1
    await shot(page, screenshots_dir, label, "deductions")
    # withdraw it, with a reason
    await page.locator("#ded-list [data-withdraw]").click()
    await page.get_by_role("button", name="确认撤销").click()
    await expect(page.locator("#ded-list .inline-form .field-error")).to_have_text("请写明撤销原因")
    await page.get_by_label("撤销原因").fill("复核：检查前已清运")
    await page.get_by_role("button", name="确认撤销").click()
    await expect(page.locator("#ded-list tr.withdrawn .tag")).to_have_text("已撤销")
    await expect(totals).to_have_text("49.97")  # back to 49.97
    await shot(page, screenshots_dir, label, "deductions-withdrawn")

    # 满意度: the arithmetic as typed, then the figure; C stays 未录入
    tabs = page.get_by_role("navigation", name="更正与检查")
    await tabs.get_by_role("link", name="满意度", exact=True).click()
    await expect(page.locator('#sat-list tr[data-village="C"] .score')).to_have_text("未录入")
    await page.select_option("#sat-village", "B")
    for answer, n in (("满意", "120"), ("比较满意", "50"), ("基本满意", "20"), ("不满意", "10")):
        await page.locator(f'input[data-answer="{answer}"]').fill(n)
    await expect(page.locator("#sat-preview")).to_have_text(
        "得分 = 30 × (120×1.0 + 50×0.8 + 20×0.6 + 10×0) / 200 = 30 × 172 / 200 = 25.80"
    )
    await page.locator('input[data-answer="不满意"]').fill("x")
    await expect(page.locator('[data-field="counts.不满意"] .field-error')).to_have_text(
        "人数须为不小于 0 的整数"
    )
    await page.locator('input[data-answer="不满意"]').fill("10")
    await page.locator("#sat-submit").click()
    await expect(page.locator('#sat-list tr[data-village="B"] .score')).to_have_text("25.80")
    assert (await row(client, organiser_token, rid, "B"))["satisfaction"] == 25.8
    await shot(page, screenshots_dir, label, "satisfaction")

    # 评分表: void J1's shared sheet of A, then enter J1's paper sheet as 代录
    await (
        page.get_by_role("navigation", name="更正与检查").get_by_role("link", name="评分表").click()
    )
    await page.select_option("#sh-village", "A")
    await page.select_option("#sh-judge", "J1")
    line = page.locator('#sh-list tr[data-village="A"][data-judge="J1"][data-paper="shared"]')
    await line.get_by_role("button", name="作废…").click()
    await page.locator("#sh-void button[type=submit]").click()
    await expect(page.locator('#sh-void [data-field="reason"] .field-error')).to_have_text(
        "请写明作废原因"
    )
    await page.locator("#sh-void textarea").fill("评委误将B村的分数录在A村")
    await page.locator("#sh-void button[type=submit]").click()
    await expect(line).to_have_attribute("data-state", "voided")
    a = await row(client, organiser_token, rid, "A")
    # shared without J1's 15: 17, 14, 19, 16 → 66 / 4 = 16.50; 16.50 + 8.17 + 25.80 = 50.47
    assert (a["total"], a["provisional"]) == (50.47, True)
    await shot(page, screenshots_dir, label, "sheets-voided")
    await line.get_by_role("button", name="代录…").click()
    await page.locator('#sh-proxy input[data-item="a"]').fill("8")
    await page.locator('#sh-proxy input[data-item="b"]').fill("11")
    await expect(page.locator('#sh-proxy [data-field="items.b"] .field-error')).to_have_text(
        "不能超过满分 10.00"
    )
    await page.locator('#sh-proxy input[data-item="b"]').fill("7")
    await expect(page.locator("#sh-proxy-total")).to_have_text(
        "合计 15.00 / 20.00 分（已填 2/2 项）"
    )
    await page.locator('#sh-proxy textarea[name="reason"]').fill("按评委签字的纸质评分表代录")
    if label == "1024x768":
        await page.screenshot(path=str(screenshots_dir / f"corrections-proxy-{label}.png"))
    await page.locator("#sh-proxy button[type=submit]").click()
    await expect(line).to_have_attribute("data-state", "in")
    await expect(line.locator(".tag.proxy")).to_have_text("代录")
    # J1's 15 again, as 代录: back to 49.97
    assert (await row(client, organiser_token, rid, "A"))["total"] == 49.97

    # 检查: problems named; lock only after ticking 仍要锁定
    await (
        page.get_by_role("navigation", name="更正与检查")
        .get_by_role("link", name="锁定与发布前检查")
        .click()
    )
    group = page.locator('[data-check="satisfaction_missing"]')
    await expect(group.locator("li")).to_have_text(["C村：满意度未录入"])
    await expect(page.locator('[data-check="sheets_missing"] h2 .count')).to_have_text(" 18")
    await shot(page, screenshots_dir, label, "checks")
    await page.locator("#ck-lock").click()
    confirm = page.locator("#ck-confirm")
    await expect(confirm.locator("h3")).to_have_text("还有以下问题未处理，确认仍要锁定？")
    await expect(confirm).to_contain_text("评分表未交 18 份")
    await expect(confirm).to_contain_text("满意度未录入 1 个村")
    await expect(page.locator("#ck-go")).to_be_disabled()
    await page.locator("#ck-anyway").check()
    if label == "1024x768":
        await page.screenshot(path=str(screenshots_dir / f"corrections-lock-confirm-{label}.png"))
    await page.locator("#ck-go").click()
    await expect(page.locator("#round-status")).to_have_text("已锁定")
    await expect(page.locator("#ck-publish")).to_be_enabled()
    await page.locator("#ck-publish").click()
    await expect(confirm.locator("h3")).to_have_text("还有以下问题未处理，确认仍要发布？")
    await expect(page.locator("#ck-go")).to_be_disabled()
    await page.locator("#ck-cancel").click()
    await expect(confirm).to_be_hidden()
    # locked: the pages say so and refuse changes
    await page.goto(f"{server.url}/admin/rounds/{rid}/deductions")
    await expect(page.locator("#ded-submit")).to_be_disabled()
    await expect(page.locator("#locked-note")).to_be_visible()
    await page.context.close()
    assert outside == []


async def test_publish_from_the_checks_page(
    server: Server, client: httpx.AsyncClient, organiser_token: str, new_context: Any,
    screenshots_dir: Path,
) -> None:  # fmt: skip
    created = await scored_round(client, organiser_token)
    rid = created["id"]
    outside: list[str] = []
    page = await organiser_page(new_context, server, SIZES["1024x768"], outside)
    page.set_default_timeout(WAIT)
    await page.goto(f"{server.url}/admin/rounds/{rid}/checks")
    # 18 sheets missing (B 10, C 8) + 2 villages 未录入 + 2 provisional = 22
    await expect(page.locator("#ck-summary")).to_contain_text("共 22 处")
    for action, status in (("lock", "已锁定"), ("publish", "已发布")):
        await page.locator(f"#ck-{action}").click()
        await expect(page.locator("#ck-go")).to_be_disabled()
        await page.locator("#ck-anyway").check()
        await page.locator("#ck-go").click()
        await expect(page.locator("#round-status")).to_have_text(status)
    await expect(page.locator("#ck-lock")).to_be_disabled()
    await expect(page.locator("#ck-publish")).to_be_disabled()
    await page.screenshot(path=str(screenshots_dir / "corrections-published-1024x768.png"))
    await page.context.close()
    assert outside == []


async def test_judge_tablet_shows_a_voided_sheet(
    server: Server, client: httpx.AsyncClient, organiser_token: str, new_context: Any,
    screenshots_dir: Path,
) -> None:  # fmt: skip
    from arena.models import Sheet
    from tests.conftest import bearer
    from tests.judges.helpers import TABLET, judge_link

    created = await scored_round(client, organiser_token)
    rid = created["id"]
    context = await new_context(viewport=TABLET, locale="zh-CN")
    page = await context.new_page()
    await page.goto(judge_link(created, "J1"))
    await expect(page.locator("body")).to_have_attribute("data-app", "ready", timeout=WAIT)
    stop = page.locator('li.stop[data-village="A"]')
    chip = stop.locator('[data-paper="shared"] .chip')
    await expect(chip).to_have_text("已提交", timeout=WAIT)
    sheet = await Sheet.get(
        round_id=rid, village__code="A", judge__code="J1", paper="shared", current=True
    )
    r = await client.post(
        f"/api/v1/rounds/{rid}/sheets/{sheet.id}/void",
        headers=bearer(organiser_token),
        json={"reason": "分数录错", "idempotency_key": "tablet-void"},
    )
    assert r.status_code == 201
    await page.reload()
    await expect(chip).to_have_text("已被组织部作废，请重新评分并提交", timeout=WAIT)
    await expect(stop.locator('[data-paper="demonstration"] .chip')).to_have_text("已提交")
    await page.screenshot(path=str(screenshots_dir / "corrections-judge-voided-1024x768.png"))
    await context.close()
    # the organiser's progress board marks the cell 作废 and lists it as owed
    outside: list[str] = []
    board = await organiser_page(new_context, server, SIZES["1024x768"], outside)
    await board.goto(f"{server.url}/admin/rounds/{rid}/progress")
    cell = board.locator('tr[data-judge="J1"] td[data-village="A"]')
    await expect(cell.locator(".p.voided")).to_have_text("作废", timeout=WAIT)
    await expect(board.locator("#missing")).to_contain_text("A村（已作废待重交）")
    await board.screenshot(path=str(screenshots_dir / "corrections-progress-1024x768.png"))
    await board.context.close()
    assert outside == []
