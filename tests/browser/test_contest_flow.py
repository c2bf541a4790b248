"""A whole 擂台赛 in Chromium: the host's console, two judges' tablets, the big screen, a phone.

Three contestants, three judges (min_judges_for_trim 3, so the highest and the lowest judge are
dropped); J1 and J2 score on tablets, J3 through the API. Criteria a (max 60) and b (max 40),
time limit 300 s, 0.5 points off per started 30 s over. By hand:

    C1 王建国: J1 50+35 = 85, J2 45+30.5 = 75.5, J3 55+37 = 92 -> drop 92 and 75.5 -> 85.00;
               the host corrects the time to 5:40 = 40 s over -> 2 steps -> -1.00 -> 84.00
    C2 李秀英: J1 52+36 = 88, J2 50+36 = 86, J3 48+33 = 81 -> drop 88 and 81 -> 86.00, on time
    C3 赵志强: J1 40+30 = 70, J2 44.5+35 = 79.5, J3 50+30 = 80 -> drop 80 and 70 -> 79.50

Final ranking: 1 李秀英 86.00 一等奖, 2 王建国 84.00 二等奖, 3 赵志强 79.50 三等奖.
"""

from __future__ import annotations

import hashlib
import uuid
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.async_api import BrowserContext, Page, expect

from tests.conftest import Server, bearer
from tests.contests.test_flow import score
from tests.judges.helpers import PHONE, TABLET

pytestmark = pytest.mark.browser

SCREEN = {"width": 1920, "height": 1080}
SEED = "20251218"
PEOPLE = {"C1": ("王建国", "青山村"), "C2": ("李秀英", "港边村"), "C3": ("赵志强", "银滩村")}
SCORES = {  # contestant -> judge -> (a, b)
    "C1": {"J1": (50, 35), "J2": (45, 30.5), "J3": (55, 37)},
    "C2": {"J1": (52, 36), "J2": (50, 36), "J3": (48, 33)},
    "C3": {"J1": (40, 30), "J2": (44.5, 35), "J3": (50, 30)},
}
REVEAL = {  # contestant -> ([(label, total, struck)], mean, penalty, final)
    "C1": ([("评委1", "85.00", False), ("评委2", "75.50", True), ("评委3", "92.00", True)],
           "85.00", "−1.00", "84.00"),
    "C2": ([("评委1", "88.00", True), ("评委2", "86.00", False), ("评委3", "81.00", True)],
           "86.00", "0.00", "86.00"),
    "C3": ([("评委1", "70.00", True), ("评委2", "79.50", False), ("评委3", "80.00", True)],
           "79.50", "0.00", "79.50"),
}  # fmt: skip


def definition() -> dict[str, Any]:
    return {
        "name": f"书记擂台比武（测试 {uuid.uuid4().hex[:4]}）",
        "date": "2025-12-18",
        "time_limit_seconds": 300,
        "aggregation": {"method": "trimmed", "trim": 1, "min_judges_for_trim": 3},
        "contestants": [
            {"code": c, "name": n, "post": "村党支部书记", "unit": u}
            for c, (n, u) in PEOPLE.items()
        ],
        "judges": [{"code": f"J{n}", "name": f"评委{n}号"} for n in (1, 2, 3)],
        "criteria": [
            {"code": "a", "name": "工作实绩", "max": 60, "guide": "试点任务完成情况"},
            {"code": "b", "name": "现场表现", "max": 40},
        ],
        "awards": [{"name": n, "count": 1} for n in ("一等奖", "二等奖", "三等奖")],
    }


async def open_page(context: BrowserContext, url: str, urls: list[str]) -> Page:
    page = await context.new_page()
    page.on("request", lambda request: urls.append(request.url))
    page.on("websocket", lambda ws: urls.append(ws.url))
    await page.goto(url)
    return page


async def step(console: Page, label: str) -> None:
    """Click one of the host's step buttons and wait until the console has the new state."""
    revision = await console.locator("#contest-console").get_attribute("data-revision")
    await console.get_by_role("button", name=label, exact=True).click()
    await expect(console.locator("#contest-console")).not_to_have_attribute(
        "data-revision", revision or ""
    )


async def score_on_tablet(
    tablet: Page, name: str, a: float, b: float, shot: Path | None = None
) -> None:
    """Type the first criterion, reach the second with the + button, check and submit."""
    await expect(tablet.locator("#view")).to_have_attribute("data-view", "contest-sheet")
    await expect(tablet.locator("#contestant-name")).to_have_text(name)
    await tablet.locator('.item[data-item="a"] .score-input').fill(f"{a:g}")
    await tablet.locator('.item[data-item="b"] .score-input').fill(f"{b - 1:g}")
    plus = tablet.locator('.item[data-item="b"] .plus')
    await plus.tap()
    await plus.tap()
    await expect(tablet.locator('.item[data-item="b"] .score-input')).to_have_value(f"{b:g}")
    await expect(tablet.locator("#running-total strong")).to_have_text(f"{a + b:g}")
    if shot:
        await tablet.screenshot(path=str(shot))
    await tablet.locator("#to-check").tap()
    await expect(tablet.locator("#check-total")).to_have_text(f"{a + b:g}")
    await tablet.locator("#submit").tap()
    await expect(tablet.locator("#done-status")).to_contain_text("已提交")
    await expect(tablet.locator("#outbox-count")).to_have_attribute("data-count", "0")


async def test_a_contest_from_draw_to_awards(
    server: Server,
    client: httpx.AsyncClient,
    organiser_token: str,
    new_context: Any,
    screenshots_dir: Path,
) -> None:
    r = await client.post("/api/v1/contests", json=definition(), headers=bearer(organiser_token))
    assert r.status_code == 201, r.text
    created = r.json()
    cid = created["id"]
    urls: list[str] = []
    host_ctx: BrowserContext = await new_context(viewport={"width": 1366, "height": 900})
    await (await open_page(host_ctx, f"{server.url}/o/{organiser_token}", urls)).close()
    console = await open_page(host_ctx, f"{server.url}/admin/contests/{cid}/console", urls)
    console.on("dialog", lambda dialog: dialog.accept())
    await expect(console.locator("#conn")).to_have_attribute("data-state", "live")
    screen_ctx: BrowserContext = await new_context(viewport=SCREEN)
    screen = await open_page(screen_ctx, created["screen"]["url"], urls)
    assert screen.url == f"{server.url}/screen/contest?contest={cid}"
    await expect(screen.locator("#stage")).to_have_attribute("data-view", "waiting")
    tablets: dict[str, Page] = {}
    for code in ("J1", "J2"):
        ctx = await new_context(viewport=TABLET, has_touch=True, locale="zh-CN")
        link = next(j["url"] for j in created["judges"] if j["code"] == code)
        tablets[code] = await open_page(ctx, link, urls)
        await expect(tablets[code].locator("body")).to_have_attribute("data-app", "ready")
        await expect(tablets[code].locator("#view")).to_have_attribute("data-view", "contest-wait")
        await expect(tablets[code].locator("#judge-name")).to_have_text(
            f"评委{code[1]}：评委{code[1]}号"
        )
    phone_ctx: BrowserContext = await new_context(viewport=PHONE, has_touch=True, is_mobile=True)
    phone_link = next(c["url"] for c in created["contestants"] if c["code"] == "C1")
    phone = await open_page(phone_ctx, phone_link, urls)
    assert phone.url == f"{server.url}/contest/mine?contest={cid}"
    await expect(phone.locator("#pending")).to_have_text("成绩尚未揭晓")

    # The draw: the seed typed on the console, the order anyone can re-derive by hand.
    await console.locator("#seed-input").fill(SEED)
    await step(console, "抽签")
    order = sorted(PEOPLE, key=lambda c: hashlib.sha256(f"{SEED}:{c}".encode()).hexdigest())
    await expect(screen.locator("#seed")).to_have_text(SEED)
    await expect(screen.locator("#draw-list .d-name")).to_have_text([PEOPLE[c][0] for c in order])
    await expect(console.locator("#order .name")).to_have_text([PEOPLE[c][0] for c in order])
    await screen.wait_for_timeout(2600)  # let the order finish appearing
    await screen.screenshot(path=str(screenshots_dir / "contest-screen-draw.png"))

    for n, code in enumerate(order):
        name = PEOPLE[code][0]
        await step(console, "下一位")
        await expect(screen.locator("#name")).to_have_text(name)
        await expect(screen.locator("#timer")).to_have_text("05:00")
        await step(console, "开始计时")
        await expect(screen.locator("#timer")).to_have_attribute("data-running", "true")
        await step(console, "停止计时")
        if code == "C1":  # the host started the timer late: 5 min 40 s used in fact
            await console.locator("#fix-min").fill("5")
            await console.locator("#fix-sec").fill("40")
            await step(console, "更正用时")
            await expect(screen.locator("#timer")).to_have_text("超时 00:40")
            await expect(screen.locator("#timer")).to_have_attribute("data-over", "true")
            await console.screenshot(path=str(screenshots_dir / "contest-console.png"))
        await step(console, "开始打分")
        await expect(screen.locator("#judges li")).to_have_text(["评委1 …", "评委2 …", "评委3 …"])
        for judge in ("J1", "J2"):
            a, b = SCORES[code][judge]
            shot = screenshots_dir / "contest-tablet-sheet.png" if n + int(judge[1]) == 1 else None
            await score_on_tablet(tablets[judge], name, a, b, shot)
        if n == 0:
            await tablets["J2"].screenshot(path=str(screenshots_dir / "contest-tablet-done.png"))
            await expect(screen.locator("#judges li.done")).to_have_count(2)
            await screen.screenshot(path=str(screenshots_dir / "contest-screen-scoring.png"))
        a, b = SCORES[code]["J3"]
        token = next(j["token"] for j in created["judges"] if j["code"] == "J3")
        assert (await score(client, token, cid, code, {"a": a, "b": b})).status_code == 201
        await expect(screen.locator("#judges li.done")).to_have_count(3)
        await expect(console.locator("#judges li.done")).to_have_count(3)
        await step(console, "结束打分")
        await step(console, "亮分")
        judges, mean, penalty, final = REVEAL[code]
        cards = screen.locator("#jscores li")
        await expect(cards.locator(".jt")).to_have_text([t for _, t, _ in judges])
        await expect(screen.locator("#jscores li.dropped .jl")).to_have_text(
            [label for label, _, struck in judges if struck]
        )
        await expect(screen.locator("#mean")).to_have_text(mean)
        await expect(screen.locator("#penalty")).to_have_text(penalty)
        await expect(screen.locator("#final")).to_have_text(final)
        await expect(screen.locator("#ranking li")).to_have_count(n + 1)
        if code == "C1":
            await screen.wait_for_timeout(2500)  # the scores, then the sums, appear in turn
            await screen.screenshot(path=str(screenshots_dir / "contest-screen-reveal.png"))
            await expect(phone.locator("#final")).to_have_text("84.00")
        if n == 1:  # a reload of the console and of the screen mid-way loses nothing
            ranking = await screen.locator("#ranking li .r-name b").all_text_contents()
            await console.reload()
            await screen.reload()
            await expect(console.locator("#contest-console")).to_have_attribute(
                "data-phase", "revealed"
            )
            await expect(console.locator("#who-name")).to_have_text(name)
            await expect(console.get_by_role("button", name="下一位", exact=True)).to_be_enabled()
            await expect(screen.locator("#final")).to_have_text(final)
            await expect(screen.locator("#ranking li .r-name b")).to_have_text(ranking)
            await expect(screen.locator("#seed")).to_have_text(SEED)

    await expect(console.get_by_role("button", name="下一位", exact=True)).to_be_disabled()
    await step(console, "结束比赛")
    await expect(screen.locator("#stage")).to_have_attribute("data-view", "final")
    await expect(screen.locator("#rank-title")).to_have_text("最终排名")
    rows = screen.locator("#ranking li")
    await expect(rows.locator(".r-rank")).to_have_text(["1", "2", "3"])
    await expect(rows.locator(".r-name b")).to_have_text(["李秀英", "王建国", "赵志强"])
    await expect(rows.locator(".r-final")).to_have_text(["86.00", "84.00", "79.50"])
    await expect(rows.locator(".r-award")).to_have_text(["一等奖", "二等奖", "三等奖"])
    await screen.screenshot(path=str(screenshots_dir / "contest-screen-final.png"))
    await expect(console.locator("#next-hint")).to_contain_text("比赛已结束")

    # The contestant's phone: final, rank, award, every judge with the dropped ones struck.
    await expect(phone.locator("#rank")).to_have_text("2")
    await expect(phone.locator("#rank-label")).to_have_text("最终名次")
    await expect(phone.locator("#award")).to_have_text("二等奖")
    await expect(phone.locator("#judges tr.dropped th")).to_have_text(
        ["评委2 去掉最低分", "评委3 去掉最高分"]
    )
    await expect(phone.locator("#penalty-label")).to_have_text("超时扣分（超时 40 秒）")
    await phone.screenshot(path=str(screenshots_dir / "contest-phone-mine.png"), full_page=True)
    await expect(tablets["J1"].locator("#view")).to_contain_text("比赛已结束")
    await expect(tablets["J1"].locator(".contest-history li")).to_have_count(3)

    hosts = {u.split("/", 3)[2] for u in urls}
    assert hosts == {server.url.removeprefix("http://")}
    results = (
        await client.get(f"/api/v1/contests/{cid}/results", headers=bearer(organiser_token))
    ).json()
    assert [(r["code"], r["final"], r["award"]) for r in results["rows"]] == [
        ("C2", 86.0, "一等奖"),
        ("C1", 84.0, "二等奖"),
        ("C3", 79.5, "三等奖"),
    ]


async def test_a_score_held_offline_after_scoring_closed_is_refused_clearly(
    server: Server, client: httpx.AsyncClient, organiser_token: str, new_context: Any
) -> None:
    data = definition()
    r = await client.post("/api/v1/contests", json=data, headers=bearer(organiser_token))
    created = r.json()
    cid = created["id"]
    context: BrowserContext = await new_context(viewport=TABLET, has_touch=True, locale="zh-CN")
    tablet = await open_page(context, created["judges"][0]["url"], [])
    await expect(tablet.locator("body")).to_have_attribute("data-app", "ready")
    await expect(tablet.locator("body")).to_have_attribute("data-offline", "ready")

    async def host(action: str) -> None:
        state = await client.get(f"/api/v1/contests/{cid}", headers=bearer(organiser_token))
        body = {"action": action, "revision": state.json()["revision"]}
        answer = await client.post(
            f"/api/v1/contests/{cid}/steps", json=body, headers=bearer(organiser_token)
        )
        assert answer.status_code == 200, answer.text

    for action in ("draw", "next", "start", "open"):
        await host(action)
    await expect(tablet.locator("#view")).to_have_attribute("data-view", "contest-sheet")
    await context.set_offline(True)
    await tablet.locator('.item[data-item="a"] .score-input').fill("50")
    await tablet.locator('.item[data-item="b"] .score-input').fill("30")
    await tablet.locator("#to-check").tap()
    await tablet.locator("#submit").tap()
    # Waiting for the network is shown calmly (not as a failure), with the count.
    await expect(tablet.locator("#done-status")).to_have_text("待发送（恢复网络后自动发送）")
    await expect(tablet.locator("#outbox-count")).to_have_text("待发送 1 份，恢复网络后自动发送")
    await host("close")
    await context.set_offline(False)
    await expect(tablet.locator("#done-status")).to_have_text(
        "打分未开放或已经结束，这份评分没有被接收。如有疑问请联系主持人。"
    )
    await expect(tablet.locator("#outbox-count")).to_have_attribute("data-count", "0")
    state = (await client.get(f"/api/v1/contests/{cid}", headers=bearer(organiser_token))).json()
    assert [j["submitted"] for j in state["current"]["judges"]] == [False, False, False]
    await context.close()
