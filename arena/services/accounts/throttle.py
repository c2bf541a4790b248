"""Slowing down password guessing: failed sign-ins per name and per client address, in-process.

After `free` failures for a key (5 for a name, 20 for an address, which several colleagues may
share behind one router) every further attempt must wait `base * 2 ** (failures - free)` seconds
after the last failure, at most `cap`: 30 s, 60 s, 120 s ... 15 min. A refused attempt checks no
password and counts as no failure. A correct password clears the name's count, never the
address's; a key with no failure for an hour is forgotten.

The counts live in one process's memory: a restart forgets them, and with several processes
each counts on its own (a guesser gets `free` tries per process before waiting).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass

FREE_PER_NAME = 5
FREE_PER_ADDRESS = 20
BASE_SECONDS = 30.0
CAP_SECONDS = 900.0
FORGET_SECONDS = 3600.0
MAX_KEYS = 10_000


@dataclass
class _Failures:
    count: int
    last: float


def delay(failures: int, free: int) -> float:
    """Seconds to wait after the last of `failures` failures before the next attempt."""
    if failures < free:
        return 0.0
    return min(BASE_SECONDS * 2 ** (failures - free), CAP_SECONDS)


class SignInThrottle:
    """Counts failed sign-ins; says how long an attempt for a name from an address must wait."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._keys: dict[tuple[str, str], _Failures] = {}

    def wait(self, name: str, address: str) -> int:
        """Whole seconds before this attempt may be made (0: now)."""
        now = self._clock()
        longest = 0.0
        for key, free in ((("name", name), FREE_PER_NAME), (("addr", address), FREE_PER_ADDRESS)):
            record = self._live(key, now)
            if record is not None:
                longest = max(longest, record.last + delay(record.count, free) - now)
        return math.ceil(longest) if longest > 0 else 0

    def failed(self, name: str, address: str) -> None:
        """Count a wrong name or password."""
        now = self._clock()
        if len(self._keys) >= MAX_KEYS:
            self._prune(now)
        for key in (("name", name), ("addr", address)):
            record = self._live(key, now)
            if record is None:
                self._keys[key] = _Failures(1, now)
            else:
                record.count += 1
                record.last = now

    def succeeded(self, name: str) -> None:
        """A correct password: the name starts afresh (its address does not)."""
        self._keys.pop(("name", name), None)

    def failures(self, name: str, address: str) -> tuple[int, int]:
        """The counted failures for the name and for the address."""
        now = self._clock()
        by_name = self._live(("name", name), now)
        by_addr = self._live(("addr", address), now)
        return (by_name.count if by_name else 0, by_addr.count if by_addr else 0)

    def _live(self, key: tuple[str, str], now: float) -> _Failures | None:
        record = self._keys.get(key)
        if record is not None and now - record.last >= FORGET_SECONDS:
            del self._keys[key]
            return None
        return record

    def _prune(self, now: float) -> None:
        for key in [k for k, r in self._keys.items() if now - r.last >= FORGET_SECONDS]:
            del self._keys[key]
        if len(self._keys) >= MAX_KEYS:  # a flood of fresh names: keep the most failed
            keep = sorted(self._keys.items(), key=lambda kv: -kv[1].count)[: MAX_KEYS // 2]
            self._keys = dict(keep)
