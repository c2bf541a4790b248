"""The Redis hub: several processes (here: two hubs, two connections) share channels and seqs."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import pytest
from redis.asyncio import Redis

from arena.live.backends import make_hub
from arena.live.hub import HubUnavailable, Message, Subscription
from arena.live.redis import RedisHub, redacted

HubFactory = Callable[..., Awaitable[RedisHub]]


@pytest.fixture
async def make_redis_hub(redis_url: str, redis_prefix: str) -> AsyncIterator[HubFactory]:
    """Start RedisHubs on the test prefix; stop them all at the end."""
    hubs: list[RedisHub] = []

    async def factory(**options: Any) -> RedisHub:
        hub = RedisHub(redis_url, prefix=redis_prefix, **options)
        await hub.start()
        hubs.append(hub)
        return hub

    yield factory
    for hub in hubs:
        await hub.stop()


async def next_message(subscription: Subscription) -> Message | None:
    """The next queued message, failing the test rather than hanging."""
    async with asyncio.timeout(2):
        return await subscription.get()


async def numsub(client: Redis, name: str) -> int:
    """How many connections Redis counts on a pub/sub channel."""
    [(_, count)] = await client.pubsub_numsub(name)
    return int(count)


@pytest.mark.redis
async def test_message_published_in_one_process_reaches_another(
    make_redis_hub: HubFactory,
) -> None:
    a = await make_redis_hub()
    b = await make_redis_hub()
    async with b.subscribe("round:1") as subscription:
        published = await a.publish("round:1", "standings", {"村": "西裴村", "total": 87.5})
        received = await next_message(subscription)
    assert published == Message("round:1", 1, "standings", {"村": "西裴村", "total": 87.5})
    assert received == published
    assert received.text == '{"type":"standings","seq":1,"data":{"村":"西裴村","total":87.5}}'


@pytest.mark.redis
async def test_wire_format_on_redis(
    make_redis_hub: HubFactory, redis_client: Redis, redis_prefix: str
) -> None:
    hub = await make_redis_hub()
    async with redis_client.pubsub() as pubsub:
        await pubsub.subscribe(f"{redis_prefix}round:4")
        await hub.publish("round:4", "sheet", {"n": "一"})
        payloads: list[str] = []
        async with asyncio.timeout(2):
            while not payloads:
                item = await pubsub.get_message(ignore_subscribe_messages=True, timeout=1)
                if item is not None:
                    payloads.append(item["data"])
    assert payloads == ['{"channel":"round:4","type":"sheet","seq":1,"data":{"n":"一"}}']
    assert await redis_client.get(f"{redis_prefix}seq:round:4") == "1"


@pytest.mark.redis
async def test_seq_is_shared_between_processes(make_redis_hub: HubFactory) -> None:
    a = await make_redis_hub()
    b = await make_redis_hub()
    assert await a.current_seq("round:2") == 0
    async with a.subscribe("round:2") as subscription:
        assert (await a.publish("round:2", "sheet", "from a")).seq == 1
        assert (await b.publish("round:2", "sheet", "from b")).seq == 2
        assert (await a.publish("round:2", "sheet", "from a")).seq == 3
        received = [await next_message(subscription) for _ in range(3)]
    assert received == [
        Message("round:2", 1, "sheet", "from a"),
        Message("round:2", 2, "sheet", "from b"),
        Message("round:2", 3, "sheet", "from a"),
    ]
    assert await a.current_seq("round:2") == 3
    assert await b.current_seq("round:2") == 3
    assert await b.current_seq("round:99") == 0


@pytest.mark.redis
async def test_concurrent_publishers_deliver_in_seq_order(make_redis_hub: HubFactory) -> None:
    a = await make_redis_hub()
    b = await make_redis_hub()
    async with a.subscribe("contest:1") as subscription:
        await asyncio.gather(
            *(hub.publish("contest:1", "score", n) for n in range(20) for hub in (a, b))
        )
        seqs = []
        for _ in range(40):
            message = await next_message(subscription)
            assert message is not None
            seqs.append(message.seq)
    assert seqs == list(range(1, 41))


@pytest.mark.redis
async def test_redis_channel_unsubscribed_when_last_local_subscriber_leaves(
    make_redis_hub: HubFactory, redis_client: Redis, redis_prefix: str
) -> None:
    hub = await make_redis_hub()
    name = f"{redis_prefix}round:3"
    assert await numsub(redis_client, name) == 0
    async with hub.subscribe("round:3"):
        assert await numsub(redis_client, name) == 1
        async with hub.subscribe("round:3"):
            assert await numsub(redis_client, name) == 1  # one connection per process
        assert await numsub(redis_client, name) == 1
    assert await numsub(redis_client, name) == 0
    assert hub.subscribers("round:3") == 0
    async with hub.subscribe("round:3") as subscription:
        assert await numsub(redis_client, name) == 1
        await hub.publish("round:3", "again", 1)
        assert await next_message(subscription) == Message("round:3", 1, "again", 1)


@pytest.mark.redis
async def test_reader_reconnects_and_resubscribes(
    make_redis_hub: HubFactory,
    redis_client: Redis,
    redis_prefix: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO, logger="arena.live")
    client_name = f"arena-test-{redis_prefix.split(':')[1]}"
    hub = await make_redis_hub(client_name=client_name)
    name = f"{redis_prefix}round:5"
    async with hub.subscribe("round:5") as subscription:
        listeners = [
            entry["id"]
            for entry in await redis_client.client_list(_type="pubsub")
            if entry["name"] == client_name
        ]
        assert len(listeners) == 1
        await redis_client.client_kill_filter(_id=listeners[0])
        async with asyncio.timeout(5):
            while await numsub(redis_client, name) != 1:
                await asyncio.sleep(0.05)
        await hub.publish("round:5", "after", {"ok": True})
        assert await next_message(subscription) == Message("round:5", 1, "after", {"ok": True})
    assert "live hub: pub/sub connection lost" in caplog.text
    assert "live hub: reconnected to redis://" in caplog.text


@pytest.mark.redis
async def test_stop_closes_connections_and_subscriptions(
    redis_url: str, redis_client: Redis, redis_prefix: str
) -> None:
    client_name = f"arena-test-{redis_prefix.split(':')[1]}"
    hub = RedisHub(redis_url, prefix=redis_prefix, client_name=client_name)
    await hub.start()
    async with hub.subscribe("round:6") as subscription:
        assert len(await clients_named(redis_client, client_name)) == 2  # commands + pub/sub
        await hub.stop()
        assert await next_message(subscription) is None
    async with asyncio.timeout(2):
        while await clients_named(redis_client, client_name):
            await asyncio.sleep(0.05)
    assert await numsub(redis_client, f"{redis_prefix}round:6") == 0


async def clients_named(client: Redis, name: str) -> list[dict[str, str]]:
    """The server's connections whose client name is name."""
    return [entry for entry in await client.client_list() if entry["name"] == name]


async def test_start_fails_clearly_when_redis_is_unreachable() -> None:
    hub = RedisHub("redis://:secret@127.0.0.1:1/0", timeout=1)
    with pytest.raises(HubUnavailable, match=r"cannot reach redis://:\*\*\*@127\.0\.0\.1:1/0"):
        await hub.start()
    await hub.stop()


@pytest.mark.parametrize("url", ["redis://127.0.0.1:6379/0", "rediss://cache.example:6380/2"])
def test_make_hub_redis(url: str) -> None:
    hub = make_hub(url)
    assert isinstance(hub, RedisHub)
    assert hub.url == url
    assert hub.prefix == "arena:"


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("redis://127.0.0.1:6379/0", "redis://127.0.0.1:6379/0"),
        ("redis://:pw@h:1/0", "redis://:***@h:1/0"),
        ("rediss://user:pw@h/0", "rediss://user:***@h/0"),
    ],
)
def test_redacted_hides_passwords(url: str, shown: str) -> None:
    assert redacted(url) == shown
