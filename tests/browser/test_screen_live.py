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

from arena.models import AuditHead
from tests.conftest import Server, create_round, example_definition, free_port
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
    # Worked out by hand from tests/screens/support.py: judge n (0..6) scores every item at
    # (strength + (n − 3) × 0.02) of its maximum, to the half point; with 5 or more judges the
    # highest and the lowest sheet totals are dropped (7 judges, 6 on 巧巧村 V05: 刘洋 recused).
    # V02 (0.95): shared totals 36, 36.5, 37.5, 37.5, 39, 40, 40 -> drop 36 and 40 -> 190.5/5 =
    #   38.10; demonstration 27, 27, 28, 28.5, 29, 30, 30 -> 142.5/5 = 28.50; survey 60/30/20/10
    #   = (60 + 24 + 12)/120 = 0.8 × 30 = 24.00; total 90.60
    # V01 (0.6): shared 24.00, demonstration 18.00, survey (90 + 16 + 4.8)/120 = 0.9233 × 30 =
    #   27.70; total 69.70
    # V05 34.00 + 25.50 = 59.50; V03 31.90 + 24.00 = 55.90; V06 30.00 + 22.40 = 52.40;
    # V07 26.00 + 19.50 − 2 (deduction) = 43.50; V04 24.00 + 18.00 = 42.00 (no surveys: 0)
    # V08 (0.5, J2 missing: 6 judges, still trimmed): shared 17.5, 20, 20, 20, 21.5, 22.5 ->
    #   81.5/4 = 20.375 -> 20.38; demonstration 13.5, 14.5, 15, 15.5, 16, 16.5 -> 61/4 = 15.25;
    #   total 35.63, provisional. Sheets in: 110 − J2's two on V08 = 108.
    before = [
        ("V02", "90.60"), ("V01", "69.70"), ("V05", "59.50"), ("V03", "55.90"),
        ("V06", "52.40"), ("V07", "43.50"), ("V04", "42.00"), ("V08", "35.63"),
    ]  # fmt: skip
    for n, (code, total) in enumerate(before):
        await expect(rows.nth(n)).to_have_attribute("data-village", code)
        await expect(rows.nth(n).locator(".total")).to_have_text(total)
    await expect(page.locator('#rows li[data-village="V08"] .provisional')).to_have_text("暂定")
    await expect(page.locator(".provisional")).to_have_count(1)
    await expect(page.locator("#progress-text")).to_have_text("已收 108 / 110 份")
    head = await AuditHead.get(id=1)  # the chain's head as stored, not as any page reports it
    await expect(page.locator("#audit-hash")).to_have_text(head.last_hash[:12])
    await expect(page.locator("#chart .main-svg").first).to_be_attached()

    # J2's sheets on V08 at full marks (40 and 30): V08 moves up but stays last; the screen
    # follows by itself. Shared 17.5 … 22.5, 40 -> drop 17.5 and 40 -> 104/5 = 20.80;
    # demonstration drop 13.5 and 30 -> 77.5/5 = 15.50; total 36.30, no longer provisional.
    for paper in ("shared", "demonstration"):
        answer = await submit(client, current, definition, "J2", "V08", paper, 1.0)
        assert answer.status_code == 201, answer.text
    await expect(page.locator("#progress-text")).to_have_text("已收 110 / 110 份 · 全部收齐")
    await expect(rows.nth(7).locator(".total")).to_have_text("36.30")
    for n, (code, total) in enumerate(before[:7]):
        await expect(rows.nth(n)).to_have_attribute("data-village", code)
        await expect(rows.nth(n).locator(".total")).to_have_text(total)
    await expect(rows.nth(7)).to_have_attribute("data-village", "V08")
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
