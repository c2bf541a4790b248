"""Coalesces bursts of changes into few publications per subject.

The first change to a quiet subject is published `delay` seconds later. Changes that arrive while
a publication is being computed cause exactly one more, no sooner than `interval` seconds after
the previous one started, so a busy round costs at most 1/interval computations per second
however many sheets arrive, and a screen is never more than about delay + interval behind.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

log = logging.getLogger(__name__)


class Publisher:
    """touch(key, job): run `job` soon, once for any number of touches in between."""

    def __init__(self, delay: float, interval: float = 0.0) -> None:
        self.delay = delay
        self.interval = interval
        self._pending: set[str] = set()
        self._dirty: set[str] = set()
        self._tasks: set[asyncio.Task[None]] = set()

    def touch(self, key: str, job: Callable[[], Awaitable[None]]) -> None:
        """Schedule `job` for `key`; if one is already under way, run it once more after."""
        if key in self._pending:
            self._dirty.add(key)
            return
        self._pending.add(key)
        task = asyncio.get_running_loop().create_task(self._run(key, job))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _run(self, key: str, job: Callable[[], Awaitable[None]]) -> None:
        loop = asyncio.get_running_loop()
        try:
            await asyncio.sleep(self.delay)
            while True:
                self._dirty.discard(key)
                started = loop.time()
                try:
                    await job()
                except Exception:  # a failed push must not take the writer down; screens resync
                    log.exception("publishing %s failed", key)
                if key not in self._dirty:
                    return
                await asyncio.sleep(max(self.delay, self.interval - (loop.time() - started)))
        finally:
            self._pending.discard(key)
            self._dirty.discard(key)

    async def drain(self) -> None:
        """Wait for every scheduled publication (used at shutdown and in tests)."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)
