"""Every HTTP and WebSocket route of the application's own routing table × every role.

The expectation of each route is one line of EXPECT: the roles that get past authorisation.
Everyone else must be refused (401/403, a sign-in redirect for pages, or a refused WebSocket
handshake). No cell may answer 5xx. A route added to arena/app.py without a line here fails.
Path parameters name objects of the roles' own round, board and contest (tests/trust/world.py).
"""

from __future__ import annotations

import httpx
import pytest

from tests.conftest import Server
from tests.trust.matrix import Endpoint, endpoints, refused, try_http, try_ws
from tests.trust.world import ROLES, build_world

ALL = frozenset(ROLES)
ORG = frozenset({"organiser"})
ROUND = frozenset({"organiser", "judge", "screen", "participant"})
CONTEST = frozenset({"organiser", "contest_judge", "contestant"})
BOARD = frozenset({"organiser", "screen"})
NOBODY: frozenset[str] = frozenset()

# What each route serves, by role (reviewed line by line; see the module docstring).
# Notes: /j/, /v/, /s/, /o/ with an unknown secret are a 404 for everyone (so "ALL"); the
# judge shell and its worker carry no data; /village/board answers any "participant" token, and
# a contestant's is one, with its own (empty) village; screens read boards.
EXPECT: dict[str, frozenset[str]] = {
    "GET /": ALL,
    "GET /static/{path:path}": ALL,
    "GET /login": ALL,
    "POST /login": ALL,
    "GET /logout": ALL - {"anonymous"},
    "POST /logout": ALL,
    "GET /admin/users": ORG,
    "POST /admin/users": ORG,
    "POST /admin/users/{account_id}/disable": ORG,
    "POST /admin/users/{account_id}/enable": ORG,
    "POST /admin/users/{account_id}/password": ORG,
    "GET /admin/sessions": ORG,
    "POST /admin/sessions/{session_id}/end": ORG,
    "GET /j/{secret}": ALL,
    "GET /v/{secret}": ALL,
    "GET /s/{secret}": ALL,
    "GET /o/{secret}": ALL,
    "GET /judge": ALL,
    "GET /judge/sw.js": ALL,
    "GET /judge/api/state": frozenset({"contest_judge", "judge"}),
    "GET /api/v1/rounds/{round_id}/my-sheets": frozenset({"judge"}),
    "GET /api/v1/contests/{contest_id}/my-scores": frozenset({"contest_judge"}),
    "GET /admin/rounds/new": ORG,
    "GET /admin/rounds/template.xlsx": ORG,
    "POST /admin/rounds/check": ORG,
    "POST /admin/rounds/import": ORG,
    "GET /admin/rounds/{round_id}/copy": ORG,
    "GET /admin/rounds/{round_id}/edit": ORG,
    "POST /admin/rounds/{round_id}/edit": ORG,
    "GET /admin/rounds/{round_id}/setup.xlsx": ORG,
    "GET /admin": ORG,
    "GET /admin/rounds/{round_id}": ORG,
    "POST /admin/rounds/{round_id}/audit": ORG,
    "POST /admin/rounds/{round_id}/delete": ORG,
    "POST /admin/rounds/{round_id}/archive": ORG,
    "POST /admin/rounds/{round_id}/unarchive": ORG,
    "GET /screen": ROUND,
    "GET /admin/rounds/{round_id}/console": ORG,
    "GET /admin/rounds/{round_id}/reveal": ORG,
    "POST /admin/rounds/{round_id}/reveal/{action}": ORG,
    "WS /ws/rounds/{round_id}": ROUND,
    "WS /ws/rounds/{round_id}/live": ORG,
    "GET /village": frozenset({"organiser", "participant"}),
    "WS /ws/rounds/{round_id}/villages/{code}": frozenset({"organiser", "participant"}),
    "GET /admin/rounds/{round_id}/progress": ORG,
    "GET /admin/rounds/{round_id}/progress.json": ORG,
    "GET /admin/rounds/{round_id}/judges": ORG,  # 评委一致性 (judges' consistency)
    "GET /admin/rounds/{round_id}/judges.json": ORG,
    "GET /admin/rounds/{round_id}/cards": ORG,
    "GET /admin/rounds/{round_id}/links": ORG,
    "GET /admin/rounds/{round_id}/notice": ORG,
    "GET /admin/boards/new": ORG,
    "POST /admin/boards/new": ORG,
    "POST /admin/boards/new/check": ORG,
    "POST /admin/boards/new/workbook": ORG,
    "GET /admin/boards/template.xlsx": ORG,
    "DELETE /api/v1/boards/{board_id}": ORG,
    "POST /api/v1/boards/{board_id}/archive": ORG,
    "GET /api/v1/boards": BOARD,
    "POST /api/v1/boards": ORG,
    "GET /api/v1/boards/{board_id}": BOARD,
    "POST /api/v1/boards/{board_id}/values": ORG,
    "GET /api/v1/boards/{board_id}/rankings": BOARD,
    "GET /api/v1/boards/{board_id}/villages/{code}": BOARD,
    "GET /api/v1/boards/{board_id}/followups": BOARD,
    "PUT /api/v1/boards/{board_id}/followups/{code}": ORG,
    "GET /api/v1/boards/{board_id}/flags": BOARD,
    "GET /api/v1/boards/{board_id}/screen": BOARD,
    "GET /api/v1/boards/{board_id}/export.xlsx": ORG,
    "GET /api/v1/boards/{board_id}/incentives.xlsx": ORG,
    "WS /ws/boards/{board_id}": BOARD,
    "GET /admin/boards": ORG,
    "GET /admin/boards/{board_id}": ORG,
    "GET /screen/boards/{board_id}": BOARD,
    "GET /village/board": frozenset({"contestant", "participant"}),
    "GET /admin/contests": ORG,
    "GET /admin/contests/new": ORG,
    "POST /admin/contests/new": ORG,
    "POST /admin/contests/new/check": ORG,
    "POST /admin/contests/new/workbook": ORG,
    "GET /admin/contests/template.xlsx": ORG,
    "DELETE /api/v1/contests/{contest_id}": ORG,
    "POST /api/v1/contests/{contest_id}/archive": ORG,
    "POST /api/v1/contests/{contest_id}/links": ORG,
    "POST /api/v1/contests": ORG,
    "GET /api/v1/contests/{contest_id}": CONTEST,
    "GET /api/v1/contests/{contest_id}/links": ORG,
    "POST /api/v1/contests/{contest_id}/steps": ORG,
    "POST /api/v1/contests/{contest_id}/scores": frozenset({"contest_judge"}),
    "GET /api/v1/contests/{contest_id}/results": CONTEST,
    "GET /api/v1/contests/{contest_id}/results.xlsx": ORG,
    "GET /api/v1/contests/{contest_id}/contestants/{code}": frozenset({"contestant", "organiser"}),
    "WS /ws/contests/{contest_id}": CONTEST,
    "GET /admin/contests/{contest_id}/console": ORG,
    "GET /admin/contests/{contest_id}/links": ORG,
    "GET /screen/contest": CONTEST,
    "GET /contest/mine": frozenset({"contestant", "organiser"}),
    "GET /admin/rounds/{round_id}/deductions": ORG,
    "GET /admin/rounds/{round_id}/satisfaction": ORG,
    "GET /admin/rounds/{round_id}/sheets": ORG,
    "GET /admin/rounds/{round_id}/checks": ORG,
    "GET /admin/rounds/{round_id}/deductions.json": ORG,
    "GET /admin/rounds/{round_id}/satisfaction.json": ORG,
    "GET /admin/rounds/{round_id}/sheets.json": ORG,
    "GET /api/v1/rounds/{round_id}/checks": ORG,
    "POST /api/v1/rounds/{round_id}/deductions/{deduction_id}/withdraw": ORG,
    "POST /api/v1/rounds/{round_id}/satisfaction/{code}/withdraw": ORG,
    "POST /api/v1/rounds/{round_id}/sheets/{sheet_id}/void": ORG,
    "POST /api/v1/rounds/{round_id}/proxy-sheets": ORG,
    "GET /screen/rounds/{round_id}/replay": ROUND,
    "GET /api/v1/rounds/{round_id}/replay": ROUND,
    "GET /admin/rounds/{round_id}/replay.html": ORG,
    "GET /admin/rounds/{round_id}/draws": ORG,
    "GET /screen/rounds/{round_id}/draw": ROUND,
    "GET /api/v1/rounds/{round_id}/draws": ROUND,
    "POST /api/v1/rounds/{round_id}/draws": ORG,
    "POST /api/v1/rounds/{round_id}/draws/{draw_id}/draw": ORG,
    "POST /api/v1/rounds": ORG,
    "GET /api/v1/rounds/{round_id}": ROUND,
    "GET /api/v1/rounds/{round_id}/links": ORG,
    "POST /api/v1/rounds/{round_id}/links": ORG,
    "POST /api/v1/rounds/{round_id}/sheets": frozenset({"judge"}),
    "POST /api/v1/rounds/{round_id}/deductions": ORG,
    "POST /api/v1/rounds/{round_id}/satisfaction": ORG,
    "GET /api/v1/rounds/{round_id}/standings": ROUND,
    "GET /api/v1/rounds/{round_id}/villages/{code}": frozenset({"organiser", "participant"}),
    "GET /api/v1/rounds/{round_id}/export.xlsx": ORG,
    "POST /api/v1/rounds/{round_id}/lock": ORG,
    "POST /api/v1/rounds/{round_id}/unlock": ORG,
    "POST /api/v1/rounds/{round_id}/publish": ORG,
    # added by other helpers in the same session: notice, judges' consistency, resident surveys
    # (a resident reaches /q with a card's secret or code: public, the card is the credential)
    "GET /admin/rounds/{round_id}/notice.pdf": ORG,
    "GET /api/v1/rounds/{round_id}/notice": ORG,
    "PUT /api/v1/rounds/{round_id}/notice": ORG,
    "GET /q": ALL,
    "POST /q": ALL,
    "POST /q/answer": ALL,
    "GET /q/{secret}": ALL,
    "POST /q/{secret}": ALL,
    "GET /admin/rounds/{round_id}/survey": ORG,
    "GET /admin/rounds/{round_id}/survey.json": ORG,
    "GET /api/v1/rounds/{round_id}/survey": ORG,
    "POST /api/v1/rounds/{round_id}/survey/cards": ORG,
    "POST /api/v1/rounds/{round_id}/survey/answers/{answer_id}/void": ORG,
    "POST /api/v1/rounds/{round_id}/survey/villages/{code}/close": ORG,
    "GET /api/v1/rounds/{round_id}/villages/{code}/survey": frozenset({"organiser", "participant"}),
}  # fmt: skip

FIGURES: dict[str, int] = {}


async def test_every_route_refuses_every_role_it_does_not_serve(
    server: Server, client: httpx.AsyncClient, organiser_token: str
) -> None:
    table = list(dict.fromkeys(endpoints()))
    missing = [str(e) for e in table if str(e) not in EXPECT]
    FIGURES["routes"], FIGURES["roles"] = len(table), len(ROLES)
    world = await build_world(client, organiser_token)
    params = world.params()
    ws_base = server.url.replace("http://", "ws://")
    observed: dict[str, set[str]] = {}
    failures: list[str] = []
    # The organiser goes last (its writes may change the world); deletions last of all.
    order = sorted(table, key=lambda e: e.method == "DELETE" or "delete" in e.path)
    for role in [r for r in ROLES if r != "organiser"] + ["organiser"]:
        token = world.credentials[role]
        for endpoint in order:
            url = endpoint.url({**params, "code": world.code(endpoint.path)})
            if query := world.query(endpoint.path):
                url += "?" + query
            if endpoint.method == "WS":
                status, location = await try_ws(ws_base, url, token), ""
            else:
                status, location = await try_http(client, endpoint, url, token)
            FIGURES["cells"] = FIGURES.get("cells", 0) + 1
            if status >= 500:
                failures.append(f"{endpoint} as {role}: {status}")
                continue
            if not refused(status, location) and not (endpoint.method == "WS" and status != 101):
                observed.setdefault(str(endpoint), set()).add(role)
    for endpoint in table:
        name = str(endpoint)
        allowed = observed.get(name, set())
        if name in EXPECT and allowed != EXPECT[name]:
            failures.append(
                f"{name}: expected {sorted(EXPECT[name])}, past authorisation: {sorted(allowed)}"
            )
    report = "\n".join(failures)
    if missing:
        lines = "\n".join(f'    "{name}": {_spell(observed.get(name, set()))},' for name in missing)
        pytest.fail(f"routes without an expectation (add them to EXPECT):\n{lines}\n{report}")
    assert not failures, report


def _spell(roles: set[str]) -> str:
    """A role set as EXPECT writes it (what the failure prints for a new route)."""
    named = {"ALL": ALL, 'ALL - {"anonymous"}': ALL - {"anonymous"}, "ORG": ORG,
             "ROUND": ROUND, "CONTEST": CONTEST, "BOARD": BOARD, "NOBODY": NOBODY}  # fmt: skip
    for name, value in named.items():
        if roles == value:
            return name
    return "frozenset({" + ", ".join(f'"{r}"' for r in sorted(roles)) + "})"


def test_endpoints_walk_the_whole_table() -> None:
    names = {str(e) for e in endpoints()}
    assert "POST /api/v1/rounds/{round_id}/sheets" in names
    assert "WS /ws/rounds/{round_id}/villages/{code}" in names
    assert "GET /static/{path:path}" in names
    assert Endpoint("GET", "/a/{x}").url({"x": "1"}) == "/a/1"
