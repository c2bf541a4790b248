"""Running Arena at the venue: uvicorn with the venue's certificate, and a plain-http companion.

With HTTPS on, a second small listener on ``[tls] http_port`` serves only the certificate page
and its downloads (a tablet must fetch the authority before it trusts https://) and sends every
other address on to https://. It opens no database and holds no secret.
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
from collections.abc import Generator
from typing import Any

import uvicorn
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from arena.http import assets
from arena.http.pages import render
from arena.settings import Settings
from arena.venue.addresses import host_of, url_host
from arena.venue.pages import VenuePages
from arena.venue.transport import Transport, https_url


def uvicorn_options(settings: Settings, served: Transport) -> dict[str, Any]:
    """uvicorn's options for the main server: TLS files, and which proxies' headers count."""
    options: dict[str, Any] = {
        "host": settings.host,
        "port": settings.port,
        "ws_max_size": settings.live.max_message_bytes,
        "log_level": "warning",
        "timeout_graceful_shutdown": 5,
        # uvicorn believes X-Forwarded-* from 127.0.0.1 by default; here only from listed proxies.
        "proxy_headers": bool(settings.tls.trusted_proxies),
        "forwarded_allow_ips": list(settings.tls.trusted_proxies) or None,
    }
    if served.tls:
        options["ssl_certfile"] = str(served.cert_file)
        options["ssl_keyfile"] = str(served.key_file)
    return options


def plain_app(settings: Settings) -> Starlette:
    """The plain-http companion: the certificate page, its files, assets; the rest redirects."""
    pages = VenuePages(settings)

    async def to_https(request: Request) -> Response:
        host = host_of(request.headers.get("host", "")) or settings.host
        try:
            host = url_host(ipaddress.ip_address(host))
        except ValueError:
            pass
        target = https_url(host, settings.port) + request.url.path
        if request.url.query:
            target += "?" + request.url.query
        return RedirectResponse(target, status_code=307, headers={"Cache-Control": "no-store"})

    async def not_found(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        title = "找不到该地址" if exc.status_code == 404 else "无法完成请求"
        return render(request, "error.html", {"title": title, "message": title}, exc.status_code)

    return Starlette(
        routes=[
            *pages.public_routes(),
            *assets.routes,
            Route("/{rest:path}", to_https, methods=["GET", "HEAD", "POST", "PUT", "DELETE"]),
        ],
        exception_handlers={HTTPException: not_found},
    )


class _Companion(uvicorn.Server):
    """A server that leaves Ctrl+C to the main server (which stops it when it stops)."""

    @contextlib.contextmanager
    def capture_signals(self) -> Generator[None, None, None]:
        yield


def run(app: Any, settings: Settings, served: Transport) -> None:
    """Serve ``app`` (HTTPS when the venue has a certificate) until Ctrl+C."""
    main = uvicorn.Server(uvicorn.Config(app, **uvicorn_options(settings, served)))
    if not (served.tls and settings.tls.http_port):
        main.run()
        return
    companion = _Companion(
        uvicorn.Config(
            plain_app(settings),
            host=settings.host,
            port=settings.tls.http_port,
            lifespan="off",
            log_level="warning",
            proxy_headers=False,
        )
    )

    async def both() -> None:
        side = asyncio.create_task(companion.serve())
        try:
            await main.serve()
        finally:
            companion.should_exit = True
            await side

    asyncio.run(both())
