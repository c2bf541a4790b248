"""`arena tls init` and `arena tls show` as an organiser types them."""

from __future__ import annotations

from pathlib import Path

import pytest

from arena.cli import main
from arena.venue.tls import VenueFiles, describe, load_certificate


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("ARENA_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("ARENA_PORT", "8000")
    monkeypatch.delenv("ARENA_BASE_URL", raising=False)
    monkeypatch.delenv("ARENA_TLS_HTTP_PORT", raising=False)
    return tmp_path


def test_init_then_show(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    argv = [
        "tls",
        "init",
        "--name",
        "县委组织部拉练",
        "--host",
        "192.168.1.10",
        "--host",
        "arena.local",
    ]
    assert main(argv) == 0
    files = VenueFiles.in_data_dir(data_dir)
    ca, server = describe(load_certificate(files.ca_cert)), describe(load_certificate(files.cert))
    printed = capsys.readouterr().out.splitlines()
    assert printed == [
        f"已生成场地证书：{files.directory}（私钥仅本账户可读，不会被网页提供）",
        "场地证书机构: 县委组织部拉练 场地证书",
        f"  SHA-256 指纹: {ca.sha256}",
        f"  有效期至: {ca.not_after:%Y-%m-%d}",
        f"服务器证书: {files.cert}",
        "  地址: 192.168.1.10, arena.local, localhost, 127.0.0.1",
        f"  SHA-256 指纹: {server.sha256}",
        f"  有效期至: {server.not_after:%Y-%m-%d}",
        "评委链接地址: https://192.168.1.10:8000",
        "平板安装证书: http://192.168.1.10:8080/venue/ca",
    ]
    assert main(["tls", "show"]) == 0
    assert capsys.readouterr().out.splitlines() == printed[1:]


def test_show_before_init_and_bad_hosts(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["tls", "show"]) == 1
    assert "请运行：arena tls init" in capsys.readouterr().out
    assert main(["tls", "init", "--name", "拉练", "--host", "192.168.1.10:8000"]) == 2
    assert capsys.readouterr().err.splitlines() == [
        "地址有误：",
        "  192.168.1.10:8000：不要带端口号，端口在 config.toml 的 port 中设置",
    ]
    assert not (data_dir / "tls").exists()


def test_serve_refuses_to_start_with_a_wrong_tls_set_up(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("ARENA_TLS_ENABLED", "on")
    assert main(["serve"]) == 2
    assert "请先运行 arena tls init" in capsys.readouterr().err
    assert main(["tls", "init", "--name", "拉练", "--host", "192.168.1.10"]) == 0
    monkeypatch.setenv("ARENA_TLS_HTTP_PORT", "8000")
    assert main(["serve"]) == 2
    assert capsys.readouterr().err == "config.toml [tls] http_port 不能与 port 相同（都是 8000）\n"
