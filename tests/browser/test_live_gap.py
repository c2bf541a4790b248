"""web/static/js/live.js on a real screen: a lost update makes it ask for the whole picture.

The test sits between the page and the server on the WebSocket (Playwright's routeWebSocket):
it drops the first update and hands the page the next one with the dropped, older figures in
it. A client that trusted any message would show those stale figures; live.js must see the gap
in `seq`, ignore that message, send `{"type": "resync"}` and show the fresh snapshot.
"""

from __future__ import annotations

import asyncio
import json
import uuid
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.async_api import BrowserContext, WebSocketRoute, expect

from tests.conftest import Server, create_round, example_definition
from tests.screens.support import submit

pytestmark = pytest.mark.browser


async def test_screen_resyncs_after_a_gap_in_seq(
    server: Server,
    client: httpx.AsyncClient,
    organiser_token: str,
    new_context: Any,
    screenshots_dir: Path,
) -> None:
    definition = example_definition(campaign=f"测试行动-{uuid.uuid4().hex[:8]}")
    created = await create_round(client, organiser_token, definition)
    seen: list[dict[str, Any]] = []  # what the server sent, in order
    delivered: list[dict[str, Any]] = []  # what the page was given
    from_page: list[dict[str, Any]] = []
    dropped: list[dict[str, Any]] = []

    def route(ws: WebSocketRoute) -> None:
        upstream = ws.connect_to_server()

        def to_page(raw: str | bytes) -> None:
            message = json.loads(raw)
            seen.append(message)
            if message["type"] == "standings" and not dropped:
                dropped.append(message)  # lost on the way
                return
            if message["type"] == "standings" and len(dropped) == 1:
                # the next update, seq + 2, but carrying the lost (older) figures
                dropped.append(message)
                message = {**message, "data": dropped[0]["data"]}
            delivered.append(message)
            ws.send(json.dumps(message))

        def to_server(raw: str | bytes) -> None:
            from_page.append(json.loads(raw))
            upstream.send(raw)

        upstream.on_message(to_page)
        ws.on_message(to_server)

    context: BrowserContext = await new_context(viewport={"width": 1920, "height": 1080})
    page = await context.new_page()
    await page.route_web_socket("**/ws/rounds/**", route)
    await page.goto(created["screen"]["url"])
    await expect(page.locator("#conn")).to_have_attribute("data-state", "live")
    await expect(page.locator("#progress-text")).to_have_text("已收 0 / 110 份")
    first = next(m for m in seen if m["type"] == "snapshot")

    # J1 gives 银滩村 (V03) full marks on the shared paper (40): this update is lost.
    answer = await submit(client, created, definition, "J1", "V03", "shared", 1.0)
    assert answer.status_code == 201, answer.text
    async with asyncio.timeout(15):
        while not dropped:
            await asyncio.sleep(0.05)
    assert dropped[0]["seq"] == first["seq"] + 1
    # ...then full marks on its demonstration paper (30): 40 + 30 = 70.00, 2 of 110 sheets in
    # (8 villages × 7 judges − 刘洋's recusal from 巧巧村 = 55 pairs × 2 papers = 110).
    answer = await submit(client, created, definition, "J1", "V03", "demonstration", 1.0)
    assert answer.status_code == 201, answer.text

    top = page.locator("#rows li.row").first
    await expect(top).to_have_attribute("data-village", "V03", timeout=15_000)
    await expect(top.locator(".total")).to_have_text("70.00", timeout=15_000)
    await expect(page.locator("#progress-text")).to_have_text("已收 2 / 110 份")
    assert len(dropped) == 2 and dropped[1]["seq"] == first["seq"] + 2
    assert {"type": "resync"} in from_page
    # the answer to the resync: a fresh snapshot with the current seq and both sheets
    fresh = [m for m in delivered if m["type"] == "snapshot" and m["seq"] >= first["seq"] + 2]
    assert fresh and fresh[0]["data"]["sheets_in"] == 2
    await page.screenshot(path=str(screenshots_dir / "screen-after-resync-1920x1080.png"))
    await context.close()
