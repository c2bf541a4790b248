"""Helpers every endpoint uses: the services, path ids, JSON answers."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from markupsafe import Markup
from starlette.requests import HTTPConnection, Request
from starlette.responses import Response

from arena.body import read_json
from arena.errors import not_found
from arena.live.hub import encode
from arena.services.core import Services


def services(conn: HTTPConnection) -> Services:
    """The app's services (set up by the lifespan)."""
    return conn.state.services  # type: ignore[no-any-return]


def path_id(conn: HTTPConnection, name: str = "round_id") -> int:
    """A numeric id from the path, or a 404."""
    raw = conn.path_params[name]
    if not str(raw).isdigit() or len(str(raw)) > 12:
        raise not_found("该对象", name)
    return int(raw)


async def json_body(request: Request) -> dict[str, Any]:
    """The request's JSON object within the configured size limit."""
    return await read_json(request, services(request).settings.max_body_bytes)


def script_json(value: Any) -> Markup:
    """JSON to put inside <script type="application/json"> (no "</script>" can end it early)."""
    text = encode(value).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(text)


class JSON(Response):
    """A JSON answer: UTF-8, Chinese kept readable, compact (bytes pass as already encoded)."""

    media_type = "application/json"

    def render(self, content: Any) -> bytes:
        return content if isinstance(content, bytes) else encode(content).encode()


Write = Callable[..., Awaitable[tuple[int, dict[str, Any]]]]


def organiser_write(
    write: Callable[[Request], Write], target: str | None = None, *, numeric: bool = True
) -> Callable[[Request], Awaitable[JSON]]:
    """An API write only organisers may make, answered as JSON with the writer's status.

    The endpoint calls `write(request)(principal, round_id, [target,] body)`: `target` names the
    path parameter of the object written (an id when `numeric`, else the text as given).
    """

    async def endpoint(request: Request) -> JSON:
        principal = await services(request).auth.require(request, "organiser")
        writer = write(request)
        args: list[int | str] = [path_id(request)]
        if target is not None:
            args.append(path_id(request, target) if numeric else request.path_params[target])
        status, answer = await writer(principal, *args, await json_body(request))
        return JSON(answer, status_code=status)

    return endpoint
