"""The organiser's home (rounds by campaign) and a round's home page."""

from __future__ import annotations

import re

import httpx

from arena.models import AuditEvent
from arena.services.audit import latest_hash
from tests.api.helpers import new_campaign, post_sheet, small_definition, tokens
from tests.conftest import bearer
from tests.setup.helpers import post

ROUND_PAGES = (
    "progress", "cards", "links", "console", "notice",
    "deductions", "satisfaction", "sheets", "checks", "edit", "copy", "setup.xlsx",
)  # fmt: skip


async def test_round_home_shows_status_progress_and_every_page(
    client: httpx.AsyncClient, organiser_token: str
) -> None:
    d = small_definition(new_campaign())
    created = (await client.post("/api/v1/rounds", json=d, headers=bearer(organiser_token))).json()
    rid = created["id"]
    await post_sheet(client, tokens(created)["J1"], rid, "A", "shared", {"a": 8, "b": 7})
    r = await client.get(f"/admin/rounds/{rid}", headers=bearer(organiser_token))
    assert r.status_code == 200
    page = r.text
    assert 'aria-label="组织者导航"' in page and f'data-nav-round="{rid}"' in page
    links = set(re.findall(r'href="([^"]+)"', page))
    for name in ROUND_PAGES:
        assert f"/admin/rounds/{rid}/{name}" in links, name
    assert f"/screen?round={rid}" in links and f"/api/v1/rounds/{rid}/export.xlsx" in links
    assert 'data-action="lock"' in page and 'data-action="publish"' not in page
    # five judges, J5 recused from C: 5 + 5 + 4 = 14 pairs × 2 papers = 28 sheets; one in
    assert "已收评分表 <strong>1</strong> / 28" in page
    rows = re.findall(r'<tr data-village="(\w)".*?<td class="num">(\d+) / (\d+)</td>', page, re.S)
    assert rows == [("A", "1", "10"), ("B", "0", "10"), ("C", "0", "8")]
    # scored: deleting is not offered, archiving is
    assert 'data-action="delete"' not in page and 'data-action="archive"' in page
    for name in ("progress", "cards", "links", "console", "notice", "edit", "copy", "setup.xlsx"):
        assert (
            await client.get(f"/admin/rounds/{rid}/{name}", headers=bearer(organiser_token))
        ).status_code == 200, name

    locked = await post(client, organiser_token, f"/api/v1/rounds/{rid}/lock")
    assert locked.status_code == 200
    page = (await client.get(f"/admin/rounds/{rid}", headers=bearer(organiser_token))).text
    assert 'data-action="unlock"' in page and 'data-action="publish"' in page
    assert "已锁定" in page


async def test_verify_button_checks_the_whole_chain_and_finds_a_tampered_entry(
    client: httpx.AsyncClient, organiser_token: str
) -> None:
    d = small_definition(new_campaign())
    rid = (await client.post("/api/v1/rounds", json=d, headers=bearer(organiser_token))).json()[
        "id"
    ]
    r = await post(client, organiser_token, f"/admin/rounds/{rid}/audit")
    assert r.status_code == 200
    verdict = r.json()
    assert verdict["ok"] is True
    assert verdict["events"] == await AuditEvent.all().count()
    assert verdict["latest"] == await latest_hash()
    entry = await AuditEvent.filter(subject=f"round:{rid}", action="round.create").get()
    original = dict(entry.payload)
    try:
        await AuditEvent.filter(id=entry.id).update(payload={**original, "judges": 6})
        verdict = (await post(client, organiser_token, f"/admin/rounds/{rid}/audit")).json()
        assert verdict["ok"] is False
        assert verdict["broken_at"] == entry.id
    finally:
        await AuditEvent.filter(id=entry.id).update(payload=original)
    assert (await post(client, organiser_token, f"/admin/rounds/{rid}/audit")).json()["ok"] is True


async def test_home_lists_rounds_by_campaign_with_new_and_copy_buttons(
    client: httpx.AsyncClient, organiser_token: str
) -> None:
    campaign = new_campaign()
    ids = []
    for date in ("2025-06-16", "2025-09-16"):
        d = small_definition(campaign, date=date)
        r = await client.post("/api/v1/rounds", json=d, headers=bearer(organiser_token))
        ids.append(r.json()["id"])
    page = (await client.get("/admin", headers=bearer(organiser_token))).text
    assert 'href="/admin/rounds/new"' in page
    section = page[page.index(f'data-campaign="{campaign}"') :]
    section = section[
        : section.index("</section>\n  </section>")
        if "</section>\n  </section>" in section
        else None
    ]
    # newest first, and 复制上一轮 copies the latest round (September's)
    assert section.index(f'data-round="{ids[1]}"') < section.index(f'data-round="{ids[0]}"')
    assert f'href="/admin/rounds/{ids[1]}/copy"' in section
    assert f'<a href="/admin/rounds/{ids[0]}">' in section
