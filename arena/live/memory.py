"""In-process hub: the default backend for a single server process."""

from __future__ import annotations

from typing import Any

from arena.live.hub import DEFAULT_QUEUE_SIZE, Hub, Message


class MemoryHub(Hub):
    """A Hub whose channels live in this process only; seq counters are a dict."""

    def __init__(self, url: str = "memory", *, queue_size: int = DEFAULT_QUEUE_SIZE) -> None:
        super().__init__(queue_size=queue_size)
        self.url = url
        self._seqs: dict[str, int] = {}

    async def start(self) -> None:
        """Nothing to connect to."""

    async def stop(self) -> None:
        """Close every subscription."""
        self._close_subscriptions()

    async def publish(self, channel: str, type: str, data: Any) -> Message:
        """Publish data as the channel's next message and return it."""
        seq = self._seqs.get(channel, 0) + 1
        message = Message(channel, seq, type, data)
        _ = message.text  # encode now: bad data fails here, before it uses up a seq
        self._seqs[channel] = seq
        self._deliver(message)
        return message

    async def current_seq(self, channel: str) -> int:
        """Return the seq of the channel's latest message, 0 if none."""
        return self._seqs.get(channel, 0)
