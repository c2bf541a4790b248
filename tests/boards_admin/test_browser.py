"""Creating an index board by form in Chromium (1366×768 and 1024×768): an inline problem seen
and fixed, villages pasted from Excel, the board created exactly; then deleted from the list."""

from __future__ import annotations

import io
from typing import Any

import httpx
import openpyxl
import pytest
from playwright.async_api import Page, expect

from arena.models import Board, BoardIndicator, BoardVillage
from tests.boards.helpers import unique_scope
from tests.browser.dialogs import noting
from tests.browser.helpers import organiser_page
from tests.conftest import SCREENSHOTS, Server, bearer

pytestmark = pytest.mark.browser

SHOTS = SCREENSHOTS / "boards-contests"
SIZES = {"1366x768": (1366, 768), "1024x768": (1024, 768)}
WAIT = 15000
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


async def fill_board(page: Page, scope: str, label: str, shots: str | None) -> None:
    form = page.locator("#definition-form")
    await form.locator("[name='name']").fill(f"{scope}强村富民指数榜")
    await form.locator("[name='scope.name']").fill(scope)
    period = form.locator("[name='period.label']")
    await period.fill("2025年")
    error = form.locator("[data-error-for='period.label']")
    await expect(error).to_have_text("期次“2025年”格式不对，应形如“2025”", timeout=WAIT)
    await expect(period).to_have_attribute("aria-invalid", "true", timeout=WAIT)
    summary = page.locator("#problems")
    await expect(summary).to_contain_text("期次：期次“2025年”格式不对", timeout=WAIT)
    if shots:
        await page.screenshot(path=SHOTS / f"board-new-error-{shots}.png")
    await period.fill(label)
    await expect(error).to_be_hidden(timeout=WAIT)
    row = form.locator("[data-list=indicators] tbody tr").nth(0)
    await row.locator("[name$='.code']").fill("income")
    await row.locator("[name$='.name']").fill("村集体经营性收入")
    await row.locator("[name$='.unit']").fill("万元")
    await row.locator("[name$='.weight']").fill("0")
    weight_error = row.locator("[data-error-for='indicators[0].weight']")
    await expect(weight_error).to_have_text("权重必须大于 0（现为 0）", timeout=WAIT)
    await row.locator("[name$='.weight']").fill("70")
    await expect(weight_error).to_be_hidden(timeout=WAIT)
    await form.locator("[data-list=indicators] .add-row").click()
    row = form.locator("[data-list=indicators] tbody tr").nth(1)
    await row.locator("[name='indicators[1].code']").fill("debt")
    await row.locator("[name='indicators[1].name']").fill("村级负债率")
    await row.locator("[name='indicators[1].unit']").fill("%")
    await row.locator("[name='indicators[1].direction']").select_option("lower")
    await row.locator("[name='indicators[1].weight']").fill("30")
    villages = form.locator("[data-list=villages]")
    await villages.locator(".paste-open").click()
    await villages.locator(".paste-text").fill(
        "V1\t鲤鱼村\t溪口镇\t\t4\nV2\t龙潭村\t竹源乡\t\t3\nV3\t东岙村\t竹源乡\t\t0\n"
    )
    await villages.locator(".paste-apply").click()
    await expect(villages.locator("tbody tr")).to_have_count(3)
    await expect(villages.locator("[data-count-for]")).to_have_text("共 3 行")
    await expect(summary).to_contain_text("检查通过，可以创建。", timeout=WAIT)


async def test_create_a_board_by_form_then_delete_it(server: Server, new_context: Any) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    outside: list[str] = []
    for label, size in SIZES.items():
        page = await organiser_page(new_context, server, size, outside)
        await page.goto(f"{server.url}/admin/boards")
        await page.get_by_role("link", name="＋ 新建指数榜").click()
        await expect(page).to_have_url(f"{server.url}/admin/boards/new")
        # submitting an empty form shows every problem at once, beside each field and in a list
        await page.get_by_role("button", name="创建指数榜").click()
        await expect(page.locator("#problems .problems-title")).to_have_text(
            "还有 7 处需要填写或修改（全部改好才会创建）：", timeout=WAIT
        )  # name, scope name, period label; the first indicator's code, name, weight (its
        # direction is chosen already); 至少需要一个村 (a wholly blank row is no village): 3+3+1
        await expect(page.locator("[data-error-for='name']")).to_have_text("缺少此项")
        await page.screenshot(path=SHOTS / f"board-new-empty-{label}.png")
        scope = unique_scope()
        await fill_board(page, scope, "2025", label)
        await page.screenshot(path=SHOTS / f"board-new-filled-{label}.png", full_page=True)
        await page.get_by_role("button", name="创建指数榜").click()
        await expect(page.locator("h1")).to_have_text(f"{scope}强村富民指数榜", timeout=WAIT)
        board = await Board.get(scope_name=scope)
        assert page.url == f"{server.url}/admin/boards/{board.id}"
        assert await BoardIndicator.filter(board_id=board.id).order_by("position").values_list(
            "code", "unit", "direction", "weight"
        ) == [("income", "万元", "higher", 70.0), ("debt", "%", "lower", 30.0)]
        assert await BoardVillage.filter(board_id=board.id).order_by("position").values_list(
            "code", "name", "township", "county", "cadres"
        ) == [
            ("V1", "鲤鱼村", "溪口镇", scope, 4),
            ("V2", "龙潭村", "竹源乡", scope, 3),
            ("V3", "东岙村", "竹源乡", scope, 0),
        ]
        # no values imported yet: the board's page and the list offer 删除, naming the board
        asked: list[str] = []
        page.once("dialog", noting(asked))
        if label == "1366x768":
            await page.get_by_role("button", name="删除此榜").click()
            await expect(page).to_have_url(f"{server.url}/admin/boards", timeout=WAIT)
            await expect(page.locator(f"tr[data-board='{board.id}']")).to_have_count(0)
        else:
            await page.goto(f"{server.url}/admin/boards")
            row = page.locator(f"tr[data-board='{board.id}']")
            await expect(row.get_by_role("button", name="删除")).to_be_visible()
            await page.screenshot(path=SHOTS / f"board-list-{label}.png", full_page=True)
            await row.get_by_role("button", name="删除").click()
            await expect(row).to_have_count(0, timeout=WAIT)
        assert asked == [f"确定删除指数榜「{scope}强村富民指数榜」吗？\n删除后不可恢复。"]
        assert not await Board.exists(id=board.id)
        await page.context.close()
    assert outside == []


async def test_a_bad_workbook_is_listed_by_sheet_row_and_column_in_the_page(
    server: Server, client: httpx.AsyncClient, organiser_token: str, new_context: Any
) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    r = await client.get("/admin/boards/template.xlsx", headers=bearer(organiser_token))
    book = openpyxl.load_workbook(io.BytesIO(r.content))
    book["指标"].append(["debt", "村级负债率", "%", "越小越好", 0])  # row 3
    book["村庄"].append(["QX001", "龙潭村", None, None, 3])  # row 3
    out = io.BytesIO()
    book.save(out)
    before = await Board.all().count()
    outside: list[str] = []
    page = await organiser_page(new_context, server, SIZES["1024x768"], outside)
    await page.goto(f"{server.url}/admin/boards/new")
    await page.set_input_files("#workbook-form input[type=file]", files=[
        {"name": "指数榜.xlsx", "mimeType": XLSX, "buffer": out.getvalue()}
    ])  # fmt: skip
    await page.get_by_role("button", name="上传并创建").click()
    rows = page.locator("#workbook-problems tbody tr")
    await expect(rows).to_have_count(4, timeout=WAIT)
    texts = [await rows.nth(i).locator("td").all_text_contents() for i in range(4)]
    assert sorted(texts) == sorted([
        ["指标", "第 3 行", "方向", "应为 “越高越好”、“越低越好” 之一，而不是“越小越好”"],
        ["指标", "第 3 行", "权重", "权重必须大于 0（现为 0）"],
        ["村庄", "第 3 行", "村代码", "村代码“QX001”重复（villages[0] 已使用）"],
        ["村庄", "第 3 行", "乡镇", "缺少此项"],
    ])  # fmt: skip
    await expect(page.locator("#workbook-result .error-message")).to_have_text(
        "工作簿有 4 处问题，未创建任何内容。请在 Excel 中改好后重新上传："
    )
    await page.locator("#by-workbook").screenshot(path=SHOTS / "board-workbook-errors-1024x768.png")
    assert await Board.all().count() == before
    await page.context.close()
    assert outside == []
