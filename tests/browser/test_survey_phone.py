"""A resident answers a printed card on a 390×844 phone; the village's page and the organiser's
survey page update by themselves; the card cannot be used again."""

from __future__ import annotations

import httpx
import pytest
from playwright.async_api import BrowserContext, expect

from arena.auth import create_token
from tests.conftest import SCREENSHOTS, Server
from tests.surveys.helpers import print_cards, survey_round

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
SHOTS = SCREENSHOTS / "survey"


async def test_card_to_answer_to_live_pages(
    server: Server, client: httpx.AsyncClient, organiser_token: str, new_context: object
) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    created = await survey_round(client, organiser_token)
    rid = created["id"]
    cards = await print_cards(client, organiser_token, rid, "V07", 9)

    # the village's own page, open before anyone answers
    village = next(v for v in created["villages"] if v["code"] == "V07")
    ctx_v: BrowserContext = await new_context(viewport=PHONE, has_touch=True)  # type: ignore[operator]
    vpage = await ctx_v.new_page()
    await vpage.goto(village["url"])
    await expect(vpage.locator("#app")).to_have_attribute("data-ready", "true", timeout=20000)
    await expect(vpage.locator("#conn")).to_have_attribute("data-state", "live", timeout=20000)
    await expect(vpage.locator("#paper-satisfaction")).to_contain_text("未录入", timeout=15000)

    # the meeting screen (1920×1080), open before anyone answers
    ctx_s: BrowserContext = await new_context(viewport={"width": 1920, "height": 1080})  # type: ignore[operator]
    spage = await ctx_s.new_page()
    await spage.goto(created["screen"]["url"])
    screen_sat = spage.locator('li[data-village="V07"] .satisfaction')
    await expect(screen_sat).to_have_text("未录入", timeout=20000)

    # the organiser's survey page (1366×768), live
    ctx_o: BrowserContext = await new_context(viewport={"width": 1366, "height": 768})  # type: ignore[operator]
    opage = await ctx_o.new_page()
    await opage.goto(f"{server.url}/o/{await create_token('organiser', '组织部李干事')}")
    await opage.goto(f"{server.url}/admin/rounds/{rid}/survey")
    counter = opage.locator('[data-village="V07"] .count')
    await expect(counter).to_have_text("已收 0 / 40 份", timeout=15000)
    await expect(opage.locator("#connection")).to_have_text("实时", timeout=15000)

    # the resident scans card 1
    ctx_r: BrowserContext = await new_context(viewport=PHONE, has_touch=True)  # type: ignore[operator]
    rpage = await ctx_r.new_page()
    sizes: list[int] = []
    rpage.on("response", lambda r: sizes.append(int(r.headers.get("content-length") or 0)))
    await rpage.goto(cards.urls[0])
    await expect(rpage.locator("h1")).to_have_text("桥头村")
    await expect(rpage.locator("fieldset[data-question]")).to_have_count(2)
    # submitting with a question unanswered marks it, sends nothing
    await rpage.locator('fieldset[data-question="env"] label', has_text="比较满意").click()
    await rpage.locator("#submit").click()
    await expect(rpage.locator('fieldset[data-question="service"] .err')).to_be_visible()
    await rpage.screenshot(path=str(SHOTS / "resident-question-390x844.png"), full_page=True)
    box = await rpage.locator(".opt").first.bounding_box()
    assert box is not None and box["height"] >= 48  # large touch targets
    await rpage.locator('fieldset[data-question="service"] label', has_text="满意").first.click()
    await rpage.locator("#free_text").fill("希望多修几盏路灯")
    await rpage.locator("#submit").click()
    await expect(rpage.locator("#thanks")).to_have_text("感谢参与！", timeout=15000)
    await rpage.screenshot(path=str(SHOTS / "resident-thanks-390x844.png"), full_page=True)

    # 2 answers: 比较满意 0.8 + 满意 1.0 = 1.8; 30 × 1.8 / 2 = 27.00, 1 card of 30: 样本不足
    await expect(vpage.locator("#paper-satisfaction h2")).to_have_text(
        "满意度测评 27.00 / 30.00", timeout=15000
    )
    await expect(vpage.locator("#survey-split")).to_contain_text("村民手机测评 1 份")
    await expect(screen_sat).to_have_text("27.00", timeout=15000)
    await vpage.screenshot(path=str(SHOTS / "village-after-answer-390x844.png"), full_page=True)
    await expect(counter).to_have_text("已收 1 / 40 份", timeout=15000)
    await opage.screenshot(path=str(SHOTS / "organiser-survey-1366x768.png"))

    # the same card again: it says so, changes nothing
    await rpage.goto(cards.urls[0])
    await expect(rpage.locator("#used")).to_have_text("这张卡已经答过了")
    await rpage.screenshot(path=str(SHOTS / "resident-used-390x844.png"), full_page=True)
    await expect(counter).to_have_text("已收 1 / 40 份")

    # typed code on the phone: /q → the code → the questions
    await rpage.goto(f"{server.url}/q")
    await rpage.locator("#code").fill(cards.codes[1].lower())
    await rpage.locator("button[type=submit]").click()
    await expect(rpage.locator("fieldset[data-question]")).to_have_count(2)
    await rpage.screenshot(path=str(SHOTS / "resident-code-form-390x844.png"), full_page=True)

    # six identical answers from one address within seconds: flagged on the organiser's page
    for i in range(3, 9):
        body = {"answers": {"env": "满意", "service": "满意"}, "key": f"burst-{i:04d}"}
        r = await client.post("/q/" + cards.urls[i].rsplit("/q/", 1)[1], json=body)
        assert r.status_code == 201, r.text
    await expect(counter).to_have_text("已收 7 / 40 份", timeout=15000)
    v07 = opage.locator('[data-village="V07"]')
    await expect(v07.locator(".flags li")).to_have_count(2)  # a burst and an identical run
    await v07.locator("details summary").click()
    await v07.scroll_into_view_if_needed()
    await opage.screenshot(path=str(SHOTS / "organiser-survey-flags-1366x768.png"))

    # the resident's page and its script: well under 50 KB
    await rpage.goto(cards.urls[2])
    page_bytes = len((await rpage.content()).encode())
    script = await client.get("/static/js/survey.js")
    assert page_bytes + len(script.content) < 50_000, (page_bytes, len(script.content))
    for ctx in (ctx_v, ctx_o, ctx_r, ctx_s):
        await ctx.close()


async def test_round_form_shows_and_checks_survey_settings(
    server: Server, client: httpx.AsyncClient, organiser_token: str, new_context: object
) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    created = await survey_round(client, organiser_token)
    ctx: BrowserContext = await new_context(viewport={"width": 1366, "height": 768})  # type: ignore[operator]
    page = await ctx.new_page()
    await page.goto(f"{server.url}/o/{await create_token('organiser', '组织部李干事')}")
    await page.goto(f"{server.url}/admin/rounds/{created['id']}/edit")
    await expect(page.locator("#f-survey-on")).to_be_checked(timeout=15000)
    questions = page.locator("#f-survey-questions")
    await expect(questions).to_have_value(
        "您对村里的人居环境整治满意吗？\n您对村干部为民办事满意吗？"
    )
    await expect(page.locator("#f-survey-size")).to_have_value("40")
    # two problems at once, each beside its field, while typing
    await page.locator("#f-survey-size").fill("0")
    await questions.fill("")
    size_error = page.locator("#f-survey-size + .field-error")
    await expect(size_error).to_contain_text("1 到 5000", timeout=15000)
    await expect(page.locator("#f-survey-questions + .field-error")).to_contain_text("至少 1 道题")
    await page.locator("#survey-fields").scroll_into_view_if_needed()
    await page.screenshot(path=str(SHOTS / "round-form-survey-1366x768.png"))
    await ctx.close()
