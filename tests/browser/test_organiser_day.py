"""An organiser's whole day in Chromium at 1366×768 and 1024×768, from no account to a result.

First account (the `arena user create --password-stdin` command against the server's database)
→ sign in at /login → a new round by the form → the same round again from its setup workbook →
judges' cards → scores from two judges' tablets → a deduction and satisfaction by form → a voided
sheet → the checks → lock → publish; the published standings are then checked against totals
worked out by hand. The session server's database is shared with other tests, so "empty" means
a new account and a campaign of our own.
"""

from __future__ import annotations

import asyncio
import io
import os
import re
import sys
import uuid
from pathlib import Path
from typing import Any

import httpx
import pytest
from openpyxl import load_workbook
from playwright.async_api import BrowserContext, Page, expect

from arena.models import Account, Judge, Round, Village
from tests.conftest import Server, bearer

pytestmark = pytest.mark.browser

SIZES = {"1366x768": (1366, 768), "1024x768": (1024, 768)}
TABLET = {"width": 1024, "height": 768}
T = 15000  # generous: the machine is shared
PASSWORD = "油菜花开2025"

VILLAGES = [("青山村", "东港镇"), ("港边村", "东港镇")]  # V01, V02
JUDGES = [("王建国", "县委组织部"), ("李红梅", "农业农村局"), ("张伟", "东港镇")]

# What the two judges type on their tablets. 共性目标 items (the form's default paper):
# org 10, eco 10, build 8, talent 6, gov 6 (max 40); 示范目标: one target of max 30 per village.
SHARED = {
    ("王建国", "V01"): {"org": 8, "eco": 8, "build": 6, "talent": 4, "gov": 4},  # 30
    ("李红梅", "V01"): {"org": 9, "eco": 9, "build": 7, "talent": 5, "gov": 5},  # 35
    ("王建国", "V02"): {"org": 6, "eco": 6, "build": 6, "talent": 6, "gov": 6},  # 30 (voided)
    ("李红梅", "V02"): {"org": 10, "eco": 9, "build": 8, "talent": 6, "gov": 5},  # 38
}
DEMONSTRATION = {
    ("王建国", "V01"): 24,
    ("李红梅", "V01"): 26,
    ("王建国", "V02"): 20,
    ("李红梅", "V02"): 22,
}
# 满意度 by counts (50 answers each, at least min_responses 30)
COUNTS = {
    "V01": {"满意": 40, "比较满意": 10, "基本满意": 0, "不满意": 0},
    "V02": {"满意": 20, "比较满意": 20, "基本满意": 10, "不满意": 0},
}
# By hand (2 judges < 5: plain mean, no trimming; 张伟 scores nothing):
#   青山村 V01: shared (30 + 35) / 2 = 32.50; demonstration (24 + 26) / 2 = 25.00;
#     satisfaction 30 × (40×1.0 + 10×0.8) / 50 = 30 × 48 / 50 = 28.80;
#     deduction 形式主义 2 (cap 10, item max 5: nothing cut);
#     total 32.50 + 25.00 + 28.80 − 2 = 84.30
#   港边村 V02: 王建国's shared sheet (30) is voided, so only 李红梅's 38 counts: 38.00;
#     demonstration (20 + 22) / 2 = 21.00;
#     satisfaction 30 × (20×1.0 + 20×0.8 + 10×0.6 + 0×0) / 50 = 30 × 42 / 50 = 25.20;
#     no deduction: total 38.00 + 21.00 + 25.20 = 84.20
#   Both are provisional: 张伟's sheets never come (and 王建国's voided one is not re-entered).
EXPECTED = {
    "V01": {"shared": 32.5, "demonstration": 25.0, "satisfaction": 28.8, "deductions": 2.0,
            "total": 84.3},
    "V02": {"shared": 38.0, "demonstration": 21.0, "satisfaction": 25.2, "deductions": 0.0,
            "total": 84.2},
}  # fmt: skip


def shot_path(dirs: Path, name: str, size: str) -> str:
    path = dirs / "day"
    path.mkdir(parents=True, exist_ok=True)
    return str(path / f"{name}-{size}.png")


async def fits(page: Page, size: str) -> None:
    width = await page.evaluate("document.documentElement.scrollWidth")
    assert width <= SIZES[size][0], page.url  # nothing runs off the side


async def create_first_account(server: Server, name: str) -> None:
    """`echo PW | arena user create --name NAME --password-stdin` on the server's database.

    The console script opens and closes the database itself (asyncio.run), so it cannot run
    inside this test's event loop: it runs as its own process, pointed at the test server's
    data directory (the SQLite file and the server key) or PostgreSQL database.
    """
    env = {
        **os.environ,
        "ARENA_DATA_DIR": str(server.settings.data_dir),
        "ARENA_DB_URL": server.settings.db_url,
    }
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "arena.cli", "user", "create", "--name", name, "--password-stdin",
        env=env, cwd=str(server.settings.data_dir),
        stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    out, err = await asyncio.wait_for(proc.communicate(f"{PASSWORD}\n".encode()), 120)
    assert proc.returncode == 0, err.decode()
    assert out.decode().startswith(f"已添加组织部账号「{name}」")


async def score_on_tablet(
    new_context: Any, link: str, judge: str, dirs: Path, size: str, server: Server
) -> None:
    """One judge, on a tablet, submits both papers for both villages."""
    context: BrowserContext = await new_context(viewport=TABLET, locale="zh-CN")
    page = await context.new_page()
    page.set_default_timeout(T)
    await page.goto(link)
    await expect(page.locator("body")).to_have_attribute("data-app", "ready", timeout=T)
    assert page.url == f"{server.url}/judge"
    await expect(page.locator("#judge-name")).to_have_text(f"评委：{judge}")
    for code, village in (("V01", "青山村"), ("V02", "港边村")):
        stop = page.locator(f'.stop[data-village="{code}"]')
        await stop.locator('.paper-row[data-paper="shared"]').click()
        for item, value in SHARED[(judge, code)].items():
            await page.locator(f'.item[data-item="{item}"] .score-input').fill(str(value))
        total = sum(SHARED[(judge, code)].values())
        await expect(page.locator("#running-total")).to_contain_text(f"合计 {total} / 40 分")
        await page.locator("#to-check").click()
        await expect(page.locator("#check-total")).to_have_text(str(total))
        await page.locator("#submit").click()
        await expect(page.locator("#confirm-line")).to_have_text(
            f"已提交 {village} 共性目标 {total} 分"
        )
        await page.locator("#to-route").click()
        await stop.locator('.paper-row[data-paper="demonstration"]').click()
        await page.locator(".item .score-input").fill(str(DEMONSTRATION[(judge, code)]))
        await page.locator("#to-check").click()
        await page.locator("#submit").click()
        await expect(page.locator("#confirm-line")).to_have_text(
            f"已提交 {village} 示范目标 {DEMONSTRATION[(judge, code)]} 分"
        )
        await page.locator("#to-route").click()
        for paper in ("shared", "demonstration"):
            await expect(stop.locator(f'.paper-row[data-paper="{paper}"] .chip')).to_have_text(
                "已提交"
            )
    await page.screenshot(path=shot_path(dirs, f"judge-{judge}", size), full_page=True)
    await context.close()


@pytest.mark.parametrize("size", list(SIZES))
async def test_an_organisers_day(
    server: Server, client: httpx.AsyncClient, organiser_token: str, new_context: Any,
    screenshots_dir: Path, tmp_path: Path, size: str,
) -> None:  # fmt: skip
    # 1. the first account, as the README says: arena user create --name NAME --password-stdin
    name = f"组织部{uuid.uuid4().hex[:6]}"
    await create_first_account(server, name)
    assert await Account.filter(name=name).count() == 1

    # 2. sign in at /login: the organiser lands on /admin
    context: BrowserContext = await new_context(
        viewport={"width": SIZES[size][0], "height": SIZES[size][1]}, locale="zh-CN"
    )
    page = await context.new_page()
    page.set_default_timeout(T)
    outside: list[str] = []
    page.on(
        "request",
        lambda r: (
            outside.append(r.url)
            if not r.url.startswith((server.url + "/", "data:", "blob:"))
            else None
        ),
    )
    await page.goto(f"{server.url}/admin")
    await expect(page).to_have_url(re.compile(r"/login"))
    await page.locator("#login-name").fill(name)
    await page.locator("#login-password").fill(PASSWORD)
    await page.screenshot(path=shot_path(screenshots_dir, "01-login", size))
    await page.locator("#login-submit").click()
    await expect(page).to_have_url(f"{server.url}/admin", timeout=T)

    # 3. a new round by the form
    await page.get_by_role("link", name="新建评比").click()
    await expect(page).to_have_url(f"{server.url}/admin/rounds/new")
    campaign = f"一天的拉练-{uuid.uuid4().hex[:8]}"
    round_name = f"春季试点拉练 {size}"
    await page.locator('[data-field="campaign"]').fill(campaign)
    await page.locator('[data-field="name"]').fill(round_name)
    await page.locator('[data-field="date"]').fill("2026-03-18")
    for i, (village, township) in enumerate(VILLAGES):
        await page.get_by_role("button", name="＋ 添加村").click()
        for field, value in {"name": village, "township": township, "county": "滨海区"}.items():
            await page.locator(f'[data-field="villages[{i}].{field}"]').fill(value)
    for i, (judge, unit) in enumerate(JUDGES):
        await page.get_by_role("button", name="＋ 添加评委").click()
        await page.locator(f'[data-field="judges[{i}].name"]').fill(judge)
        await page.locator(f'[data-field="judges[{i}].unit"]').fill(unit)
    for i in range(2):
        await (
            page.locator(f'[data-targets="{i}"]')
            .get_by_role("button", name="＋ 添加示范目标")
            .click()
        )
        await page.locator(f'[data-field="villages[{i}].targets[0].name"]').fill(f"示范项目{i + 1}")
        await page.locator(f'[data-field="villages[{i}].targets[0].max"]').fill("30")
    await expect(page.locator("#status-line")).to_have_text("检查通过，可以建立。", timeout=T)
    await fits(page, size)
    await page.screenshot(
        path=shot_path(screenshots_dir, "02-new-round-form", size), full_page=True
    )
    await page.get_by_role("button", name="建立评比", exact=True).click()
    await expect(page).to_have_url(re.compile(r"/admin/rounds/\d+\?created=1$"), timeout=T)
    await expect(page.locator("h1")).to_contain_text(round_name)
    rid = int(page.url.split("/admin/rounds/")[1].split("?")[0])
    # 3 judges × 2 villages × 2 papers
    await expect(page.locator("#progress-title")).to_contain_text("0 / 12")
    await fits(page, size)
    await page.screenshot(path=shot_path(screenshots_dir, "03-round-home", size))

    # 4. the same round again from its own setup workbook (设置导出), renamed and redated
    async with page.expect_download() as download:
        await page.get_by_role("link", name=re.compile("设置导出")).click()
    got = await download.value
    assert got.suggested_filename == f"round-{rid}-setup.xlsx"
    wb = load_workbook(io.BytesIO(Path(await got.path()).read_bytes()))
    changed = {"评比名称": f"{round_name}（复评）", "日期": "2026-04-15"}
    seen = set()
    for line in wb["基本信息"].iter_rows(min_row=2):
        if line[0].value in changed:
            line[1].value = changed[line[0].value]
            seen.add(line[0].value)
    assert seen == set(changed), [c[0].value for c in wb["基本信息"].iter_rows()]
    again = tmp_path / "again.xlsx"
    wb.save(again)
    await page.goto(f"{server.url}/admin/rounds/new")
    await page.locator("#upload-file").set_input_files(again)
    await page.get_by_role("button", name="上传并建立评比").click()
    await expect(page).to_have_url(re.compile(r"/admin/rounds/\d+\?created=1$"), timeout=T)
    await expect(page.locator("h1")).to_contain_text(f"{round_name}（复评）")
    rid2 = int(page.url.split("/admin/rounds/")[1].split("?")[0])
    assert rid2 != rid
    second = await Round.get(id=rid2).select_related("campaign")
    assert (second.campaign.name, second.date.isoformat()) == (campaign, "2026-04-15")
    for each in (rid, rid2):
        assert await Village.filter(round_id=each).order_by("position").values_list(
            "name", flat=True
        ) == ["青山村", "港边村"]
        assert await Judge.filter(round_id=each).order_by("position").values_list(
            "name", flat=True
        ) == ["王建国", "李红梅", "张伟"]
    await page.screenshot(path=shot_path(screenshots_dir, "04-round-from-workbook", size))

    # 5. the judges' cards of the first round: two judges' personal links read off the cards
    await page.goto(f"{server.url}/admin/rounds/{rid}/cards")
    await expect(page.locator(".card svg")).to_have_count(3)
    await fits(page, size)
    await page.screenshot(path=shot_path(screenshots_dir, "05-cards", size), full_page=True)
    links: dict[str, str] = {}
    for judge in ("王建国", "李红梅"):
        card = page.locator(".card").filter(has=page.locator(".card-name", has_text=judge))
        url = (await card.locator(".card-url").inner_text()).strip()
        assert url.startswith(f"{server.url}/j/"), url
        links[judge] = url

    # 6. scores from two judges' tablets (each its own browser)
    for judge, link in links.items():
        await score_on_tablet(new_context, link, judge, screenshots_dir, size, server)
    await page.goto(f"{server.url}/admin/rounds/{rid}")
    await expect(page.locator("#progress-title")).to_contain_text("8 / 12")

    # 7. a deduction and satisfaction by form
    await page.goto(f"{server.url}/admin/rounds/{rid}/deductions")
    await page.select_option("#ded-village", "V01")
    await page.select_option("#ded-item", "formalism")
    await page.fill("#ded-points", "2")
    await page.fill("#ded-reason", "迎检台账与实际不符")
    await page.fill("#ded-evidence", "现场照片 IMG_0412")
    await page.locator("#ded-submit").click()
    await expect(page.locator("#flash")).to_contain_text("已保存：青山村")
    await expect(page.locator("#ded-list tbody tr")).to_have_count(1)
    await fits(page, size)
    await page.screenshot(path=shot_path(screenshots_dir, "07-deductions", size), full_page=True)
    tabs = page.get_by_role("navigation", name="更正与检查")
    await tabs.get_by_role("link", name="满意度", exact=True).click()
    previews = {
        "V01": "得分 = 30 × (40×1.0 + 10×0.8 + 0×0.6 + 0×0) / 50 = 30 × 48 / 50 = 28.80",
        "V02": "得分 = 30 × (20×1.0 + 20×0.8 + 10×0.6 + 0×0) / 50 = 30 × 42 / 50 = 25.20",
    }
    for code, counts in COUNTS.items():
        await page.select_option("#sat-village", code)
        for answer, n in counts.items():
            await page.locator(f'input[data-answer="{answer}"]').fill(str(n))
        await expect(page.locator("#sat-preview")).to_have_text(previews[code])
        await page.locator("#sat-submit").click()
        await expect(page.locator(f'#sat-list tr[data-village="{code}"] .score')).to_have_text(
            f"{EXPECTED[code]['satisfaction']:.2f}"
        )
    await fits(page, size)
    await page.screenshot(path=shot_path(screenshots_dir, "07-satisfaction", size), full_page=True)

    # 8. a voided sheet: 王建国's 共性目标 sheet of 港边村
    wang = await Judge.get(round_id=rid, name="王建国")
    await tabs.get_by_role("link", name="评分表").click()
    await page.select_option("#sh-village", "V02")
    await page.select_option("#sh-judge", wang.code)
    line = page.locator(
        f'#sh-list tr[data-village="V02"][data-judge="{wang.code}"][data-paper="shared"]'
    )
    await line.get_by_role("button", name="作废…").click()
    await page.locator("#sh-void textarea").fill("评委误将银滩村的分数录在港边村")
    await page.locator("#sh-void button[type=submit]").click()
    await expect(line).to_have_attribute("data-state", "voided")
    await fits(page, size)
    await page.screenshot(path=shot_path(screenshots_dir, "08-sheet-voided", size), full_page=True)

    # 9. the checks name what is missing: 张伟's four sheets and the voided one
    await tabs.get_by_role("link", name="锁定与发布前检查").click()
    missing = page.locator('[data-check="sheets_missing"]')
    await expect(missing.locator("h2 .count")).to_have_text(" 4")
    await expect(missing).to_contain_text("青山村 · 张伟 · 共性目标")
    await expect(missing).to_contain_text("港边村 · 张伟 · 示范目标")
    voided = page.locator('[data-check="sheets_voided"]')
    await expect(voided.locator("li")).to_have_count(1)
    await expect(voided.locator("li")).to_contain_text("港边村 · 王建国 · 共性目标")
    await expect(voided.locator("li")).to_contain_text("评委误将银滩村的分数录在港边村")
    await fits(page, size)
    await page.screenshot(path=shot_path(screenshots_dir, "09-checks", size), full_page=True)

    # 10. lock, then publish, each only after ticking 仍要…
    confirm = page.locator("#ck-confirm")
    for action, word, status in (("lock", "锁定", "已锁定"), ("publish", "发布", "已发布")):
        await page.locator(f"#ck-{action}").click()
        await expect(confirm.locator("h3")).to_have_text(f"还有以下问题未处理，确认仍要{word}？")
        await expect(confirm).to_contain_text("评分表未交 4 份")
        await expect(page.locator("#ck-go")).to_be_disabled()
        await page.locator("#ck-anyway").check()
        await page.screenshot(path=shot_path(screenshots_dir, f"10-{action}-confirm", size))
        await page.locator("#ck-go").click()
        await expect(page.locator("#round-status")).to_have_text(status)
    await page.goto(f"{server.url}/admin/rounds/{rid}")
    await expect(page.locator("#status-pill")).to_have_text("已发布")
    await expect(page.locator("#round-home li.now")).to_have_text("已发布")
    await fits(page, size)
    await page.screenshot(path=shot_path(screenshots_dir, "10-published", size), full_page=True)
    await context.close()
    assert outside == []

    # the published standings equal the totals worked out by hand above
    r = await client.get(f"/api/v1/rounds/{rid}/standings", headers=bearer(organiser_token))
    assert r.status_code == 200, r.text
    rows = {x["village"]: x for x in r.json()["rows"]}
    assert set(rows) == {"V01", "V02"}
    for code, want in EXPECTED.items():
        got_row = {k: rows[code][k] for k in want}
        assert got_row == want, (code, rows[code])
        assert rows[code]["provisional"] is True
    assert (await Round.get(id=rid)).status == "published"
