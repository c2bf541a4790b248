"""A rejected request stores nothing, route by route: every create and write route of the
routing table is sent bad requests as a caller it serves; each answer is the 4xx expected
(naming the field), and afterwards every table holds the same rows and the chain the same head.

Bad input includes what used to end in a 500: JSON nested 50,000 deep, a lone surrogate
("\\ud800") and a NUL ("\\u0000") in text fields, which SQLite stores and PostgreSQL refuses.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import httpx

from tests.conftest import bearer
from tests.trust.matrix import endpoints
from tests.trust.store import audit_head, row_counts
from tests.trust.world import World, build_world

DEEP = b'{"a":' * 50_000 + b"1" + b"}" * 50_000
SURROGATE, NUL = "\ud800", "\u0000"
FORM = "application/x-www-form-urlencoded"


@dataclass(frozen=True)
class Bad:
    """One bad request and the answer it must get."""

    role: str
    body: Any  # a dict (sent as JSON, \\u escapes kept) or bytes
    status: int
    field: str | None = None
    content_type: str = "application/json"

    def content(self) -> bytes:
        if isinstance(self.body, bytes):
            return self.body
        return json.dumps(self.body, ensure_ascii=True).encode()


def sheet(**change: Any) -> dict[str, Any]:
    body = {"village": "A", "paper": "shared", "items": {"a": 5, "b": 5}, "comment": "",
            "idempotency_key": "rejected-sheet"}  # fmt: skip
    return {**body, **change}


def deduction(**change: Any) -> dict[str, Any]:
    body = {"village": "A", "item": "f", "points": 1, "reason": "理由", "idempotency_key": "rej-d"}
    return {**body, **change}


def follow_up(**change: Any) -> dict[str, Any]:
    return {"status": "跟进中", "leader": "王县长", "measures": "每周走访", **change}


ROUND = {"name": "x", "campaign": "y", "date": "2025-09-16", "villages": [], "judges": []}

# Every write route of the routing table: its bad requests. A new write route without a line
# fails the test (add what it must refuse).
REJECTS: dict[str, list[Bad]] = {
    "POST /api/v1/rounds": [
        Bad("organiser", ROUND, 422, "papers"),
        Bad("organiser", {**ROUND, "name": "拉练" + SURROGATE}, 422, "name"),
        Bad("organiser", {**ROUND, "name": "拉练" + NUL}, 422, "name"),
        Bad("organiser", DEEP, 400),
        Bad("organiser", json.dumps(ROUND).encode(), 415, content_type="text/plain"),
        Bad("judge", ROUND, 403),
    ],
    "POST /api/v1/rounds/{round_id}/links": [
        Bad("organiser", {"role": "judge", "code": "J9"}, 404, "code"),
        Bad("organiser", {"role": "judge", "code": "J1" + NUL}, 422, "code"),
    ],
    "POST /api/v1/rounds/{round_id}/sheets": [
        Bad("judge", sheet(items={"a": 11, "b": 5}), 422, "items.a"),
        Bad("judge", sheet(comment="好" + SURROGATE), 422, "comment"),
        Bad("judge", sheet(comment="好" + NUL), 422, "comment"),
        Bad("judge", sheet(village="A" + SURROGATE), 422, "village"),
        Bad("judge", sheet(village="Z"), 422, "village"),
        Bad("judge", DEEP, 400),
        Bad("judge", json.dumps(sheet()).encode(), 415, content_type="text/plain"),
        Bad(
            "judge",
            json.dumps(sheet()).encode(),
            415,
            content_type="application/x-www-form-urlencoded",
        ),
        Bad("recused", sheet(village="C"), 403, "village"),
        Bad("organiser", sheet(), 403),
    ],
    "POST /api/v1/rounds/{round_id}/deductions": [
        Bad("organiser", deduction(reason="理由" + SURROGATE), 422, "reason"),
        Bad("organiser", deduction(village=NUL), 422, "village"),
        Bad("organiser", deduction(points=0), 422, "points"),
        Bad("organiser", deduction(points=6), 422, "points"),
        Bad("organiser", DEEP, 400),
    ],
    "POST /api/v1/rounds/{round_id}/satisfaction": [
        Bad("organiser", {"village": "A", "counts": {"满意": -1}}, 422, "counts.满意"),
        Bad("organiser", {"village": "A", "rate": 101}, 422, "rate"),
        Bad("organiser", {"village": "A", "counts": {"满意" + NUL: 1}}, 422),
    ],
    "POST /api/v1/rounds/{round_id}/deductions/{deduction_id}/withdraw": [
        Bad("organiser", {"reason": "撤销" + SURROGATE}, 422),
        Bad("organiser", DEEP, 400),
    ],
    "POST /api/v1/rounds/{round_id}/satisfaction/{code}/withdraw": [
        Bad("organiser", {"reason": NUL}, 422),
    ],
    "POST /api/v1/rounds/{round_id}/sheets/{sheet_id}/void": [
        Bad("organiser", {"reason": "作废" + NUL}, 422),
    ],
    "POST /api/v1/rounds/{round_id}/proxy-sheets": [
        Bad("organiser", {**sheet(), "judge": "J9"}, 422),
        Bad("organiser", {**sheet(comment=SURROGATE), "judge": "J3"}, 422),
    ],
    "POST /api/v1/rounds/{round_id}/lock": [Bad("judge", {}, 403)],
    "POST /api/v1/rounds/{round_id}/unlock": [Bad("organiser", {}, 409, "status")],
    "POST /api/v1/rounds/{round_id}/publish": [Bad("organiser", {}, 409, "confirm")],
    "POST /api/v1/boards": [
        Bad(
            "organiser",
            b"a = " + b"[" * 50_000 + b"]" * 50_000,
            400,
            "definition",
            content_type="application/toml",
        ),  # fmt: skip
        Bad("organiser", b'name = "x\\u0000"', 422, "name", content_type="application/toml"),
        Bad("organiser", b"{" + b" " * (1024 * 1024 + 1) + b"}", 413),
        Bad("organiser", DEEP, 400, "definition"),
    ],
    "POST /api/v1/boards/{board_id}/values": [
        Bad("organiser", b"village,income,debt\nA,x,1\n", 422, "file", content_type="text/csv"),
    ],
    "PUT /api/v1/boards/{board_id}/followups/{code}": [
        Bad("organiser", follow_up(leader="王" + SURROGATE), 422, "leader"),
        Bad("organiser", follow_up(measures=NUL), 422, "measures"),
        Bad("organiser", follow_up(status="完成了"), 422, "status"),
        Bad("organiser", DEEP, 400),
    ],
    "DELETE /api/v1/boards/{board_id}": [
        Bad("organiser", {"confirm": "不是这个名字"}, 422, "confirm")
    ],
    "POST /api/v1/boards/{board_id}/archive": [Bad("screen", {}, 403)],
    "POST /api/v1/contests": [
        Bad("organiser", {"name": "擂台" + NUL}, 422, "name"),
        Bad("organiser", DEEP, 400),
    ],
    "POST /api/v1/contests/{contest_id}/links": [
        Bad("organiser", {"role": "judge", "code": "J9"}, 404, "code"),
    ],
    "POST /api/v1/contests/{contest_id}/steps": [
        Bad("organiser", {"action": "reveal", "revision": 999}, 409, "revision"),
        Bad("organiser", {"action": "跳过", "revision": 0}, 422, "action"),
        Bad("organiser", {"action": "draw", "revision": 0, "seed": SURROGATE}, 422, "seed"),
    ],
    "POST /api/v1/contests/{contest_id}/scores": [
        Bad(
            "contest_judge",
            {"contestant": "C1", "items": {"a": 50, "b": 30}, "idempotency_key": "rej-c"},
            403,
            "contestant",
        ),  # fmt: skip
    ],
    "DELETE /api/v1/contests/{contest_id}": [Bad("organiser", {"confirm": "错"}, 422, "confirm")],
    "POST /api/v1/contests/{contest_id}/archive": [Bad("judge", {}, 403)],
    "POST /admin/rounds/{round_id}/reveal/{action}": [Bad("organiser", {}, 409)],
    # added by other helpers in the same session (notice, draws, resident surveys)
    "PUT /api/v1/rounds/{round_id}/notice": [
        Bad("organiser", {"heading": "通报" + NUL}, 422),
        Bad("judge", {"heading": "通报"}, 403),
    ],
    "POST /api/v1/rounds/{round_id}/draws": [
        Bad("organiser", {"name": SURROGATE}, 422),
        Bad("organiser", DEEP, 400),
    ],
    "POST /api/v1/rounds/{round_id}/draws/{draw_id}/draw": [
        Bad("organiser", {"public": "x", "idempotency_key": "k"}, 404),
    ],
    "POST /q": [Bad("anonymous", b"code=%00", 422, content_type=FORM)],
    "POST /q/answer": [
        Bad("anonymous", {"code": "000000", "answers": {}}, 422, "code"),
        Bad("anonymous", {"code": NUL}, 422),
    ],
    "POST /q/{secret}": [Bad("anonymous", {"answers": {"q1": NUL}}, 404)],
    "POST /api/v1/rounds/{round_id}/survey/cards": [Bad("organiser", {"village": NUL}, 422)],
    "POST /api/v1/rounds/{round_id}/survey/answers/{answer_id}/void": [
        Bad("organiser", {"reason": "作废" + SURROGATE}, 404, "answer_id"),  # no such answer
    ],
    "POST /api/v1/rounds/{round_id}/survey/villages/{code}/close": [
        Bad("organiser", {"reason": NUL}, 422),
    ],
}
# Organisers' HTML forms (sign-in, accounts, definitions by form): posted from a signed-in
# organiser's browser session without the form's token (a cross-site post), each is refused
# before anything is read.
FORMS = [
    "POST /login", "POST /logout", "POST /admin/users", "POST /admin/users/{account_id}/disable",
    "POST /admin/users/{account_id}/enable", "POST /admin/users/{account_id}/password",
    "POST /admin/sessions/{session_id}/end", "POST /admin/rounds/check",
    "POST /admin/rounds/import",
    "POST /admin/rounds/{round_id}/edit", "POST /admin/rounds/{round_id}/audit",
    "POST /admin/rounds/{round_id}/delete", "POST /admin/rounds/{round_id}/archive",
    "POST /admin/rounds/{round_id}/unarchive", "POST /admin/boards/new",
    "POST /admin/boards/new/check", "POST /admin/boards/new/workbook", "POST /admin/contests/new",
    "POST /admin/contests/new/check", "POST /admin/contests/new/workbook",
]  # fmt: skip

TRIED: list[str] = []


async def test_every_write_route_refuses_bad_input_and_stores_nothing(
    client: httpx.AsyncClient, organiser_token: str
) -> None:
    world = await build_world(client, organiser_token)
    writes = [str(e) for e in endpoints() if e.method in ("POST", "PUT", "PATCH", "DELETE")]
    missing = [w for w in writes if w not in REJECTS and w not in FORMS]
    assert not missing, f"write routes with no bad request to try (add to REJECTS): {missing}"
    credentials = {**world.credentials, "recused": world.round_links["judges"][4]["token"]}
    # An organiser's browser: the session cookie a sign-in link sets, and nothing else.
    r = await client.get(f"/o/{organiser_token}", follow_redirects=False)
    assert r.status_code in (302, 303), r.text
    cookies = {k: v for k, v in r.cookies.items()}
    client.cookies.clear()
    failures: list[str] = []
    for name in writes:
        method, path = name.split(" ", 1)
        bads = REJECTS.get(name) or [
            Bad("browser", b"name=x", 403, content_type="application/x-www-form-urlencoded")
        ]
        for bad in bads:
            before, head = await row_counts(), await audit_head()
            r = await _send(client, world, method, path, bad, credentials, cookies)
            TRIED.append(name)
            got = r.json().get("error", {}) if _is_json(r) else {}
            what = f"{name} as {bad.role} ({bad.content()[:60]!r})"
            if r.status_code != bad.status:
                failures.append(f"{what}: {r.status_code} {r.text[:200]}, expected {bad.status}")
            elif bad.field is not None and got.get("field") != bad.field:
                failures.append(f"{what}: field {got.get('field')!r}, expected {bad.field!r}")
            if await row_counts() != before or await audit_head() != head:
                failures.append(f"{what}: stored something")
    assert not failures, "\n".join(failures)


def _is_json(r: httpx.Response) -> bool:
    return r.headers.get("content-type", "").startswith("application/json")


async def _send(
    client: httpx.AsyncClient, world: World, method: str, path: str, bad: Bad,
    credentials: dict[str, str | None], cookies: dict[str, str],
) -> httpx.Response:  # fmt: skip
    params = {**world.params(), "code": world.code(path), "action": "step"}
    url = path
    for key, value in params.items():
        url = url.replace("{" + key + "}", value).replace("{" + key + ":path}", value)
    token = credentials.get(bad.role)
    headers = {"Accept": "application/json", **(bearer(token) if token else {})}
    if bad.role == "browser":
        headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
    if bad.content_type:
        headers["Content-Type"] = bad.content_type
    return await client.request(method, url, content=bad.content(), headers=headers)
