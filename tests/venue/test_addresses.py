"""Which hosts are the laptop itself, and which warnings links on an address get."""

from __future__ import annotations

import pytest

from arena.venue.addresses import host_of, is_loopback
from arena.venue.guard import is_judge_path, refuses
from arena.venue.warnings import link_warnings


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1:8000", True),
        ("127.8.9.10", True),  # all of 127.0.0.0/8
        ("localhost:8000", True),
        ("LOCALHOST", True),
        ("arena.localhost:8443", True),
        ("[::1]:8000", True),
        ("::1", True),
        ("192.168.1.10:8000", False),
        ("venue.test:8443", False),
        ("localhost.example.cn", False),
        ("[fd00::1]:8000", False),
        ("128.0.0.1", False),
        ("", False),
    ],
)
def test_loopback_is_decided_by_the_host_alone(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback


def test_host_of_strips_port_and_brackets() -> None:
    assert [host_of(h) for h in ("Venue.Test:8443", "[fd00::1]:80", "arena.local.", "fd00::1")] == [
        "venue.test", "fd00::1", "arena.local", "fd00::1"
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("scheme", "host", "path", "allow", "refused"),
    [
        ("http", "venue.test:8000", "/judge", False, True),
        ("http", "venue.test:8000", "/judge/sw.js", False, True),
        ("http", "venue.test:8000", "/judge/api/state", False, True),
        ("http", "192.168.1.10:8000", "/j/abcdef", False, True),
        ("https", "venue.test:8443", "/judge", False, False),  # the venue's https
        ("http", "127.0.0.1:8000", "/judge", False, False),  # the laptop itself
        ("http", "localhost:8000", "/j/abcdef", False, False),
        ("http", "venue.test:8000", "/judge", True, False),  # the organiser allowed it
        ("http", "venue.test:8000", "/judgement", False, False),  # not the judges' app
        ("http", "venue.test:8000", "/venue/ca", False, False),  # must be reachable over http
        ("http", "venue.test:8000", "/v/abcdef", False, False),  # village pages need no worker
    ],
)
def test_plain_http_is_refused_only_for_the_judge_app_off_the_laptop(
    scheme: str, host: str, path: str, allow: bool, refused: bool
) -> None:
    assert refuses(scheme, host, path, allow) is refused


def test_judge_paths() -> None:
    assert [is_judge_path(p) for p in ("/judge", "/judge/", "/j/x", "/j", "/jx", "/")] == [
        True, True, True, False, False, False
    ]  # fmt: skip


def test_link_warnings() -> None:
    assert link_warnings("https://192.168.1.10:8000", False) == []
    assert link_warnings("https://arena.local", True) == []
    assert [w.code for w in link_warnings("http://127.0.0.1:8000", False)] == ["loopback"]
    assert [w.code for w in link_warnings("https://localhost:8443", False)] == ["loopback"]
    assert [w.code for w in link_warnings("http://0.0.0.0:8000", False)] == ["loopback"]
    assert [w.code for w in link_warnings("http://[::]:8000", True)] == ["loopback"]
    assert [w.code for w in link_warnings("http://192.168.1.10:8000", False)] == ["plain_http"]
    assert [w.code for w in link_warnings("http://192.168.1.10:8000", True)] == [
        "plain_http_allowed"
    ]
    (warning,) = link_warnings("http://192.168.1.10:8000", False)
    assert warning.message.startswith("链接是不加密的 http://192.168.1.10:8000：")
    assert "arena tls init" in warning.message
