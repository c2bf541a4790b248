"""How Arena is reached at the venue: HTTPS or not, with which certificate, at which address."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, replace
from pathlib import Path

from arena.settings import Settings
from arena.venue.addresses import is_loopback, url_host
from arena.venue.tls import CertificateInfo, VenueError, VenueFiles, describe, load_certificate

ENABLED = ("auto", "on", "off")


@dataclass(frozen=True)
class Transport:
    """The TLS set-up the server runs with (read from the files when the server starts)."""

    cert_file: Path | None = None
    key_file: Path | None = None
    certificate: CertificateInfo | None = None
    venue_ca: CertificateInfo | None = None  # set when tablets must install Arena's own authority

    @property
    def tls(self) -> bool:
        return self.cert_file is not None

    @property
    def first_host(self) -> str | None:
        """The address links use: the certificate's first name that is not the laptop itself."""
        if self.certificate is None:
            return None
        names = [h for h in self.certificate.hosts if not h.startswith("*.")]
        outside = [h for h in names if not is_loopback(h)]
        if not names:
            return None
        chosen = (outside or names)[0]
        try:
            return url_host(ipaddress.ip_address(chosen))
        except ValueError:
            return chosen


def _path(data_dir: Path, configured: str, default: Path) -> Path:
    if not configured:
        return default
    path = Path(configured).expanduser()
    return path if path.is_absolute() else data_dir / path


def transport(settings: Settings) -> Transport:
    """The TLS set-up ``settings`` ask for; VenueError when it cannot be served as configured."""
    tls = settings.tls
    if tls.enabled not in ENABLED:
        raise VenueError(f"config.toml [tls] enabled = {tls.enabled!r}：只能是 auto、on 或 off")
    if tls.enabled == "off":
        return Transport()
    files = VenueFiles.in_data_dir(settings.data_dir)
    if bool(tls.cert_file) != bool(tls.key_file):
        raise VenueError("config.toml [tls]：cert_file 与 key_file 须同时设置（或同时留空）")
    cert = _path(settings.data_dir, tls.cert_file, files.cert)
    key = _path(settings.data_dir, tls.key_file, files.key)
    if not (cert.exists() and key.exists()):
        if tls.enabled == "on" or tls.cert_file:
            raise VenueError(
                f"找不到证书 {cert} 或密钥 {key}。请先运行 arena tls init --name 名称 --host 地址"
            )
        return Transport()
    own = not tls.cert_file and files.ca_cert.exists()
    return Transport(
        cert_file=cert,
        key_file=key,
        certificate=describe(load_certificate(cert)),
        venue_ca=describe(load_certificate(files.ca_cert)) if own else None,
    )


def https_url(host: str, port: int) -> str:
    return f"https://{host}" if port == 443 else f"https://{host}:{port}"


def effective_settings(settings: Settings, served: Transport) -> Settings:
    """Settings with ``base_url`` the https:// address when HTTPS is on and none is configured."""
    if settings.base_url or not served.tls or served.first_host is None:
        return settings
    return replace(settings, base_url=https_url(served.first_host, settings.port))


def ca_page_url(settings: Settings, served: Transport) -> str:
    """Where a tablet fetches the venue's authority: plain http, since it trusts nothing yet."""
    if served.tls and served.first_host and settings.tls.http_port:
        port = settings.tls.http_port
        suffix = "" if port == 80 else f":{port}"
        return f"http://{served.first_host}{suffix}/venue/ca"
    return f"{settings.public_url}/venue/ca"
