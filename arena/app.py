"""The app factory: one lifespan, one routing table grouped by audience, errors mapped once."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any, TypedDict

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import HTTPConnection, Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Mount

from arena.backup.run import auto_backups, auto_enabled
from arena.db import close_database, open_database
from arena.errors import UserError
from arena.http import (
    accounts,
    api,
    assets,
    boards,
    boards_admin,
    consistency,
    contest_pages,
    contests,
    contests_admin,
    corrections,
    judges,
    links,
    notice,
    organisers,
    pages,
    participants,
    replay_draw,
    rounds,
    screens,
    surveys,
)
from arena.http.common import JSON
from arena.live.backends import make_hub
from arena.services import audit
from arena.services.core import Services
from arena.settings import Settings, load_settings
from arena.venue.guard import PlainHttpJudgeGuard
from arena.venue.pages import VenuePages

log = logging.getLogger("arena")


class State(TypedDict):
    services: Services


def routes() -> list[BaseRoute]:
    """The whole routing table, by audience."""
    return [
        # everyone
        *pages.routes,
        *assets.routes,
        # organisers sign in with a name and password; accounts and sessions
        *accounts.routes,
        # judges, participants and screens arrive through personal links
        *links.routes,
        *judges.routes,
        *rounds.routes,  # organisers: /admin, round homes, round setup
        *screens.routes,
        *participants.routes,
        *organisers.routes,
        *notice.routes,  # the results notice; holds an API v1 path too
        *consistency.routes,  # organisers: /admin/rounds/{id}/judges (评委一致性)
        *boards_admin.routes,  # before the board pages: "/admin/boards/new" is not an id
        *boards.routes,
        *contests_admin.routes,
        *contests.routes,
        *contest_pages.routes,
        *corrections.routes,  # before the API mount: it holds API v1 paths too
        *replay_draw.routes,  # replay and draws: API v1 paths too, before the mount
        *surveys.routes,  # residents' /q pages; organisers' survey page and API v1 paths
        # integration API v1 (organisers, judges, participants, scripts)
        Mount("/api/v1", routes=api.routes),
    ]


def _wants_json(conn: HTTPConnection) -> bool:
    return conn.url.path.startswith("/api/") or "application/json" in conn.headers.get("accept", "")


async def user_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, UserError)
    if _wants_json(request):
        return JSON(exc.body(), status_code=exc.status)
    return pages.refused_page(request, exc)


async def http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    code = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "http_error")
    message = {404: "找不到该地址", 405: "不支持该请求方法"}.get(exc.status_code, str(exc.detail))
    if _wants_json(request):
        return JSON(
            {"error": {"code": code, "message": message, "field": None}},
            status_code=exc.status_code,
        )
    return pages.render(
        request, "error.html", {"title": message, "message": message}, status_code=exc.status_code
    )


async def server_error(request: Request, exc: Exception) -> Response:
    log.exception("unhandled error on %s", request.url.path, exc_info=exc)
    return JSON(
        {"error": {"code": "internal", "message": "服务器内部错误，已记录", "field": None}},
        status_code=500,
    )


def create_app(settings: Settings | None = None) -> Starlette:
    """Build the Arena ASGI app for these settings."""
    settings = settings or load_settings()

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[State]:
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        await open_database(settings.database_url)
        await audit.ensure_head()
        hub = make_hub(settings.live.backend)
        await hub.start()
        svc = Services(settings, hub)
        cache = settings.static_cache / "static"
        compressing = asyncio.create_task(assets.warm_in_background(cache))
        # A second copy of the day on another disk (a USB stick) every few minutes.
        backups = asyncio.create_task(auto_backups(settings)) if auto_enabled(settings) else None
        try:
            yield {"services": svc}
        finally:
            compressing.cancel()
            if backups is not None:
                backups.cancel()
            await svc.publisher.drain()
            await hub.stop()
            await close_database()

    handlers: dict[Any, Any] = {
        UserError: user_error,
        HTTPException: http_error,
        Exception: server_error,
    }
    # The venue: certificate pages, and the judges' app refused over plain http off the laptop.
    return Starlette(
        routes=[*routes(), *VenuePages(settings).routes()],
        middleware=[Middleware(PlainHttpJudgeGuard, settings.tls.allow_plain_http_judges)],
        lifespan=lifespan,
        exception_handlers=handlers,
    )
