"""Addresses at a venue: which hosts are the laptop itself, which names a certificate may hold."""

from __future__ import annotations

import ipaddress
import re
from urllib.parse import urlsplit

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")


class AddressError(ValueError):
    """A host given for the certificate is not an IP address or a DNS name."""


def host_of(host_header: str) -> str:
    """The host name of a Host header or URL authority, without port or IPv6 brackets."""
    value = host_header.strip().lower()
    if value.startswith("["):
        return value[1:].split("]", 1)[0]
    if value.count(":") == 1:
        return value.split(":", 1)[0]
    return value.rstrip(".")


def is_loopback(host: str) -> bool:
    """True for the laptop itself: 127.0.0.0/8, ::1, localhost and *.localhost.

    Browsers treat exactly these as secure contexts over plain http, so the judges' offline app
    works there without a certificate.
    """
    name = host_of(host) if host else ""
    if name == "localhost" or name.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def url_is_loopback(url: str) -> bool:
    """Whether a link's host is the laptop itself (tablets cannot open such a link)."""
    return is_loopback(urlsplit(url).netloc.rsplit("@", 1)[-1])


def parse_host(given: str) -> str | IPAddress:
    """An IP address, or a lower-case DNS name (Chinese names in their xn-- form)."""
    raw = given.strip()
    if not raw:
        raise AddressError("地址不能为空")
    if "://" in raw or "/" in raw:
        raise AddressError(f"{raw}：只写地址本身，不要写 https:// 或路径，例如 192.168.1.10")
    try:
        return ipaddress.ip_address(raw.strip("[]"))
    except ValueError:
        pass
    if ":" in raw:
        raise AddressError(f"{raw}：不要带端口号，端口在 config.toml 的 port 中设置")
    if raw.startswith("*"):
        raise AddressError(f"{raw}：场地证书不签发通配符地址，请逐个列出")
    try:
        name = raw.rstrip(".").encode("idna").decode("ascii").lower()
    except UnicodeError:
        raise AddressError(f"{raw}：不是有效的域名") from None
    labels = name.split(".")
    if len(name) > 253 or not all(_LABEL.match(label) for label in labels):
        raise AddressError(f"{raw}：不是有效的域名或 IP 地址")
    if labels[-1].isdigit():
        raise AddressError(f"{raw}：不是有效的 IP 地址")
    return name


def url_host(host: str | IPAddress) -> str:
    """A host as it is written in a URL (IPv6 in brackets)."""
    if isinstance(host, ipaddress.IPv6Address):
        return f"[{host}]"
    return str(host)
