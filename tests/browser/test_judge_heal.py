"""Tested as it would fail: the server loses its last commits, the open tablets bring them back.

Two judges' tablets submit sheets to a real `arena serve` process; a backup is taken after eight;
they submit nine more (all acknowledged); the server is killed (SIGKILL, as a power cut), the
older backup is restored with `arena restore`, the server restarts on it. Without a reload the
tablets notice (the live socket reconnects, the periodic check), compare their copies with the
server's records and re-send what it lost, with the original idempotency keys.
"""

from __future__ import annotations

import asyncio
import json
import re
import sqlite3
import time
import uuid
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.async_api import BrowserContext, Page, expect

from tests.conftest import SCREENSHOTS, example_definition
from tests.judges.helpers import TABLET
from tests.process_server import ArenaProcess

pytestmark = pytest.mark.browser
SHOTS = SCREENSHOTS / "durability"
NAMES = {"V01": "青山村", "V02": "港边村", "V03": "银滩村", "V04": "和睦村"}
PAPER_NAMES = {"shared": "共性目标", "demonstration": "示范目标"}


def shared(org: float, eco: float, build: float, talent: float, gov: float) -> dict[str, float]:
    return {"org": org, "eco": eco, "build": build, "talent": talent, "gov": gov}


# (judge, village, paper, items): before the backup, then after it.
BEFORE = [
    ("J1", "V01", "shared", shared(8, 8, 6, 4, 4)),  # 30 (replaced after the backup by 31)
    ("J1", "V01", "demonstration", {"t1": 12, "t2": 12}),  # 24
    ("J1", "V02", "shared", shared(9, 9, 7, 5, 5)),  # 35
    ("J1", "V02", "demonstration", {"t1": 16, "t2": 8}),  # 24
    ("J2", "V01", "shared", shared(7, 8, 6, 5, 4)),  # 30
    ("J2", "V01", "demonstration", {"t1": 13, "t2": 12}),  # 25
    ("J2", "V02", "shared", shared(8, 9, 7, 5, 5)),  # 34
    ("J2", "V02", "demonstration", {"t1": 17, "t2": 9}),  # 26
]
AFTER = [
    ("J1", "V03", "shared", shared(7, 7, 6, 4, 4)),  # 28
    ("J1", "V03", "demonstration", {"t1": 14, "t2": 10}),  # 24
    ("J1", "V04", "shared", shared(8, 7, 7, 5, 5)),  # 32
    ("J1", "V04", "demonstration", {"t1": 12, "t2": 13}),  # 25
    ("J1", "V01", "shared", shared(9, 8, 6, 4, 4)),  # 31: a second version of J1's V01 sheet
    ("J2", "V03", "shared", shared(7, 8, 6, 4, 4)),  # 29
    ("J2", "V03", "demonstration", {"t1": 15, "t2": 10}),  # 25
    ("J2", "V04", "shared", shared(9, 7, 7, 5, 5)),  # 33
    ("J2", "V04", "demonstration", {"t1": 13, "t2": 13}),  # 26
]
# Two judges (< 5): each paper is the plain mean of the two sheet totals.
#   V01 shared (31 + 30) / 2 = 30.5, demonstration (24 + 25) / 2 = 24.5, total 55
#   V02 shared (35 + 34) / 2 = 34.5, demonstration (24 + 26) / 2 = 25,   total 59.5
#   V03 shared (28 + 29) / 2 = 28.5, demonstration (24 + 25) / 2 = 24.5, total 53
#   V04 shared (32 + 33) / 2 = 32.5, demonstration (25 + 26) / 2 = 25.5, total 58
# (no satisfaction figures or deductions entered: those papers count 0)
STANDINGS = {
    "V01": (30.5, 24.5, 55),
    "V02": (34.5, 25, 59.5),
    "V03": (28.5, 24.5, 53),
    "V04": (32.5, 25.5, 58),
}


def total_text(items: dict[str, float]) -> str:
    return f"{float(sum(Decimal(str(v)) for v in items.values())):g}"


async def enter(page: Page, village: str, paper: str, items: dict[str, float]) -> None:
    """Type one sheet on the tablet and submit it; wait until the server acknowledged it."""
    await page.evaluate(f"location.hash = '#v/{village}/{paper}'")
    await expect(page.locator("#view")).to_have_attribute("data-view", "sheet")
    for code, value in items.items():
        await page.locator(f'.item[data-item="{code}"] .score-input').fill(f"{value:g}")
    await page.locator("#to-check").click()
    await expect(page.locator("#check-total")).to_have_text(total_text(items))
    await page.locator("#submit").click()
    line = f"已提交 {NAMES[village]} {PAPER_NAMES[paper]} {total_text(items)} 分"
    await expect(page.locator("#confirm-line")).to_have_text(line, timeout=30000)


def rows(db: Path, sql: str) -> list[tuple[Any, ...]]:
    """Read the server's database directly (read-only), as an official with sqlite3 would."""
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=10)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


SHEETS_SQL = """SELECT j.code, v.code, s.paper, s.version, s.current, s.items
  FROM sheet s JOIN judge j ON j.id = s.judge_id JOIN village v ON v.id = s.village_id
  ORDER BY j.code, v.code, s.paper, s.version"""


async def wait_for(predicate: Any, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if await asyncio.to_thread(predicate):
            return
        await asyncio.sleep(0.5)
    raise AssertionError(f"timed out waiting for {what}")


async def test_tablets_heal_a_server_restored_from_an_older_backup(
    tmp_path: Path, new_context: Any
) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    arena = ArenaProcess(tmp_path / "data")
    arena.data_dir.mkdir()
    token = (await asyncio.to_thread(arena.cli, "token", "create", "--role", "organiser",
                                     "--name", "组织部")).stdout.strip()  # fmt: skip
    await asyncio.to_thread(arena.start)
    try:
        await run_day(arena, token, tmp_path, new_context)
    finally:
        arena.kill()


async def run_day(arena: ArenaProcess, token: str, tmp_path: Path, new_context: Any) -> None:
    auth = {"Authorization": f"Bearer {token}"}
    async with httpx.AsyncClient(base_url=arena.url, timeout=30) as http:
        definition = example_definition(campaign=f"断电演练-{uuid.uuid4().hex[:6]}")
        created = (await http.post("/api/v1/rounds", json=definition, headers=auth)).json()
    rid = created["id"]
    links = {j["code"]: j["url"] for j in created["judges"]}
    tablets: dict[str, Page] = {}
    contexts: list[BrowserContext] = []
    for code in ("J1", "J2"):
        context = await new_context(viewport=TABLET, locale="zh-CN")
        contexts.append(context)
        page = await context.new_page()
        await page.goto(links[code])
        await expect(page.locator("body")).to_have_attribute("data-app", "ready")
        tablets[code] = page

    for judge, village, paper, items in BEFORE:
        await enter(tablets[judge], village, paper, items)
    backup = await asyncio.to_thread(arena.cli, "backup", "--to", str(tmp_path / "usb"))
    assert backup.returncode == 0, backup.stderr
    (copy,) = (tmp_path / "usb").glob("arena-*.sqlite3")
    # The backup's name carries the audit head it ends at (8 sheets: 8 events after creation).
    head = rows(copy, "SELECT last_id, last_hash FROM audithead")[0]
    assert copy.name.endswith(f"-{head[1][:12]}.sqlite3")
    assert rows(copy, "SELECT COUNT(*) FROM sheet") == [(8,)]

    for judge, village, paper, items in AFTER:
        await enter(tablets[judge], village, paper, items)
    for page in tablets.values():
        await expect(page.locator("#outbox-count")).to_have_attribute("data-count", "0")
    assert rows(arena.database, "SELECT COUNT(*) FROM sheet") == [(17,)]

    # Power cut: the server dies; the tablets say so at once, without a reload.
    arena.kill()
    for page in tablets.values():
        await expect(page.locator("#banner")).to_contain_text("连不上服务器", timeout=20000)
    await tablets["J1"].screenshot(path=str(SHOTS / "tablet-server-down-1024x768.png"))

    # The laptop comes back with the older copy (as a power loss or an older backup leaves it).
    restored = await asyncio.to_thread(arena.cli, "restore", str(copy))
    assert restored.returncode == 0, restored.stdout + restored.stderr
    assert f"恢复后的审计链头：{head[1]}（{head[0]} 条记录）" in restored.stdout
    assert rows(arena.database, "SELECT COUNT(*) FROM sheet") == [(8,)]
    await asyncio.to_thread(arena.start)

    # The open tablets heal the server: every acknowledged sheet back, once.
    def healed() -> bool:
        got = rows(arena.database, "SELECT COUNT(*) FROM sheet WHERE current = 1")
        return got == [(16,)] and rows(arena.database, "SELECT COUNT(*) FROM sheet") == [(17,)]

    await wait_for(healed, 120, "the tablets to re-send the 9 lost sheets")
    expected = []
    for judge, village, paper, items in BEFORE + AFTER:
        version = (
            2 if (judge, village, paper) == ("J1", "V01", "shared") and items["org"] == 9 else 1
        )
        current = not (judge, village, paper, version) == ("J1", "V01", "shared", 1)
        stored = {k: str(Decimal(str(v))) for k, v in items.items()}
        expected.append((judge, village, paper, version, int(current), stored))
    got = [(j, v, p, n, c, json.loads(i)) for j, v, p, n, c, i in rows(arena.database, SHEETS_SQL)]
    assert sorted(got, key=str) == sorted(expected, key=str)
    events = rows(arena.database, "SELECT payload FROM auditevent WHERE action = 'sheet.submit'")
    healed_marks = [re.search(r'"healed":\s*true', p) is not None for (p,) in events]
    assert (len(events), sum(healed_marks)) == (17, 9)

    async with httpx.AsyncClient(base_url=arena.url, timeout=30) as http:
        standings = (await http.get(f"/api/v1/rounds/{rid}/standings", headers=auth)).json()
    got_rows = {
        r["village"]: (r["shared"], r["demonstration"], r["total"])
        for r in standings["rows"]
        if r["village"] in STANDINGS
    }
    assert got_rows == STANDINGS
    verify = await asyncio.to_thread(arena.cli, "audit", "verify")
    assert verify.returncode == 0, verify.stdout + verify.stderr

    for page in tablets.values():
        await expect(page.locator("#outbox-count")).to_have_attribute("data-count", "0")
        await page.evaluate("location.hash = ''")
        await expect(page.locator(".paper-row .chip.submitted")).to_have_count(8)
        await expect(page.locator("#banner")).to_be_hidden()

    organiser = await new_context(viewport=TABLET, locale="zh-CN")
    board = await organiser.new_page()
    await board.goto(f"{arena.url}/o/{token}")
    await board.goto(f"{arena.url}/admin/rounds/{rid}/progress")
    await expect(board.locator("#heals-title")).to_have_text("平板补传 9 份", timeout=15000)
    await expect(board.locator("#heals-list li")).to_have_count(9)
    await expect(board.locator("#heals-list")).to_contain_text(
        "李明 · 青山村 · 共性目标（第 2 版）"
    )
    await board.screenshot(path=str(SHOTS / "progress-heals-1024x768.png"), full_page=True)
    await organiser.close()
    for context in contexts:
        await context.close()
