"""Verifiable draws (随机抽取): the recipe alone re-derives every draw Arena makes."""

from __future__ import annotations

import hashlib
import re
import uuid
from pathlib import Path
from typing import Any

import httpx
import pytest

from arena.models import AuditEvent
from arena.scoring.inspection_draw import draw, recipe
from tests.api.helpers import new_campaign, small_definition, tokens
from tests.conftest import bearer, create_round

README = Path(__file__).resolve().parents[2] / "README.md"
HEADING = "### 随机抽取的验算"


def readme_recipe() -> str | None:
    """The python block under the README's heading, when the README has it."""
    text = README.read_text("utf-8")
    if HEADING not in text:
        return None
    section = text.split(HEADING, 1)[1]
    match = re.search(r"```python\n(.*?)```", section, re.S)
    assert match, f"{HEADING} has no ```python block"
    return match.group(1)


def recompute() -> Any:
    """The recipe's `draw` and `committed`, run from the printed text alone."""
    namespace: dict[str, Any] = {}
    printed = readme_recipe()
    assert printed is not None, f"README.md has no {HEADING} section"
    exec(printed, namespace)  # the published recipe itself
    return namespace


def test_the_readme_prints_the_recipe_arena_runs() -> None:
    assert readme_recipe() == recipe()


def test_recipe_by_hand() -> None:
    r = recompute()
    # seed = sha256("s3cret:42"); each item's key = sha256(f"{seed}:{item}"), order by it
    seed = hashlib.sha256(b"s3cret:42").hexdigest()
    keys = {c: hashlib.sha256(f"{seed}:{c}".encode()).hexdigest() for c in ("V1", "V2", "V3")}
    expected = sorted(keys, key=lambda c: (keys[c], c))
    assert r["draw"]("s3cret", "42", ["V1", "V2", "V3"]) == expected
    assert r["draw"]("s3cret", "42", ["V3", "V1", "V2"], k=2) == expected[:2]
    assert list(draw("s3cret", "42", ["V1", "V2", "V3"]).items) == expected
    assert r["committed"]("s3cret", hashlib.sha256(b"s3cret").hexdigest())
    strata = {"V1": "东港镇", "V2": "西岭镇", "V3": "东港镇"}
    # k = 1 from each township, townships by name: 东港镇 (V1 or V3), then 西岭镇 (V2)
    east = sorted(["V1", "V3"], key=lambda c: (keys[c], c))[0]
    assert r["draw"]("s3cret", "42", ["V1", "V2", "V3"], k=1, strata=strata) == [east, "V2"]
    assert list(draw("s3cret", "42", ["V1", "V2", "V3"], 1, strata).items) == [east, "V2"]


def test_the_public_value_must_be_given() -> None:
    with pytest.raises(ValueError):
        draw("s", " ", ["a"])
    with pytest.raises(ValueError):
        draw("s", "1", ["a", "a"])  # a repeated item


async def chain(rid: int, action: str) -> list[dict[str, Any]]:
    rows = await AuditEvent.filter(subject=f"round:{rid}", action=action).order_by("id")
    return [row.payload for row in rows]


async def test_commit_then_draw_once_and_recompute(
    client: httpx.AsyncClient, organiser_token: str
) -> None:
    org = bearer(organiser_token)
    created = await create_round(client, organiser_token)  # 8 villages in 3 townships
    rid = created["id"]
    villages = [v["code"] for v in created["villages"]]
    body = {"kind": "villages", "k": 1, "stratify": True, "title": "抽查村",
            "idempotency_key": "commit-1"}  # fmt: skip
    r = await client.post(f"/api/v1/rounds/{rid}/draws", json=body, headers=org)
    assert r.status_code == 201, r.text
    answer = r.json()
    secret, committed = answer["secret"], answer["draw"]
    assert committed["commitment"] == hashlib.sha256(secret.encode()).hexdigest()
    assert len(secret) == 32 and committed["secret"] is None and not committed["drawn"]
    again = await client.post(f"/api/v1/rounds/{rid}/draws", json=body, headers=org)
    assert again.status_code == 200 and again.json()["draw"]["id"] == committed["id"]
    # Screens and villages see the commitment, never the secret, before the draw
    village = tokens(created, "villages")["V01"]
    listed = (await client.get(f"/api/v1/rounds/{rid}/draws", headers=bearer(village))).json()
    assert listed["draws"][0]["commitment"] == committed["commitment"]
    assert secret not in str(listed)
    assert secret not in str(await chain(rid, "inspection.commit"))

    did = committed["id"]
    r = await client.post(
        f"/api/v1/rounds/{rid}/draws/{did}/draw",
        json={"public": " 3-6-1 ", "idempotency_key": "draw-1"}, headers=org,
    )  # fmt: skip
    assert r.status_code == 201, r.text
    made = r.json()["draw"]
    strata = {v["code"]: v["township"] for v in made["items"]}
    assert set(strata.values()) == {"东港镇", "西岭镇", "北桥镇"}
    expected = recompute()["draw"](secret, "3-6-1", villages, k=1, strata=strata)
    assert [x["code"] for x in made["result"]] == expected and len(expected) == 3
    assert (made["public"], made["secret"]) == ("3-6-1", secret)
    logged = (await chain(rid, "inspection.draw"))[-1]
    assert (logged["secret"], logged["public"], logged["result"]) == (secret, "3-6-1", expected)
    assert logged["commitment"] == committed["commitment"]

    # The same request again is the same answer; a new attempt is refused and on the record
    r = await client.post(
        f"/api/v1/rounds/{rid}/draws/{did}/draw",
        json={"public": "3-6-1", "idempotency_key": "draw-1"}, headers=org,
    )  # fmt: skip
    assert r.status_code == 409  # same key, other body (the spaces were part of the body)
    r = await client.post(
        f"/api/v1/rounds/{rid}/draws/{did}/draw",
        json={"public": "5-5-5", "idempotency_key": "draw-2"}, headers=org,
    )  # fmt: skip
    assert r.status_code == 409 and r.json()["error"]["code"] == "already_drawn"
    refused = await chain(rid, "inspection.refused")
    assert refused == [{"id": did, "public": "5-5-5", "reason": "already_drawn"}]
    assert len(await chain(rid, "inspection.draw")) == 1


async def test_the_drawn_order_becomes_the_tablets_route_and_the_notice_line(
    client: httpx.AsyncClient, organiser_token: str
) -> None:
    org = bearer(organiser_token)
    created = await create_round(client, organiser_token, small_definition(new_campaign()))
    rid = created["id"]
    judge = bearer(tokens(created)["J5"])  # recused from C
    before = (await client.get("/judge/api/state", headers=judge)).json()
    assert [v["code"] for v in before["villages"]] == ["A", "B"] and before["route_draw"] is None
    r = await client.post(
        f"/api/v1/rounds/{rid}/draws",
        json={"kind": "order", "secret": "我们的密钥-2025", "idempotency_key": "o1"}, headers=org,
    )  # fmt: skip
    assert r.status_code == 201, r.text
    did = r.json()["draw"]["id"]
    r = await client.post(
        f"/api/v1/rounds/{rid}/draws/{did}/draw",
        json={"public": "7", "idempotency_key": "o2"}, headers=org,
    )  # fmt: skip
    order = recompute()["draw"]("我们的密钥-2025", "7", ["A", "B", "C"])
    assert [x["code"] for x in r.json()["draw"]["result"]] == order
    state = (await client.get("/judge/api/state", headers=judge)).json()
    stops = {v["code"]: v["stop"] for v in state["villages"]}
    stops.update({v["code"]: v["stop"] for v in state["recused"]})
    assert sorted(stops, key=stops.get) == order  # type: ignore[arg-type]
    assert state["route_draw"]["public"] == "7"
    heading = {"organ": "中共滨海区委组织部", "number": "滨组通〔2025〕12号",
               "addressees": "各镇党委", "signed_on": "2025-09-20"}  # fmt: skip
    r2 = await client.put(f"/api/v1/rounds/{rid}/notice", json=heading, headers=org)
    assert r2.status_code == 200, r2.text
    notice = await client.get(f"/admin/rounds/{rid}/notice", headers=org)
    assert notice.status_code == 200
    line = re.search(r'<p class="note">随机抽取：(.*?)</p>', notice.text, re.S)
    assert line is not None
    text = line.group(1)
    assert r.json()["draw"]["commitment"] in text and "我们的密钥-2025" in text
    assert "现场公开值 7，" in text and "、".join(f"{c}村" for c in order) in text


async def test_bad_commits_list_every_problem_and_store_nothing(
    client: httpx.AsyncClient, organiser_token: str
) -> None:
    org = bearer(organiser_token)
    created = await create_round(client, organiser_token, small_definition(new_campaign()))
    rid = created["id"]
    r = await client.post(
        f"/api/v1/rounds/{rid}/draws",
        json={"kind": "items", "k": 5, "items": "户1\n户2\n户2\n", "secret": "short",
              "idempotency_key": uuid.uuid4().hex},
        headers=org,
    )  # fmt: skip
    assert r.status_code == 422
    fields = [p["field"] for p in r.json()["error"]["problems"]]
    assert fields == ["items", "k", "secret"]
    r = await client.post(
        f"/api/v1/rounds/{rid}/draws",
        json={"kind": "lottery", "idempotency_key": uuid.uuid4().hex}, headers=org,
    )  # fmt: skip
    assert r.status_code == 422 and r.json()["error"]["field"] == "kind"
    r = await client.post(
        f"/api/v1/rounds/{rid}/draws",
        json={"kind": "villages", "k": 4, "idempotency_key": uuid.uuid4().hex}, headers=org,
    )  # fmt: skip
    assert r.status_code == 422 and r.json()["error"]["field"] == "k"  # 3 villages
    assert (await client.get(f"/api/v1/rounds/{rid}/draws", headers=org)).json()["draws"] == []
    assert await chain(rid, "inspection.commit") == []
    # a pasted list: 2 of 3 lines, recomputed from the recipe
    r = await client.post(
        f"/api/v1/rounds/{rid}/draws",
        json={"kind": "items", "k": 2, "items": " 张家 \n\n李家\n王家", "title": "入户抽查",
              "idempotency_key": uuid.uuid4().hex},
        headers=org,
    )  # fmt: skip
    assert r.status_code == 201, r.text
    secret, did = r.json()["secret"], r.json()["draw"]["id"]
    r = await client.post(
        f"/api/v1/rounds/{rid}/draws/{did}/draw",
        json={"public": "", "idempotency_key": uuid.uuid4().hex}, headers=org,
    )  # fmt: skip
    assert r.status_code == 422 and r.json()["error"]["field"] == "public"
    r = await client.post(
        f"/api/v1/rounds/{rid}/draws/{did}/draw",
        json={"public": "冠字号 AB12345678", "idempotency_key": uuid.uuid4().hex}, headers=org,
    )  # fmt: skip
    expected = recompute()["draw"](secret, "冠字号 AB12345678", ["张家", "李家", "王家"], k=2)
    assert [x["name"] for x in r.json()["draw"]["result"]] == expected
    # Only organisers commit and draw
    judge = bearer(tokens(created)["J1"])
    body = {"kind": "order", "idempotency_key": "x"}
    assert (
        await client.post(f"/api/v1/rounds/{rid}/draws", json=body, headers=judge)
    ).status_code == 403


async def test_a_draw_changed_outside_arena_is_named_by_the_audit(
    client: httpx.AsyncClient, organiser_token: str
) -> None:
    from arena.models import InspectionDraw
    from arena.services.audit_state import verify_all

    org = bearer(organiser_token)
    created = await create_round(client, organiser_token, small_definition(new_campaign()))
    rid = created["id"]
    r = await client.post(
        f"/api/v1/rounds/{rid}/draws",
        json={"kind": "villages", "k": 1, "idempotency_key": uuid.uuid4().hex}, headers=org,
    )  # fmt: skip
    did = r.json()["draw"]["id"]
    r = await client.post(
        f"/api/v1/rounds/{rid}/draws/{did}/draw",
        json={"public": "88", "idempotency_key": uuid.uuid4().hex}, headers=org,
    )  # fmt: skip
    assert r.status_code == 201

    def mine(report: Any) -> list[str]:
        found = [d for d in report.differences if d.table == "inspection_draw"]
        return [d.what for d in found if d.row == str(did)]

    assert mine(await verify_all()) == []
    row = await InspectionDraw.get(id=did)
    drawn = list(row.result or [])
    other = next(c for c in ("A", "B", "C") if c not in drawn)
    await InspectionDraw.filter(id=did).update(result=[other])  # a village swapped in the DB
    try:
        assert mine(await verify_all()) == [f"result 为 {[other]!r}，审计链为 {drawn!r}"]
    finally:
        await InspectionDraw.filter(id=did).update(result=drawn)
    assert mine(await verify_all()) == []
