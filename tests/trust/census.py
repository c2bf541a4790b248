"""Count every table of a database from outside the server (SQLite file or PostgreSQL), on one
connection kept open: what a rejected request must leave unchanged."""

from __future__ import annotations

import asyncio
import sqlite3
from typing import Any

from tests.trust.database import Database

SKIP = {"session", "tortoise_migrations", "aerich", "sqlite_sequence"}


class Census:
    """Row counts of every table, and the audit head, read on demand."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.loop: asyncio.AbstractEventLoop | None = None
        self.conn: Any = None
        if db.url:
            import asyncpg

            self.loop = asyncio.new_event_loop()
            url = db.url.replace("postgres://", "postgresql://", 1)
            self.conn = self.loop.run_until_complete(asyncpg.connect(url))
            names = self._fetch(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'"
            )
        else:
            self.conn = sqlite3.connect(db.sqlite_path)
            names = self._fetch("SELECT name FROM sqlite_master WHERE type = 'table'")
        self.tables = sorted(n for (n,) in names if n not in SKIP)

    def _fetch(self, sql: str) -> list[tuple[Any, ...]]:
        if self.loop is not None:
            return [tuple(r) for r in self.loop.run_until_complete(self.conn.fetch(sql))]
        rows = self.conn.execute(sql).fetchall()
        self.conn.commit()  # end the read transaction: the next read sees new commits
        return rows  # type: ignore[no-any-return]

    def take(self) -> tuple[tuple[str, int], ...]:
        """(table, rows) for every table, then the audit head."""
        counts = " UNION ALL ".join(
            f"SELECT '{t}', COUNT(*) FROM \"{t}\"" for t in self.tables
        )  # fmt: skip
        rows = self._fetch(counts)
        head = self._fetch("SELECT last_id, last_hash FROM audithead")
        return (*((str(t), int(n)) for t, n in rows), ("head", hash(tuple(head))))

    def close(self) -> None:
        if self.loop is not None:
            self.loop.run_until_complete(self.conn.close())
            self.loop.close()
        else:
            self.conn.close()
