"""`arena tls init`: the venue's authority and server certificate, files an organiser can trust."""

from __future__ import annotations

import datetime as dt
import ipaddress
import stat
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.x509.oid import ExtendedKeyUsageOID

from arena.venue.tls import VenueError, ca_der, describe, init_venue, load_certificate

NOW = dt.datetime(2026, 9, 1, 8, 0, tzinfo=dt.UTC)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_init_writes_an_authority_and_a_server_certificate_with_owner_only_keys(
    tmp_path: Path,
) -> None:
    files = init_venue(tmp_path, "县委组织部拉练", ["192.168.1.10", "arena.local"], now=NOW)
    assert files.directory == tmp_path / "tls"
    assert sorted(p.name for p in files.directory.iterdir()) == [
        "ca.crt", "ca.key", "server.crt", "server.key"
    ]  # fmt: skip
    assert mode(files.directory) == 0o700
    assert (mode(files.ca_key), mode(files.key)) == (0o600, 0o600)
    assert (mode(files.ca_cert), mode(files.cert)) == (0o644, 0o644)
    assert files.key.read_bytes().startswith(b"-----BEGIN PRIVATE KEY-----")

    ca, server = load_certificate(files.ca_cert), load_certificate(files.cert)
    server.verify_directly_issued_by(ca)
    assert ca.extensions.get_extension_for_class(x509.BasicConstraints).value.ca is True
    assert server.extensions.get_extension_for_class(x509.BasicConstraints).value.ca is False
    assert list(server.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value) == [
        ExtendedKeyUsageOID.SERVER_AUTH
    ]
    # The given addresses first, in order, then the laptop itself.
    assert describe(server).hosts == ("192.168.1.10", "arena.local", "localhost", "127.0.0.1")
    assert describe(ca).subject == "县委组织部拉练 场地证书"
    # Issued 2026-09-01 08:00 UTC, back-dated one day for tablets whose clock runs slow.
    assert server.not_valid_before_utc == dt.datetime(2026, 8, 31, 8, 0, tzinfo=dt.UTC)
    # + 825 days (iPadOS's limit): to 2028-09-01 is 365 + 366 = 731 days, 94 more are
    # Sep 30 + Oct 31 + Nov 30 = 91 and 3 of December → 2028-12-04.
    assert server.not_valid_after_utc == dt.datetime(2028, 12, 4, 8, 0, tzinfo=dt.UTC)
    # + 3652 days: ten years to 2036-09-01 hold three 29 Februaries (2028, 2032, 2036), so
    # 3653 days; one fewer → 2036-08-31.
    assert ca.not_valid_after_utc == dt.datetime(2036, 8, 31, 8, 0, tzinfo=dt.UTC)
    # Fingerprints are 32 bytes written as colon-separated upper-case hex.
    info = describe(ca)
    assert info.sha256 == ca.fingerprint(hashes.SHA256()).hex(":").upper()
    assert len(info.sha256) == 32 * 3 - 1
    assert ca_der(files) == ca.public_bytes(serialization.Encoding.DER)


def test_the_authority_is_constrained_to_the_venue_names_and_private_addresses(
    tmp_path: Path,
) -> None:
    files = init_venue(tmp_path, "拉练", ["arena.local", "203.0.113.5"], now=NOW)
    ca = load_certificate(files.ca_cert)
    constraints = ca.extensions.get_extension_for_class(x509.NameConstraints)
    assert constraints.critical is True
    permitted = constraints.value.permitted_subtrees or []
    dns = [n.value for n in permitted if isinstance(n, x509.DNSName)]
    nets = [str(n.value) for n in permitted if isinstance(n, x509.IPAddress)]
    assert dns == ["arena.local", "localhost"]
    assert nets == [
        "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "127.0.0.0/8", "169.254.0.0/16",
        "::1/128", "fc00::/7", "fe80::/10", "203.0.113.5/32",
    ]  # fmt: skip


def test_a_second_init_keeps_the_authority_tablets_already_trust(tmp_path: Path) -> None:
    first = init_venue(tmp_path, "拉练", ["192.168.1.10", "arena.local"], now=NOW)
    ca_before = describe(load_certificate(first.ca_cert)).sha256
    server_before = describe(load_certificate(first.cert)).sha256
    # A new DHCP address on the venue's Wi-Fi: a new server certificate, the same authority.
    again = init_venue(tmp_path, "拉练", ["10.0.0.23", "arena.local"], now=NOW)
    assert describe(load_certificate(again.ca_cert)).sha256 == ca_before
    server = load_certificate(again.cert)
    assert describe(server).sha256 != server_before
    assert describe(server).hosts == ("10.0.0.23", "arena.local", "localhost", "127.0.0.1")
    server.verify_directly_issued_by(load_certificate(again.ca_cert))

    # A name outside the authority's constraints needs a new authority, said in so many words.
    with pytest.raises(VenueError, match=r"不包含地址 pingfen\.example\.cn；请加 --new-ca"):
        init_venue(tmp_path, "拉练", ["pingfen.example.cn"], now=NOW)
    assert describe(load_certificate(again.cert)).hosts[0] == "10.0.0.23"  # nothing changed
    renewed = init_venue(tmp_path, "拉练", ["pingfen.example.cn"], new_ca=True, now=NOW)
    assert describe(load_certificate(renewed.ca_cert)).sha256 != ca_before
    assert describe(load_certificate(renewed.cert)).hosts[0] == "pingfen.example.cn"


def test_bad_addresses_are_all_named_at_once_and_nothing_is_written(tmp_path: Path) -> None:
    with pytest.raises(VenueError) as caught:
        init_venue(tmp_path, "拉练", ["https://192.168.1.10", "192.168.1.10:8000", "*.x.cn", "a_b"])
    assert str(caught.value).splitlines() == [
        "地址有误：",
        "  https://192.168.1.10：只写地址本身，不要写 https:// 或路径，例如 192.168.1.10",
        "  192.168.1.10:8000：不要带端口号，端口在 config.toml 的 port 中设置",
        "  *.x.cn：场地证书不签发通配符地址，请逐个列出",
        "  a_b：不是有效的域名或 IP 地址",
    ]
    assert not (tmp_path / "tls").exists()
    with pytest.raises(VenueError, match="请至少给出一个场地地址"):
        init_venue(tmp_path, "拉练", [])
    with pytest.raises(VenueError, match="--name"):
        init_venue(tmp_path, "  ", ["192.168.1.10"])


def test_chinese_domain_names_and_ipv6_are_accepted(tmp_path: Path) -> None:
    files = init_venue(tmp_path, "拉练", ["评分.中国", "fd00::10"], now=NOW)
    hosts = describe(load_certificate(files.cert)).hosts
    assert hosts == ("xn--kbrq12l.xn--fiqs8s", "fd00::10", "localhost", "127.0.0.1")
    assert ipaddress.ip_address(hosts[1]).version == 6
