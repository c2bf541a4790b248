"""The participant page on a phone shows exactly the API breakdown of its own village."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from playwright.async_api import BrowserContext, expect

from tests.conftest import Server, bearer
from tests.screens.support import STRENGTH, campaign_rounds, deduct, score_all, submit, survey

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


def two(value: float) -> str:
    return f"{value:.2f}"


async def test_participant_numbers_equal_the_api_breakdown(
    server: Server,
    client: httpx.AsyncClient,
    organiser_token: str,
    new_context: object,
    screenshots_dir: Path,
) -> None:
    earlier, current, definition = await campaign_rounds(client, organiser_token)
    await score_all(client, earlier, definition, STRENGTH)
    await score_all(client, current, definition, {**STRENGTH, "V07": 0.8})
    await survey(client, organiser_token, current["id"], "V07", (20, 6, 3, 1))
    await deduct(
        client,
        organiser_token,
        current["id"],
        "V07",
        "relapse",
        2,
        "村口垃圾集中点清运不及时，环境整治出现反弹",
    )
    link = next(v for v in current["villages"] if v["code"] == "V07")
    context: BrowserContext = await new_context(viewport=PHONE, has_touch=True)  # type: ignore[operator]
    page = await context.new_page()
    await page.goto(link["url"])
    await expect(page.locator("#app")).to_have_attribute("data-ready", "true")
    await expect(page.locator("#conn")).to_have_attribute("data-state", "live")
    api = (
        await client.get(
            f"/api/v1/rounds/{current['id']}/villages/V07", headers=bearer(link["token"])
        )
    ).json()

    await expect(page.locator("#total")).to_have_text(two(api["total"]))
    await expect(page.locator("#rank")).to_have_text(str(api["rank"]))
    await expect(page.locator("#rank-of")).to_have_text(f"/ {api['rank_of']}")
    await expect(page.locator("#delta .d-rank")).to_have_attribute(
        "data-value", str(api["delta"]["rank"])
    )
    for key in ("shared", "demonstration", "satisfaction"):
        await expect(page.locator(f'#papers tr[data-paper="{key}"] .num')).to_have_text(
            two(api["papers"][key]["score"])
        )
    await expect(page.locator('#papers tr[data-paper="deductions"] .num')).to_have_text("−2.00")
    for key in ("shared", "demonstration"):
        paper = api["papers"][key]
        box = page.locator(f"#paper-{key}")
        labels = [j["label"] for j in paper["judges"]]
        await expect(box.locator(".judges li")).to_have_count(len(labels))
        for judge in paper["judges"]:
            item = box.locator(f'.judges li[data-label="{judge["label"]}"]')
            await expect(item.locator(".j-total")).to_have_text(two(judge["total"]))
            await expect(item).to_have_class("kept" if judge["kept"] else "dropped")
            if not judge["kept"]:
                await expect(item.locator(".j-why")).to_have_text(judge["why"])
        for item in paper["items"]:
            await expect(box.locator(f'.item[data-code="{item["code"]}"] .i-fig')).to_have_text(
                f"{two(item['mean'])} / {two(item['max'])}"
            )
    counts = api["papers"]["satisfaction"]["counts"]
    for label, n in counts.items():
        await expect(page.locator(f'#paper-satisfaction li[data-label="{label}"] b')).to_have_text(
            str(n)
        )
    entry = api["papers"]["deductions"]["entries"][0]
    await expect(page.locator("#paper-deductions .reason")).to_have_text(entry["reason"])
    await expect(page.locator("#weak li.weak-item")).to_have_count(len(api["weak_items"]))
    assert len(api["weak_items"]) == 3
    await expect(page.locator(".board-link")).to_have_attribute("href", "/village/board")
    # Judges stay anonymous to participants: no judge's name reaches the page.
    body = await page.locator("body").inner_text()
    assert [j["name"] for j in definition["judges"] if j["name"] in body] == []
    await page.screenshot(path=str(screenshots_dir / "participant-390x844.png"), full_page=True)

    # A new sheet from a judge changes the village's figures on the open page by itself.
    answer = await submit(client, current, definition, "J4", "V07", "shared", 1.0)
    assert answer.status_code == 201, answer.text
    after = (
        await client.get(
            f"/api/v1/rounds/{current['id']}/villages/V07", headers=bearer(link["token"])
        )
    ).json()
    assert after["papers"]["shared"]["score"] != api["papers"]["shared"]["score"]
    await expect(page.locator('#papers tr[data-paper="shared"] .num')).to_have_text(
        two(after["papers"]["shared"]["score"])
    )
    await expect(page.locator("#total")).to_have_text(two(after["total"]))
