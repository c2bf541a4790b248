"""What browser tests share: the three sizes we look at and an organiser's signed-in page."""

from __future__ import annotations

from typing import Any

from playwright.async_api import BrowserContext, Page

from arena.auth import create_token
from tests.conftest import Server

SIZES = {"1920x1080": (1920, 1080), "1024x768": (1024, 768), "390x844": (390, 844)}


async def organiser_page(
    new_context: Any, server: Server, size: tuple[int, int], outside: list[str]
) -> Page:
    """A page signed in through an organiser's personal link, noting requests off the server."""
    viewport = {"width": size[0], "height": size[1]}
    context: BrowserContext = await new_context(viewport=viewport, locale="zh-CN")
    page = await context.new_page()
    page.on("request", lambda r: outside.append(r.url) if not is_local(server, r.url) else None)
    secret = await create_token("organiser", "组织部王科长")
    await page.goto(f"{server.url}/o/{secret}")
    return page


def is_local(server: Server, url: str) -> bool:
    return url.startswith(server.url + "/") or url.startswith(("data:", "blob:"))
