"""Rounds with a residents' survey, and the cards of a printed PDF read back from the PDF."""

from __future__ import annotations

import io
import re
import uuid
from dataclasses import dataclass
from typing import Any

import httpx
from pypdf import PdfReader

from tests.conftest import bearer, create_round, example_definition

QUESTIONS = [
    {"code": "env", "text": "您对村里的人居环境整治满意吗？"},
    {"code": "service", "text": "您对村干部为民办事满意吗？"},
]
CODE = re.compile(r"[2-9A-Z]{3}-[2-9A-Z]{3}-[2-9A-Z]{3}")


def survey_definition(**survey: Any) -> dict[str, Any]:
    data = example_definition(campaign=f"测评行动-{uuid.uuid4().hex[:8]}")
    settings: dict[str, Any] = {
        "questions": QUESTIONS,
        "free_text": "您还有什么意见和建议？",
        "sample_size": 40,
    }
    settings.update(survey)
    data["papers"]["satisfaction"]["survey"] = settings
    return data


async def survey_round(client: httpx.AsyncClient, token: str, **survey: Any) -> dict[str, Any]:
    return await create_round(client, token, survey_definition(**survey))


@dataclass(frozen=True)
class Printed:
    pdf: bytes
    urls: list[str]  # the QR links, in card order (the PDF's link over each QR code)
    codes: list[str]  # the typed codes as printed, in card order
    text: str  # every page's text, spaces removed


def read_cards(pdf: bytes) -> Printed:
    reader = PdfReader(io.BytesIO(pdf))
    urls: list[str] = []
    text = ""
    for page in reader.pages:
        for annot in page.get("/Annots") or []:
            a = annot.get_object()
            if a.get("/A") and "/URI" in a["/A"]:
                urls.append(str(a["/A"]["/URI"]))
        text += (page.extract_text() or "").replace(" ", "").replace("\x00", "")
    return Printed(pdf, urls, CODE.findall(text), text)


async def print_cards(
    client: httpx.AsyncClient, token: str, round_id: int, village: str, count: int
) -> Printed:
    r = await client.post(
        f"/api/v1/rounds/{round_id}/survey/cards",
        json={"village": village, "count": count},
        headers=bearer(token),
    )
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == "application/pdf"
    return read_cards(r.content)


def form_answers(env: str, service: str, key: str, free_text: str = "") -> dict[str, Any]:
    return {"answers": {"env": env, "service": service}, "free_text": free_text, "key": key}
