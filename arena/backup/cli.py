"""`arena backup [--to DIR]` and `arena restore FILE [--force]`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from arena.settings import Settings


def add_commands(sub: Any) -> None:
    """Add `arena backup` and `arena restore` to the command line's subcommands."""
    p = sub.add_parser("backup", help="write a consistent snapshot of the database")
    p.add_argument("--to", type=Path, help="folder (default: [backup] dir, else data/backups)")
    p.add_argument("--db")
    p.set_defaults(func=cmd_backup)
    p = sub.add_parser("restore", help="bring a backup back, then verify the audit chain")
    p.add_argument("file", type=Path)
    p.add_argument("--force", action="store_true", help="even though a server seems to be running")
    p.add_argument("--db")
    p.set_defaults(func=cmd_restore)


def cmd_backup(settings: Settings, args: argparse.Namespace) -> int:
    from arena.backup.run import backup
    from arena.backup.sqlite import BackupError

    try:
        snap = backup(settings, args.to)
    except BackupError as exc:
        print(f"备份失败：{exc}", file=sys.stderr)
        return 2
    counts = "，".join(f"{k} {v}" for k, v in snap.counts.items())
    print(f"已备份：{snap.path}")
    print(f"审计链头：{snap.head}（{snap.events} 条记录）")
    print(f"内容：{counts}")
    print(f"说明文件：{snap.sidecar}")
    return 0


def cmd_restore(settings: Settings, args: argparse.Namespace) -> int:
    from arena.backup.files import read_sidecar
    from arena.backup.run import restore, server_answers
    from arena.backup.sqlite import BackupError
    from arena.cli import cmd_audit_verify

    if server_answers(settings) and not args.force:
        print(
            f"{settings.host}:{settings.port} 上有服务器在运行。请先停止 arena serve 再恢复"
            "（运行中的服务器仍会用旧数据）；确要继续请加 --force。",
            file=sys.stderr,
        )
        return 2
    side = read_sidecar(args.file)
    try:
        saved = restore(settings, args.file)
    except BackupError as exc:
        print(f"恢复失败：{exc}", file=sys.stderr)
        return 2
    print(f"已从 {args.file} 恢复数据库。")
    if saved is not None:
        print(f"原来的数据库文件已移到 {saved}（未删除）。")
    if side is None:
        print("（没有找到备份的说明文件，无法与备份时记下的审计链头核对。）")
    code = int(cmd_audit_verify(settings, argparse.Namespace(db=None, head=None)) or 0)
    head = _head(settings)
    print(f"恢复后的审计链头：{head[1]}（{head[0]} 条记录）")
    if side is not None and side.get("head") != head[1]:
        print(f"注意：与备份说明文件记下的链头 {side.get('head')} 不一致。", file=sys.stderr)
        return 1
    return code


def _head(settings: Settings) -> tuple[int, str]:
    import asyncio

    from arena.db import close_database, open_database
    from arena.models import AuditHead

    async def read() -> tuple[int, str]:
        await open_database(settings.database_url)
        try:
            row = await AuditHead.get_or_none(id=1)
            return (row.last_id, row.last_hash) if row else (0, "0" * 64)
        finally:
            await close_database()

    return asyncio.run(read())
