"""The Hub interface: publish/subscribe by channel, with per-channel sequence numbers."""

from __future__ import annotations

import asyncio
import json
from abc import ABC, abstractmethod
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from functools import cached_property
from types import TracebackType
from typing import Any, Self

DEFAULT_QUEUE_SIZE = 64


def encode(payload: Any) -> str:
    """Encode a value as compact UTF-8 JSON, the form every live frame uses."""
    return json.dumps(payload, separators=(",", ":"), ensure_ascii=False)


class HubUnavailable(Exception):
    """The hub's backend cannot be reached (e.g. Redis is down); the caller may retry later."""


@dataclass(frozen=True)
class Message:
    """One change published on a channel; ``seq`` counts from 1 per channel."""

    channel: str
    seq: int
    type: str
    data: Any

    @cached_property
    def text(self) -> str:
        """The wire form ``{"type", "seq", "data"}``, encoded once and shared by all sockets."""
        return encode({"type": self.type, "seq": self.seq, "data": self.data})


class Subscription:
    """One subscriber's bounded queue of a channel's messages, oldest first.

    A subscriber that falls ``maxsize`` messages behind loses its *oldest* queued message for
    each new one (counted in ``dropped``); the publisher never waits. The client then sees a
    gap in ``seq`` and asks for a fresh snapshot (DESIGN.md: pushes are hints).
    """

    def __init__(self, channel: str, maxsize: int = DEFAULT_QUEUE_SIZE) -> None:
        if maxsize < 1:
            raise ValueError(f"subscription queue size must be at least 1, got {maxsize}")
        self.channel = channel
        self.dropped = 0
        self._queue: asyncio.Queue[Message | None] = asyncio.Queue(maxsize)
        self._closed = False

    @property
    def closed(self) -> bool:
        """True once the hub has stopped or the subscription has ended."""
        return self._closed

    def put(self, message: Message) -> None:
        """Queue a message without waiting, dropping the oldest one if the queue is full."""
        if self._closed:
            return
        if self._queue.full():
            self._queue.get_nowait()
            self.dropped += 1
        self._queue.put_nowait(message)

    def close(self) -> None:
        """End the subscription: ``get`` returns None and iteration stops once it is drained."""
        if self._closed:
            return
        self._closed = True
        if self._queue.full():
            self._queue.get_nowait()
            self.dropped += 1
        self._queue.put_nowait(None)

    async def get(self) -> Message | None:
        """Wait for the next message; None once the subscription is closed."""
        if self._closed and self._queue.empty():
            return None
        message = await self._queue.get()
        if message is None:
            self._queue.put_nowait(None)  # keep answering None to later calls
        return message

    def __aiter__(self) -> Self:
        return self

    async def __anext__(self) -> Message:
        message = await self.get()
        if message is None:
            raise StopAsyncIteration
        return message


class Hub(ABC):
    """Publish/subscribe of live messages by channel name.

    Contract, for every backend:

    - ``publish(channel, type, data)`` gives the message the channel's next ``seq`` (1, 2, 3 …,
      agreed by every process sharing the backend), encodes it once, and hands it to every
      subscriber of that channel in every process, in ``seq`` order. It raises TypeError for
      data that is not JSON-serialisable (before using a seq) and HubUnavailable when the
      backend cannot be reached. It never waits for slow subscribers.
    - ``current_seq(channel)`` is the seq of the channel's latest message, 0 before any.
    - ``subscribe(channel)`` is an async context manager yielding a Subscription; messages
      published after it has been entered are delivered (a subscriber that then reads
      ``current_seq`` and a snapshot therefore misses nothing but what the snapshot holds).
      Leaving it unsubscribes. ``stop()`` closes every subscription.
    - Delivery is at most once: a subscriber that falls behind, or a backend outage, loses
      messages. Consumers detect gaps by ``seq`` and resync from a snapshot.

    A hub belongs to one event loop and is not thread-safe.
    """

    def __init__(self, *, queue_size: int = DEFAULT_QUEUE_SIZE) -> None:
        self._queue_size = queue_size
        self._subscriptions: dict[str, set[Subscription]] = {}
        # The WebSocket fan-out of each channel with local sockets (arena.live.endpoint).
        self.fanouts: dict[str, Any] = {}

    @abstractmethod
    async def start(self) -> None:
        """Connect to the backend; call once before use."""

    @abstractmethod
    async def stop(self) -> None:
        """Close every subscription and release the backend's connections and tasks."""

    @abstractmethod
    async def publish(self, channel: str, type: str, data: Any) -> Message:
        """Publish data as the channel's next message and return it."""

    @abstractmethod
    async def current_seq(self, channel: str) -> int:
        """Return the seq of the channel's latest message, 0 if none."""

    @asynccontextmanager
    async def subscribe(self, channel: str) -> AsyncIterator[Subscription]:
        """Receive the channel's messages for the duration of the block."""
        subscription = Subscription(channel, self._queue_size)
        self._subscriptions.setdefault(channel, set()).add(subscription)
        try:
            await self._attach(channel)
            yield subscription
        finally:
            # Local bookkeeping first and without awaiting, so a cancelled task cannot leak it.
            subscription.close()
            subscribers = self._subscriptions.get(channel)
            if subscribers is not None:
                subscribers.discard(subscription)
                if not subscribers:
                    del self._subscriptions[channel]
            await self._detach(channel)

    def subscribers(self, channel: str) -> int:
        """Count this process's subscribers of a channel."""
        return len(self._subscriptions.get(channel, ()))

    def channels(self) -> list[str]:
        """List the channels this process has subscribers for."""
        return list(self._subscriptions)

    async def _attach(self, channel: str) -> None:  # noqa: B027 - optional hook
        """Backend hook: make sure this process receives the channel (entry of subscribe)."""

    async def _detach(self, channel: str) -> None:  # noqa: B027 - optional hook
        """Backend hook: stop receiving the channel if it has no local subscriber left."""

    def _deliver(self, message: Message) -> None:
        """Fan a message out to this process's subscribers of its channel."""
        for subscription in self._subscriptions.get(message.channel, ()):
            subscription.put(message)

    def _close_subscriptions(self) -> None:
        """End every local subscription (on stop)."""
        for subscribers in self._subscriptions.values():
            for subscription in subscribers:
                subscription.close()

    async def __aenter__(self) -> Self:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.stop()
