"""In Chromium: the replay plays on the hall screen and offline from its export; a draw shows on
the screen and turns the judges' route on a tablet; the participant's own small version."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.async_api import Page, expect

from tests.api.helpers import new_campaign, post_sheet, small_definition, tokens
from tests.browser.helpers import organiser_page
from tests.conftest import SCREENSHOTS, Server, bearer, create_round
from tests.judges.helpers import TABLET, judge_link

pytestmark = pytest.mark.browser
WAIT = 20000
SHOTS = SCREENSHOTS / "replay-draw"

# Shared points per judge and village (items a, b): the totals climb and cross over the day.
POINTS = {"A": (3, 3), "B": (6, 6), "C": (9, 9)}


async def scored(client: httpx.AsyncClient, organiser_token: str) -> dict[str, Any]:
    """Three villages; J1 then J2 score A, B, C in route order (shared paper only): 6, 12, 18
    each; then 5 points deducted from C (18 − 5 = 13, still first)."""
    created = await create_round(client, organiser_token, small_definition(new_campaign()))
    rid = created["id"]
    judges = tokens(created)
    for code in ("J1", "J2"):
        for village, (a, b) in POINTS.items():
            r = await post_sheet(client, judges[code], rid, village, "shared", {"a": a, "b": b})
            assert r.status_code == 201, r.text
    r = await client.post(
        f"/api/v1/rounds/{rid}/deductions",
        json={"village": "C", "item": "f", "points": 5, "reason": "材料造假",
              "idempotency_key": uuid.uuid4().hex},
        headers=bearer(organiser_token),
    )  # fmt: skip
    assert r.status_code == 201, r.text
    return created


def rank_of(page: Page, code: str) -> Any:
    return page.locator(f'#bars li[data-village="{code}"]')


async def test_replay_plays_steps_saves_a_frame_and_exports(
    server: Server, client: httpx.AsyncClient, organiser_token: str, new_context: Any,
    tmp_path: Path,
) -> None:  # fmt: skip
    SHOTS.mkdir(parents=True, exist_ok=True)
    created = await scored(client, organiser_token)
    rid = created["id"]
    outside: list[str] = []
    page = await organiser_page(new_context, server, (1920, 1080), outside)
    page.set_default_timeout(WAIT)
    await page.goto(f"{server.url}/screen/rounds/{rid}/replay")
    root = page.locator("#replay")
    await expect(root).to_have_attribute("data-ready", "true", timeout=WAIT)
    # Stop by stop: J1 A | J1 B | J1 C | J2 A | J2 B | J2 C, then C's deduction = 7 runs + start
    # (the deduction is at C, right after J2's C: the same stop) -> frames 0..6
    await expect(root).to_have_attribute("data-frames", "7")
    await page.locator("#next").click()
    await expect(root).to_have_attribute("data-frame", "1")
    # After J1's A: A = 6.00 first, B and C unscored
    await expect(rank_of(page, "A")).to_have_attribute("data-position", "1")
    await expect(page.locator("#step")).to_have_text("第 1 / 6 步")
    await page.locator("#next").click()
    await page.locator("#next").click()
    # After J1's C: C 18, B 12, A 6; bottom 20% = ceil(0.6) = 1 place: A below the line
    await expect(rank_of(page, "C")).to_have_attribute("data-position", "1")
    await expect(rank_of(page, "A")).to_have_attribute("data-position", "3")
    await expect(page.locator("#cut")).to_be_visible()
    await page.wait_for_timeout(1200)  # the bars finish sliding before the picture
    await page.screenshot(path=str(SHOTS / "replay-1920x1080-step3.png"))
    await page.locator("#speed").select_option("4")
    await page.locator("#play").click()
    await expect(root).to_have_attribute("data-frame", "6", timeout=WAIT)
    await expect(root).to_have_attribute("data-playing", "false", timeout=WAIT)
    # Last frame: C = mean(18, 18) − 5 = 13.00, B = 12.00, A = 6.00 (C still first)
    await expect(rank_of(page, "C").locator(".value")).to_have_text("13.00暂定")
    await expect(rank_of(page, "B").locator(".value")).to_have_text("12.00暂定")
    await page.screenshot(path=str(SHOTS / "replay-1920x1080-end.png"))
    async with page.expect_download() as info:
        await page.locator("#png").click()
    png = SHOTS / "replay-frame-6.png"
    await (await info.value).save_as(png)
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    # sheet by sheet (organisers only): 6 sheets + 1 deduction = 7 events -> 8 frames
    await page.locator("#by").select_option("sheet")
    await expect(root).to_have_attribute("data-frames", "8", timeout=WAIT)
    await page.set_viewport_size({"width": 1024, "height": 768})
    await page.locator("#first").click()
    for _ in range(5):
        await page.locator("#next").click()
    await expect(root).to_have_attribute("data-frame", "5")
    await page.wait_for_timeout(1200)
    await page.screenshot(path=str(SHOTS / "replay-1024x768.png"))
    width = await page.evaluate("document.documentElement.scrollWidth")
    assert width <= 1024

    # The export: one file that plays with the network cut off
    r = await page.request.get(f"{server.url}/admin/rounds/{rid}/replay.html")
    assert r.status == 200 and "attachment" in r.headers["content-disposition"]
    exported = tmp_path / "replay.html"
    exported.write_bytes(await r.body())
    html = exported.read_text("utf-8")
    assert "<script src=" not in html and "<link" not in html and "http://" not in html
    offline = await new_context(viewport={"width": 1920, "height": 1080}, locale="zh-CN")
    requests: list[str] = []
    offline.on("request", lambda req: requests.append(req.url))
    file_page = await offline.new_page()
    await file_page.goto(exported.as_uri())
    froot = file_page.locator("#replay")
    await expect(froot).to_have_attribute("data-ready", "true", timeout=WAIT)
    await expect(froot).to_have_attribute("data-frames", "7")
    await file_page.keyboard.press("ArrowRight")
    await expect(froot).to_have_attribute("data-frame", "1")
    await expect(file_page.locator("#export")).to_have_count(0)
    await file_page.screenshot(path=str(SHOTS / "replay-export-1920x1080.png"))
    assert requests == [exported.as_uri()]
    await offline.close()
    await page.context.close()
    assert outside == []


async def test_console_has_the_replay_button_and_the_participant_sees_its_day(
    server: Server, client: httpx.AsyncClient, organiser_token: str, new_context: Any,
) -> None:  # fmt: skip
    SHOTS.mkdir(parents=True, exist_ok=True)
    created = await scored(client, organiser_token)
    rid = created["id"]
    outside: list[str] = []
    page = await organiser_page(new_context, server, (1366, 768), outside)
    page.set_default_timeout(WAIT)
    await page.goto(f"{server.url}/admin/rounds/{rid}/console")
    button = page.locator("#btn-replay")
    await expect(button).to_have_attribute("href", f"/screen/rounds/{rid}/replay")
    await page.screenshot(path=str(SHOTS / "console-1366x768.png"), full_page=True)
    await page.context.close()
    assert outside == []
    phone = await new_context(viewport={"width": 390, "height": 844}, locale="zh-CN")
    village = await phone.new_page()
    url = next(v["url"] for v in created["villages"] if v["code"] == "A")
    await village.goto(url)
    # A's place after each stop: A first (6), then B 12 and C 18 pass it: 1, 2, 3, 3, 3, 3
    await expect(village.locator("#day")).to_have_attribute("data-places", "1,2,3,3,3,3",
                                                            timeout=WAIT)  # fmt: skip
    await village.locator("#day-card").scroll_into_view_if_needed()
    await village.screenshot(path=str(SHOTS / "participant-day-390x844.png"))
    await phone.close()


async def test_draw_on_the_screen_turns_the_judges_route(
    server: Server, client: httpx.AsyncClient, organiser_token: str, new_context: Any,
) -> None:  # fmt: skip
    SHOTS.mkdir(parents=True, exist_ok=True)
    created = await create_round(client, organiser_token)  # 8 villages, V01 … V08
    rid = created["id"]
    tablet = await (await new_context(viewport=TABLET, locale="zh-CN")).new_page()
    tablet.set_default_timeout(WAIT)
    await tablet.goto(judge_link(created, "J1"))
    await expect(tablet.locator("body")).to_have_attribute("data-app", "ready", timeout=WAIT)
    first = tablet.locator("li.stop").first
    await expect(first).to_have_attribute("data-village", "V01")

    outside: list[str] = []
    admin = await organiser_page(new_context, server, (1366, 768), outside)
    admin.set_default_timeout(WAIT)
    admin.on("dialog", lambda d: d.accept())
    await admin.goto(f"{server.url}/admin/rounds/{rid}/draws")
    await admin.locator('input[name="kind"][value="order"]').check()
    await admin.locator("#draw-secret").fill("短")
    await expect(admin.locator('[data-field="secret"] .field-error')).to_contain_text("8–200")
    await admin.locator("#draw-secret").fill("")
    await admin.locator("#draw-title").fill("今日走访顺序")
    await admin.locator("#commit-submit").click()
    await expect(admin.locator("#secret-box")).to_be_visible()
    secret = (await admin.locator("#secret-value").text_content() or "").strip()
    assert len(secret) == 32

    screen = await (await new_context(viewport={"width": 1920, "height": 1080})).new_page()
    screen.set_default_timeout(WAIT)
    secret_link = await create_screen_session(server, rid)
    await screen.goto(secret_link)
    await screen.goto(f"{server.url}/screen/rounds/{rid}/draw")
    stage = screen.locator("#draw-screen")
    await expect(stage).to_have_attribute("data-state", "committed", timeout=WAIT)
    await expect(screen.locator("#secret")).to_have_text("抽取后公开")

    await admin.locator('.draw-now input[name="public"]').fill("3-6-1")
    await admin.locator(".draw-now button").click()
    await expect(admin.locator(".draw.drawn .result li")).to_have_count(8)
    await expect(stage).to_have_attribute("data-state", "drawn", timeout=WAIT)
    await expect(screen.locator("#public")).to_have_text("3-6-1")
    grouped = " ".join(secret[i : i + 8] for i in range(0, 32, 8))  # read aloud in eights
    await expect(screen.locator("#secret")).to_have_text(grouped)
    from tests.replay_draw.test_draws import recompute

    codes = [f"V0{n}" for n in range(1, 9)]
    order = recompute()["draw"](secret, "3-6-1", codes)
    await expect(screen.locator("#result li").nth(7)).to_have_attribute("data-code", order[7])
    await screen.wait_for_timeout(3500)  # let the last line finish sliding in for the picture
    await screen.screenshot(path=str(SHOTS / "draw-screen-1920x1080.png"))
    await admin.screenshot(path=str(SHOTS / "draw-admin-1366x768.png"), full_page=True)

    await tablet.reload()
    await expect(tablet.locator("body")).to_have_attribute("data-app", "ready", timeout=WAIT)
    await expect(tablet.locator("li.stop").first).to_have_attribute("data-village", order[0])
    stops = await tablet.locator("li.stop").evaluate_all("els => els.map(e => e.dataset.village)")
    assert stops == order
    await tablet.screenshot(path=str(SHOTS / "tablet-route-after-draw.png"), full_page=True)
    await admin.context.close()
    await screen.context.close()
    await tablet.context.close()
    assert outside == []


async def create_screen_session(server: Server, rid: int) -> str:
    """A screen's personal link for the round (/s/…), as the organiser hands it out."""
    from arena.auth import load_server_key
    from arena.services.rounds import RoundCatalogue

    catalogue = RoundCatalogue(
        load_server_key(server.settings.data_dir, server.settings.secret_key),
        server.settings.public_url,
    )
    links = await catalogue.links(rid)
    return str(links["screen"]["url"])


async def test_demo_day_replayed_at_both_screen_sizes(
    server: Server, client: httpx.AsyncClient, new_context: Any
) -> None:
    """The demo's 8 villages, half-way through the day and at its end, as the hall sees them."""
    from arena.auth import load_server_key
    from arena.demo import demo_organiser, load_demo
    from arena.services.rounds import RoundCatalogue

    SHOTS.mkdir(parents=True, exist_ok=True)
    key = load_server_key(server.settings.data_dir, server.settings.secret_key)
    organiser, _ = await demo_organiser(key)
    demo = (await load_demo(RoundCatalogue(key, server.settings.public_url), organiser))[1]
    outside: list[str] = []
    for label, size in (("1920x1080", (1920, 1080)), ("1024x768", (1024, 768))):
        page = await organiser_page(new_context, server, size, outside)
        page.set_default_timeout(WAIT)
        await page.goto(f"{server.url}/screen/rounds/{demo.id}/replay")
        root = page.locator("#replay")
        await expect(root).to_have_attribute("data-ready", "true", timeout=WAIT)
        frames = int(await root.get_attribute("data-frames") or 0)
        assert frames > 8  # a stop per village at least, plus the start
        await page.locator("#scrub").fill(str(frames // 2))
        await expect(root).to_have_attribute("data-frame", str(frames // 2))
        await page.wait_for_timeout(1200)
        await page.screenshot(path=str(SHOTS / f"demo-replay-mid-{label}.png"))
        await page.keyboard.press("End")  # no binding: stays put
        await page.locator("#scrub").fill(str(frames - 1))
        await page.wait_for_timeout(1200)
        await page.screenshot(path=str(SHOTS / f"demo-replay-end-{label}.png"))
        assert await page.evaluate("document.documentElement.scrollWidth") <= size[0]
        await page.context.close()
    assert outside == []
