"""SQLite snapshots through SQLite's online backup API, and restores the same way.

The backup API copies the database as one read transaction sees it, so a snapshot taken while
the server writes is consistent: it ends exactly at some commit, with that commit's audit head.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import sqlite3
from pathlib import Path

from arena.backup.files import Snapshot, backup_name, finish_snapshot

GENESIS = "0" * 64
COUNTS = {
    "rounds": "SELECT COUNT(*) FROM round",
    "sheets": "SELECT COUNT(*) FROM sheet WHERE current = 1",
    "sheet_versions": "SELECT COUNT(*) FROM sheet",
    "deductions": "SELECT COUNT(*) FROM deduction",
    "contest_scores": "SELECT COUNT(*) FROM contestscore",
    "boards": "SELECT COUNT(*) FROM board",
}


class BackupError(Exception):
    """A backup or restore that cannot be done; the message says why, in Chinese."""


def sqlite_path(db_url: str) -> Path:
    """The file of a `sqlite://PATH?pragmas` URL."""
    path = db_url.removeprefix("sqlite://").split("?", 1)[0]
    if not path or path == ":memory:":
        raise BackupError("内存数据库无法备份")
    return Path(path)


def head_of(conn: sqlite3.Connection) -> tuple[int, str]:
    """(events, head hash) of the audit chain in this database."""
    try:
        row = conn.execute("SELECT last_id, last_hash FROM audithead WHERE id = 1").fetchone()
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"不是 Arena 的数据库（{exc}）") from None
    return (int(row[0]), str(row[1])) if row else (0, GENESIS)


def counts_of(conn: sqlite3.Connection) -> dict[str, int]:
    out: dict[str, int] = {}
    for name, sql in COUNTS.items():
        try:
            out[name] = int(conn.execute(sql).fetchone()[0])
        except sqlite3.DatabaseError:
            continue  # a table an older schema does not have
    return out


def _sync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def snapshot(source: Path, folder: Path, now: dt.datetime | None = None) -> Snapshot:
    """Copy the live database into `folder` as one self-contained file, with its sidecar."""
    if not source.exists():
        raise BackupError(f"找不到数据库文件 {source}")
    folder.mkdir(parents=True, exist_ok=True)
    now = now or dt.datetime.now().astimezone()
    part = folder / f".arena-backup-{os.getpid()}.part"
    part.unlink(missing_ok=True)
    src = sqlite3.connect(source, timeout=30)
    try:
        dst = sqlite3.connect(part)
        try:
            src.backup(dst)  # every page in one step: one consistent read transaction
            dst.execute("PRAGMA journal_mode=DELETE")  # one file, no -wal beside it on the stick
            check = dst.execute("PRAGMA quick_check").fetchone()[0]
            if check != "ok":
                raise BackupError(f"备份副本自检未通过：{check}")
            events, head = head_of(dst)
            counts = counts_of(dst)
        finally:
            dst.close()
    except BaseException:
        part.unlink(missing_ok=True)
        raise
    finally:
        src.close()
    _sync(part)
    path = folder / backup_name(now, head, ".sqlite3")
    part.replace(path)
    _sync(folder)
    return finish_snapshot(path, "sqlite", now, events, head, counts)


def check_backup(path: Path) -> tuple[int, str]:
    """Open a backup file read-only and check it; its (events, head)."""
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise BackupError(f"无法打开备份文件 {path}：{exc}") from None
    try:
        try:
            check = conn.execute("PRAGMA quick_check").fetchone()[0]
        except sqlite3.DatabaseError as exc:
            raise BackupError(f"{path} 不是 SQLite 数据库：{exc}") from None
        if check != "ok":
            raise BackupError(f"备份文件已损坏：{check}")
        return head_of(conn)
    finally:
        conn.close()


def restore(backup: Path, target: Path, now: dt.datetime | None = None) -> Path | None:
    """Make `target` a copy of `backup`; the folder the replaced files were moved to (if any).

    The database being replaced is kept whole (with its -wal and -shm files, so nothing of it is
    lost) in `before-restore-<time>/` beside it, then the backup is copied in through the backup
    API, so no stale write-ahead log can be replayed over the restored pages.
    """
    check_backup(backup)
    now = now or dt.datetime.now().astimezone()
    target.parent.mkdir(parents=True, exist_ok=True)
    olds = [p for p in (target, *(target.with_name(target.name + s) for s in ("-wal", "-shm")))]
    saved: Path | None = None
    if any(p.exists() for p in olds):
        saved = target.parent / f"before-restore-{now.strftime('%Y%m%d-%H%M%S')}"
        saved.mkdir(exist_ok=True)
        for p in olds:
            if p.exists():
                shutil.move(str(p), saved / p.name)
    src = sqlite3.connect(f"file:{backup}?mode=ro", uri=True)
    try:
        dst = sqlite3.connect(target)
        try:
            src.backup(dst)
            dst.execute("PRAGMA journal_mode=WAL")
        finally:
            dst.close()
    finally:
        src.close()
    _sync(target)
    return saved
