"""How `arena serve` reads the TLS settings: which files, which address links get."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from arena.settings import ConfigError, Settings, TlsSettings, load_settings
from arena.venue.serve import uvicorn_options
from arena.venue.tls import VenueError, init_venue
from arena.venue.transport import ca_page_url, effective_settings, transport


def settings_for(data_dir: Path, **tls: object) -> Settings:
    return replace(Settings(), data_dir=data_dir, port=8000, tls=replace(TlsSettings(), **tls))


def test_no_certificate_means_plain_http_as_before(tmp_path: Path) -> None:
    settings = settings_for(tmp_path)
    served = transport(settings)
    assert served.tls is False
    assert effective_settings(settings, served).public_url == "http://127.0.0.1:8000"
    options = uvicorn_options(settings, served)
    assert "ssl_certfile" not in options
    assert (options["proxy_headers"], options["forwarded_allow_ips"]) == (False, None)


def test_the_certificate_gives_the_https_address_of_its_first_venue_host(tmp_path: Path) -> None:
    init_venue(tmp_path, "拉练", ["192.168.1.10", "arena.local"])
    settings = settings_for(tmp_path)
    served = transport(settings)
    assert served.tls and served.venue_ca is not None
    assert (served.cert_file, served.key_file) == (
        tmp_path / "tls/server.crt",
        tmp_path / "tls/server.key",
    )
    effective = effective_settings(settings, served)
    assert effective.public_url == "https://192.168.1.10:8000"
    assert ca_page_url(effective, served) == "http://192.168.1.10:8080/venue/ca"
    options = uvicorn_options(effective, served)
    assert (options["ssl_certfile"], options["ssl_keyfile"]) == (
        str(tmp_path / "tls/server.crt"), str(tmp_path / "tls/server.key")
    )  # fmt: skip
    # An explicit base_url (e.g. a proxy's address) wins.
    given = replace(settings, base_url="https://pingfen.example.cn")
    assert effective_settings(given, served).public_url == "https://pingfen.example.cn"
    # Port 443 is not written; IPv6 goes in brackets; without the plain listener, https.
    init_venue(tmp_path, "拉练", ["fd00::10"])
    v6 = replace(settings_for(tmp_path, http_port=0), port=443)
    served6 = transport(v6)
    assert effective_settings(v6, served6).public_url == "https://[fd00::10]"
    assert ca_page_url(effective_settings(v6, served6), served6) == "https://[fd00::10]/venue/ca"


def test_enabled_off_on_and_mismatched_files(tmp_path: Path) -> None:
    with pytest.raises(VenueError, match="请先运行 arena tls init"):
        transport(settings_for(tmp_path, enabled="on"))
    with pytest.raises(VenueError, match="只能是 auto、on 或 off"):
        transport(settings_for(tmp_path, enabled="yes"))
    with pytest.raises(VenueError, match="cert_file 与 key_file 须同时设置"):
        transport(settings_for(tmp_path, cert_file="office.crt"))
    init_venue(tmp_path, "拉练", ["192.168.1.10"])
    assert transport(settings_for(tmp_path, enabled="off")).tls is False


def test_an_office_certificate_needs_no_venue_authority(tmp_path: Path) -> None:
    # Stand-in for an office's certificate: any certificate and key at paths of their own.
    office = tmp_path / "office"
    init_venue(office, "单位", ["pingfen.example.cn"])
    data = tmp_path / "data"
    init_venue(data, "拉练", ["192.168.1.10"])  # ignored once cert_file is set
    settings = settings_for(
        data, cert_file=str(office / "tls/server.crt"), key_file="../office/tls/server.key"
    )
    served = transport(settings)
    assert served.key_file == data / "../office/tls/server.key"
    assert served.venue_ca is None
    assert effective_settings(settings, served).public_url == "https://pingfen.example.cn:8000"


def test_tls_keys_in_config_toml_and_environment(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text(
        '[tls]\nenabled = "on"\nallow_plain_http_judges = true\ntrusted_proxies = ["10.0.0.2"]\n'
    )
    settings = load_settings(config, environ={"ARENA_TLS_HTTP_PORT": "8081"})
    assert settings.tls == TlsSettings(
        enabled="on", http_port=8081, allow_plain_http_judges=True, trusted_proxies=("10.0.0.2",)
    )
    options = uvicorn_options(settings, transport(settings_for(tmp_path)))
    assert (options["proxy_headers"], options["forwarded_allow_ips"]) == (True, ["10.0.0.2"])
    env = load_settings(config, environ={"ARENA_TLS_ALLOW_PLAIN_HTTP_JUDGES": "false"})
    assert env.tls.allow_plain_http_judges is False
    with pytest.raises(ConfigError, match="allow_plain_http_judges"):
        load_settings(config, environ={"ARENA_TLS_ALLOW_PLAIN_HTTP_JUDGES": "perhaps"})
    config.write_text("[tls]\ncertfile = 'x'\n")
    with pytest.raises(ConfigError, match="unknown key tls_certfile"):
        load_settings(config, environ={})
