"""Pages about one round, for organisers: the checks every such page makes first."""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable

from starlette.requests import Request
from starlette.responses import Response

from arena.errors import UserError
from arena.http.common import path_id, services
from arena.http.pages import refused_page
from arena.http.rounds.common import organiser
from arena.services.rounds import RoundMeta


def round_page(
    handler: Callable[[Request, RoundMeta], Awaitable[Response]],
) -> Callable[[Request], Awaitable[Response]]:
    """An organiser's page about the round in the path; a refusal or no such round is a page."""

    @functools.wraps(handler)
    async def endpoint(request: Request) -> Response:
        try:
            await organiser(request)
            meta = await services(request).rounds.get(path_id(request))
        except UserError as exc:
            return refused_page(request, exc)
        return await handler(request, meta)

    return endpoint
