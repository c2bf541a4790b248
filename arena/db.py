"""Open the database: apply migrations, then initialise Tortoise. Never generate_schemas."""

from __future__ import annotations

from typing import Any

from tortoise import Tortoise
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


async def plain_rows(model: type[Model], sql: str, *values: Any) -> list[tuple[Any, ...]]:
    """Run one fixed SELECT on a model's connection, skipping the query builder.

    For the few lookups made on every hot request. Write `{table}` for the model's table and
    `{0}`, `{1}`, ... for the parameters; they become `?` or `$1` as the database wants.
    """
    conn = model._meta.db
    if conn.capabilities.dialect == "postgres":
        marks = [f"${n}" for n in range(1, len(values) + 1)]
    else:
        marks = ["?"] * len(values)
    text = sql.format(*marks, table=f'"{model._meta.db_table}"')
    _, rows = await conn.execute_query(text, list(values))
    return [tuple(row) if not isinstance(row, dict) else tuple(row.values()) for row in rows]
