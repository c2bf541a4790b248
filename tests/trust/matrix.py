"""Walk the application's own routing table and try every route as every role."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass

import httpx
from starlette.routing import BaseRoute, Mount, Route, WebSocketRoute
from websockets.asyncio.client import connect
from websockets.exceptions import InvalidStatus

from arena.app import routes
from tests.conftest import bearer

PARAM = re.compile(r"\{(\w+)(?::\w+)?\}")


@dataclass(frozen=True)
class Endpoint:
    """One method of one route: "GET /api/v1/rounds/{round_id}", or "WS /ws/…"."""

    method: str
    path: str

    def __str__(self) -> str:
        return f"{self.method} {self.path}"

    def url(self, params: dict[str, str]) -> str:
        """The path with its parameters filled in (an id this world lacks: 1)."""
        return PARAM.sub(lambda m: params.get(m.group(1), "1"), self.path)


def endpoints(table: list[BaseRoute] | None = None, prefix: str = "") -> Iterator[Endpoint]:
    """Every HTTP method and WebSocket route of the routing table (HEAD goes with GET)."""
    for route in routes() if table is None else table:
        if isinstance(route, Mount):
            if getattr(route.app, "directory", None) is not None or not route.routes:
                yield Endpoint("GET", prefix + route.path + "/{path:path}")
            else:
                yield from endpoints(route.routes, prefix + route.path)
        elif isinstance(route, WebSocketRoute):
            yield Endpoint("WS", prefix + route.path)
        elif isinstance(route, Route):
            for method in sorted(route.methods or {"GET"}):
                if method != "HEAD":
                    yield Endpoint(method, prefix + route.path)


def refused(status: int, location: str) -> bool:
    """The answer of a refused caller: 401/403, or a page sending them to sign in."""
    return status in (401, 403) or (status in (302, 303) and "/login" in location)


async def try_http(
    client: httpx.AsyncClient, endpoint: Endpoint, url: str, token: str | None
) -> tuple[int, str]:
    """One request with an empty JSON object as the body of a write (nothing valid to store)."""
    headers = {"Accept": "application/json", **(bearer(token) if token else {})}
    body = None
    if endpoint.method in ("POST", "PUT", "PATCH", "DELETE"):
        body = json.dumps({}).encode()
        headers["Content-Type"] = "application/json"
    r = await client.request(endpoint.method, url, headers=headers, content=body)
    return r.status_code, r.headers.get("location", "")


async def try_ws(ws_base: str, url: str, token: str | None) -> int:
    """101 when the handshake is accepted, else the HTTP status it was refused with."""
    try:
        async with connect(
            ws_base + url, additional_headers=bearer(token) if token else None, proxy=None,
            open_timeout=10,
        ):  # fmt: skip
            return 101
    except InvalidStatus as exc:
        return exc.response.status_code
