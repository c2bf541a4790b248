"""The tablet rule for a sheet the server holds differently: the later decision wins.

A tablet re-sends its acknowledged copy only when the server has no record of the sheet or one
written before that acknowledgment; a record written after it (the judge's other device, an
organiser's entry or void) is kept and the tablet takes it over.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from playwright.async_api import BrowserContext, expect

from arena.models import IdempotencyRecord, Judge, Sheet
from tests.conftest import Server, bearer, create_round
from tests.judges.helpers import TABLET, judge_client, judge_link, sheet_body

pytestmark = pytest.mark.browser
ACK = {"digest": "d-mine", "at": "2025-09-16T08:00:05.500000+00:00", "version": 3, "precise": True}


def record(digest: str, at: str, version: int, voided: bool = False) -> dict[str, Any]:
    return {"digest": digest, "at": at, "version": version, "voided": voided}


# (the server's record, what the tablet does); the tablet's copy was acknowledged at 08:00:05.5
CASES = [
    (None, "resend"),  # the server has nothing: it lost the sheet
    (record("d-mine", "2025-09-16T08:00:05.500000+00:00", 3), "held"),
    (record("d-old", "2025-09-16T07:58:00.000000+00:00", 2), "resend"),  # older: lost ours
    (record("d-other", "2025-09-16T08:01:00.000000+00:00", 4), "adopt"),  # newer: keep theirs
    (record("d-other", "2025-09-16T08:01:00.000000+00:00", 3, voided=True), "voided"),
    (record("d-old", "2025-09-16T07:59:00.000000+00:00", 2, voided=True), "resend"),
]


async def test_the_rule_case_by_case(server: Server, new_context: Any) -> None:
    context = await new_context()
    page = await context.new_page()
    await page.goto(f"{server.url}/static/css/judge.css")
    got = await page.evaluate(
        """async ([ack, cases]) => {
          const heal = await import("/static/js/judge/heal.js");
          const out = cases.map(([rec]) => heal.decide({ ack }, rec));
          // An acknowledgment known only to the second (the answer to the write): within that
          // second the version decides — 3 is later than the server's 2, earlier than its 4.
          const coarse = { ...ack, at: "2025-09-16T08:00:05+00:00", precise: false };
          const r = (v) => ({ digest: "d-x", at: "2025-09-16T08:00:05.900000+00:00", version: v });
          out.push(heal.decide({ ack: coarse }, r(2)), heal.decide({ ack: coarse }, r(4)));
          out.push(heal.decide({}, r(1)), heal.decide(undefined, null));
          return out;
        }""",
        [ACK, CASES],
    )
    assert got == [want for _, want in CASES] + ["resend", "adopt", "adopt", "none"]
    await context.close()


async def test_a_later_sheet_from_another_device_is_not_overwritten(
    server: Server, client: httpx.AsyncClient, organiser_token: str, new_context: Any
) -> None:
    created = await create_round(client, organiser_token)
    rid = created["id"]
    context: BrowserContext = await new_context(viewport=TABLET, locale="zh-CN")
    page = await context.new_page()
    await page.goto(judge_link(created, "J6"))
    await expect(page.locator("body")).to_have_attribute("data-app", "ready")
    await page.evaluate("location.hash = '#v/V02/demonstration'")
    await page.locator('.item[data-item="t1"] .score-input').fill("15")
    await page.locator('.item[data-item="t2"] .score-input').fill("8")
    await page.locator("#to-check").click()
    await page.locator("#submit").click()
    await expect(page.locator("#confirm-line")).to_have_text("已提交 港边村 示范目标 23 分")

    # The same judge on a second device sends a later version.
    async with judge_client(server, created, "J6") as phone:
        body = sheet_body("V02", "demonstration", {"t1": 18, "t2": 9}, "other-device")
        r = await phone.post(
            f"/api/v1/rounds/{rid}/sheets", json=body, headers={"X-Arena-Request": "1"}
        )
        assert (r.status_code, r.json()["sheet"]["version"]) == (201, 2)
    await page.evaluate("window.dispatchEvent(new Event('online'))")  # check now, not in 20 s
    await page.locator("#to-route").click()
    row = page.locator('.stop[data-village="V02"] .paper-row[data-paper="demonstration"]')
    await expect(row.locator(".paper-total")).to_have_text("27 / 30 分", timeout=15000)  # 18 + 9
    await expect(row.locator(".chip")).to_have_text("已提交")
    await page.wait_for_timeout(2000)  # give a wrong re-send every chance to happen
    judge = await Judge.get(round_id=rid, code="J6")
    sheets = await Sheet.filter(judge_id=judge.id).order_by("version")
    assert [(s.version, s.current, s.items) for s in sheets] == [
        (1, False, {"t1": "15", "t2": "8"}),
        (2, True, {"t1": "18", "t2": "9"}),
    ]
    await context.close()


async def test_a_lost_sheet_is_never_shown_as_submitted(
    server: Server, client: httpx.AsyncClient, organiser_token: str, new_context: Any
) -> None:
    created = await create_round(client, organiser_token)
    rid = created["id"]
    context: BrowserContext = await new_context(viewport=TABLET, locale="zh-CN")
    page = await context.new_page()
    await page.goto(judge_link(created, "J7"))
    await expect(page.locator("body")).to_have_attribute("data-app", "ready")
    await page.evaluate("location.hash = '#v/V08/demonstration'")
    for code in ("t1", "t2"):
        await page.locator(f'.item[data-item="{code}"] .score-input').fill("10")
    await page.locator("#to-check").click()
    await page.locator("#submit").click()
    await expect(page.locator("#confirm-line")).to_contain_text("已提交")
    await page.locator("#to-route").click()
    row = page.locator('.stop[data-village="V08"] .paper-row[data-paper="demonstration"]')
    await expect(row.locator(".chip")).to_have_text("已提交")

    # The round is locked, then the server loses the sheet (restored from an older copy).
    assert (
        await client.post(f"/api/v1/rounds/{rid}/lock", headers=bearer(organiser_token))
    ).status_code == 200
    judge = await Judge.get(round_id=rid, code="J7")
    (sheet,) = await Sheet.filter(judge_id=judge.id)
    for record in await IdempotencyRecord.filter(response__isnull=False):
        if record.response.get("sheet", {}).get("id") == sheet.id:
            await record.delete()
    await sheet.delete()
    await page.evaluate("window.dispatchEvent(new Event('online'))")
    # The tablet tries to bring it back; the locked round refuses: red, and never 已提交.
    await expect(row.locator(".chip")).to_have_text(
        "服务器缺少这份表，但本轮已锁定：请联系组织部，解锁后自动补传", timeout=15000
    )
    await expect(row.locator(".chip")).to_have_class("chip failed")

    # Unlocked: the tablet sends it again by itself.
    assert (
        await client.post(f"/api/v1/rounds/{rid}/unlock", headers=bearer(organiser_token))
    ).status_code == 200
    await page.evaluate("window.dispatchEvent(new Event('online'))")
    await expect(row.locator(".chip")).to_have_text("已提交", timeout=15000)
    (back,) = await Sheet.filter(judge_id=judge.id)
    assert (back.version, back.current, back.items) == (1, True, {"t1": "10", "t2": "10"})
    await context.close()


async def test_the_copies_are_kept_until_the_round_is_published(
    server: Server, client: httpx.AsyncClient, organiser_token: str, new_context: Any
) -> None:
    created = await create_round(client, organiser_token)
    rid = created["id"]
    context: BrowserContext = await new_context(viewport=TABLET, locale="zh-CN")
    page = await context.new_page()
    await page.goto(judge_link(created, "J2"))
    await expect(page.locator("body")).to_have_attribute("data-app", "ready")
    await page.evaluate("location.hash = '#v/V07/demonstration'")
    for code in ("t1", "t2"):
        await page.locator(f'.item[data-item="{code}"] .score-input').fill("9")
    await page.locator("#to-check").click()
    await page.locator("#submit").click()
    await expect(page.locator("#confirm-line")).to_contain_text("已提交")
    copies = """async () => {
      const db = await import("/static/js/judge/db.js");
      return (await db.all("sheets")).map((s) => [s.village, s.paper, Boolean(s.ack)]);
    }"""
    assert await page.evaluate(copies) == [["V07", "demonstration", True]]
    r = await client.post(f"/api/v1/rounds/{rid}/lock", headers=bearer(organiser_token))
    assert r.status_code == 200, r.text
    r = await client.post(  # published with sheets still missing: the organiser confirms
        f"/api/v1/rounds/{rid}/publish", json={"confirm": True}, headers=bearer(organiser_token)
    )
    assert r.status_code == 200, r.text
    await page.evaluate("window.dispatchEvent(new Event('online'))")
    await expect(page.locator("#round-status")).to_have_text("已发布", timeout=15000)
    for _ in range(40):
        if await page.evaluate(copies) == [["V07", "demonstration", False]]:
            break
        await page.wait_for_timeout(250)
    assert await page.evaluate(copies) == [["V07", "demonstration", False]]
    await context.close()
