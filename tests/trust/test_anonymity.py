"""Judges are anonymous to participants: an attacker holding every village's link tries to map
scores to judges' names, by the names themselves, by ordering, by numbering and by gaps."""

from __future__ import annotations

import hashlib
import hmac
from typing import Any

import httpx

from arena.auth import load_server_key
from arena.services.anonymity import judge_labels
from tests.conftest import Server, bearer, create_round
from tests.trust.matrix import endpoints
from tests.trust.support import (
    everything,
    frame,
    new_campaign,
    open_ws,
    post_sheet,
    small_definition,
    tokens,
)

NAMES = {"J1": "张伟", "J2": "王芳", "J3": "李娜", "J4": "刘洋", "J5": "陈静"}


def test_labels_are_keyed_per_village_contiguous_and_unrelated() -> None:
    # With key b"fixed-key", round 7: sort each village's judges by
    # HMAC-SHA256(key, "judge-label:7:<village>:<judge>") and number them from 1.
    five = ["J1", "J2", "J3", "J4", "J5"]
    a = judge_labels(b"fixed-key", 7, "A", five)
    b = judge_labels(b"fixed-key", 7, "B", five)
    c = judge_labels(b"fixed-key", 7, "C", five[:4])  # J5 recused: four labels, no gap
    assert a == {"J4": "评委1", "J5": "评委2", "J3": "评委3", "J2": "评委4", "J1": "评委5"}
    assert b == {"J1": "评委1", "J3": "评委2", "J5": "评委3", "J4": "评委4", "J2": "评委5"}
    assert c == {"J3": "评委1", "J4": "评委2", "J1": "评委3", "J2": "评委4"}
    digest = hmac.new(b"fixed-key", b"judge-label:7:A:J4", hashlib.sha256).digest()
    assert digest == min(
        hmac.new(b"fixed-key", f"judge-label:7:A:{j}".encode(), hashlib.sha256).digest()
        for j in five
    )  # 评委1 of village A is the judge with the smallest HMAC
    assert judge_labels(b"other-key", 7, "A", five) != a  # the server key decides


async def test_a_village_cannot_map_scores_to_names(
    server: Server, client: httpx.AsyncClient, organiser_token: str
) -> None:
    definition = small_definition(new_campaign())
    for judge in definition["judges"]:
        judge["name"] = NAMES[judge["code"]]
    created = await create_round(client, organiser_token, definition)
    rid, judges, villages = created["id"], tokens(created), tokens(created, "villages")
    # Judge Jn gives village V the shared items (n, n): a total of 2n, so each total names its
    # judge to the test (not to the village): J1 → 2, J2 → 4, … J5 → 10 (J5 recused from C).
    for code in "ABC":
        for n in range(1, 6):
            if code == "C" and n == 5:
                continue
            r = await post_sheet(
                client, judges[f"J{n}"], rid, code, "shared", {"a": n, "b": n},
                comment=f"意见{n}",
            )  # fmt: skip
            assert r.status_code == 201, r.text
    key = load_server_key(server.settings.data_dir, server.settings.secret_key)
    seen: dict[str, Any] = {}
    for code, token in villages.items():
        auth = bearer(token)
        reads = {
            "round": (await client.get(f"/api/v1/rounds/{rid}", headers=auth)).json(),
            "standings": (await client.get(f"/api/v1/rounds/{rid}/standings", headers=auth)).json(),
            "breakdown": (
                await client.get(f"/api/v1/rounds/{rid}/villages/{code}", headers=auth)
            ).json(),
            "page": (await client.get(f"/village?round={rid}", headers=auth)).text,
        }
        async with open_ws(server, f"/ws/rounds/{rid}/villages/{code}", token) as ws:
            reads["socket"] = (await frame(ws))["data"]
        async with open_ws(server, f"/ws/rounds/{rid}", token) as ws:
            reads["screen socket"] = (await frame(ws))["data"]
        # …and every other GET route and socket of the routing table the village may read.
        for endpoint in endpoints():
            if endpoint.method not in ("GET", "WS") or "{secret}" in endpoint.path:
                continue
            url = endpoint.url({"round_id": str(rid), "code": code, "path": "css/arena.css"})
            if endpoint.method == "WS":
                reads[str(endpoint)] = await _socket_text(server, url, token)
            else:
                r = await client.get(url, headers=auth)
                reads[str(endpoint)] = r.text if r.status_code == 200 else ""
        text = everything(reads)
        for judge_code, name in NAMES.items():
            assert name not in text, (code, name)
            assert f'"{judge_code}"' not in text, (code, judge_code)
        assert reads["round"]["judges"] == 5  # how many, never who
        seen[code] = reads["breakdown"]["papers"]["shared"]

    for code, paper in seen.items():
        expected_judges = [f"J{n}" for n in range(1, 6) if not (code == "C" and n == 5)]
        want = judge_labels(key, rid, code, expected_judges)
        # Contiguous 评委1…k in label order, k = judges who score the village (C: 4, no gap).
        labels = [j["label"] for j in paper["judges"]]
        assert labels == [f"评委{n}" for n in range(1, len(expected_judges) + 1)]
        # Each label carries the total of the judge the keyed order gives it (2n for Jn).
        by_label = {j["label"]: j["total"] for j in paper["judges"]}
        assert by_label == {want[j]: 2 * int(j[1]) for j in expected_judges}
        assert [c["label"] for c in paper["comments"]] == labels
        assert {c["label"]: c["text"] for c in paper["comments"]} == {
            want[j]: f"意见{j[1]}" for j in expected_judges
        }
    # The attacker's best guess — "评委n is the n-th judge of the round" — is what the labels
    # used to be; the keyed order is a different, per-village permutation of it.
    orders = {code: [j["total"] for j in seen[code]["judges"]] for code in "AB"}
    listed = [2, 4, 6, 8, 10]
    assert orders != {"A": listed, "B": listed}


async def _socket_text(server: Server, url: str, token: str) -> str:
    from websockets.exceptions import InvalidStatus

    try:
        async with open_ws(server, url, token) as ws:
            return everything(await frame(ws))
    except InvalidStatus:
        return ""
