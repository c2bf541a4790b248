"""Setting a round up in Chromium: by the form (an inline error seen and fixed) and by Excel."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import httpx
import pytest
from openpyxl import load_workbook
from playwright.async_api import Page, expect

from arena.models import Judge, Recusal, Round, Target, Village
from tests.api.helpers import new_campaign, post_sheet, small_definition, tokens
from tests.browser.helpers import organiser_page
from tests.conftest import SCREENSHOTS, Server, bearer

pytestmark = pytest.mark.browser

SIZES = {"1366x768": (1366, 768), "1024x768": (1024, 768)}
SHOTS = SCREENSHOTS / "setup"
T = 15000  # generous: the machine is shared


def shot(name: str) -> str:
    SHOTS.mkdir(parents=True, exist_ok=True)
    return str(SHOTS / name)


async def _fill_row(page: Page, prefix: str, values: dict[str, str]) -> None:
    for field, value in values.items():
        await page.locator(f'[data-field="{prefix}.{field}"]').fill(value)


@pytest.mark.parametrize("size", list(SIZES))
async def test_create_a_round_by_the_form(
    server: Server, new_context: Any, screenshots_dir: Path, size: str
) -> None:
    outside: list[str] = []
    page = await organiser_page(new_context, server, SIZES[size], outside)
    await page.goto(f"{server.url}/admin")
    await page.get_by_role("link", name="新建评比").click()
    await expect(page).to_have_url(f"{server.url}/admin/rounds/new")
    campaign = new_campaign()
    name = f"表单建立的拉练 {size}"
    await page.locator('[data-field="campaign"]').fill(campaign)
    await page.locator('[data-field="name"]').fill(name)
    await page.locator('[data-field="date"]').fill("2026-03-18")
    villages = [("青山村", "东港镇"), ("港边村", "东港镇")]
    for i, (village, township) in enumerate(villages):
        await page.get_by_role("button", name="＋ 添加村").click()
        await _fill_row(
            page, f"villages[{i}]", {"name": village, "township": township, "county": "滨海区"}
        )
    for i, (judge, unit) in enumerate(
        [("王建国", "县委组织部"), ("李红梅", "农业农村局"), ("张伟", "东港镇")]
    ):
        await page.get_by_role("button", name="＋ 添加评委").click()
        await _fill_row(page, f"judges[{i}]", {"name": judge, "unit": unit})
    for i in range(2):
        await (
            page.locator(f'[data-targets="{i}"]')
            .get_by_role("button", name="＋ 添加示范目标")
            .click()
        )
        await _fill_row(page, f"villages[{i}].targets[0]", {"name": f"示范项目{i + 1}"})
    await page.locator('[data-field="villages[0].targets[0].max"]').fill("30")
    # a typing slip: the letter O for a zero is named beside the field and in the list on top
    await page.locator('[data-field="villages[1].targets[0].max"]').fill("3O")
    slip = (
        page.locator('[data-field="villages[1].targets[0].max"]')
        .locator("xpath=..")
        .locator(".field-error")
    )
    await expect(slip).to_have_text("必须是数字", timeout=T)
    await expect(page.locator("#problem-list")).to_contain_text(
        "示范目标 · 港边村 第 1 项（满分）：必须是数字"
    )
    await expect(page.locator('[data-field="villages[1].targets[0].max"]')).to_have_class(
        "bad", timeout=T
    )
    await page.screenshot(path=shot(f"new-round-form-error-{size}.png"))
    await page.locator('[data-field="villages[1].targets[0].max"]').fill("30")
    await expect(page.locator("#summary")).to_be_hidden(timeout=T)
    await expect(slip).to_have_text("")
    await expect(page.locator("#status-line")).to_have_text("检查通过，可以建立。", timeout=T)
    await page.get_by_label("李红梅 回避 港边村").check()
    width = await page.evaluate("document.documentElement.scrollWidth")
    assert width <= SIZES[size][0]  # nothing runs off the side
    await page.screenshot(path=shot(f"new-round-form-{size}.png"), full_page=True)
    await page.get_by_role("button", name="建立评比", exact=True).click()
    await expect(page).to_have_url(re.compile(r"/admin/rounds/\d+\?created=1$"), timeout=T)
    await expect(page.locator("h1")).to_contain_text(name)
    rid = int(page.url.split("/admin/rounds/")[1].split("?")[0])
    row = await Round.get(id=rid).select_related("campaign")
    assert row.campaign.name == campaign and row.date.isoformat() == "2026-03-18"
    assert await Village.filter(round_id=rid).order_by("position").values_list("code", "name") == [
        ("V01", "青山村"), ("V02", "港边村"),
    ]  # fmt: skip
    assert await Judge.filter(round_id=rid).order_by("position").values_list("name", "unit") == [
        ("王建国", "县委组织部"), ("李红梅", "农业农村局"), ("张伟", "东港镇"),
    ]  # fmt: skip
    assert await Target.filter(village__round_id=rid).count() == 2
    assert await Recusal.filter(judge__round_id=rid).values_list(
        "judge__name", "village__name"
    ) == [("李红梅", "港边村")]
    # the round's home: 3 judges, one recused from 港边村: (3 + 2) pairs × 2 papers = 10 sheets
    await expect(page.locator("#progress-title")).to_contain_text("0 / 10")
    await page.screenshot(path=shot(f"round-home-{size}.png"), full_page=True)
    await page.screenshot(path=str(screenshots_dir / f"round-home-{size}.png"))
    width = await page.evaluate("document.documentElement.scrollWidth")
    assert width <= SIZES[size][0]
    # the audit chain is checked from the page
    await page.get_by_role("button", name="核验审计链").click()
    await expect(page.locator("#audit-result")).to_contain_text("审计链完好", timeout=T)
    # the shared navigation leads to the round's pages and back
    await page.locator(".anav").get_by_role("link", name="进度").click()
    await expect(page).to_have_url(f"{server.url}/admin/rounds/{rid}/progress")
    await page.locator(".anav-round-name").click()
    await expect(page).to_have_url(f"{server.url}/admin/rounds/{rid}")
    # home: the round under its campaign, with 复制上一轮 copying it
    await page.locator(".anav").get_by_role("link", name="首页").click()
    group = page.locator(f'section.campaign[data-campaign="{campaign}"]')
    await expect(group.locator(f'section.round[data-round="{rid}"]')).to_be_visible()
    await group.get_by_role("link", name="复制上一轮").click()
    await expect(page).to_have_url(f"{server.url}/admin/rounds/{rid}/copy")
    await expect(page.locator('[data-field="villages[1].name"]')).to_have_value("港边村")
    await expect(page.locator('[data-field="name"]')).to_have_value("")
    await page.goto(f"{server.url}/admin")
    await page.screenshot(path=shot(f"admin-home-{size}.png"))
    await page.context.close()
    assert outside == []


async def test_create_a_round_from_the_template_workbook(
    server: Server, new_context: Any, tmp_path: Path
) -> None:
    outside: list[str] = []
    page = await organiser_page(new_context, server, SIZES["1024x768"], outside)
    await page.goto(f"{server.url}/admin/rounds/new")
    async with page.expect_download() as download:
        await page.get_by_role("link", name="下载 Excel 模板").click()
    got = await download.value
    assert got.suggested_filename == "round-template.xlsx"
    wb = load_workbook(io.BytesIO(Path(await got.path()).read_bytes()))
    campaign = new_campaign()
    for row in wb["基本信息"].iter_rows(min_row=2):
        row[1].value = {"所属行动": campaign, "评比名称": "Excel 建立的拉练"}.get(
            row[0].value, row[1].value
        )
    bad = tmp_path / "bad.xlsx"
    wb["村庄路线"]["B3"] = None  # the second village loses its name
    wb.save(bad)
    await page.locator("#upload-file").set_input_files(bad)
    await page.get_by_role("button", name="上传并建立评比").click()
    await expect(page.locator("#upload-problems")).to_contain_text(
        "「村庄路线」第 3 行 B 列：必填，且必须是非空字符串", timeout=T
    )
    await expect(page.locator("#upload-status")).to_have_text("工作簿中有 1 处问题，未建立评比")
    await page.screenshot(path=shot("new-round-workbook-error-1024x768.png"))
    assert await Round.filter(campaign__name=campaign).count() == 0
    good = tmp_path / "good.xlsx"
    wb["村庄路线"]["B3"] = "港边村"
    wb.save(good)
    await page.locator("#upload-file").set_input_files(good)
    await page.get_by_role("button", name="上传并建立评比").click()
    await expect(page).to_have_url(re.compile(r"/admin/rounds/\d+\?created=1$"), timeout=T)
    await expect(page.locator("h1")).to_contain_text("Excel 建立的拉练")
    rid = int(page.url.split("/admin/rounds/")[1].split("?")[0])
    assert await Village.filter(round_id=rid).order_by("position").values_list(
        "name", flat=True
    ) == ["青山村", "港边村"]
    assert await Judge.filter(round_id=rid).order_by("position").values_list("name", flat=True) == [
        "王建国",
        "李红梅",
        "张伟",
    ]
    await page.context.close()
    assert outside == []


async def test_edit_after_scoring_keeps_what_counts_fixed(
    server: Server, client: httpx.AsyncClient, organiser_token: str, new_context: Any
) -> None:
    d = small_definition(new_campaign())
    created = (await client.post("/api/v1/rounds", json=d, headers=bearer(organiser_token))).json()
    rid = created["id"]
    await post_sheet(client, tokens(created)["J1"], rid, "A", "shared", {"a": 8, "b": 7})
    outside: list[str] = []
    page = await organiser_page(new_context, server, SIZES["1024x768"], outside)
    await page.goto(f"{server.url}/admin/rounds/{rid}/edit")
    await expect(page.locator("#locked-note")).to_contain_text("本轮已有评分", timeout=T)
    assert await page.locator('[data-field="papers.shared.items[0].max"]').is_disabled()
    assert await page.locator('[data-field="villages[0].code"]').is_disabled()
    assert await page.get_by_label("评委1号 回避 A村").is_disabled()  # J1 has scored A
    assert await page.get_by_label("评委2号 回避 B村").is_enabled()
    await page.locator('[data-field="villages[0].name"]').fill("A新村")
    await page.get_by_label("评委2号 回避 B村").check()
    await expect(page.locator("#summary")).to_contain_text("村 A 村名「A村」→「A新村」", timeout=T)
    await page.screenshot(path=shot("edit-after-scoring-1024x768.png"), full_page=True)
    await page.get_by_role("button", name="保存修改").click()
    await expect(page).to_have_url(f"{server.url}/admin/rounds/{rid}?saved=1", timeout=T)
    assert (await Village.get(round_id=rid, code="A")).name == "A新村"
    assert await Recusal.filter(judge__round_id=rid, judge__code="J2").values_list(
        "village__code", flat=True
    ) == ["B"]
    await page.context.close()
    assert outside == []
