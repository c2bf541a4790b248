"""What the round-setup pages share: the organiser check and JSON answers for their scripts."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from starlette.requests import Request
from starlette.responses import Response

from arena.auth import Principal
from arena.errors import UserError
from arena.http.common import JSON, services
from arena.services.round_setup import RoundSetup


async def organiser(request: Request) -> Principal:
    """The organiser making this request (cookie writes need the custom header)."""
    return await services(request).auth.require(request, "organiser")


def setup(request: Request) -> RoundSetup:
    """The round-setup service over this app's round catalogue."""
    return RoundSetup(services(request).rounds)


def json_endpoint(
    handler: Callable[[Request], Awaitable[Response]],
) -> Callable[[Request], Awaitable[Response]]:
    """The page scripts read JSON errors whatever they accept: answer UserErrors as JSON."""

    async def endpoint(request: Request) -> Response:
        try:
            return await handler(request)
        except UserError as exc:
            return JSON(exc.body(), status_code=exc.status, headers={"Cache-Control": "no-store"})

    return endpoint
