"""The results notice as an official document (GB/T 9704-2012), printed by Arena itself."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import httpx
from PIL import Image

from tests.api.helpers import new_campaign
from tests.api.test_standings import _scored_round
from tests.conftest import SCREENSHOTS, bearer

HEADING = {
    "organ": "中共滨海区委组织部",
    "number": "滨组通〔2025〕12号",
    "addressees": "各镇（街道）党（工）委，区直有关单位",
    "signed_on": "2025-09-20",
}
SHOTS = SCREENSHOTS / "documents"


def _poppler(tool: str, *args: str) -> str:
    path = shutil.which(tool)
    assert path, f"{tool} (Debian poppler-utils) is needed to read the PDF"
    done = subprocess.run([path, *args], capture_output=True, text=True, timeout=60, check=True)
    return done.stdout


async def test_heading_is_checked_field_by_field_and_nothing_stored(
    client: httpx.AsyncClient, organiser_token: str
) -> None:
    created = await _scored_round(client, organiser_token, new_campaign())
    org = bearer(organiser_token)
    url = f"/api/v1/rounds/{created['id']}/notice"
    bad = {"organ": " ", "number": "滨组通[2025]12号", "addressees": "", "signed_on": "2025-02-30"}
    r = await client.put(url, json=bad, headers=org)
    assert r.status_code == 422
    error = r.json()["error"]
    assert error["field"] == "organ"
    assert [(p["field"], p["message"]) for p in error["problems"]] == [
        ("organ", "请填写发文机关"),
        ("addressees", "请填写主送机关"),
        ("number", "年份用六角括号〔〕括入，如：滨组通〔2025〕12号"),
        ("signed_on", "成文日期格式为 年-月-日，如 2025-09-20"),
    ]
    r = await client.put(url, json={**HEADING, "heading": "通报"}, headers=org)
    assert r.status_code == 422 and r.json()["error"]["field"] == "heading"  # unknown field
    r = await client.put(url, json={**HEADING, "organ": "组织部\x00"}, headers=org)
    assert r.status_code == 422, r.text
    assert r.json()["error"]["field"] == "organ"
    assert (await client.get(url, headers=org)).json() == {"heading": None}
    r = await client.get(f"/admin/rounds/{created['id']}/notice.pdf", headers=org)
    assert r.status_code == 409  # an admin page: the error is a page saying what to do
    assert "请先在通报页填写发文机关、发文字号、主送机关和成文日期" in r.text
    village = bearer(created["villages"][0]["token"])
    assert (await client.put(url, json=HEADING, headers=village)).status_code == 403


async def test_notice_pdf_is_a4_with_embedded_cjk_fonts_and_hand_checked_ranking(
    client: httpx.AsyncClient, organiser_token: str, tmp_path: Path
) -> None:
    created = await _scored_round(client, organiser_token, new_campaign())
    org, rid = bearer(organiser_token), created["id"]
    r = await client.put(f"/api/v1/rounds/{rid}/notice", json=HEADING, headers=org)
    assert r.status_code == 200, r.text
    assert r.json() == {"heading": HEADING}
    again = await client.put(f"/api/v1/rounds/{rid}/notice", json=HEADING, headers=org)
    assert again.json() == r.json()  # saving the same form twice changes nothing
    r = await client.get(f"/admin/rounds/{rid}/notice.pdf", headers=org)
    assert r.status_code == 200
    assert r.headers["content-type"] == "application/pdf"
    pdf = tmp_path / "notice.pdf"
    pdf.write_bytes(r.content)

    fonts = _poppler("pdffonts", str(pdf)).splitlines()[2:]
    # every font is embedded (emb = yes) as a subset; all three are Noto CJK SC faces
    assert sorted(line.split()[0].split("+")[1] for line in fonts) == [
        "NotoSansCJKSC", "NotoSerifCJKSC", "NotoSerifCJKSCBold",
    ]  # fmt: skip
    assert all(line.split()[-5:-3] == ["yes", "yes"] for line in fonts), fonts
    info = _poppler("pdfinfo", str(pdf))
    assert "595.28 x 841.89 pts (A4)" in info  # 210 × 297 mm
    assert "Pages:           3" in info

    text = _poppler("pdftotext", "-layout", str(pdf), "-")
    pages = text.split("\f")
    first = [line.strip() for line in pages[0].splitlines() if line.strip()]
    assert first[:5] == [
        "中共滨海区委组织部文件",
        "滨组通〔2025〕12号",
        "关于测试拉练 2025-09-16评比结果的通报",
        "各镇（街道）党（工）委，区直有关单位：",
        "2025年9月16日，" + first[4].split("，", 1)[1],
    ]
    assert first[-1].replace(" ", "") == "—1—"  # page number — 1 —
    flat = "".join(text.split())
    # C (J5 recused, 4 judges: plain means): 17.50 + 9.00 + 26.25 − 0 = 52.75, first
    assert "C村以52.75分排名第一" in flat
    assert "排名后20%的是B村" in flat
    assert "B村：形式主义，扣3.00分。材料重复报送第1次" in flat
    assert "附件：测试拉练2025-09-16评比结果排名表" in flat
    assert "中共滨海区委组织部2025年9月20日" in flat  # 落款 then 成文日期
    annex = [line.split() for line in pages[2].splitlines() if "村" in line and "东港镇" in line]
    # rank, village, township, shared, demonstration, satisfaction, deductions, total
    # A: 16.00 + 8.17 (8.1666…) + 30 × 0.92 = 27.60 − 0 = 51.77
    # B: 13.00 + 9.00 + 27.75 − 5 (7 capped at 5) = 44.75
    assert [row[:8] for row in annex] == [
        ["1", "C村（暂定）", "东港镇", "17.50", "9.00", "26.25", "0.00", "52.75"],
        ["2", "A村", "东港镇", "16.00", "8.17", "27.60", "0.00", "51.77"],
        ["3", "B村", "东港镇", "13.00", "9.00", "27.75", "5.00", "44.75"],
    ]
    head = r.headers.get("content-disposition", "")
    assert head.startswith("inline; filename=notice-")

    # the organ's mark is printed in red: look at the rendered first page
    SHOTS.mkdir(parents=True, exist_ok=True)
    _poppler("pdftoppm", "-r", "50", "-png", str(pdf), str(SHOTS / "notice"))
    page = Image.open(SHOTS / "notice-1.png").convert("RGB")
    w, h = page.size
    top = page.crop((0, 0, w, h // 3))
    red = sum(1 for (r_, g, b) in top.get_flattened_data() if r_ > 180 and g < 80 and b < 80)
    assert red > 500, red
    body = page.crop((0, h // 2, w, h))
    assert sum(1 for (r_, g, b) in body.get_flattened_data() if r_ > 180 and g < 80 and b < 80) == 0
    assert io.BytesIO(r.content).read(5) == b"%PDF-"
