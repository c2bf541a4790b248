"""Fixtures for the live layer: a Redis server when one is reachable."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator

import pytest
from redis.asyncio import Redis

from tests.services import require_redis


@pytest.fixture
async def redis_url() -> str:
    """The test Redis URL (ARENA_TEST_REDIS_URL); skip if nothing answers there (fail under CI)."""
    return await require_redis()


@pytest.fixture
async def redis_client(redis_url: str) -> AsyncIterator[Redis]:
    """A plain client on the test database, to look at what the hubs did."""
    client = Redis.from_url(redis_url, decode_responses=True)
    yield client
    await client.aclose()


@pytest.fixture
async def redis_prefix(redis_client: Redis) -> AsyncIterator[str]:
    """A key and pub/sub prefix of this test alone; its keys are deleted afterwards."""
    prefix = f"arena-test:{uuid.uuid4().hex}:"
    yield prefix
    keys = [key async for key in redis_client.scan_iter(match=f"{prefix}*")]
    if keys:
        await redis_client.delete(*keys)
