"""Redis hub: live messages shared by several processes or hosts through Redis pub/sub."""

from __future__ import annotations

import asyncio
import json
import logging
import random
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from redis.asyncio import Redis
from redis.asyncio.client import PubSub
from redis.asyncio.retry import Retry
from redis.backoff import ExponentialWithJitterBackoff, NoBackoff
from redis.commands.core import AsyncScript
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import RedisError
from redis.exceptions import TimeoutError as RedisTimeoutError

from arena.live.hub import DEFAULT_QUEUE_SIZE, Hub, HubUnavailable, Message, encode

logger = logging.getLogger("arena.live")

# Errors meaning "Redis cannot be reached"; others (a WRONGTYPE reply...) are bugs and propagate.
UNREACHABLE = (RedisConnectionError, RedisTimeoutError, OSError)

# INCR and PUBLISH in one script, so messages reach Redis (and every subscriber) in seq order
# even when several processes publish on the same channel at once.
PUBLISH_SCRIPT = """
local seq = redis.call('INCR', KEYS[1])
local text = '{"channel":' .. ARGV[2] .. ',"type":' .. ARGV[3]
    .. ',"seq":' .. string.format('%d', seq) .. ',"data":' .. ARGV[4] .. '}'
redis.call('PUBLISH', ARGV[1], text)
return seq
"""


def redacted(url: str) -> str:
    """Return the URL without its password, for logs and errors."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.rpartition("@")[2]
    user = f"{parts.username}:***@" if parts.username else ":***@"
    return urlunsplit(parts._replace(netloc=user + netloc))


class RedisHub(Hub):
    """A Hub whose seq counters are Redis keys and whose messages travel by Redis pub/sub.

    Keys and pub/sub channels are ``<prefix><channel>`` (seq: ``<prefix>seq:<channel>``).
    Each hub holds one pub/sub connection, read by one task that fans messages out locally;
    it subscribes a Redis channel when the first local subscriber arrives and unsubscribes
    when the last leaves, and reconnects with jittered exponential backoff if Redis drops.
    Messages published while it is disconnected are lost; consumers resync by seq.
    """

    def __init__(
        self,
        url: str,
        *,
        prefix: str = "arena:",
        queue_size: int = DEFAULT_QUEUE_SIZE,
        client_name: str = "arena-live",
        timeout: float = 5.0,
        ping_interval: float = 10.0,
        max_backoff: float = 5.0,
    ) -> None:
        super().__init__(queue_size=queue_size)
        self.url = url
        self.prefix = prefix
        self._client_name = client_name
        self._timeout = timeout
        self._ping_interval = ping_interval
        self._max_backoff = max_backoff
        self._redis: Redis | None = None
        self._publish: AsyncScript | None = None  # EVALSHA, falling back to EVAL if unknown
        self._listener: Redis | None = None
        self._pubsub: PubSub | None = None
        self._reader: asyncio.Task[None] | None = None
        self._connected = asyncio.Event()
        self._lock = asyncio.Lock()  # orders SUBSCRIBE/UNSUBSCRIBE against local state
        self._subscribed: set[str] = set()  # channels subscribed on the current connection
        self._confirmations: dict[tuple[str, bytes], asyncio.Event] = {}

    async def start(self) -> None:
        """Connect, check that Redis answers and start the pub/sub reader."""
        retry = Retry(ExponentialWithJitterBackoff(cap=0.5, base=0.05), 3)
        options: dict[str, Any] = {
            "socket_connect_timeout": self._timeout,
            "client_name": self._client_name,
        }
        self._redis = Redis.from_url(
            self.url, decode_responses=True, socket_timeout=self._timeout, retry=retry, **options
        )
        self._publish = self._redis.register_script(PUBLISH_SCRIPT)
        # The reader reconnects by itself, so its connection does not retry underneath it.
        self._listener = Redis.from_url(self.url, retry=Retry(NoBackoff(), 0), **options)
        try:
            await self._redis.ping()
        except UNREACHABLE as exc:
            await self._close_clients()
            raise HubUnavailable(f"live hub: cannot reach {redacted(self.url)}: {exc}") from exc
        self._reader = asyncio.create_task(self._read_forever(), name="arena-live-redis-reader")
        try:
            async with asyncio.timeout(self._timeout):
                await self._connected.wait()
        except TimeoutError:
            logger.warning("live hub: pub/sub not connected yet; the reader keeps trying")

    async def stop(self) -> None:
        """Stop the reader, close both connections and every subscription."""
        if self._reader is not None:
            self._reader.cancel()
            await asyncio.wait({self._reader})
            self._reader = None
        await self._close_clients()
        self._close_subscriptions()

    async def publish(self, channel: str, type: str, data: Any) -> Message:
        """Publish data as the channel's next message and return it."""
        fragments = [self.prefix + channel, encode(channel), encode(type), encode(data)]
        try:
            seq = await self._script()(keys=[self._seq_key(channel)], args=fragments)
        except UNREACHABLE as exc:
            raise HubUnavailable(f"live hub: cannot publish on {channel}: {exc}") from exc
        return Message(channel, int(seq), type, data)

    async def current_seq(self, channel: str) -> int:
        """Return the seq of the channel's latest message, 0 if none."""
        try:
            value = await self._client().get(self._seq_key(channel))
        except UNREACHABLE as exc:
            raise HubUnavailable(f"live hub: cannot read seq of {channel}: {exc}") from exc
        return int(value) if value is not None else 0

    async def _attach(self, channel: str) -> None:
        await self._sync(channel)

    async def _detach(self, channel: str) -> None:
        await self._sync(channel)

    def _client(self) -> Redis:
        if self._redis is None:
            raise RuntimeError("RedisHub used before start()")
        return self._redis

    def _script(self) -> AsyncScript:
        if self._publish is None:
            raise RuntimeError("RedisHub used before start()")
        return self._publish

    def _seq_key(self, channel: str) -> str:
        return f"{self.prefix}seq:{channel}"

    async def _close_clients(self) -> None:
        pubsub, self._pubsub = self._pubsub, None
        if pubsub is not None:
            await pubsub.aclose()
        for client in (self._redis, self._listener):
            if client is not None:
                await client.aclose()
        self._redis = self._listener = None
        self._publish = None

    async def _sync(self, channel: str) -> None:
        """Subscribe or unsubscribe the Redis channel so it matches the local subscribers."""
        async with self._lock:
            pubsub = self._pubsub
            if pubsub is None:
                return  # disconnected: the reader subscribes every wanted channel on reconnect
            wanted = self.subscribers(channel) > 0
            if wanted == (channel in self._subscribed):
                return
            name = self.prefix + channel
            kind = "subscribe" if wanted else "unsubscribe"
            confirmed = self._confirmations[kind, name.encode()] = asyncio.Event()
            try:
                if wanted:
                    await pubsub.subscribe(name)
                else:
                    await pubsub.unsubscribe(name)
                # Wait for Redis to confirm, so a new subscriber that now reads current_seq
                # and a snapshot cannot miss a message published in between.
                async with asyncio.timeout(self._timeout):
                    await confirmed.wait()
            except (RedisError, OSError, TimeoutError) as exc:
                logger.warning("live hub: %s %s failed: %s", kind, name, exc)
                return
            finally:
                del self._confirmations[kind, name.encode()]
            if self._pubsub is pubsub:
                if wanted:
                    self._subscribed.add(channel)
                else:
                    self._subscribed.discard(channel)

    async def _read_forever(self) -> None:
        """Hold the pub/sub connection: (re)connect, resubscribe, read, back off on failure."""
        assert self._listener is not None
        failures = 0
        while True:
            pubsub = self._listener.pubsub()
            try:
                await pubsub.connect()
                async with self._lock:
                    wanted = self.channels()
                    if wanted:
                        await pubsub.subscribe(*(self.prefix + name for name in wanted))
                    self._subscribed = set(wanted)
                    self._pubsub = pubsub
                if failures:
                    logger.info("live hub: reconnected to %s", redacted(self.url))
                failures = 0
                self._connected.set()
                await self._read(pubsub)
            except (RedisError, OSError) as exc:
                logger.warning("live hub: pub/sub connection lost: %s", exc)
            finally:
                self._connected.clear()
                self._pubsub = None
                self._subscribed = set()
                for event in self._confirmations.values():
                    event.set()  # wake waiters now; they see the connection has changed
                await pubsub.aclose()
            delay = min(self._max_backoff, 0.1 * 2**failures) * random.uniform(0.5, 1.0)
            failures += 1
            await asyncio.sleep(delay)

    async def _read(self, pubsub: PubSub) -> None:
        """Dispatch pub/sub traffic until the connection fails; PING when it falls silent."""
        awaiting_pong = False
        while True:
            item = await pubsub.get_message(timeout=self._ping_interval)
            if item is None:
                if awaiting_pong:
                    raise ConnectionError("Redis did not answer PING")
                await pubsub.ping()
                awaiting_pong = True
                continue
            awaiting_pong = False
            kind = item["type"]
            if kind == "message":
                self._dispatch(item["channel"], item["data"])
            elif kind in ("subscribe", "unsubscribe"):
                event = self._confirmations.get((kind, item["channel"]))
                if event is not None:
                    event.set()

    def _dispatch(self, name: bytes, payload: bytes) -> None:
        """Turn one pub/sub payload into a Message for the local subscribers."""
        channel = name.decode()[len(self.prefix) :]
        try:
            fields = json.loads(payload)
            message = Message(channel, int(fields["seq"]), str(fields["type"]), fields["data"])
        except (ValueError, KeyError, TypeError) as exc:
            logger.warning("live hub: dropped a malformed message on %s: %s", channel, exc)
            return
        self._deliver(message)
