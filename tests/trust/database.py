"""A throwaway Arena database for the trust battery: SQLite in a directory, or a PostgreSQL
database of its own when ARENA_TEST_DB_URL is set, and raw SQL on it as an intruder would use."""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
import sys
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
PG_URL = os.environ.get("ARENA_TEST_DB_URL", "")


def _admin(url: str) -> str:
    return (url.rsplit("/", 1)[0] + "/postgres").replace("postgres://", "postgresql://", 1)


@dataclass
class Database:
    """One database: `url` for Arena ("" = SQLite in `data_dir`), raw SQL for the intruder."""

    data_dir: Path
    url: str = ""
    pg_name: str = ""

    @property
    def sqlite_path(self) -> Path:
        return self.data_dir / "arena.sqlite3"

    def env(self) -> dict[str, str]:
        """The environment that points the `arena` command (or a server) at this database."""
        return {
            **os.environ,
            "ARENA_DATA_DIR": str(self.data_dir),
            "ARENA_DB_URL": self.url,
            "ARENA_SECRET_KEY": "trust-battery-key",
            "PYTHONPATH": str(REPO),
        }

    def arena(self, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
        """Run the console script on this database."""
        return subprocess.run(
            [sys.executable, "-m", "arena.cli", *args],
            env=self.env(),
            cwd=self.data_dir,
            capture_output=True,
            text=True,
            timeout=timeout,
        )

    def python(self, module: str) -> None:
        """Run a helper module of the tests on this database."""
        done = subprocess.run(
            [sys.executable, "-m", module], env=self.env(), cwd=REPO, capture_output=True,
            text=True, timeout=120,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr

    async def sql(self, statement: str, *args: Any) -> list[tuple[Any, ...]]:
        """Run one statement written with `?` placeholders (`?j` for a JSON value)."""
        if not self.url:
            db = sqlite3.connect(self.sqlite_path)
            try:
                rows = db.execute(statement.replace("?j", "?"), args).fetchall()
                db.commit()
                return rows
            finally:
                db.close()
        import asyncpg

        n = 0

        def mark(match: re.Match[str]) -> str:
            nonlocal n
            n += 1
            return f"${n}::jsonb" if match.group(0) == "?j" else f"${n}"

        conn = await asyncpg.connect(self.url.replace("postgres://", "postgresql://", 1))
        try:
            return [tuple(r) for r in await conn.fetch(re.sub(r"\?j?", mark, statement), *args)]
        finally:
            await conn.close()

    async def copy(self, into: Path) -> Database:
        """A copy of this database (file copy, or CREATE DATABASE … TEMPLATE)."""
        into.mkdir(parents=True, exist_ok=True)
        if not self.url:
            shutil.copy(self.sqlite_path, into / "arena.sqlite3")
            return Database(into)
        import asyncpg

        name = f"arena_trust_{uuid.uuid4().hex[:10]}"
        conn = await asyncpg.connect(_admin(self.url))
        try:
            await conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{self.pg_name}"')
        finally:
            await conn.close()
        return Database(into, self.url.rsplit("/", 1)[0] + "/" + name, name)

    async def drop(self) -> None:
        """Drop a PostgreSQL database made for a test (SQLite files go with the tmp dir)."""
        if not self.pg_name:
            return
        import asyncpg

        conn = await asyncpg.connect(_admin(self.url))
        try:
            await conn.execute(f'DROP DATABASE IF EXISTS "{self.pg_name}" WITH (FORCE)')
        finally:
            await conn.close()


async def new_database(data_dir: Path, postgres: bool) -> Database:
    """An empty database: SQLite in `data_dir`, or a new PostgreSQL database."""
    data_dir.mkdir(parents=True, exist_ok=True)
    if not postgres:
        return Database(data_dir)
    import asyncpg

    name = f"arena_trust_{uuid.uuid4().hex[:10]}"
    conn = await asyncpg.connect(_admin(PG_URL))
    try:
        await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()
    return Database(data_dir, PG_URL.rsplit("/", 1)[0] + "/" + name, name)


# The database of this pass: scripts/test runs the suite on SQLite, then again with
# ARENA_TEST_DB_URL on PostgreSQL; the battery's own databases follow the pass.
BACKENDS = ["postgres"] if PG_URL else ["sqlite"]
