"""Fixtures for the live layer: a Redis server when one is reachable."""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator

import pytest
from redis.asyncio import Redis
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff
from redis.exceptions import RedisError

DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/15"


@pytest.fixture
async def redis_url() -> str:
    """The test Redis URL (ARENA_TEST_REDIS_URL); skip the test if nothing answers there."""
    url = os.environ.get("ARENA_TEST_REDIS_URL", DEFAULT_REDIS_URL)
    client = Redis.from_url(url, socket_connect_timeout=2, retry=Retry(NoBackoff(), 0))
    try:
        await client.ping()
    except (RedisError, OSError) as exc:
        pytest.skip(f"no Redis at {url} (set ARENA_TEST_REDIS_URL): {exc}")
    finally:
        await client.aclose()
    return url


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
