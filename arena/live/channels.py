"""Channel names: the one place that spells them (DESIGN.md, "Live protocol")."""

from __future__ import annotations

import re
from typing import Literal, cast, get_args

ChannelKind = Literal["round", "contest", "board", "village"]

KINDS: frozenset[str] = frozenset(get_args(ChannelKind))
PRIVATE_SUFFIX = "live"

# Text idents are codes ("V01"); they must not contain ":" so a name splits unambiguously.
_TEXT_IDENT = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")


def channel(kind: ChannelKind, ident: int | str, *, private: bool = False) -> str:
    """Name the channel of one subject: "round:12", or "round:12:live" for the organiser's view."""
    if kind not in KINDS:
        raise ValueError(f"unknown channel kind {kind!r}; expected one of {sorted(KINDS)}")
    if isinstance(ident, bool) or not isinstance(ident, int | str):
        raise ValueError(f"channel ident must be an int or a str, not {type(ident).__name__}")
    if isinstance(ident, int) and ident < 0:
        raise ValueError(f"channel ident must not be negative, got {ident}")
    if isinstance(ident, str) and not _TEXT_IDENT.fullmatch(ident):
        raise ValueError(f"channel ident {ident!r} must match {_TEXT_IDENT.pattern}")
    name = f"{kind}:{ident}"
    return f"{name}:{PRIVATE_SUFFIX}" if private else name


def parse_channel(name: str) -> tuple[ChannelKind, int | str, bool]:
    """Split a channel name into (kind, ident, private); raise ValueError if it is not one."""
    parts = name.split(":")
    private = len(parts) == 3 and parts[2] == PRIVATE_SUFFIX
    if len(parts) != 2 and not private:
        raise ValueError(f"not a channel name: {name!r}")
    kind, text = parts[0], parts[1]
    if kind not in KINDS:
        raise ValueError(f"not a channel name: {name!r} (unknown kind {kind!r})")
    if not _TEXT_IDENT.fullmatch(text):
        raise ValueError(f"not a channel name: {name!r} (bad ident {text!r})")
    # Only the canonical decimal form is an int, so parse_channel and channel round-trip.
    ident: int | str = int(text) if text.isdigit() and str(int(text)) == text else text
    return cast(ChannelKind, kind), ident, private
