"""Speaking order by lot (抽签): a published seed and one SHA-256 per contestant, sorted.

Each contestant's code is hashed together with the seed; the order is the codes sorted by that
hex digest (ties, which SHA-256 makes practically impossible, by code). Anyone holding the seed
and the list of codes re-derives the order with plain Python::

    import hashlib

    def speaking_order(codes, seed):
        def digest(code):
            return hashlib.sha256(f"{seed}:{code}".encode("utf-8")).hexdigest()
        return sorted(codes, key=lambda code: (digest(code), code))

The order does not depend on how the codes are listed, so a contestant added to or left off the
list cannot move the others relative to each other.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Sequence
from typing import TypedDict

SEED_DIGITS = 6


class DrawStep(TypedDict):
    """One contestant's line in the draw as the screen shows it (JSON-ready)."""

    code: str
    hash: str
    position: int  # 1 = speaks first


def new_seed() -> str:
    """A fresh 6-digit decimal seed (leading zeros kept), e.g. "042917"."""
    return f"{secrets.randbelow(10**SEED_DIGITS):0{SEED_DIGITS}d}"


def draw_hash(seed: str, code: str) -> str:
    """The SHA-256 hex digest of f"{seed}:{code}" in UTF-8."""
    return hashlib.sha256(f"{seed}:{code}".encode()).hexdigest()


def _check(codes: Sequence[str], seed: str) -> None:
    if not seed.strip():
        raise ValueError("the draw needs a non-empty seed")
    repeated = sorted({code for code in codes if codes.count(code) > 1})
    if repeated:
        raise ValueError(f"contestant code(s) repeat in the draw: {', '.join(repeated)}")


def draw_order(codes: Sequence[str], seed: str) -> list[str]:
    """The speaking order: codes sorted by SHA-256 of f"{seed}:{code}", then by code."""
    _check(codes, seed)
    return sorted(codes, key=lambda code: (draw_hash(seed, code), code))


def draw_steps(codes: Sequence[str], seed: str) -> list[DrawStep]:
    """Each contestant, in the order given, with its hash and drawn position (from 1)."""
    order = draw_order(codes, seed)
    position = {code: n for n, code in enumerate(order, start=1)}
    return [
        DrawStep(code=code, hash=draw_hash(seed, code), position=position[code]) for code in codes
    ]
