"""The meeting screen in Chromium: a posted sheet reaches it, and it survives a server restart."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from playwright.async_api import BrowserContext, Page, expect

from tests.conftest import Server, bearer, create_round, example_definition, free_port
from tests.screens.support import STRENGTH, campaign_rounds, deduct, score_all, submit, survey

pytestmark = pytest.mark.browser

SCREEN = {"width": 1920, "height": 1080}


async def open_screen(new_context: object, url: str, requests: list[str]) -> Page:
    """Open a screen link at 1920×1080 and wait until its channel is live."""
    context: BrowserContext = await new_context(viewport=SCREEN)  # type: ignore[operator]
    page = await context.new_page()
    page.on("request", lambda request: requests.append(request.url))
    await page.goto(url)
    await expect(page.locator("#conn")).to_have_attribute("data-state", "live")
    return page


async def test_screen_shows_new_ranking_after_a_sheet(
    server: Server,
    client: httpx.AsyncClient,
    organiser_token: str,
    new_context: object,
    screenshots_dir: Path,
) -> None:
    earlier, current, definition = await campaign_rounds(client, organiser_token)
    await score_all(client, earlier, definition, STRENGTH)
    await score_all(
        client,
        current,
        definition,
        {**STRENGTH, "V02": 0.95, "V01": 0.6},
        skip=frozenset({("J2", "V08")}),
    )
    for code, counts in {"V01": (90, 20, 8, 2), "V02": (60, 30, 20, 10)}.items():
        await survey(client, organiser_token, current["id"], code, counts)
    # A village without a figure is 未录入 and stays provisional: the others answer 不满意 (0
    # points, as an empty survey scored before), so every row can become final below.
    for code in ("V03", "V04", "V05", "V06", "V07", "V08"):
        await survey(client, organiser_token, current["id"], code, (0, 0, 0, 30))
    await deduct(
        client, organiser_token, current["id"], "V07", "relapse", 2, "村口垃圾集中点清运不及时"
    )
    requests: list[str] = []
    page = await open_screen(new_context, current["screen"]["url"], requests)
    rows = page.locator("#rows li.row")
    await expect(rows).to_have_count(8)
    await expect(rows.nth(0)).to_have_attribute("data-village", "V02")
    await expect(page.locator('#rows li[data-village="V08"] .provisional')).to_have_text("暂定")
    await expect(page.locator("#progress-text")).to_have_text("已收 108 / 110 份")
    standings = (
        await client.get(
            f"/api/v1/rounds/{current['id']}/standings", headers=bearer(organiser_token)
        )
    ).json()
    v02 = next(r for r in standings["rows"] if r["village"] == "V02")
    await expect(rows.nth(0).locator(".total")).to_have_text(f"{v02['total']:.2f}")
    await expect(page.locator("#audit-hash")).to_have_text(standings["audit_hash"][:12])
    await expect(page.locator("#chart .main-svg").first).to_be_attached()

    # J2's sheets on V08 at full marks lift V08's shared paper; the screen re-ranks itself.
    for paper in ("shared", "demonstration"):
        answer = await submit(client, current, definition, "J2", "V08", paper, 1.0)
        assert answer.status_code == 201, answer.text
    after = (
        await client.get(
            f"/api/v1/rounds/{current['id']}/standings", headers=bearer(organiser_token)
        )
    ).json()
    order = [r["village"] for r in after["rows"]]
    await expect(page.locator("#progress-text")).to_have_text("已收 110 / 110 份 · 全部收齐")
    for n, code in enumerate(order):
        await expect(rows.nth(n)).to_have_attribute("data-village", code)
    await expect(page.locator(".provisional")).to_have_count(0)
    await page.screenshot(path=str(screenshots_dir / "screen-1920x1080.png"))
    assert [u for u in requests if not u.startswith(server.url)] == []


@pytest.fixture
def standalone(tmp_path: Path) -> Iterator[dict[str, object]]:
    """A separate Arena server process with its own SQLite file, restartable on the same port."""
    port = free_port()
    env = {
        **os.environ,
        "ARENA_DATA_DIR": str(tmp_path),
        "ARENA_PORT": str(port),
        "ARENA_BASE_URL": f"http://127.0.0.1:{port}",
        "ARENA_LIVE_HEARTBEAT_SECONDS": "1",
        "ARENA_DB_URL": "",
    }
    arena = [sys.executable, "-c", "from arena.cli import main; raise SystemExit(main())"]
    token = subprocess.run(
        [*arena, "token", "create", "--role", "organiser", "--name", "测试"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()[-1]
    processes: list[subprocess.Popen[bytes]] = []

    def start() -> None:
        processes.append(
            subprocess.Popen(
                [*arena, "serve"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
            )
        )
        with httpx.Client(timeout=1) as c:
            for _ in range(300):
                try:
                    if c.get(f"http://127.0.0.1:{port}/").status_code == 200:
                        return
                except httpx.TransportError:
                    pass
                if processes[-1].poll() is not None:
                    break
                time.sleep(0.05)
        raise RuntimeError("the standalone server did not start")

    def kill() -> None:
        processes[-1].kill()
        processes[-1].wait()

    start()
    try:
        yield {"url": f"http://127.0.0.1:{port}", "token": token, "start": start, "kill": kill}
    finally:
        for process in processes:
            if process.poll() is None:
                process.kill()
                process.wait()


async def test_screen_recovers_after_server_restart(
    standalone: dict[str, object],
    new_context: object,
) -> None:
    url, token = str(standalone["url"]), str(standalone["token"])
    definition = example_definition(campaign=f"测试行动-{uuid.uuid4().hex[:8]}")
    async with httpx.AsyncClient(base_url=url, timeout=20) as c:
        created = await create_round(c, token, definition)
    requests: list[str] = []
    page = await open_screen(new_context, created["screen"]["url"], requests)
    await expect(page.locator("#progress-text")).to_have_text("已收 0 / 110 份")

    standalone["kill"]()  # type: ignore[operator]
    await expect(page.locator("#conn")).to_have_attribute("data-state", "offline")
    await expect(page.locator("#conn-text")).to_contain_text("连接中断")
    standalone["start"]()  # type: ignore[operator]
    async with httpx.AsyncClient(base_url=url, timeout=20) as c:
        answer = await submit(c, created, definition, "J1", "V03", "shared", 1.0)
        assert answer.status_code == 201, answer.text
    # Nobody touches the page: it reconnects by itself and shows what changed while it was away.
    await expect(page.locator("#conn")).to_have_attribute("data-state", "live", timeout=30_000)
    await expect(page.locator("#rows li.row").nth(0)).to_have_attribute("data-village", "V03")
    await expect(page.locator("#rows li.row").nth(0).locator(".total")).to_have_text("40.00")
    await expect(page.locator("#progress-text")).to_have_text("已收 1 / 110 份")
