"""A village's phone during the results meeting: 待揭晓 and no figure until its place is
announced, then its page as it stood at the freeze; live again after the release."""

from __future__ import annotations

import httpx
import pytest
from playwright.async_api import BrowserContext, expect

from tests.conftest import bearer
from tests.trust.support import post_sheet, small_round, tokens

pytestmark = pytest.mark.browser


async def test_village_phone_shows_nothing_until_its_place_is_announced(
    client: httpx.AsyncClient, organiser_token: str, new_context: object
) -> None:
    created = await small_round(client, organiser_token)
    rid, judges = created["id"], tokens(created)
    org = bearer(organiser_token)
    # J1 alone (the mean of one sheet): A = 8.5 + 8 = 16.5 (first), B = 4.5 + 3 = 7.5 (second).
    for code, a, b in (("A", 8.5, 8), ("B", 4.5, 3)):
        r = await post_sheet(client, judges["J1"], rid, code, "shared", {"a": a, "b": b})
        assert r.status_code == 201
    link = next(v["url"] for v in created["villages"] if v["code"] == "B")
    context: BrowserContext = await new_context(viewport={"width": 390, "height": 844})  # type: ignore[operator]
    page = await context.new_page()
    await page.goto(link)
    await expect(page.locator("#total")).to_have_text("7.50", timeout=15000)
    assert (await client.post(f"/admin/rounds/{rid}/reveal/freeze", headers=org)).status_code == 200
    await expect(page.locator("#total")).to_have_text("待揭晓", timeout=15000)
    await expect(page.locator("#rank")).to_have_text("待揭晓")
    await expect(page.locator("#withheld")).to_be_visible()
    await expect(page.locator("#cards")).to_be_hidden()
    body = await page.locator("body").inner_text()
    assert "7.50" not in body and "4.50" not in body and "16.50" not in body
    # After the freeze J1 rescores B 9 + 9 = 18: the phone must not show it.
    r = await post_sheet(client, judges["J1"], rid, "B", "shared", {"a": 9, "b": 9})
    assert r.status_code == 201
    # C (0, third) then B (7.50 at the freeze, second) are announced.
    for _ in range(2):
        assert (
            await client.post(f"/admin/rounds/{rid}/reveal/step", headers=org)
        ).status_code == 200
    await expect(page.locator("#total")).to_have_text("7.50", timeout=15000)
    await expect(page.locator("#rank")).to_have_text("2")
    await expect(page.locator("#cards")).to_be_visible()
    assert "18.00" not in await page.locator("body").inner_text()
    assert (
        await client.post(f"/admin/rounds/{rid}/reveal/release", headers=org)
    ).status_code == 200
    await expect(page.locator("#total")).to_have_text("18.00", timeout=15000)
    await context.close()
