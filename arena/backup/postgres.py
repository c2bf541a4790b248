"""PostgreSQL snapshots with pg_dump (custom format) and restores with pg_restore."""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import shutil
import subprocess
from pathlib import Path

from arena.backup.files import Snapshot, backup_name, finish_snapshot
from arena.backup.sqlite import COUNTS, GENESIS, BackupError

TRIES = 5


def libpq_url(db_url: str) -> str:
    """The URL as libpq reads it (Tortoise's query options dropped)."""
    return db_url.split("?", 1)[0]


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(
            f"没有找到 {name}：PostgreSQL 的备份与恢复需要它。"
            "请安装 PostgreSQL 客户端（Debian/Ubuntu：apt install postgresql-client），"
            "版本不低于数据库服务器的版本。"
        )
    return found


async def _head_and_counts(url: str) -> tuple[int, str, dict[str, int]]:
    import asyncpg

    conn = await asyncpg.connect(url.replace("postgres://", "postgresql://", 1))
    try:
        row = await conn.fetchrow("SELECT last_id, last_hash FROM audithead WHERE id = 1")
        counts: dict[str, int] = {}
        for name, sql in COUNTS.items():
            try:
                counts[name] = int(await conn.fetchval(sql.replace("current = 1", "current")))
            except asyncpg.PostgresError:
                continue
    finally:
        await conn.close()
    events, head = (int(row[0]), str(row[1])) if row else (0, GENESIS)
    return events, head, counts


def _run(args: list[str], what: str) -> None:
    done = subprocess.run(args, capture_output=True, text=True, env={**os.environ})
    if done.returncode != 0:
        raise BackupError(f"{what}失败：{done.stderr.strip() or done.stdout.strip()}")


def snapshot(db_url: str, folder: Path, now: dt.datetime | None = None) -> Snapshot:
    """pg_dump the database into `folder`; the audit head read before and after must agree."""
    pg_dump = _tool("pg_dump")
    url = libpq_url(db_url)
    folder.mkdir(parents=True, exist_ok=True)
    now = now or dt.datetime.now().astimezone()
    part = folder / f".arena-backup-{os.getpid()}.part"
    for _ in range(TRIES):
        before = asyncio.run(_head_and_counts(url))
        _run([pg_dump, "--format=custom", "--no-owner", f"--file={part}", url], "pg_dump ")
        after = asyncio.run(_head_and_counts(url))
        # Every score-changing write appends to the chain: an unchanged head means the dump's
        # snapshot holds exactly the chain up to it.
        if before[:2] == after[:2]:
            break
    else:
        part.unlink(missing_ok=True)
        raise BackupError("备份期间评分一直在写入，未能取得与审计链头一致的备份，请稍后重试")
    events, head, counts = after
    path = folder / backup_name(now, head, ".pgdump")
    part.replace(path)
    return finish_snapshot(path, "postgresql", now, events, head, counts)


def restore(backup: Path, db_url: str) -> None:
    """Replace the database's contents with the dump's (one transaction: all or nothing)."""
    pg_restore = _tool("pg_restore")
    args = [pg_restore, "--clean", "--if-exists", "--no-owner", "--single-transaction"]
    _run([*args, f"--dbname={libpq_url(db_url)}", str(backup)], "pg_restore ")
