"""A contest tablet keeps the scores the server acknowledged and brings back one the server lost."""

from __future__ import annotations

import datetime as dt
from typing import Any

import httpx
import pytest
from playwright.async_api import BrowserContext, expect

from arena.models import AuditEvent, ContestScore, IdempotencyRecord
from tests.browser.test_contest_flow import definition
from tests.conftest import Server, bearer
from tests.judges.helpers import TABLET

pytestmark = pytest.mark.browser


async def test_a_contest_score_the_server_lost_is_sent_again(
    server: Server, client: httpx.AsyncClient, organiser_token: str, new_context: Any
) -> None:
    created = (
        await client.post("/api/v1/contests", json=definition(), headers=bearer(organiser_token))
    ).json()
    cid = created["id"]
    for action in ("draw", "next", "start", "open"):
        state = await client.get(f"/api/v1/contests/{cid}", headers=bearer(organiser_token))
        body = {"action": action, "revision": state.json()["revision"]}
        r = await client.post(
            f"/api/v1/contests/{cid}/steps", json=body, headers=bearer(organiser_token)
        )
        assert r.status_code == 200, r.text
    context: BrowserContext = await new_context(viewport=TABLET, locale="zh-CN")
    tablet = await context.new_page()
    await tablet.goto(created["judges"][0]["url"])
    await expect(tablet.locator("#view")).to_have_attribute("data-view", "contest-sheet")
    await tablet.locator('.item[data-item="a"] .score-input').fill("50")
    await tablet.locator('.item[data-item="b"] .score-input').fill("35.5")
    await tablet.locator("#to-check").click()
    await tablet.locator("#submit").click()
    await expect(tablet.locator("#done-status")).to_contain_text("已提交")
    (score,) = await ContestScore.filter(contestant__contest_id=cid)
    code = score.contestant_id

    # What a restore from a copy taken just before the score leaves: no score, no record of its
    # idempotency key (the audit chain is not what this test looks at).
    await ContestScore.filter(id=score.id).delete()
    since = score.submitted_at - dt.timedelta(seconds=5)
    for record in await IdempotencyRecord.filter(created_at__gte=since):
        if record.response.get("score", {}).get("judge") == "J1":
            await record.delete()
    await tablet.evaluate("window.dispatchEvent(new Event('online'))")
    await expect(tablet.locator("#done-status")).to_contain_text("已提交", timeout=30000)
    for _ in range(60):
        if await ContestScore.filter(contestant_id=code).exists():
            break
        await tablet.wait_for_timeout(500)
    (back,) = await ContestScore.filter(contestant_id=code)
    assert (back.items, str(back.total)) == ({"a": "50", "b": "35.5"}, "85.50")  # 50 + 35.5
    events = await AuditEvent.filter(subject=f"contest:{cid}", action="contest.score").order_by(
        "id"
    )
    assert [e.payload.get("healed") for e in events] == [None, True]
    await context.close()
