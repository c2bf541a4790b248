"""What a test does when a server it needs does not answer: skip saying why, or fail under CI.

Under `CI=true` (`.ci/run`) a missing PostgreSQL or Redis is a broken run, not a reason to skip:
the tests that need it fail, naming the service. Elsewhere they skip with the same message, and
`pytest -rs` prints it.
"""

from __future__ import annotations

import os
from typing import NoReturn

import pytest

DEFAULT_PG_URL = "postgres://postgres@127.0.0.1:5432/postgres"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/15"
SERVICE_MARKERS = ("postgres", "redis")


def in_ci() -> bool:
    """True when the run is CI's (`CI=true`), where every service must be there."""
    return os.environ.get("CI", "").lower() == "true"


def unavailable(service: str, url: str, error: object, variable: str) -> NoReturn:
    """Skip (or, under CI, fail) the test because `service` does not answer at `url`."""
    message = f"no {service} at {url} (set {variable}): {error}"
    if in_ci():
        pytest.fail(f"CI=true needs {service}: {message}", pytrace=False)
    pytest.skip(message)


def postgres_url() -> str:
    """The PostgreSQL server tests that need one use (ARENA_TEST_DB_URL or the local one)."""
    return os.environ.get("ARENA_TEST_DB_URL") or DEFAULT_PG_URL


async def require_postgres() -> str:
    """The PostgreSQL URL, after checking it answers; skip or fail (CI) when it does not."""
    import asyncpg

    url = postgres_url()
    try:
        conn = await asyncpg.connect(url.replace("postgres://", "postgresql://", 1), timeout=3)
        await conn.close()
    except (OSError, asyncpg.PostgresError) as exc:
        unavailable("PostgreSQL", url, exc, "ARENA_TEST_DB_URL")
    return url


async def require_redis() -> str:
    """The Redis URL, after checking it answers; skip or fail (CI) when it does not."""
    from redis.asyncio import Redis
    from redis.asyncio.retry import Retry
    from redis.backoff import NoBackoff
    from redis.exceptions import RedisError

    url = os.environ.get("ARENA_TEST_REDIS_URL", DEFAULT_REDIS_URL)
    client = Redis.from_url(url, socket_connect_timeout=2, retry=Retry(NoBackoff(), 0))
    try:
        await client.ping()
    except (RedisError, OSError) as exc:
        unavailable("Redis", url, exc, "ARENA_TEST_REDIS_URL")
    finally:
        await client.aclose()
    return url
