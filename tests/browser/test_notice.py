"""The printable results notice, as the organiser prints it for the review meeting."""

from __future__ import annotations

import httpx
import pytest
from playwright.async_api import Browser

from tests.api.helpers import new_campaign
from tests.api.test_standings import _scored_round
from tests.conftest import Server, bearer

pytestmark = pytest.mark.browser


async def test_notice_lists_the_ranking_and_prints_on_a4(
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
    page.on("request", lambda r: None if r.url.startswith(server.url) else outside.append(r.url))
    await page.goto(f"{server.url}/admin/rounds/{created['id']}/notice")
    rows = await page.locator("tbody tr").all_inner_texts()
    assert [r.split("\t")[:2] for r in rows] == [["1", "C村（暂定）"], ["2", "A村"], ["3", "B村"]]
    assert [r.split("\t")[7] for r in rows] == ["52.75", "51.77", "44.75"]
    text = await page.locator("main").inner_text()
    assert "排名第一的是C村" in text and "排名后20%的是B村" in text
    assert "B村：形式主义，扣 3.00 分。材料重复报送第1次" in text
    await page.screenshot(path=str(screenshots_dir / "notice-1024x768.png"), full_page=True)
    await page.emulate_media(media="print")
    assert not await page.locator(".toolbar").is_visible()
    pdf = await page.pdf(format="A4")
    assert pdf.startswith(b"%PDF")
    (screenshots_dir / "notice.pdf").write_bytes(pdf)
    assert outside == []
    await context.close()
