"""Warnings for pages that hand out links: links tablets cannot open, or cannot use offline."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from arena.venue.addresses import host_of, url_is_loopback


@dataclass(frozen=True)
class LinkWarning:
    code: str  # loopback | plain_http | plain_http_allowed
    message: str


def link_warnings(public_url: str, allow_plain_http_judges: bool) -> list[LinkWarning]:
    """What is wrong with personal links built on ``public_url`` for tablets at a venue."""
    if url_is_loopback(public_url) or _unspecified(public_url):
        return [
            LinkWarning(
                "loopback",
                f"链接地址 {public_url} 指的是这台电脑自己，平板扫码后打不开。"
                "请先运行 arena tls init --name 名称 --host 本机局域网地址（如 192.168.1.10），"
                "再用 arena serve --host 0.0.0.0 重启，链接会改用局域网地址的加密连接；"
                "或在 config.toml 中设置 base_url。",
            )
        ]
    if urlsplit(public_url).scheme != "http":
        return []
    if allow_plain_http_judges:
        return [
            LinkWarning(
                "plain_http_allowed",
                f"链接是不加密的 {public_url}，config.toml 已允许评委使用 http"
                "（allow_plain_http_judges = true）：平板在没有信号时刷新页面，评分页面就打不开了。"
                "建议运行 arena tls init 改用 https://。",
            )
        ]
    return [
        LinkWarning(
            "plain_http",
            f"链接是不加密的 {public_url}：平板浏览器只在 https:// 下允许评分页面离线工作，"
            "评委打开时会看到拒绝页面。请运行 arena tls init --name 名称 --host 本机局域网地址，"
            "重启 arena serve 后重新打印评委卡。",
        )
    ]


def _unspecified(url: str) -> bool:
    """0.0.0.0 or :: — where a server listens on every address, not one a tablet can open."""
    try:
        return ipaddress.ip_address(host_of(urlsplit(url).netloc)).is_unspecified
    except ValueError:
        return False


def link_warnings_for(request: Any) -> list[LinkWarning]:
    """The warnings for the links of the server answering ``request`` (for templates)."""
    settings = request.state.services.settings
    return link_warnings(settings.public_url, settings.tls.allow_plain_http_judges)
