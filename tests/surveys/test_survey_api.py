"""The survey end to end over HTTP: cards, answers, refusals, flags, the paper, audit, export."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import tempfile
from decimal import Decimal
from typing import Any

import httpx
import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from arena.models import SurveyAnswer, SurveyGuess
from arena.services.audit_state import verify_all
from arena.services.surveys.resident import GUESS_LIMIT
from tests.conftest import Server, bearer
from tests.surveys.helpers import form_answers, print_cards, survey_round

pytestmark = pytest.mark.asyncio(loop_scope="session")


def _row(standings: dict[str, Any], code: str) -> dict[str, Any]:
    return next(r for r in standings["rows"] if r["village"] == code)


async def _standings(client: httpx.AsyncClient, token: str, rid: int) -> dict[str, Any]:
    r = await client.get(f"/api/v1/rounds/{rid}/standings", headers=bearer(token))
    assert r.status_code == 200
    return r.json()  # type: ignore[no-any-return]


async def _answer(
    client: httpx.AsyncClient, url: str, body: dict[str, Any], **headers: str
) -> httpx.Response:
    path = url.split("127.0.0.1", 1)[1].split("/", 1)[1]
    return await client.post("/" + path, json=body, headers=headers)


async def test_pdf_has_cjk_font_village_and_cards(
    client: httpx.AsyncClient, organiser_token: str
) -> None:
    created = await survey_round(client, organiser_token)
    rid = created["id"]
    printed = await print_cards(client, organiser_token, rid, "V01", 10)
    reader = PdfReader(io.BytesIO(printed.pdf))
    assert len(reader.pages) == 2  # 8 cards a page: 10 cards → 2 pages
    fonts = set()
    for page in reader.pages:
        for f in page["/Resources"]["/Font"].values():
            f = f.get_object()
            desc = f["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
            assert "/FontFile3" in desc or "/FontFile2" in desc  # embedded
            fonts.add(str(f["/BaseFont"]))
    assert any(re.fullmatch(r"/[A-Z]{6}\+NotoSansCJKSC", f) for f in fonts), fonts  # a subset
    assert printed.text.count("青山村·群众满意度测评") == 10
    assert [f"No.{n:04d}" in printed.text for n in range(1, 11)] == [True] * 10
    assert len(printed.urls) == 10 and len(set(printed.urls)) == 10
    assert len(printed.codes) == 10 and len(set(printed.codes)) == 10
    assert all(re.fullmatch(r".*/q/[A-Za-z0-9_-]{24}", u) for u in printed.urls)
    # the next batch carries on numbering
    more = await print_cards(client, organiser_token, rid, "V01", 2)
    assert "No.0011" in more.text and "No.0012" in more.text
    # poppler's own reading agrees: the font is embedded as a subset (emb yes, sub yes)
    with tempfile.NamedTemporaryFile(suffix=".pdf") as out:
        out.write(printed.pdf)
        out.flush()
        pdffonts = shutil.which("pdffonts")
        assert pdffonts, "pdffonts (Debian poppler-utils, installed by scripts/install --test)"
        listing = subprocess.run([pdffonts, out.name], capture_output=True, text=True).stdout
    assert "NotoSansCJKSC" in listing and " yes yes " in listing


async def test_answers_score_refusals_void_close_audit_export(
    client: httpx.AsyncClient, organiser_token: str, server: Server
) -> None:
    created = await survey_round(client, organiser_token, sample_size=5)
    rid = created["id"]
    cards = await print_cards(client, organiser_token, rid, "V02", 5)
    before = _row(await _standings(client, organiser_token, rid), "V02")
    assert before["satisfaction_missing"] is True and before["provisional"] is True

    picks = [("满意", "满意"), ("满意", "比较满意"), ("基本满意", "不满意"), ("比较满意", "满意")]
    for i, (env, service) in enumerate(picks):
        r = await _answer(client, cards.urls[i], form_answers(env, service, f"nonce-{i:04d}"))
        assert r.status_code == 201, r.text
        assert r.json()["answer"]["card"] == i + 1
    # 4 cards × 2 questions = 8 answers: 满意 4, 比较满意 2, 基本满意 1, 不满意 1
    # Σ = 4×1.0 + 2×0.8 + 1×0.6 + 0 = 6.2; 30 × 6.2 / 8 = 23.25
    row = _row(await _standings(client, organiser_token, rid), "V02")
    assert row["satisfaction"] == 23.25
    assert row["satisfaction_insufficient"] is True  # 4 cards < min_responses 30
    assert row["provisional"] is True

    # a replayed request (same nonce, same answers): 200, nothing stored
    replay = await _answer(client, cards.urls[0], form_answers("满意", "满意", "nonce-0000"))
    assert replay.status_code == 200 and replay.json()["replayed"] is True
    # the same card again with another form: 409, nothing stored
    again = await _answer(client, cards.urls[0], form_answers("不满意", "不满意", "nonce-9999"))
    assert again.status_code == 409 and again.json()["error"]["code"] == "card_used"
    assert await SurveyAnswer.filter(round_id=rid).count() == 4
    # a card's page when used: says so (409), changes nothing
    page = await client.get("/" + cards.urls[0].split("/", 3)[3])
    assert page.status_code == 409 and "这张卡已经答过了" in page.text

    # unanswered and unknown questions: every one named, nothing stored
    bad = await _answer(
        client, cards.urls[4], {"answers": {"env": "很好", "x": "满意"}, "key": "nonce-bad1"}
    )
    assert bad.status_code == 422
    fields = sorted(p["field"] for p in bad.json()["error"]["problems"])
    assert fields == ["answers.env", "answers.service", "answers.x"]
    assert await SurveyAnswer.filter(round_id=rid).count() == 4

    # typed code: the 5th card by its printed code (lower case, no dashes is fine)
    code = cards.codes[4].replace("-", "").lower()
    by_code = await client.post(
        "/q/answer", json={"code": code, **form_answers("不满意", "不满意", "nonce-0004")}
    )
    assert by_code.status_code == 201, by_code.text
    # 10 answers: 满意 4, 比较满意 2, 基本满意 1, 不满意 3; Σ = 6.2; 30 × 6.2 / 10 = 18.60
    assert _row(await _standings(client, organiser_token, rid), "V02")["satisfaction"] == 18.6

    # paper questionnaires entered as counts add up with the phones
    paper = await client.post(
        f"/api/v1/rounds/{rid}/satisfaction",
        json={"village": "V02", "counts": {"满意": 26, "比较满意": 0, "基本满意": 0, "不满意": 0}},
        headers=bearer(organiser_token),
    )
    assert paper.status_code == 201, paper.text
    # 36 answers: 满意 30, 比较满意 2, 基本满意 1, 不满意 3; Σ = 30 + 1.6 + 0.6 = 32.2
    # 30 × 32.2 / 36 = 26.8333… → 26.83; sample = 26 + 5 cards = 31 ≥ 30
    row = _row(await _standings(client, organiser_token, rid), "V02")
    assert row["satisfaction"] == 26.83 and row["satisfaction_insufficient"] is False
    detail = (
        await client.get(f"/api/v1/rounds/{rid}/villages/V02", headers=bearer(organiser_token))
    ).json()["papers"]["satisfaction"]
    assert detail["paper_counts"] == {"满意": 26, "比较满意": 0, "基本满意": 0, "不满意": 0}
    assert detail["survey_counts"] == {"满意": 4, "比较满意": 2, "基本满意": 1, "不满意": 3}
    assert (detail["survey_respondents"], detail["responses"]) == (5, 31)
    # the satisfaction entry page prefills only what was entered from paper (never re-enters
    # the phones' answers as paper counts), and shows the phones separately
    page = await client.get(
        f"/admin/rounds/{rid}/satisfaction.json", headers=bearer(organiser_token)
    )
    entry = next(v for v in page.json()["villages"] if v["code"] == "V02")
    assert entry["entered_counts"] == {"满意": 26, "比较满意": 0, "基本满意": 0, "不满意": 0}
    assert entry["counts"] == {"满意": 30, "比较满意": 2, "基本满意": 1, "不满意": 3}
    assert entry["survey_respondents"] == 5

    # void card 3's answer (基本满意, 不满意) with a reason: audited, idempotent
    live = await client.get(f"/api/v1/rounds/{rid}/survey", headers=bearer(organiser_token))
    v02 = next(v for v in live.json()["villages"] if v["code"] == "V02")
    third = next(a for a in v02["recent"] if a["card"] == 3)
    void_body = {"reason": "发卡员代填，村民未作答", "idempotency_key": "void-card-3"}
    url = f"/api/v1/rounds/{rid}/survey/answers/{third['id']}/void"
    first = await client.post(url, json=void_body, headers=bearer(organiser_token))
    assert first.status_code == 201, first.text
    second = await client.post(url, json=void_body, headers=bearer(organiser_token))
    assert second.status_code == 200 and second.json() == first.json()
    # 34 answers: 满意 30, 比较满意 2, 不满意 2; Σ = 31.6; 30 × 31.6 / 34 = 27.882… → 27.88
    assert _row(await _standings(client, organiser_token, rid), "V02")["satisfaction"] == 27.88

    # close the village: final (no longer provisional on this account), no more answers
    closed = await client.post(
        f"/api/v1/rounds/{rid}/survey/villages/V02/close",
        json={"idempotency_key": "close-v02"},
        headers=bearer(organiser_token),
    )
    assert closed.status_code == 201, closed.text
    detail = (
        await client.get(f"/api/v1/rounds/{rid}/villages/V02", headers=bearer(organiser_token))
    ).json()["papers"]["satisfaction"]
    assert detail["provisional"] is False

    # the participant sees counts and score, never an answer
    village = next(v for v in created["villages"] if v["code"] == "V02")
    async with httpx.AsyncClient(base_url=server.url, timeout=20) as resident_of:
        secret = village["url"].rsplit("/", 1)[1]
        await resident_of.get(village["url"].split(server.url, 1)[1])
        mine = await resident_of.get(f"/api/v1/rounds/{rid}/villages/V02/survey")
        assert mine.status_code == 200, (mine.text, secret)
        body = mine.json()
        assert body["answers"] == 4 and body["score"] == 27.88 and "recent" not in body
        # question env over the counted cards 1, 2, 4, 5: 满意, 满意, 比较满意, 不满意
        assert body["questions"][0]["counts"] == {
            "满意": 2,
            "比较满意": 1,
            "基本满意": 0,
            "不满意": 1,
        }
        other = await resident_of.get(f"/api/v1/rounds/{rid}/villages/V01/survey")
        assert other.status_code == 403

    # the workbook's survey sheet: per village, per question, per answer
    book = await client.get(f"/api/v1/rounds/{rid}/export.xlsx", headers=bearer(organiser_token))
    assert book.status_code == 200, book.text[:300]
    sheet = load_workbook(io.BytesIO(book.content))["群众测评明细"]
    rows = [[c.value for c in r] for r in sheet.iter_rows()]
    v02_rows = [r for r in rows if r[0] == "港边村"]
    by_label = {r[1]: r for r in v02_rows}
    # env over cards 1, 2, 4, 5: 满意 2, 比较满意 1, 不满意 1; service: 满意 (1, 4), 比较满意 (2),
    # 不满意 (5); together 满意 4, 比较满意 2, 不满意 2 = 8 answers of 4 cards, 1 voided
    assert by_label["第1题"][3:7] == [2, 1, 0, 1]
    assert by_label["第2题"][3:7] == [2, 1, 0, 1]
    assert by_label["手机测评合计"][3:10] == [4, 2, 0, 2, 8, 4, 1]
    assert by_label["纸质问卷"][3:7] == [26, 0, 0, 0]
    assert by_label["合计（计分）"][3:7] == [30, 2, 0, 2] and by_label["合计（计分）"][10] == 27.88

    report = await verify_all()
    assert report.ok, report.reason()


async def test_guessing_is_rate_limited(client: httpx.AsyncClient, organiser_token: str) -> None:
    await SurveyGuess.all().delete()
    created = await survey_round(client, organiser_token)
    cards = await print_cards(client, organiser_token, created["id"], "V03", 1)
    # well-formed codes that match no card: 404 each, counted against the address
    fake = "22222222" + "2"  # check of 22222222 is "2": well formed
    typo = await client.post("/q", data={"code": "22222222-3"})  # wrong check: 422, not counted
    assert typo.status_code == 422 and await SurveyGuess.all().count() == 0
    for _ in range(GUESS_LIMIT):
        r = await client.post("/q", data={"code": fake})
        assert r.status_code == 404 and "没有这个卡号" in r.text
    # the 11th try — even the right code — is refused with 429 and Retry-After
    r = await client.post("/q", data={"code": cards.codes[0]})
    assert r.status_code == 429 and int(r.headers["Retry-After"]) > 3000
    j = await client.post(
        "/q/answer", json={"code": fake, **form_answers("满意", "满意", "k" * 16)}
    )
    assert j.status_code == 429 and j.json()["error"]["code"] == "too_many_guesses"
    live = await client.get(
        f"/api/v1/rounds/{created['id']}/survey", headers=bearer(organiser_token)
    )
    guessing = live.json()["guessing"]
    assert len(guessing) == 1 and "输错卡号 10 次" in guessing[0]["text"]
    await SurveyGuess.all().delete()
    ok = await client.post("/q", data={"code": cards.codes[0]})
    assert ok.status_code == 200 and "您对村里的人居环境整治满意吗？" in ok.text


async def test_burst_from_one_address_is_flagged(
    client: httpx.AsyncClient, organiser_token: str
) -> None:
    created = await survey_round(client, organiser_token)
    rid = created["id"]
    cards = await print_cards(client, organiser_token, rid, "V04", 6)
    # 6 answers from 127.0.0.1 within seconds, all identical: burst and identical run
    for i in range(6):
        r = await _answer(client, cards.urls[i], form_answers("满意", "满意", f"burst-{i:04d}"))
        assert r.status_code == 201
    live = (
        await client.get(f"/api/v1/rounds/{rid}/survey", headers=bearer(organiser_token))
    ).json()
    v04 = next(v for v in live["villages"] if v["code"] == "V04")
    kinds = sorted(f["kind"] for f in v04["flags"])
    assert kinds == ["burst", "identical"]
    assert all(a["flags"] for a in v04["recent"])  # each of the 6 answers carries its reasons
    # flagged, not refused: they count (6 cards × 2 × 满意 → 30.00) until voided
    assert _row(await _standings(client, organiser_token, rid), "V04")["satisfaction"] == 30


async def test_tampered_answer_is_named(client: httpx.AsyncClient, organiser_token: str) -> None:
    created = await survey_round(client, organiser_token)
    rid = created["id"]
    cards = await print_cards(client, organiser_token, rid, "V05", 1)
    r = await _answer(client, cards.urls[0], form_answers("不满意", "不满意", "tamper-0001"))
    assert r.status_code == 201
    row = await SurveyAnswer.get(round_id=rid)
    row.answers = {"env": "满意", "service": "满意"}
    await row.save(update_fields=["answers"])
    report = await verify_all()
    mine = [
        d for d in report.differences if d.table == "surveyanswer" and d.subject == f"round:{rid}"
    ]
    assert len(mine) == 1 and "answers" in mine[0].what, report.differences
    row.answers = {"env": "不满意", "service": "不满意"}
    await row.save(update_fields=["answers"])
    assert not [d for d in (await verify_all()).differences if d.table.startswith("survey")]
    assert Decimal(1)  # keep Decimal import used for hand computations above


async def test_answers_count_as_scores_for_delete_and_edit(
    client: httpx.AsyncClient, organiser_token: str
) -> None:
    # cards alone are not scores: the round can still be deleted, and the chain stays whole
    empty = await survey_round(client, organiser_token)
    await print_cards(client, organiser_token, empty["id"], "V06", 2)
    r = await client.post(f"/admin/rounds/{empty['id']}/delete", headers=bearer(organiser_token))
    assert r.status_code == 200, r.text
    assert not [d for d in (await verify_all()).differences if d.table.startswith("survey")]

    created = await survey_round(client, organiser_token)
    rid = created["id"]
    cards = await print_cards(client, organiser_token, rid, "V06", 1)
    r = await _answer(client, cards.urls[0], form_answers("满意", "满意", "scored-0001"))
    assert r.status_code == 201
    refused = await client.post(f"/admin/rounds/{rid}/delete", headers=bearer(organiser_token))
    assert refused.status_code == 409 and refused.json()["error"]["code"] == "has_scores"
    current = (await client.get(f"/api/v1/rounds/{rid}", headers=bearer(organiser_token))).json()
    definition = {k: v for k, v in current.items() if k not in ("id", "revision", "status")}
    definition["papers"]["satisfaction"]["survey"]["questions"][0]["text"] = "改过的题目"
    edit = await client.post(
        f"/admin/rounds/{rid}/edit", json=definition, headers=bearer(organiser_token)
    )
    assert edit.status_code == 403 and edit.json()["error"]["code"] == "scoring_started"
    fields = [p["field"] for p in edit.json()["error"].get("problems", [])]
    assert "papers.satisfaction.survey" in fields, edit.text
