"""Open the database: apply migrations, then initialise Tortoise. Never generate_schemas."""

from __future__ import annotations

from typing import Any

from tortoise import Tortoise
from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.migrations.api import migrate
from tortoise.models import Model

MODELS = ["arena.models"]
MIGRATIONS = "arena.migrations"


def tortoise_config(db_url: str) -> dict[str, Any]:
    """The Tortoise configuration for one database URL."""
    return {
        "connections": {"default": db_url},
        "apps": {
            "models": {
                "models": MODELS,
                "migrations": MIGRATIONS,
                "default_connection": "default",
            }
        },
        "use_tz": True,
        "timezone": "UTC",
    }


async def open_database(db_url: str) -> None:
    """Bring the schema up to date, then connect."""
    config = tortoise_config(db_url)
    await migrate(config=config)
    await Tortoise.close_connections()
    # One database per process: requests and the lifespan run in different tasks.
    await Tortoise.init(config=config, _enable_global_fallback=True)


async def close_database() -> None:
    """Close every connection."""
    await Tortoise.close_connections()


async def plain_rows(
    model: type[Model], sql: str, *values: Any, conn: BaseDBAsyncClient | None = None
) -> list[tuple[Any, ...]]:
    """Run one fixed statement on a model's connection, skipping the query builder; its rows.

    For the few statements on every hot request (an UPDATE gives rows with RETURNING). Write
    `{table}` for the model's table and `{0}`, `{1}`, ... for the parameters; they become `?` or
    `$1` as the database wants, and `{lock}` where PostgreSQL should lock the rows read
    (SQLite's writer lock already does).
    Give `conn` to run inside a transaction.
    """
    conn = conn or model._meta.db
    postgres = conn.capabilities.dialect == "postgres"
    if postgres:
        marks = [f"${n}" for n in range(1, len(values) + 1)]
    else:
        marks = ["?"] * len(values)
    lock = " FOR UPDATE" if postgres else ""
    text = sql.format(*marks, table=f'"{model._meta.db_table}"', lock=lock)
    # execute_query_dict fetches on every backend (execute_query drops RETURNING rows on asyncpg).
    return [tuple(row.values()) for row in await conn.execute_query_dict(text, list(values))]
