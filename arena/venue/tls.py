"""The venue's certificates: a certificate authority tablets trust once, a server certificate.

Files live in ``data_dir/tls``: ``ca.crt`` and ``server.crt`` (PEM, readable), ``ca.key`` and
``server.key`` (PEM, owner-only 0600, never served). Keys are ECDSA P-256, which Android, iPadOS
and every current browser accept. The server certificate lasts 825 days, the longest iPadOS
accepts from an authority a user installed; the authority lasts ten years, so tablets install it
once. The authority is name-constrained to the venue's own names and to private and loopback
addresses, so its key could not be used to impersonate any public web site.
"""

from __future__ import annotations

import base64
import datetime as dt
import ipaddress
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from arena.venue.addresses import AddressError, IPAddress, parse_host

CA_DAYS = 3652
SERVER_DAYS = 825
# The laptop itself is always in the certificate, so the organiser's own browser works too.
ALWAYS = ("localhost", "127.0.0.1")
PRIVATE_NETWORKS = tuple(
    ipaddress.ip_network(n)
    for n in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "127.0.0.0/8", "169.254.0.0/16",
              "::1/128", "fc00::/7", "fe80::/10")
)  # fmt: skip


NAME_MAX = 40
NAME_RULE = "请写场地或活动名称（1～40 个字），例如 县委组织部拉练"
HOSTS_RULE = "请至少给出一个场地地址（这台电脑在场地网络中的地址，如 192.168.1.10）"


class VenueError(ValueError):
    """What the organiser asked for cannot be done (message in Chinese, for the console)."""


@dataclass(frozen=True)
class VenueFiles:
    """Where the venue's certificates and keys are kept."""

    directory: Path

    @classmethod
    def in_data_dir(cls, data_dir: Path) -> VenueFiles:
        return cls(data_dir / "tls")

    @property
    def ca_cert(self) -> Path:
        return self.directory / "ca.crt"

    @property
    def ca_key(self) -> Path:
        return self.directory / "ca.key"

    @property
    def cert(self) -> Path:
        return self.directory / "server.crt"

    @property
    def key(self) -> Path:
        return self.directory / "server.key"


@dataclass(frozen=True)
class CertificateInfo:
    """What an organiser checks about one certificate."""

    subject: str
    sha256: str  # colon-separated hex, as iPadOS and Android show it
    spki_sha256: (
        str  # base64 SHA-256 of the public key (Chromium's --ignore-certificate-errors-spki-list)
    )
    not_before: dt.datetime
    not_after: dt.datetime
    hosts: tuple[str, ...]  # subject alternative names, in the certificate's order


def describe(cert: x509.Certificate) -> CertificateInfo:
    """The fingerprints, validity and names of a certificate."""
    try:
        san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
        hosts = tuple(
            str(name.value) for name in san if isinstance(name, x509.DNSName | x509.IPAddress)
        )
    except x509.ExtensionNotFound:
        hosts = ()
    spki = cert.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    digest = hashes.Hash(hashes.SHA256())
    digest.update(spki)
    return CertificateInfo(
        subject=_common_name(cert),
        sha256=cert.fingerprint(hashes.SHA256()).hex(":").upper(),
        spki_sha256=base64.b64encode(digest.finalize()).decode(),
        not_before=cert.not_valid_before_utc,
        not_after=cert.not_valid_after_utc,
        hosts=hosts,
    )


def _common_name(cert: x509.Certificate) -> str:
    names = cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    return str(names[0].value) if names else cert.subject.rfc4514_string()


def load_certificate(path: Path) -> x509.Certificate:
    """The first certificate of a PEM file."""
    try:
        return x509.load_pem_x509_certificates(path.read_bytes())[0]
    except (OSError, ValueError, IndexError) as exc:
        raise VenueError(f"无法读取证书 {path}：{exc}") from None


def ca_der(files: VenueFiles) -> bytes:
    """The authority's certificate in DER, the form Android's installer and iPadOS take."""
    return load_certificate(files.ca_cert).public_bytes(serialization.Encoding.DER)


def request_problems(name: str, hosts: Sequence[str]) -> list[tuple[str, str]]:
    """Every problem of a request to create certificates, as (field, message): name, hosts[i]."""
    problems = []
    if not 1 <= len(" ".join(name.split())) <= NAME_MAX:
        problems.append(("name", NAME_RULE))
    if not [h for h in hosts if h.strip()]:
        problems.append(("hosts", HOSTS_RULE))
    for i, raw in enumerate(hosts):
        if not raw.strip():
            continue
        try:
            parse_host(raw)
        except AddressError as exc:
            problems.append((f"hosts[{i}]", str(exc)))
    return problems


def parse_hosts(given: Sequence[str]) -> list[str | IPAddress]:
    """The venue's addresses in the order given (duplicates dropped), then localhost, 127.0.0.1."""
    if not given:
        raise VenueError(HOSTS_RULE + "：--host 192.168.1.10")
    problems, hosts = [], []
    for raw in [*given, *ALWAYS]:
        try:
            host = parse_host(raw)
        except AddressError as exc:
            problems.append(str(exc))
            continue
        if host not in hosts:
            hosts.append(host)
    if problems:
        raise VenueError("地址有误：\n" + "\n".join(f"  {p}" for p in problems))
    return hosts


def init_venue(
    data_dir: Path,
    name: str,
    hosts: Sequence[str],
    *,
    new_ca: bool = False,
    now: dt.datetime | None = None,
) -> VenueFiles:
    """Create (or keep) the venue's authority and issue a server certificate for ``hosts``.

    An existing authority is kept, so tablets that trust it need nothing new, as long as its
    name constraints cover the addresses; ``new_ca`` makes a new one (tablets install it again).
    """
    name = " ".join(name.split())
    if not 1 <= len(name) <= NAME_MAX:
        raise VenueError("--name：" + NAME_RULE)
    parsed = parse_hosts(hosts)
    now = now or dt.datetime.now(dt.UTC)
    files = VenueFiles.in_data_dir(data_dir)
    files.directory.mkdir(parents=True, exist_ok=True)
    files.directory.chmod(0o700)
    if new_ca or not (files.ca_cert.exists() and files.ca_key.exists()):
        ca_key = ec.generate_private_key(ec.SECP256R1())
        ca = _authority(name, parsed, ca_key, now)
        _write_key(files.ca_key, ca_key)
        _write(files.ca_cert, ca.public_bytes(serialization.Encoding.PEM), 0o644)
    else:
        ca = load_certificate(files.ca_cert)
        loaded = serialization.load_pem_private_key(files.ca_key.read_bytes(), password=None)
        if not isinstance(loaded, ec.EllipticCurvePrivateKey):
            raise VenueError(f"{files.ca_key} 不是本程序生成的密钥；请加 --new-ca")
        ca_key = loaded
        uncovered = [str(h) for h in parsed if not _permitted(ca, h)]
        if uncovered:
            raise VenueError(
                "现有场地证书机构不包含地址 " + "、".join(uncovered)
                + "；请加 --new-ca 重新生成（平板需要重新安装证书）"
            )  # fmt: skip
    server_key = ec.generate_private_key(ec.SECP256R1())
    server = _server(name, parsed, server_key, ca, ca_key, now)
    _write_key(files.key, server_key)
    _write(files.cert, server.public_bytes(serialization.Encoding.PEM), 0o644)
    return files


def _authority(
    name: str, hosts: Sequence[str | IPAddress], key: ec.EllipticCurvePrivateKey, now: dt.datetime
) -> x509.Certificate:
    subject = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, f"{name} 场地证书"[:64]),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, name),
        ]
    )
    public_ips = [h for h in hosts if not isinstance(h, str) and not _private(h)]
    permitted: list[x509.GeneralName] = [
        *(x509.DNSName(h) for h in hosts if isinstance(h, str)),
        *(x509.IPAddress(net) for net in PRIVATE_NETWORKS),
        *(x509.IPAddress(ipaddress.ip_network(ip)) for ip in public_ips),
    ]
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=CA_DAYS))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=False,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )  # fmt: skip
        .add_extension(
            x509.NameConstraints(permitted_subtrees=permitted, excluded_subtrees=None),
            critical=True,
        )  # fmt: skip
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )


def _server(
    name: str,
    hosts: Sequence[str | IPAddress],
    key: ec.EllipticCurvePrivateKey,
    ca: x509.Certificate,
    ca_key: ec.EllipticCurvePrivateKey,
    now: dt.datetime,
) -> x509.Certificate:
    first = str(hosts[0])
    alt = [x509.DNSName(h) if isinstance(h, str) else x509.IPAddress(h) for h in hosts]
    ski = ca.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value
    return (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, first)]))
        .issuer_name(ca.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(min(now + dt.timedelta(days=SERVER_DAYS), ca.not_valid_after_utc))
        .add_extension(x509.SubjectAlternativeName(alt), critical=False)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )  # fmt: skip
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ski), critical=False
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )


def _private(ip: IPAddress) -> bool:
    return any(ip in net for net in PRIVATE_NETWORKS if net.version == ip.version)


def _permitted(ca: x509.Certificate, host: str | IPAddress) -> bool:
    """Whether the authority's name constraints allow ``host`` (RFC 5280 §4.2.1.10)."""
    try:
        constraints = ca.extensions.get_extension_for_class(x509.NameConstraints).value
    except x509.ExtensionNotFound:
        return True
    for subtree in constraints.permitted_subtrees or ():
        if isinstance(host, str) and isinstance(subtree, x509.DNSName):
            if host == subtree.value or host.endswith("." + subtree.value):
                return True
        if not isinstance(host, str) and isinstance(subtree, x509.IPAddress):
            net = subtree.value
            if isinstance(net, ipaddress.IPv4Network | ipaddress.IPv6Network) and host in net:
                return True
    return False


def _write_key(path: Path, key: ec.EllipticCurvePrivateKey) -> None:
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    _write(path, pem, 0o600)


def _write(path: Path, data: bytes, mode: int) -> None:
    """Write through a new file created with ``mode`` (a key is never readable by others)."""
    tmp = path.with_name(path.name + ".new")
    tmp.unlink(missing_ok=True)
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
    os.chmod(tmp, mode)  # the umask may have taken bits away from a certificate's 0644
    os.replace(tmp, path)
