"""The organiser's progress board, printable judge cards and personal links pages."""

from __future__ import annotations

import re

import httpx

from arena.auth import load_server_key
from arena.demo import demo_organiser
from tests.conftest import Server, bearer, create_round
from tests.judges.helpers import judge_client, sheet_body

WRITE = {"X-Arena-Request": "1"}
SHARED = {"org": 8.5, "eco": 9, "build": 7, "talent": 5.5, "gov": 5}


async def test_progress_counts_sheets_in_and_expected(
    server: Server, client: httpx.AsyncClient, organiser_token: str
) -> None:
    created = await create_round(client, organiser_token)
    rid = created["id"]
    async with judge_client(server, created, "J4") as judge:
        for paper, items in (("shared", SHARED), ("demonstration", {"t1": 12, "t2": 13})):
            body = sheet_body("V01", paper, items, f"p-{paper}")
            assert (
                await judge.post(f"/api/v1/rounds/{rid}/sheets", json=body, headers=WRITE)
            ).status_code == 201
        body = sheet_body("V02", "shared", SHARED, "p-v02")
        assert (
            await judge.post(f"/api/v1/rounds/{rid}/sheets", json=body, headers=WRITE)
        ).status_code == 201
        r = await judge.get(f"/admin/rounds/{rid}/progress.json")
        assert (r.status_code, r.json()["error"]["code"]) == (403, "forbidden")
    r = await client.get(f"/admin/rounds/{rid}/progress.json", headers=bearer(organiser_token))
    assert r.status_code == 200
    data = r.json()
    assert (data["received"], data["expected"]) == (3, 2 * (7 * 8 - 1))
    assert data["round"]["status_name"] == "评分中"
    assert [v["code"] for v in data["villages"]] == [f"V0{n}" for n in range(1, 9)]
    assert (data["villages"][0]["received"], data["villages"][0]["expected"]) == (2, 14)
    assert (data["villages"][4]["received"], data["villages"][4]["expected"]) == (0, 12)
    j4 = next(j for j in data["judges"] if j["code"] == "J4")
    assert (j4["name"], j4["received"], j4["expected"]) == ("刘洋", 3, 14)
    assert j4["cells"]["V05"] is None
    assert j4["cells"]["V01"]["shared"]["version"] == 1
    assert j4["cells"]["V01"]["demonstration"]["version"] == 1
    assert j4["cells"]["V02"]["demonstration"] is None
    assert j4["cells"]["V03"] == {"shared": None, "demonstration": None}
    j1 = next(j for j in data["judges"] if j["code"] == "J1")
    assert (j1["received"], j1["expected"]) == (0, 16)


async def test_admin_pages_need_an_organiser(
    server: Server, client: httpx.AsyncClient, organiser_token: str
) -> None:
    created = await create_round(client, organiser_token)
    rid = created["id"]
    for page in ("progress", "cards", "links"):
        r = await client.get(f"/admin/rounds/{rid}/{page}")
        assert r.status_code == 401
        assert "组织部工作人员请先登录" in r.text
    _, secret = await demo_organiser(
        load_server_key(server.settings.data_dir, server.settings.secret_key)
    )
    async with httpx.AsyncClient(base_url=server.url) as organiser:
        assert (await organiser.get(f"/o/{secret}")).status_code == 303
        r = await organiser.get(f"/admin/rounds/{rid}/progress")
        assert r.status_code == 200
        assert f'data-round="{rid}"' in r.text
        assert '<script src="/static/js/judge/admin-progress.js" defer></script>' in r.text
        assert (await organiser.get(f"/admin/rounds/{rid + 1000}/progress")).status_code == 404
        home = await organiser.get("/admin")
        links = re.findall(r'<a href="([^"#]+)"', home.text)
        for page in ("console", "progress", "cards", "links", "notice"):
            assert f"/admin/rounds/{rid}/{page}" in links
        assert "/admin/boards" in links and f"/api/v1/rounds/{rid}/export.xlsx" in links
        for link in links:  # every link on the home page opens for the signed-in organiser
            r = await organiser.get(link)
            assert r.status_code == 200, link
        sheet = await organiser.get(f"/api/v1/rounds/{rid}/export.xlsx")
        assert sheet.headers["content-type"].startswith(
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )


async def test_cards_carry_each_judges_link_as_an_inline_qr_code(
    client: httpx.AsyncClient, organiser_token: str
) -> None:
    created = await create_round(client, organiser_token)
    r = await client.get(f"/admin/rounds/{created['id']}/cards", headers=bearer(organiser_token))
    assert r.status_code == 200
    names = re.findall(r'<h2 class="card-name">(.*?)</h2>', r.text)
    assert names == ["李明", "王芳", "张强", "刘洋", "陈静", "杨帆", "赵磊"]
    assert r.text.count('<svg width="') == 7
    for judge in created["judges"]:
        assert f'<p class="card-url">{judge["url"]}</p>' in r.text
    assert "http" not in r.text.replace(created["judges"][0]["url"].split("/j/")[0], "")


async def test_links_page_lists_every_link_and_a_new_link_replaces_the_old(
    server: Server, client: httpx.AsyncClient, organiser_token: str
) -> None:
    created = await create_round(client, organiser_token)
    rid = created["id"]
    r = await client.get(f"/admin/rounds/{rid}/links", headers=bearer(organiser_token))
    assert r.status_code == 200
    assert r.text.count('<button type="button" class="button reissue">更换链接</button>') == 16
    rows = re.findall(r'<tr data-role="(\w+)" data-code="(\w+)"', r.text)
    assert rows[:2] == [("judge", "J1"), ("judge", "J2")]
    assert rows[7:9] == [("participant", "V01"), ("participant", "V02")]
    assert rows[-1] == ("screen", "screen")
    old = created["judges"][0]["url"]
    assert f'<code class="link-url">{old}</code>' in r.text
    async with judge_client(server, created, "J1") as judge:
        r = await client.post(
            f"/api/v1/rounds/{rid}/links",
            json={"role": "judge", "code": "J1"},
            headers=bearer(organiser_token),
        )
        assert r.status_code == 201
        assert (await judge.get("/judge/api/state")).status_code == 401
    new = r.json()["url"]
    page = await client.get(f"/admin/rounds/{rid}/links", headers=bearer(organiser_token))
    assert f'<code class="link-url">{new}</code>' in page.text
    assert old not in page.text
    async with httpx.AsyncClient(base_url=server.url) as stale:
        assert (await stale.get(old.removeprefix(server.url))).status_code == 404
