"""Which device a request comes from: its address and a short name for its browser."""

from __future__ import annotations

import re

from starlette.requests import HTTPConnection

_BROWSERS = (
    ("MicroMessenger", "微信"),
    ("DingTalk", "钉钉"),
    ("Edg/", "Edge"),
    ("Firefox/", "Firefox"),
    ("Chrome/", "Chrome"),
    ("Chromium/", "Chromium"),
    ("Safari/", "Safari"),
)
_SYSTEMS = (
    ("iPad", "iPad"),
    ("iPhone", "iPhone"),
    ("Android", "Android"),
    ("HarmonyOS", "鸿蒙"),
    ("Windows", "Windows"),
    ("Mac OS X", "Mac"),
    ("Linux", "Linux"),
)


def device(conn: HTTPConnection) -> tuple[str, str]:
    """The client's address (as the server or a trusted proxy reports it) and its User-Agent."""
    address = conn.client.host if conn.client else ""
    return address, conn.headers.get("user-agent", "")[:200]


def browser_name(agent: str) -> str:
    """A User-Agent in a few words an organiser recognises, e.g. "Chrome · Android"."""
    if not agent:
        return "未知"
    if re.search(r"python-httpx|curl|python-requests", agent, re.I):
        return "脚本"
    browser = next((name for mark, name in _BROWSERS if mark in agent), "浏览器")
    system = next((name for mark, name in _SYSTEMS if mark in agent), "")
    return f"{browser} · {system}" if system else browser
