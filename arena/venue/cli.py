"""`arena tls init|show` and how `arena serve` starts at the venue."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from arena.settings import Settings
from arena.venue.addresses import is_loopback
from arena.venue.tls import VenueError, VenueFiles, init_venue
from arena.venue.transport import Transport, ca_page_url, effective_settings, transport


def add_commands(sub: Any) -> None:
    """Add `arena tls …` to the command line's subcommands."""
    p = sub.add_parser("tls", help="HTTPS at the venue: the certificate tablets trust")
    tsub = p.add_subparsers(required=True, metavar="ACTION")
    t = tsub.add_parser("init", help="create the venue's certificate authority and certificate")
    t.add_argument("--name", required=True, help="场地或活动名称，例如 县委组织部拉练")
    t.add_argument(
        "--host",
        action="append",
        required=True,
        help="平板访问本机用的地址（IP 或域名），可重复；第一个用于评委链接",
    )
    t.add_argument("--new-ca", action="store_true", help="重新生成证书机构（平板需要重新安装证书）")
    t.set_defaults(func=cmd_tls_init)
    t = tsub.add_parser("show", help="print fingerprints, validity and addresses")
    t.set_defaults(func=cmd_tls_show)


def at_venue(settings: Settings) -> Settings:
    """Settings with the https:// base_url the certificate gives (unchanged if it cannot)."""
    try:
        return effective_settings(settings, transport(settings))
    except VenueError:
        return settings


def cmd_tls_init(settings: Settings, args: argparse.Namespace) -> int:
    try:
        files = init_venue(settings.data_dir, args.name, args.host, new_ca=args.new_ca)
    except VenueError as exc:
        print(exc, file=sys.stderr)
        return 2
    print(f"已生成场地证书：{files.directory}（私钥仅本账户可读，不会被网页提供）")
    return cmd_tls_show(settings, args)


def cmd_tls_show(settings: Settings, args: argparse.Namespace) -> int:
    try:
        served = transport(settings)
    except VenueError as exc:
        print(exc, file=sys.stderr)
        return 2
    if not served.tls or served.certificate is None:
        files = VenueFiles.in_data_dir(settings.data_dir)
        print(f'未启用 HTTPS：{files.cert} 不存在（或 config.toml [tls] enabled = "off"）。')
        print('请运行：arena tls init --name "名称" --host 本机局域网地址')
        return 1
    for line in describe_lines(at_venue(settings), served):
        print(line)
    return 0


def describe_lines(settings: Settings, served: Transport) -> list[str]:
    """What `arena tls show` prints."""
    cert = served.certificate
    assert cert is not None
    lines = []
    if served.venue_ca is not None:
        ca = served.venue_ca
        lines += [
            f"场地证书机构: {ca.subject}",
            f"  SHA-256 指纹: {ca.sha256}",
            f"  有效期至: {ca.not_after:%Y-%m-%d}",
        ]
    else:
        lines.append("使用 config.toml 指定的证书（平板无需安装证书机构）")
    lines += [
        f"服务器证书: {served.cert_file}",
        f"  地址: {', '.join(cert.hosts)}",
        f"  SHA-256 指纹: {cert.sha256}",
        f"  有效期至: {cert.not_after:%Y-%m-%d}",
        f"评委链接地址: {settings.public_url}",
    ]
    if served.venue_ca is not None:
        lines.append(f"平板安装证书: {ca_page_url(settings, served)}")
    return lines


def serve(settings: Settings, app_factory: Any) -> int:
    """`arena serve`: HTTPS when the venue has a certificate, with its plain-http companion."""
    from arena.venue.serve import run

    try:
        served = transport(settings)
    except VenueError as exc:
        print(exc, file=sys.stderr)
        return 2
    if served.tls and settings.tls.http_port == settings.port:
        same = settings.port
        print(f"config.toml [tls] http_port 不能与 port 相同（都是 {same}）", file=sys.stderr)
        return 2
    settings = effective_settings(settings, served)
    print(f"Arena 已启动：{settings.public_url}/   （按 Ctrl+C 停止）", flush=True)
    if served.tls and served.venue_ca is not None and settings.tls.http_port:
        print(f"平板安装场地证书：{ca_page_url(settings, served)}", flush=True)
    if served.tls and is_loopback(settings.host):
        print(
            f"注意：只在本机地址 {settings.host} 上监听，平板连不上。"
            "场地使用时请加 --host 0.0.0.0（或本机局域网地址）。",
            file=sys.stderr,
            flush=True,
        )
    run(app_factory(settings), settings, served)
    return 0
