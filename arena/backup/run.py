"""What `arena backup`, `arena restore` and the server's automatic backups do."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import logging
import socket
from pathlib import Path
from typing import Any

from arena.backup import postgres, sqlite
from arena.backup.files import Snapshot, prune
from arena.backup.sqlite import BackupError
from arena.settings import Settings

log = logging.getLogger("arena.backup")


def is_postgres(settings: Settings) -> bool:
    return settings.database_url.startswith(("postgres://", "postgresql://"))


def default_folder(settings: Settings) -> Path:
    """Where backups go without --to: the configured [backup] dir, else data_dir/backups."""
    return Path(settings.backup.dir) if settings.backup.dir else settings.data_dir / "backups"


def backup(settings: Settings, folder: Path | None = None) -> Snapshot:
    """Write one consistent snapshot (with its audit head and sidecar) into the folder."""
    folder = folder or default_folder(settings)
    if is_postgres(settings):
        return postgres.snapshot(settings.database_url, folder)
    return sqlite.snapshot(sqlite.sqlite_path(settings.database_url), folder)


def server_answers(settings: Settings) -> bool:
    """True when something listens on the configured host and port (a running Arena)."""
    host = "127.0.0.1" if settings.host in ("0.0.0.0", "") else settings.host
    try:
        with socket.create_connection((host, settings.port), timeout=0.5):
            return True
    except OSError:
        return False


def restore(settings: Settings, file: Path) -> Path | None:
    """Bring a backup back as the database; the folder the replaced SQLite files went to."""
    if not file.is_file():
        raise BackupError(f"找不到备份文件 {file}")
    if is_postgres(settings):
        if file.suffix != ".pgdump":
            raise BackupError("数据库是 PostgreSQL：请选择 .pgdump 备份文件")
        postgres.restore(file, settings.database_url)
        return None
    if file.suffix != ".sqlite3":
        raise BackupError("数据库是 SQLite：请选择 .sqlite3 备份文件")
    return sqlite.restore(file, sqlite.sqlite_path(settings.database_url))


async def auto_backups(settings: Settings) -> None:
    """Every `every_minutes`, a snapshot into the [backup] dir, keeping the newest `keep`.

    Runs for the server's lifetime; a failed backup (the USB stick pulled out) is logged and
    tried again next time, never stopping the server.
    """
    folder = Path(settings.backup.dir)
    period = settings.backup.every_minutes * 60
    while True:
        await asyncio.sleep(period)
        try:
            snap = await asyncio.to_thread(backup, settings, folder)
            removed = await asyncio.to_thread(prune, folder, settings.backup.keep)
            write_status(settings, {"ok": True, "file": str(snap.path), "head": snap.head})
            log.info(
                "backup %s (audit head %s), %d old removed", snap.path, snap.head, len(removed)
            )
        except (BackupError, OSError) as exc:
            log.error("automatic backup to %s failed: %s", folder, exc)
            write_status(settings, {"ok": False, "folder": str(folder), "error": str(exc)})


STATUS_FILE = "backup-status.json"


def write_status(settings: Settings, status: dict[str, Any]) -> None:
    """Record the last automatic backup's outcome (every process of the server reads it)."""
    status = {"at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), **status}
    try:
        path = settings.data_dir / STATUS_FILE
        tmp = path.with_suffix(".part")
        tmp.write_text(json.dumps(status, ensure_ascii=False), encoding="utf-8")
        tmp.replace(path)
    except OSError as exc:
        log.error("cannot record the backup status: %s", exc)


def backup_status(settings: Settings) -> dict[str, Any]:
    """What the organiser's pages say about automatic backups: off, the last one, or a failure."""
    if not auto_enabled(settings):
        return {"enabled": False}
    out: dict[str, Any] = {
        "enabled": True,
        "dir": settings.backup.dir,
        "every_minutes": settings.backup.every_minutes,
    }
    try:
        last = json.loads((settings.data_dir / STATUS_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return out
    return {**out, "last": last} if isinstance(last, dict) else out


def auto_enabled(settings: Settings) -> bool:
    """Automatic backups are on when a folder and a period are configured."""
    return bool(settings.backup.dir) and settings.backup.every_minutes > 0
