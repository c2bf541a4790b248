"""Property-based fuzzing of every JSON write route (hypothesis), against a real server process:
whatever the body, the answer is never a 5xx, and a 4xx stores nothing (every table's rows and
the audit head unchanged). Bodies are mutations of a valid one: a field replaced by any JSON
value (lone surrogates, NUL, huge and over-precise numbers, NaN, deep nesting), extra fields,
other content types, or raw bytes. Examples are bounded and derandomised (CI reproduces them).
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.trust.census import Census
from tests.trust.database import BACKENDS, Database, new_database
from tests.trust.process import ServerProcess
from tests.trust.test_rejected import deduction, follow_up, sheet
from tests.trust.world import World, build_world

EXAMPLES = 20  # per route: 28 routes × 20 = 560 requests per database
FIGURES: dict[str, int] = {"cases": 0, "4xx": 0, "2xx": 0}

TEXT = st.text(
    alphabet=st.sampled_from(["a", "村", "\u0000", "\ud800", "\udfff", " ", "\n", "评", "'"]),
    max_size=12,
)
SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True), TEXT,
    st.decimals(allow_nan=False, allow_infinity=False, places=5).map(float),
)  # fmt: skip
VALUES = st.recursive(
    SCALARS,
    lambda children: st.lists(children, max_size=3) | st.dictionaries(TEXT, children, max_size=3),
    max_leaves=6,
)
DEEP = st.integers(min_value=30, max_value=5000).map(lambda n: '{"a":' * n + "1" + "}" * n)

# Route: (the role it serves, a valid body to mutate).
ROUTES: dict[str, tuple[str, dict[str, Any]]] = {
    "POST /api/v1/rounds": ("organiser", {"name": "x", "campaign": "y", "date": "2025-01-01"}),
    "POST /api/v1/rounds/{round_id}/links": ("organiser", {"role": "judge", "code": "J1"}),
    "POST /api/v1/rounds/{round_id}/sheets": ("judge", sheet()),
    "POST /api/v1/rounds/{round_id}/deductions": ("organiser", deduction()),
    "POST /api/v1/rounds/{round_id}/satisfaction": (
        "organiser",
        {"village": "A", "counts": {"满意": 3}},
    ),  # fmt: skip
    "POST /api/v1/rounds/{round_id}/deductions/{deduction_id}/withdraw": (
        "organiser",
        {"reason": "录错"},
    ),  # fmt: skip
    "POST /api/v1/rounds/{round_id}/satisfaction/{code}/withdraw": ("organiser", {"reason": "x"}),
    "POST /api/v1/rounds/{round_id}/sheets/{sheet_id}/void": ("organiser", {"reason": "x"}),
    "POST /api/v1/rounds/{round_id}/proxy-sheets": ("organiser", {**sheet(), "judge": "J3"}),
    "POST /api/v1/rounds/{round_id}/lock": ("organiser", {}),
    "POST /api/v1/rounds/{round_id}/unlock": ("organiser", {}),
    "POST /api/v1/rounds/{round_id}/publish": ("organiser", {"confirm": True}),
    "POST /admin/rounds/{round_id}/reveal/{action}": ("organiser", {}),
    "POST /api/v1/boards": (
        "organiser",
        {"name": "榜", "scope": {"level": "county", "name": "县"}},
    ),
    "PUT /api/v1/boards/{board_id}/followups/{code}": ("organiser", follow_up()),
    "DELETE /api/v1/boards/{board_id}": ("organiser", {"confirm": "x"}),
    "POST /api/v1/boards/{board_id}/archive": ("organiser", {"archived": True}),
    "POST /api/v1/contests": ("organiser", {"name": "擂台", "date": "2025-10-20"}),
    "POST /api/v1/contests/{contest_id}/links": ("organiser", {"role": "judge", "code": "J1"}),
    "POST /api/v1/contests/{contest_id}/steps": ("organiser", {"action": "next", "revision": 0}),
    "POST /api/v1/contests/{contest_id}/scores": (
        "contest_judge",
        {"contestant": "C1", "items": {"a": 1, "b": 1}, "idempotency_key": "k"},
    ),  # fmt: skip
    "DELETE /api/v1/contests/{contest_id}": ("organiser", {"confirm": "x"}),
    "POST /api/v1/contests/{contest_id}/archive": ("organiser", {"archived": True}),
    "PUT /api/v1/rounds/{round_id}/notice": ("organiser", {"heading": "通报"}),
    "POST /api/v1/rounds/{round_id}/draws": ("organiser", {"name": "抽查", "count": 1}),
    "POST /api/v1/rounds/{round_id}/survey/cards": ("organiser", {"village": "A", "count": 1}),
    "POST /api/v1/rounds/{round_id}/survey/villages/{code}/close": ("organiser", {"reason": "x"}),
    "POST /q/answer": ("anonymous", {"code": "ABCDEFGHJ", "answers": {"q1": "满意"}}),
}


@st.composite
def bodies(draw: st.DrawFn, base: dict[str, Any]) -> tuple[bytes, str]:
    """(body, content type): a valid body mutated, or something else altogether."""
    kind = draw(st.sampled_from(["replace", "replace", "extra", "value", "deep", "bytes"]))
    body: Any = dict(base)
    if kind == "replace" and body:
        body[draw(st.sampled_from(sorted(body)))] = draw(VALUES)
    elif kind == "extra":
        body[draw(TEXT)] = draw(VALUES)
    elif kind == "value":
        body = draw(VALUES)
    elif kind == "deep":
        return draw(DEEP).encode(), "application/json"
    if kind == "bytes":
        raw = draw(st.binary(max_size=40))
        return raw, draw(st.sampled_from(["application/json", "text/plain", "application/toml"]))
    text = json.dumps(body, ensure_ascii=True)  # NaN and Infinity pass as the bare words
    kind_of = draw(st.sampled_from(["application/json"] * 5 + ["text/plain", ""]))
    return text.encode(), kind_of


@pytest.fixture(scope="module", params=BACKENDS)
def fuzz_server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[ServerProcess, World, Census]]:
    tmp = tmp_path_factory.mktemp("fuzz")
    db: Database = asyncio.run(new_database(tmp / "data", request.param == "postgres"))
    token = db.arena("token", "create", "--role", "organiser", "--name", "模糊测试")
    assert token.returncode == 0, token.stderr
    server = ServerProcess(db.env(), tmp / "server.log").start()
    census = None
    try:

        async def world() -> World:
            async with httpx.AsyncClient(base_url=server.url, timeout=30) as client:
                return await build_world(client, token.stdout.strip())

        built = asyncio.run(world())
        census = Census(db)
        yield server, built, census
    finally:
        if census is not None:
            census.close()
        server.stop()
        asyncio.run(db.drop())


@pytest.mark.parametrize("route", list(ROUTES))
def test_write_route_never_fails_and_rejects_cleanly(
    fuzz_server: tuple[ServerProcess, World, Census], route: str
) -> None:
    server, world, census = fuzz_server
    method, path = route.split(" ", 1)
    role, base = ROUTES[route]
    params = {**world.params(), "code": world.code(path)}
    url = server.url + "/".join(
        params.get(part[1:-1], part) if part.startswith("{") else part
        for part in path.split("/")
    )  # fmt: skip
    token = world.credentials[role]
    client = httpx.Client(timeout=30)

    @settings(
        max_examples=EXAMPLES, derandomize=True, deadline=None, database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )  # fmt: skip
    @given(bodies(base))
    def one(case: tuple[bytes, str]) -> None:
        content, kind = case
        headers = {"Accept": "application/json"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        if kind:
            headers["Content-Type"] = kind
        before = census.take()
        r = client.request(method, url, content=content, headers=headers)
        FIGURES["cases"] += 1
        assert r.status_code < 500, f"{route} → {r.status_code}: {content[:200]!r}"
        if r.status_code >= 400:
            FIGURES["4xx"] += 1
            assert census.take() == before, f"{route} stored on a {r.status_code}: {content!r}"
        else:
            FIGURES["2xx"] += 1

    try:
        one()
    finally:
        client.close()
    log = Path(server.log).read_text(errors="replace")
    assert "Traceback" not in log, log[-3000:]
