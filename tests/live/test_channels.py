"""Channel names: one function builds them, one parses them back."""

from __future__ import annotations

from typing import Any

import pytest

from arena.live.channels import channel, parse_channel


def test_public_and_private_names() -> None:
    assert channel("round", 12) == "round:12"
    assert channel("round", 12, private=True) == "round:12:live"
    assert channel("contest", 3) == "contest:3"
    assert channel("board", 0) == "board:0"
    assert channel("village", "V01") == "village:V01"
    assert channel("village", "V01", private=True) == "village:V01:live"


@pytest.mark.parametrize(
    ("name", "parsed"),
    [
        ("round:12", ("round", 12, False)),
        ("round:12:live", ("round", 12, True)),
        ("contest:7", ("contest", 7, False)),
        ("board:2025-q3", ("board", "2025-q3", False)),
        ("village:V01:live", ("village", "V01", True)),
        ("village:012", ("village", "012", False)),
        ("round:live", ("round", "live", False)),
    ],
)
def test_parse_round_trips(name: str, parsed: tuple[str, int | str, bool]) -> None:
    assert parse_channel(name) == parsed
    kind, ident, private = parse_channel(name)
    assert channel(kind, ident, private=private) == name


@pytest.mark.parametrize(
    ("kind", "ident", "message"),
    [
        ("team", 1, "unknown channel kind 'team'"),
        ("round", -1, "must not be negative"),
        ("round", True, "int or a str, not bool"),
        ("round", 1.5, "int or a str, not float"),
        ("round", "", "channel ident '' must match"),
        ("round", "a:b", "channel ident 'a:b' must match"),
        ("round", "村1", "channel ident '村1' must match"),
        ("round", "-1", "channel ident '-1' must match"),
    ],
)
def test_channel_refuses_bad_parts(kind: Any, ident: Any, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        channel(kind, ident)


@pytest.mark.parametrize(
    "name",
    ["", "round", "round:", "round::live", "round:12:public", "round:12:live:x", "team:1", ":12"],
)
def test_parse_refuses_non_channels(name: str) -> None:
    with pytest.raises(ValueError, match="not a channel name"):
        parse_channel(name)
