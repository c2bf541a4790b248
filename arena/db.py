"""Open the database: apply migrations, then initialise Tortoise. Never generate_schemas."""

from __future__ import annotations

from typing import Any

from tortoise import Tortoise
from tortoise.migrations.api import migrate

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
