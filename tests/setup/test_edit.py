"""Editing a round after creation, deleting one without scores, archiving one with scores."""

from __future__ import annotations

import copy
from typing import Any

import httpx

from arena.models import AuditEvent, Judge, PaperItem, Recusal, Round, Target, Token, Village
from tests.api.helpers import new_campaign, post_sheet, small_definition, tokens
from tests.conftest import bearer
from tests.setup.helpers import fields, form_state, post


async def _round(client: httpx.AsyncClient, token: str) -> tuple[dict[str, Any], dict[str, Any]]:
    d = small_definition(new_campaign())
    r = await client.post("/api/v1/rounds", json=d, headers=bearer(token))
    assert r.status_code == 201
    return d, r.json()


async def _definition(client: httpx.AsyncClient, token: str, rid: int) -> dict[str, Any]:
    got = (await client.get(f"/api/v1/rounds/{rid}", headers=bearer(token))).json()
    for key in ("id", "status", "revision"):
        got.pop(key)
    return got  # type: ignore[no-any-return]


async def test_before_any_score_everything_may_change(
    client: httpx.AsyncClient, organiser_token: str
) -> None:
    d, created = await _round(client, organiser_token)
    rid = created["id"]
    old_link = {e["code"]: e["token"] for e in created["judges"]}["J2"]
    e = copy.deepcopy(d)
    e["date"] = "2025-09-20"
    e["papers"]["shared"]["items"] = [{"code": "a", "name": "组织建设", "max": 20}]
    e["villages"] = [e["villages"][2], e["villages"][0]]  # C then A; B leaves the route
    e["villages"].append(
        {"code": "D", "name": "D村", "township": "西岭镇", "county": "滨海区",
         "targets": [{"code": "t1", "name": "新目标", "max": 4},
                     {"code": "t2", "name": "二", "max": 6}]}
    )  # fmt: skip
    e["judges"] = [j for j in e["judges"] if j["code"] != "J4"]
    e["judges"][0]["recuse"] = ["D"]
    r = await post(client, organiser_token, f"/admin/rounds/{rid}/edit", e)
    assert r.status_code == 200, r.text
    assert await Village.filter(round_id=rid).order_by("position").values_list(
        "code", flat=True
    ) == ["C", "A", "D"]
    assert await Judge.filter(round_id=rid).order_by("position").values_list("code", flat=True) == [
        "J1",
        "J2",
        "J3",
        "J5",
    ]
    assert await PaperItem.filter(round_id=rid, paper="shared").values_list("code", "maximum") == [
        ("a", 20)
    ]
    d_id = (await Village.get(round_id=rid, code="D")).id
    assert await Target.filter(village_id=d_id).order_by("position").values_list(
        "code", flat=True
    ) == ["t1", "t2"]
    pairs = await Recusal.filter(judge__round_id=rid).values_list("judge__code", "village__code")
    assert sorted(pairs) == [("J1", "D"), ("J5", "C")]
    # the new village has its link; the removed judge's link is gone; J2 keeps the printed one
    assert await Token.filter(round_id=rid, role="participant", village__code="D").count() == 1
    assert await Token.filter(round_id=rid, role="judge").count() == 4
    links = (
        await client.get(f"/api/v1/rounds/{rid}/links", headers=bearer(organiser_token))
    ).json()
    assert {x["code"]: x["token"] for x in links["judges"]}["J2"] == old_link
    assert await _definition(client, organiser_token, rid) == {
        **e,
        "judges": [{**j, "recuse": j["recuse"]} for j in e["judges"]],
    }
    entry = await AuditEvent.filter(subject=f"round:{rid}", action="round.edit").get()
    assert entry.payload["scored"] is False
    assert "日期 2025-09-16 → 2025-09-20" in [c["what"] for c in entry.payload["changes"]]


async def test_after_scoring_only_names_new_judges_and_unscored_recusals(
    client: httpx.AsyncClient, organiser_token: str
) -> None:
    d, created = await _round(client, organiser_token)
    rid = created["id"]
    judge = tokens(created)
    sheet = await post_sheet(client, judge["J1"], rid, "A", "shared", {"a": 8, "b": 7})
    assert sheet.status_code == 201, sheet.text
    edits_before = await AuditEvent.filter(subject=f"round:{rid}", action="round.edit").count()
    stored_before = await _definition(client, organiser_token, rid)

    # what could change a result is refused, each problem named by its field, nothing stored
    bad = copy.deepcopy(d)
    bad["papers"]["shared"]["items"][0]["max"] = 12
    bad["papers"]["shared"]["items"][1]["max"] = 8
    bad["villages"][1]["code"] = "B2"
    bad["judges"] = bad["judges"][:4]
    bad["judges"][0]["recuse"] = ["A"]  # J1 has already scored A
    bad["date"] = "2025-09-17"
    r = await post(client, organiser_token, f"/admin/rounds/{rid}/edit", bad)
    assert r.status_code == 403
    error = r.json()["error"]
    assert error["code"] == "scoring_started"
    assert fields(error["problems"]) == {
        "date",
        "papers.shared.items[0].max",
        "papers.shared.items[1].max",
        "villages[1].code",
        "judges",
        "judges[0].recuse",
    }
    assert await _definition(client, organiser_token, rid) == stored_before
    assert await Village.filter(round_id=rid, code="B2").count() == 0
    assert await Judge.filter(round_id=rid).count() == 5
    assert (
        await AuditEvent.filter(subject=f"round:{rid}", action="round.edit").count() == edits_before
    )
    # the check shows the same refusals while typing
    checked = (await post(client, organiser_token, f"/admin/rounds/check?round={rid}", bad)).json()
    assert checked["ok"] is False and fields(checked["problems"]) == fields(error["problems"])

    # names, a unit, a new judge and a recusal without any sheet are allowed, and audited
    good = copy.deepcopy(d)
    good["name"] = "测试拉练（更正）"
    good["villages"][0]["name"] = "A新村"
    good["papers"]["shared"]["items"][1]["name"] = "集体经济发展"
    good["judges"][1]["unit"] = "县农业农村局"
    good["judges"][1]["recuse"] = ["B"]
    good["judges"].append({"code": "J6", "name": "评委6号", "recuse": ["A"]})
    r = await post(client, organiser_token, f"/admin/rounds/{rid}/edit", good)
    assert r.status_code == 200, r.text
    whats = [c["what"] for c in r.json()["changes"]]
    assert whats == [
        "名称「测试拉练 2025-09-16」→「测试拉练（更正）」",
        "共性目标 b 名称「集体经济」→「集体经济发展」",
        "村 A 村名「A村」→「A新村」",
        "评委 J2 单位「」→「县农业农村局」",
        "评委 评委2号 回避 B",
        "新增评委 J6「评委6号」",
        "评委 评委6号 回避 A",
    ]
    entry = (
        await AuditEvent.filter(subject=f"round:{rid}", action="round.edit").order_by("-id").first()
    )
    assert entry is not None and entry.payload["scored"] is True
    assert [c["what"] for c in entry.payload["changes"]] == whats
    assert (await Village.get(round_id=rid, code="A")).name == "A新村"
    assert await Token.filter(round_id=rid, role="judge", judge__code="J6").count() == 1
    # the cached template follows at once: standings and the API show the new names
    got = await _definition(client, organiser_token, rid)
    assert got["name"] == "测试拉练（更正）" and got["villages"][0]["name"] == "A新村"
    standings = (
        await client.get(f"/api/v1/rounds/{rid}/standings", headers=bearer(organiser_token))
    ).json()
    assert {row["village"]: row["name"] for row in standings["rows"]}["A"] == "A新村"
    # six judges now: A without J6, B without J2, C without J5: 5 + 5 + 5 = 15 judge-village
    # pairs × 2 papers = 30 sheets expected; one is in
    assert (standings["sheets_in"], standings["sheets_expected"]) == (1, 30)
    # the new judge's link works and lists the villages J6 scores: B and C
    links = (
        await client.get(f"/api/v1/rounds/{rid}/links", headers=bearer(organiser_token))
    ).json()
    j6 = {x["code"]: x for x in links["judges"]}["J6"]
    state = await client.get("/judge/api/state", headers=bearer(j6["token"]))
    assert state.status_code == 200, state.text
    assert [v["code"] for v in state.json()["villages"]] == ["B", "C"]

    # once locked, even a recusal without sheets waits for an unlock
    assert (await post(client, organiser_token, f"/api/v1/rounds/{rid}/lock")).status_code == 200
    later = copy.deepcopy(good)
    later["judges"][2]["recuse"] = ["B"]
    r = await post(client, organiser_token, f"/admin/rounds/{rid}/edit", later)
    assert r.status_code == 403
    assert fields(r.json()["error"]["problems"]) == {"judges[2].recuse"}
    later = copy.deepcopy(good)
    later["villages"][1]["name"] = "B新村"  # a name may still be fixed
    r = await post(client, organiser_token, f"/admin/rounds/{rid}/edit", later)
    assert r.status_code == 200


async def test_edit_form_marks_what_is_fixed_once_scored(
    client: httpx.AsyncClient, organiser_token: str
) -> None:
    _, created = await _round(client, organiser_token)
    rid = created["id"]
    page = form_state(
        (await client.get(f"/admin/rounds/{rid}/edit", headers=bearer(organiser_token))).text
    )
    assert page["mode"] == "edit" and page["scored"] is False and page["scored_pairs"] == []
    await post_sheet(client, tokens(created)["J3"], rid, "B", "demonstration", {"t1": 9})
    page = form_state(
        (await client.get(f"/admin/rounds/{rid}/edit", headers=bearer(organiser_token))).text
    )
    assert page["scored"] is True and page["scored_pairs"] == ["J3|B"]


async def test_delete_without_scores_archive_with_scores(
    client: httpx.AsyncClient, organiser_token: str
) -> None:
    _, empty = await _round(client, organiser_token)
    rid = empty["id"]
    r = await post(client, organiser_token, f"/admin/rounds/{rid}/delete")
    assert r.status_code == 200 and r.json() == {"id": rid, "deleted": True}
    assert not await Round.exists(id=rid)
    assert await Village.filter(round_id=rid).count() == 0
    assert await Token.filter(round_id=rid).count() == 0
    assert await AuditEvent.filter(subject=f"round:{rid}", action="round.delete").count() == 1
    assert (
        await client.get(f"/admin/rounds/{rid}", headers=bearer(organiser_token))
    ).status_code == 404

    _, scored = await _round(client, organiser_token)
    rid = scored["id"]
    await post_sheet(client, tokens(scored)["J1"], rid, "C", "shared", {"a": 5, "b": 5})
    r = await post(client, organiser_token, f"/admin/rounds/{rid}/delete")
    assert r.status_code == 409 and r.json()["error"]["code"] == "has_scores"
    assert await Round.exists(id=rid)
    home = await client.get("/admin", headers=bearer(organiser_token))
    assert f'data-round="{rid}"' in home.text
    r = await post(client, organiser_token, f"/admin/rounds/{rid}/archive")
    assert r.status_code == 200 and (await Round.get(id=rid)).archived is True
    home = await client.get("/admin", headers=bearer(organiser_token))
    assert f'data-round="{rid}"' not in home.text and "/admin?archived=1" in home.text
    shown = await client.get("/admin?archived=1", headers=bearer(organiser_token))
    assert f'data-round="{rid}"' in shown.text
    # everything is kept: the standings still count the sheet
    standings = (
        await client.get(f"/api/v1/rounds/{rid}/standings", headers=bearer(organiser_token))
    ).json()
    assert standings["sheets_in"] == 1
    r = await post(client, organiser_token, f"/admin/rounds/{rid}/unarchive")
    assert r.status_code == 200 and (await Round.get(id=rid)).archived is False
    actions = (
        await AuditEvent.filter(subject=f"round:{rid}")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions[-2:] == ["round.archive", "round.unarchive"]


async def test_another_process_sees_an_edit_at_its_next_recheck(
    client: httpx.AsyncClient, organiser_token: str
) -> None:
    from arena.services.rounds import RoundCatalogue

    d, created = await _round(client, organiser_token)
    rid = created["id"]
    elsewhere = RoundCatalogue(b"k" * 32, "http://elsewhere", recheck_seconds=0)
    patient = RoundCatalogue(b"k" * 32, "http://elsewhere", recheck_seconds=3600)
    assert (await elsewhere.get(rid)).villages["A"].name == "A村"
    assert (await patient.get(rid)).villages["A"].name == "A村"
    e = copy.deepcopy(d)
    e["villages"][0]["name"] = "A新村"
    assert (await post(client, organiser_token, f"/admin/rounds/{rid}/edit", e)).status_code == 200
    # a process that rechecks (every second by default) loads the new setup version
    meta = await elsewhere.get(rid)
    assert meta.villages["A"].name == "A新村" and meta.setup == 1
    # within its recheck interval a process still serves what it has cached
    assert (await patient.get(rid)).villages["A"].name == "A村"
