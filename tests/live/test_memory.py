"""The in-process hub, the Hub contract it shares with Redis, and backend selection."""

from __future__ import annotations

import asyncio

import pytest

from arena.live.backends import make_hub
from arena.live.hub import Message, Subscription
from arena.live.memory import MemoryHub


async def next_message(subscription: Subscription) -> Message | None:
    """The next queued message, failing the test rather than hanging."""
    async with asyncio.timeout(1):
        return await subscription.get()


async def test_publish_numbers_messages_per_channel() -> None:
    hub = MemoryHub()
    assert await hub.current_seq("round:1") == 0
    first = await hub.publish("round:1", "sheet", {"village": "V01"})
    second = await hub.publish("round:1", "sheet", {"village": "V02"})
    other = await hub.publish("round:2", "sheet", {"village": "V01"})
    assert first == Message("round:1", 1, "sheet", {"village": "V01"})
    assert second == Message("round:1", 2, "sheet", {"village": "V02"})
    assert other == Message("round:2", 1, "sheet", {"village": "V01"})
    assert await hub.current_seq("round:1") == 2
    assert await hub.current_seq("round:2") == 1
    assert await hub.current_seq("round:3") == 0


async def test_message_text_is_compact_unescaped_json() -> None:
    message = Message("round:1", 7, "standings", {"村": "西裴村", "total": 87.5, "rows": [1, 2]})
    assert (
        message.text
        == '{"type":"standings","seq":7,"data":{"村":"西裴村","total":87.5,"rows":[1,2]}}'
    )
    assert message.text is message.text  # encoded once


async def test_subscribers_share_one_message_object() -> None:
    async with MemoryHub() as hub:
        async with hub.subscribe("round:1") as a, hub.subscribe("round:1") as b:
            published = await hub.publish("round:1", "sheet", {"n": 1})
            got_a = await next_message(a)
            got_b = await next_message(b)
    assert got_a is published
    assert got_b is published


async def test_subscriber_gets_its_channel_in_order() -> None:
    hub = MemoryHub()
    async with hub.subscribe("round:1") as subscription:
        await hub.publish("round:1", "a", 1)
        await hub.publish("round:2", "other", 0)
        await hub.publish("round:1", "b", 2)
        await hub.publish("round:1", "c", 3)
        received = [await next_message(subscription) for _ in range(3)]
    assert received == [
        Message("round:1", 1, "a", 1),
        Message("round:1", 2, "b", 2),
        Message("round:1", 3, "c", 3),
    ]


async def test_messages_before_subscribing_are_not_delivered() -> None:
    hub = MemoryHub()
    await hub.publish("round:1", "early", 1)
    async with hub.subscribe("round:1") as subscription:
        await hub.publish("round:1", "late", 2)
        assert await next_message(subscription) == Message("round:1", 2, "late", 2)


async def test_leaving_unsubscribes() -> None:
    hub = MemoryHub()
    async with hub.subscribe("round:1") as first:
        async with hub.subscribe("round:1"):
            assert hub.subscribers("round:1") == 2
            assert hub.channels() == ["round:1"]
        assert hub.subscribers("round:1") == 1
    assert hub.subscribers("round:1") == 0
    assert hub.channels() == []
    await hub.publish("round:1", "after", 1)
    assert first.closed
    assert await first.get() is None


async def test_leaving_on_error_unsubscribes() -> None:
    hub = MemoryHub()
    with pytest.raises(RuntimeError, match="boom"):
        async with hub.subscribe("round:1"):
            raise RuntimeError("boom")
    assert hub.subscribers("round:1") == 0


async def test_slow_subscriber_loses_its_oldest_messages() -> None:
    hub = MemoryHub(queue_size=3)
    async with hub.subscribe("round:1") as fast, hub.subscribe("round:1") as slow:
        fast_seqs = []
        for n in range(1, 6):
            await hub.publish("round:1", "sheet", n)  # never waits for the slow subscriber
            message = await next_message(fast)
            assert message is not None
            fast_seqs.append(message.seq)
        slow_seqs = []
        for _ in range(3):
            message = await next_message(slow)
            assert message is not None
            slow_seqs.append(message.seq)
    assert fast_seqs == [1, 2, 3, 4, 5]
    assert fast.dropped == 0
    assert slow_seqs == [3, 4, 5]  # the gap 1..2 tells the client to resync
    assert slow.dropped == 2


async def test_unserialisable_data_fails_without_using_a_seq() -> None:
    hub = MemoryHub()
    with pytest.raises(TypeError, match="not JSON serializable"):
        await hub.publish("round:1", "bad", {"when": object()})
    assert await hub.current_seq("round:1") == 0
    assert await hub.publish("round:1", "good", 1) == Message("round:1", 1, "good", 1)


async def test_stop_ends_every_subscription() -> None:
    hub = MemoryHub()
    received: list[int] = []

    async def listen() -> None:
        async with hub.subscribe("round:1") as subscription:
            async for message in subscription:
                received.append(message.seq)

    listener = asyncio.create_task(listen())
    while hub.subscribers("round:1") == 0:
        await asyncio.sleep(0)
    await hub.publish("round:1", "sheet", 1)
    await hub.publish("round:1", "sheet", 2)
    await hub.stop()
    async with asyncio.timeout(1):
        await listener
    assert received == [1, 2]
    assert hub.subscribers("round:1") == 0


def test_queue_size_must_be_positive() -> None:
    with pytest.raises(ValueError, match="at least 1, got 0"):
        Subscription("round:1", 0)


@pytest.mark.parametrize("url", ["memory", "memory://"])
def test_make_hub_memory(url: str) -> None:
    hub = make_hub(url)
    assert isinstance(hub, MemoryHub)
    assert hub.url == url


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("postgres://arena:secret@db/arena", "'postgres'"),
        ("redis", "'redis'"),
        ("", "''"),
        ("Memory", "'Memory'"),
    ],
)
def test_make_hub_refuses_unknown_backends(url: str, shown: str) -> None:
    with pytest.raises(ValueError) as excinfo:
        make_hub(url)
    assert str(excinfo.value) == (
        f"live.backend: unsupported hub backend {shown}; "
        "use 'memory', 'redis://host:port/db' or 'rediss://host:port/db'"
    )
