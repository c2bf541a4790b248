"""The results notice page: the heading form checked as you type, the document, print and PDF."""

from __future__ import annotations

import httpx
import pytest
from playwright.async_api import Browser, expect

from tests.api.helpers import new_campaign
from tests.api.test_standings import _scored_round
from tests.conftest import Server, bearer

pytestmark = pytest.mark.browser
WAIT = 15000


async def test_notice_heading_form_document_print_and_pdf(
    server: Server,
    client: httpx.AsyncClient,
    organiser_token: str,
    browser: Browser,
    screenshots_dir,
) -> None:  # type: ignore[no-untyped-def]
    created = await _scored_round(client, organiser_token, new_campaign())
    context = await browser.new_context(
        viewport={"width": 1024, "height": 768}, extra_http_headers=bearer(organiser_token)
    )
    page = await context.new_page()
    outside: list[str] = []
    errors: list[str] = []
    page.on("request", lambda r: None if r.url.startswith(server.url) else outside.append(r.url))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    url = f"{server.url}/admin/rounds/{created['id']}/notice"
    await page.goto(url)
    await expect(page.locator(".empty")).to_have_text("填好上面四项并保存后，这里显示通报全文。")
    assert await page.locator("#notice-pdf").count() == 0

    await page.get_by_role("button", name="保存通报信息").click()
    problems = page.locator(".problem")
    await expect(problems).to_have_text(
        ["请填写发文机关", "请填写发文字号", "请填写主送机关", "请填写成文日期"], timeout=WAIT
    )
    await expect(page.locator("#notice-status")).to_have_text("有 4 处需要修改")
    await page.fill("#n-signed_on", "2025-02-30")  # checked as typed: no 30 February
    await expect(page.locator('.problem[data-for="signed_on"]')).to_have_text(
        "成文日期格式为 年-月-日，如 2025-09-20"
    )
    await page.fill("#n-number", "滨组通(2025)12号")
    await expect(page.locator('.problem[data-for="number"]')).to_have_text(
        "年份用六角括号〔〕括入，如：滨组通〔2025〕12号"
    )
    await page.fill("#n-organ", "中共滨海区委组织部")
    await page.fill("#n-number", "滨组通〔2025〕12号")
    await page.fill("#n-addressees", "各镇（街道）党（工）委，区直有关单位")
    await page.fill("#n-signed_on", "2025-09-20")
    await expect(problems).to_have_text(["", "", "", ""])
    await page.get_by_role("button", name="保存通报信息").click()

    await expect(page.locator(".doc .mark")).to_have_text("中共滨海区委组织部文件", timeout=WAIT)
    await expect(page.locator(".doc .number")).to_have_text("滨组通〔2025〕12号")
    await expect(page.locator(".doc .title")).to_have_text("关于测试拉练 2025-09-16评比结果的通报")
    await expect(page.locator(".doc .to")).to_have_text("各镇（街道）党（工）委，区直有关单位：")
    await expect(page.locator(".doc .sign")).to_have_text("中共滨海区委组织部2025年9月20日")
    rows = await page.locator(".doc tbody tr").all_inner_texts()
    # C 17.50+9.00+26.25 = 52.75; A 16.00+8.17+27.60 = 51.77; B 13+9+27.75−5 = 44.75
    assert [r.split("\t")[:2] for r in rows] == [["1", "C村（暂定）"], ["2", "A村"], ["3", "B村"]]
    assert [r.split("\t")[7] for r in rows] == ["52.75", "51.77", "44.75"]
    text = await page.locator(".doc").inner_text()
    assert "C村以52.75分排名第一" in text and "排名后20%的是B村" in text
    assert "B村：形式主义，扣3.00分。材料重复报送第1次" in text
    await page.screenshot(path=str(screenshots_dir / "notice-1024x768.png"), full_page=True)

    # the print button is wired by the page's script (no inline handler for the CSP to block)
    await page.evaluate("window.print = () => { window.__printed = true; }")
    await page.get_by_role("button", name="用浏览器打印本页").click()
    assert await page.evaluate("window.__printed") is True
    href = await page.locator("#notice-pdf").get_attribute("href")
    assert href == f"/admin/rounds/{created['id']}/notice.pdf"
    pdf = await page.request.get(server.url + href)
    assert pdf.ok and (await pdf.body()).startswith(b"%PDF-")

    await page.emulate_media(media="print")
    assert not await page.locator(".notice-form").is_visible()
    await page.set_viewport_size({"width": 390, "height": 844})
    await page.emulate_media(media="screen")
    overflow = await page.evaluate(
        "[...document.querySelectorAll('.notice-form, .notice-form input, .doc')]"
        ".filter(e => e.scrollWidth > e.clientWidth + 1).map(e => e.className || e.id)"
    )
    assert overflow == []
    await page.screenshot(path=str(screenshots_dir / "notice-390x844.png"), full_page=True)
    assert errors == [] and outside == []
    await context.close()
