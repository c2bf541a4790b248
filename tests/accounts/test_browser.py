"""Signing in and out in Chromium (1366×768 and 1024×768), the users page's checks as you type,
and screenshots of the sign-in and users pages on a laptop and a phone."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.async_api import BrowserContext, Dialog, Page, expect

from tests.accounts.helpers import PASSWORD, make_account, unique_name
from tests.browser.helpers import is_local
from tests.conftest import Server, create_round

pytestmark = pytest.mark.browser

TABLET_AGENT = (
    "Mozilla/5.0 (Linux; Android 13; HUAWEI MatePad) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/120.0 Safari/537.36"
)


async def _page(
    new_context: Any, server: Server, size: tuple[int, int], outside: list[str]
) -> Page:
    context: BrowserContext = await new_context(
        viewport={"width": size[0], "height": size[1]}, locale="zh-CN"
    )
    page = await context.new_page()
    page.on("request", lambda r: outside.append(r.url) if not is_local(server, r.url) else None)
    return page


async def _shot(page: Page, screenshots_dir: Path, name: str) -> None:
    path = screenshots_dir / f"{name}.png"
    await page.screenshot(path=path, full_page=True)


@pytest.mark.parametrize("size", [(1366, 768), (1024, 768)], ids=["1366x768", "1024x768"])
async def test_sign_in_reach_admin_and_sign_out(
    server: Server, new_context: Any, size: tuple[int, int]
) -> None:
    account = await make_account()
    outside: list[str] = []
    page = await _page(new_context, server, size, outside)
    await page.goto(f"{server.url}/")
    await page.get_by_role("link", name="组织部登录").click()
    await expect(page).to_have_url(f"{server.url}/login")
    await page.get_by_label("登录名").fill(account.name)
    await page.get_by_label("密码").fill("错误的密码123")
    await page.get_by_role("button", name="登录").click()
    await expect(page.locator("#signin-message")).to_have_text("登录名或密码不正确", timeout=15000)
    await expect(page.get_by_label("登录名")).to_have_value(account.name)
    await expect(page.get_by_label("密码")).to_have_value("")
    await page.get_by_label("密码").fill(PASSWORD)
    await page.get_by_role("button", name="登录").click()
    await expect(page).to_have_url(f"{server.url}/admin", timeout=15000)
    await expect(page.get_by_role("navigation", name="组织者导航")).to_be_visible()
    await page.get_by_role("navigation", name="组织者导航").get_by_role("link", name="账号").click()
    await expect(page).to_have_url(f"{server.url}/admin/users")
    row = page.locator(f'#accounts tr[data-name="{account.name}"]')
    await expect(row.locator(".pill")).to_have_text("本人")
    await page.get_by_role("button", name="退出登录").click()
    await expect(page).to_have_url(f"{server.url}/login?notice=out", timeout=15000)
    await expect(page.locator(".notice")).to_have_text("您已退出登录。")
    await page.goto(f"{server.url}/admin/users")
    await expect(page).to_have_url(f"{server.url}/login?next=/admin/users")
    await page.context.close()
    assert outside == []


async def test_users_page_checks_as_you_type_then_adds_and_disables(
    server: Server, new_context: Any, screenshots_dir: Path
) -> None:
    admin = await make_account()
    outside: list[str] = []
    page = await _page(new_context, server, (1024, 768), outside)
    await page.goto(f"{server.url}/login?next=/admin/users")
    await page.get_by_label("登录名").fill(admin.name)
    await page.get_by_label("密码").fill(PASSWORD)
    await page.get_by_role("button", name="登录").click()
    await expect(page).to_have_url(f"{server.url}/admin/users", timeout=15000)
    form = page.locator("#create-form")
    name = unique_name("李干事")
    await form.get_by_label("登录名").fill("李 干事")
    await expect(page.locator("#new-name-error")).to_have_text(
        "登录名只能由汉字、字母、数字和 . _ - · 组成，不能有空格"
    )
    await form.get_by_label("密码", exact=True).fill("短密码")
    await expect(page.locator("#new-password-error")).to_have_text("密码至少 8 位")
    await form.get_by_label("再输入一次密码").fill("另一个")
    await expect(page.locator("#new-again-error")).to_have_text("两次输入的密码不一致")
    await form.get_by_role("button", name="添加账号").click()
    # three problems, listed together, nothing sent
    await expect(form.locator(".form-problems")).to_have_text(
        "还有 3 处需要修改，见各栏下方的红字。"
    )
    await expect(page).to_have_url(f"{server.url}/admin/users")
    await form.scroll_into_view_if_needed()
    await page.screenshot(path=screenshots_dir / "accounts-users-problems-1024x768.png")
    await form.get_by_label("登录名").fill(name)
    await expect(page.locator("#new-name-error")).to_be_hidden()
    await form.get_by_label("密码", exact=True).fill("秋收冬藏2026")
    await expect(page.locator("#new-again-error")).to_have_text("两次输入的密码不一致")
    await form.get_by_label("再输入一次密码").fill("秋收冬藏2026")
    await expect(page.locator("#new-again-error")).to_be_hidden()
    await form.get_by_role("button", name="添加账号").click()
    await expect(page.locator("#users-done")).to_have_text(
        f"已添加账号「{name}」，请把登录名和密码当面告诉本人。", timeout=15000
    )
    row = page.locator(f'#accounts tr[data-name="{name}"]')
    await expect(row.locator(".state")).to_have_text("启用")
    asked: list[str] = []

    async def accept(dialog: Dialog) -> None:
        asked.append(dialog.message)
        await dialog.accept()

    page.on("dialog", accept)
    await row.get_by_role("button", name="停用").click()
    await expect(row.locator(".state")).to_have_text("已停用", timeout=15000)
    assert asked == [f"停用「{name}」？停用后不能登录，已登录的设备立即退出。"]
    await page.context.close()
    assert outside == []


async def test_screenshots_of_the_sign_in_and_users_pages(
    server: Server, new_context: Any, screenshots_dir: Path, client: httpx.AsyncClient,
    organiser_token: str,
) -> None:  # fmt: skip
    admin = await make_account(unique_name("组织部"))
    await make_account(unique_name("县委办"))
    created = await create_round(client, organiser_token)
    for link in (created["judges"][0]["url"], created["villages"][2]["url"]):
        async with httpx.AsyncClient(headers={"User-Agent": TABLET_AGENT}) as tablet:
            assert (await tablet.get(link)).status_code == 303
    outside: list[str] = []
    for label, size in (("1024x768", (1024, 768)), ("390x844", (390, 844))):
        page = await _page(new_context, server, size, outside)
        await page.goto(f"{server.url}/")
        await _shot(page, screenshots_dir, f"accounts-home-{label}")
        await page.goto(f"{server.url}/login")
        await _shot(page, screenshots_dir, f"accounts-login-{label}")
        await page.get_by_label("登录名").fill(admin.name)
        await page.get_by_label("密码").fill(PASSWORD)
        await page.get_by_role("button", name="登录").click()
        await expect(page).to_have_url(f"{server.url}/admin", timeout=15000)
        await page.goto(f"{server.url}/admin/users")
        await _shot(page, screenshots_dir, f"accounts-users-{label}")
        width = await page.evaluate("document.documentElement.scrollWidth")
        assert width <= size[0]  # nothing runs off the side
        await page.goto(f"{server.url}/admin/sessions")
        await _shot(page, screenshots_dir, f"accounts-sessions-{label}")
        width = await page.evaluate("document.documentElement.scrollWidth")
        assert width <= size[0]
        await page.context.close()
    assert outside == []
