"""Venue pages: the certificate tablets install once (/venue/ca), the organiser's /admin/venue.

The certificate page and its downloads carry nothing secret: they are the public certificate
of the venue's authority and instructions. Private keys are read by nobody but uvicorn.
"""

from __future__ import annotations

import plistlib
import re
import uuid
from typing import Any

import anyio
import segno
from markupsafe import Markup
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import BaseRoute, Route

from arena.errors import Problem, UserError, invalid, invalid_all
from arena.http.common import JSON, json_body, services
from arena.http.pages import render
from arena.settings import Settings
from arena.venue.addresses import is_loopback
from arena.venue.tls import (
    VenueError,
    VenueFiles,
    ca_der,
    describe,
    init_venue,
    load_certificate,
    request_problems,
)
from arena.venue.transport import Transport, ca_page_url, https_url, transport
from arena.venue.warnings import link_warnings

FILE_NAME = "arena-venue-ca"
DER_TYPE = "application/x-x509-ca-cert"
PROFILE_TYPE = "application/x-apple-aspen-config"


def venue_name(served: Transport) -> str:
    """The name given to `arena tls init` (the authority's organisation)."""
    if served.venue_ca is None:
        return ""
    return served.venue_ca.subject.removesuffix(" 场地证书")


def mobileconfig(der: bytes, name: str) -> bytes:
    """An iPadOS configuration profile that installs the venue's authority as a root."""
    anchor = uuid.uuid5(uuid.NAMESPACE_OID, der.hex())  # the same profile on every download
    payload = {
        "PayloadCertificateFileName": f"{FILE_NAME}.cer",
        "PayloadContent": der,
        "PayloadDescription": "让本场地的评分平台使用 https 安全连接",
        "PayloadDisplayName": f"{name} 场地证书",
        "PayloadIdentifier": f"arena.venue.ca.{anchor}",
        "PayloadType": "com.apple.security.root",
        "PayloadUUID": str(uuid.uuid5(anchor, "root")).upper(),
        "PayloadVersion": 1,
    }
    profile = {
        "PayloadContent": [payload],
        "PayloadDescription": "安装后，在「设置 → 通用 → 关于本机 → 证书信任设置」中打开它的开关。",
        "PayloadDisplayName": f"{name} · Arena 评分平台证书",
        "PayloadIdentifier": f"arena.venue.{anchor}",
        "PayloadRemovalDisallowed": False,
        "PayloadType": "Configuration",
        "PayloadUUID": str(anchor).upper(),
        "PayloadVersion": 1,
    }
    return plistlib.dumps(profile)


def qr(url: str, title: str) -> Markup:
    """A QR code as inline SVG, made here (no outside service)."""
    return Markup(segno.make(url, error="m").svg_inline(border=2, title=title, omitsize=True))


class VenuePages:
    """The venue's routes for one server's settings (also served by the plain-http listener)."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def _served(self) -> Transport:
        try:
            return transport(self.settings)
        except VenueError:
            return Transport()

    def _venue_ca(self) -> VenueFiles:
        files = VenueFiles.in_data_dir(self.settings.data_dir)
        if self.settings.tls.cert_file or not files.ca_cert.exists():
            raise HTTPException(404)
        return files

    async def ca_page(self, request: Request) -> HTMLResponse:
        served = self._served()
        return render(
            request,
            "venue/ca.html",
            {
                "served": served,
                "name": venue_name(served),
                "check_url": f"{self._https_base(served)}/venue/ok" if served.tls else "",
                "ca_url": ca_page_url(self.settings, served),
            },
        )

    def _https_base(self, served: Transport) -> str:
        if self.settings.base_url.startswith("https://"):
            return self.settings.base_url.rstrip("/")
        return https_url(served.first_host or self.settings.host, self.settings.port)

    async def ok_page(self, request: Request) -> HTMLResponse:
        secure = request.url.scheme == "https"
        return render(request, "venue/ok.html", {"secure": secure})

    async def ca_der(self, request: Request) -> Response:
        return _download(ca_der(self._venue_ca()), DER_TYPE, f"{FILE_NAME}.crt")

    async def ca_pem(self, request: Request) -> Response:
        pem = self._venue_ca().ca_cert.read_bytes()
        return _download(pem, "application/x-pem-file", f"{FILE_NAME}.pem")

    async def ca_profile(self, request: Request) -> Response:
        files = self._venue_ca()
        served = self._served()
        name = venue_name(served) or load_certificate(files.ca_cert).subject.rfc4514_string()
        return _download(
            mobileconfig(ca_der(files), name), PROFILE_TYPE, f"{FILE_NAME}.mobileconfig"
        )

    async def admin_page(self, request: Request) -> HTMLResponse:
        svc = services(request)
        await svc.auth.require(request, "organiser")
        problem = ""
        try:
            on_disk = transport(self.settings)
        except VenueError as exc:
            on_disk, problem = Transport(), str(exc)
        ca_url = ca_page_url(self.settings, on_disk)
        settings = svc.settings
        context: dict[str, Any] = {
            "problem": problem,
            "served": on_disk,
            "name": venue_name(on_disk),
            "scheme": request.url.scheme,
            "request_host": request.headers.get("host", ""),
            "loopback": is_loopback(request.headers.get("host", "")),
            "public_url": settings.public_url,
            "tls": settings.tls,
            "warnings": link_warnings(settings.public_url, settings.tls.allow_plain_http_judges),
            "ca_url": ca_url,
            "ca_qr": qr(ca_url, "场地证书安装页二维码") if on_disk.venue_ca else None,
            "files": VenueFiles.in_data_dir(self.settings.data_dir),
        }
        return render(request, "venue/admin.html", context)

    async def create_certificates(self, request: Request) -> JSON:
        """The organiser's form: `arena tls init` from the console (in effect after a restart)."""
        try:
            return await self._create_certificates(request)
        except UserError as exc:  # the form's script reads JSON errors, whatever it accepts
            return JSON(exc.body(), status_code=exc.status, headers={"Cache-Control": "no-store"})

    async def _create_certificates(self, request: Request) -> JSON:
        svc = services(request)
        await svc.auth.require(request, "organiser")
        body = await json_body(request)
        name, hosts, new_ca = _tls_request(body)
        problems = request_problems(name, hosts)
        if problems:
            raise invalid_all([Problem(field, message) for field, message in problems])
        given = [h for h in hosts if h.strip()]
        try:
            files = await anyio.to_thread.run_sync(
                lambda: init_venue(self.settings.data_dir, name, given, new_ca=new_ca)
            )
        except VenueError as exc:
            raise UserError(409, "certificate_authority", str(exc), "hosts") from None
        ca, cert = describe(load_certificate(files.ca_cert)), describe(load_certificate(files.cert))
        answer = {
            "hosts": list(cert.hosts),
            "ca_sha256": ca.sha256,
            "server_sha256": cert.sha256,
            "not_after": f"{cert.not_after:%Y-%m-%d}",
            "restart_needed": True,
            "message": "已生成场地证书。重启 arena serve 后启用 https，再打印证书二维码和评委卡。",
        }
        return JSON(answer, status_code=201, headers={"Cache-Control": "no-store"})

    def public_routes(self) -> list[BaseRoute]:
        """What a tablet may fetch before it trusts anything: also served over plain http."""
        return [
            Route("/venue/ca", self.ca_page),
            Route("/venue/ok", self.ok_page),
            Route(f"/venue/{FILE_NAME}.crt", self.ca_der),
            Route(f"/venue/{FILE_NAME}.pem", self.ca_pem),
            Route(f"/venue/{FILE_NAME}.mobileconfig", self.ca_profile),
        ]

    def routes(self) -> list[BaseRoute]:
        """The venue's routes in the main app."""
        return [
            *self.public_routes(),
            Route("/admin/venue", self.admin_page),
            Route("/admin/venue/tls", self.create_certificates, methods=["POST"]),
        ]


def _tls_request(body: dict[str, Any]) -> tuple[str, list[str], bool]:
    """name, hosts (a list, or one string split at commas, 、 and white space), new_ca."""
    name, hosts, new_ca = body.get("name", ""), body.get("hosts", []), body.get("new_ca", False)
    if not isinstance(name, str):
        raise invalid("name", "名称须是文字")
    if isinstance(hosts, str):
        hosts = [h for h in re.split(r"[\s,，、;；]+", hosts) if h]
    if not isinstance(hosts, list) or not all(isinstance(h, str) for h in hosts):
        raise invalid("hosts", "地址须是文字列表")
    if len(hosts) > 20:
        raise invalid("hosts", "地址最多 20 个")
    if not isinstance(new_ca, bool):
        raise invalid("new_ca", "new_ca 须是 true 或 false")
    return name, hosts, new_ca


def _download(body: bytes, media_type: str, filename: str) -> Response:
    return Response(
        body,
        media_type=media_type,
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Cache-Control": "no-cache",
            "X-Content-Type-Options": "nosniff",
        },
    )
