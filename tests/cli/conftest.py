"""The command line's database: a SQLite file in the test's directory, or, in the PostgreSQL pass
(ARENA_TEST_DB_URL set), a fresh PostgreSQL database of its own."""

from __future__ import annotations

import asyncio
import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import _drop_postgres, _postgres_database


@dataclass
class CliDatabase:
    """Where `arena` commands of one test keep their data, and a way to look inside."""

    data_dir: Path
    url: str  # "" for the embedded SQLite file in data_dir

    @property
    def postgres(self) -> bool:
        return self.url.startswith("postgres")

    def env(self, **extra: str) -> dict[str, str]:
        return {
            **os.environ,
            "ARENA_DATA_DIR": str(self.data_dir),
            "ARENA_DB_URL": self.url,
            **extra,
        }

    def run(self, *args: str, **extra_env: str) -> subprocess.CompletedProcess[str]:
        """Run the console script against this database."""
        return subprocess.run(
            [sys.executable, "-m", "arena.cli", *args],
            env=self.env(**extra_env),
            cwd=self.data_dir,
            capture_output=True,
            text=True,
            timeout=300,
        )

    def sql(self, statement: str, *params: Any) -> list[tuple[Any, ...]]:
        """Run one statement (`?` placeholders) and return its rows."""
        if not self.postgres:
            with sqlite3.connect(self.data_dir / "arena.sqlite3") as db:
                return [tuple(r) for r in db.execute(statement, params).fetchall()]
        return asyncio.run(_pg(self.url, statement, params))


async def _pg(url: str, statement: str, params: tuple[Any, ...]) -> list[tuple[Any, ...]]:
    import asyncpg

    parts = statement.split("?")
    text = parts[0] + "".join(f"${n}{part}" for n, part in enumerate(parts[1:], 1))
    conn = await asyncpg.connect(url.replace("postgres://", "postgresql://", 1))
    try:
        if text.lstrip().lower().startswith("select"):
            return [tuple(r) for r in await conn.fetch(text, *params)]
        await conn.execute(text, *params)
        return []
    finally:
        await conn.close()


def _database(tmp: Path) -> Iterator[CliDatabase]:
    server = os.environ.get("ARENA_TEST_DB_URL", "")
    if not server:
        yield CliDatabase(tmp, "")
        return
    url, name = asyncio.run(_postgres_database(server))
    try:
        yield CliDatabase(tmp, url)
    finally:
        asyncio.run(_drop_postgres(server, name))


@pytest.fixture
def cli_db(tmp_path: Path) -> Iterator[CliDatabase]:
    """A new, empty database for `arena` commands (SQLite, or PostgreSQL in that pass)."""
    yield from _database(tmp_path)


@pytest.fixture(scope="module")
def module_cli_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[CliDatabase]:
    """The same, shared by the tests of one module."""
    yield from _database(tmp_path_factory.mktemp("cli"))
