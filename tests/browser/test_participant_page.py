"""The participant page on a phone: its own village's breakdown, every figure worked out by hand."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from playwright.async_api import BrowserContext, Locator, expect

from tests.conftest import Server, create_round
from tests.screens.support import STRENGTH, campaign_rounds, deduct, score_all, submit, survey

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


async def judge_list(box: Locator) -> list[tuple[str, str, str]]:
    """(total, kept or dropped, why) of every judge on a paper, sorted (labels are keyed)."""
    rows = await box.locator(".judges li").evaluate_all(
        """items => items.map(li => [
            li.querySelector(".j-total").textContent, li.className,
            li.querySelector(".j-why") ? li.querySelector(".j-why").textContent : ""])"""
    )
    return sorted(tuple(r) for r in rows)


# V07 桥头村 at strength 0.8 in the current round, worked out by hand (tests/screens/support.py:
# judge n = 0..6 scores every item at 0.8 + (n − 3) × 0.02 of its maximum, to the half point).
# shared (org 10, eco 10, build 8, talent 6, gov 6):
#   J1 0.74: 7.5 7.5 6 4.5 4.5 = 30    J2 0.76: 7.5 7.5 6 4.5 4.5 = 30
#   J3 0.78: 8 8 6 4.5 4.5 = 31        J4 0.80: 8 8 6.5 5 5 = 32.5
#   J5 0.82: 8 8 6.5 5 5 = 32.5        J6 0.84: 8.5 8.5 6.5 5 5 = 33.5
#   J7 0.86: 8.5 8.5 7 5 5 = 34
#   drop the lowest 30 (J1: equal totals, the code that sorts first) and the highest 34:
#   (30 + 31 + 32.5 + 32.5 + 33.5)/5 = 159.5/5 = 31.90; item means over J2–J6: org 40/5 = 8.00,
#   eco 8.00, build 31.5/5 = 6.30, talent 24/5 = 4.80, gov 4.80 (sum 31.90)
# demonstration (t1 20, t2 10): 22.5, 22.5, 23.5, 24, 24.5, 25.5, 25.5 -> drop 22.5 and 25.5 ->
#   120/5 = 24.00; t1 (15 + 15.5 + 16 + 16.5 + 17)/5 = 16.00, t2 (7.5 + 8 + 8 + 8 + 8.5)/5 = 8.00
# satisfaction 20/6/3/1 = 30 answers: (20 + 4.8 + 1.8)/30 = 0.88667 × 30 = 26.60
# total 31.90 + 24.00 + 26.60 − 2 = 80.50: 1st of 8 (next V01 63.00); one round earlier (all at
#   STRENGTH, no surveys) V07 was 6th with 45.50: rank change 6 − 1 = +5.
SHARED_JUDGES = [
    ("30.00", "dropped", "去掉一个最低分"), ("30.00", "kept", ""), ("31.00", "kept", ""),
    ("32.50", "kept", ""), ("32.50", "kept", ""), ("33.50", "kept", ""),
    ("34.00", "dropped", "去掉一个最高分"),
]  # fmt: skip
DEMONSTRATION_JUDGES = [
    ("22.50", "dropped", "去掉一个最低分"), ("22.50", "kept", ""), ("23.50", "kept", ""),
    ("24.00", "kept", ""), ("24.50", "kept", ""), ("25.50", "dropped", "去掉一个最高分"),
    ("25.50", "kept", ""),
]  # fmt: skip
ITEMS = {
    "shared": [("org", "8.00 / 10.00"), ("eco", "8.00 / 10.00"), ("build", "6.30 / 8.00"),
               ("talent", "4.80 / 6.00"), ("gov", "4.80 / 6.00")],
    "demonstration": [("t1", "16.00 / 20.00"), ("t2", "8.00 / 10.00")],
}  # fmt: skip


async def test_participant_page_shows_the_breakdown_worked_out_by_hand(
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
    reason = "村口垃圾集中点清运不及时，环境整治出现反弹"
    await deduct(client, organiser_token, current["id"], "V07", "relapse", 2, reason)
    link = next(v for v in current["villages"] if v["code"] == "V07")
    context: BrowserContext = await new_context(viewport=PHONE, has_touch=True)  # type: ignore[operator]
    page = await context.new_page()
    await page.goto(link["url"])
    await expect(page.locator("#app")).to_have_attribute("data-ready", "true")
    await expect(page.locator("#conn")).to_have_attribute("data-state", "live")

    await expect(page.locator("#total")).to_have_text("80.50")
    await expect(page.locator("#rank")).to_have_text("1")
    await expect(page.locator("#rank-of")).to_have_text("/ 8")
    await expect(page.locator("#delta .d-rank")).to_have_attribute("data-value", "5")
    for key, figure in (("shared", "31.90"), ("demonstration", "24.00"), ("satisfaction", "26.60")):
        await expect(page.locator(f'#papers tr[data-paper="{key}"] .num')).to_have_text(figure)
    await expect(page.locator('#papers tr[data-paper="deductions"] .num')).to_have_text("−2.00")
    for key, judges in (("shared", SHARED_JUDGES), ("demonstration", DEMONSTRATION_JUDGES)):
        box = page.locator(f"#paper-{key}")
        await expect(box.locator(".judges li")).to_have_count(7)
        assert await judge_list(box) == judges
        labels = await box.locator(".judges li").evaluate_all(
            "items => items.map(li => li.dataset.label)"
        )
        assert sorted(labels) == [f"评委{n}" for n in range(1, 8)]
        for code, figure in ITEMS[key]:
            await expect(box.locator(f'.item[data-code="{code}"] .i-fig')).to_have_text(figure)
    for label, n in (("满意", 20), ("比较满意", 6), ("基本满意", 3), ("不满意", 1)):
        await expect(page.locator(f'#paper-satisfaction li[data-label="{label}"] b')).to_have_text(
            str(n)
        )
    await expect(page.locator("#paper-satisfaction .note")).to_have_text("有效问卷 30 份")
    await expect(page.locator("#paper-deductions .reason")).to_have_text(reason)
    await expect(page.locator("#weak li.weak-item")).to_have_count(3)
    await expect(page.locator(".board-link")).to_have_attribute("href", "/village/board")
    # Judges stay anonymous to participants: no judge's name reaches the page.
    body = await page.locator("body").inner_text()
    assert [j["name"] for j in definition["judges"] if j["name"] in body] == []
    await page.screenshot(path=str(screenshots_dir / "participant-390x844.png"), full_page=True)

    # 刘洋 (J4) gives full marks on the shared paper: 30, 30, 31, 32.5, 33.5, 34, 40 -> drop 30
    # and 40 -> (30 + 31 + 32.5 + 33.5 + 34)/5 = 161/5 = 32.20; total 32.20 + 24 + 26.60 − 2 =
    # 80.80. The open page follows by itself.
    answer = await submit(client, current, definition, "J4", "V07", "shared", 1.0)
    assert answer.status_code == 201, answer.text
    await expect(page.locator('#papers tr[data-paper="shared"] .num')).to_have_text("32.20")
    await expect(page.locator("#total")).to_have_text("80.80")


async def test_participant_page_flags_too_few_answers(
    server: Server, client: httpx.AsyncClient, organiser_token: str, new_context: object
) -> None:
    created = await create_round(client, organiser_token)
    # 10 + 5 + 0 + 1 = 16 answers < min_responses 30: flagged, still counted:
    # (10 + 5 × 0.8 + 0 + 0)/16 = 14/16 = 0.875 × 30 = 26.25
    await survey(client, organiser_token, created["id"], "V03", (10, 5, 0, 1))
    link = next(v for v in created["villages"] if v["code"] == "V03")
    context: BrowserContext = await new_context(viewport=PHONE, has_touch=True)  # type: ignore[operator]
    page = await context.new_page()
    await page.goto(link["url"])
    await expect(page.locator("#app")).to_have_attribute("data-ready", "true")
    await expect(page.locator("#paper-satisfaction .note")).to_have_text(
        "有效问卷 16 份（少于 30 份，样本不足）"
    )
    await expect(page.locator('#papers tr[data-paper="satisfaction"] .num')).to_have_text("26.25")
    await context.close()
