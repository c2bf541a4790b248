"""Backup files: their names (time and audit head), the JSON sidecar, keeping the newest K."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

PREFIX = "arena-"
SUFFIXES = (".sqlite3", ".pgdump")


@dataclass(frozen=True)
class Snapshot:
    """One backup written: the file, the audit chain it ends at, what it holds."""

    path: Path
    database: str  # "sqlite" or "postgresql"
    created_at: str  # UTC, ISO 8601
    events: int  # audit events in the chain
    head: str  # hash of the last audit event
    counts: dict[str, int] = field(default_factory=dict)
    sha256: str = ""
    bytes: int = 0

    @property
    def sidecar(self) -> Path:
        """The JSON file written beside the backup."""
        return sidecar_of(self.path)

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["path"] = self.path.name
        return data


def sidecar_of(path: Path) -> Path:
    """`arena-….sqlite3` → `arena-….json`."""
    return path.with_suffix(".json")


def backup_name(now: dt.datetime, head: str, suffix: str) -> str:
    """`arena-20251116-143005-3f2a9c1b7d4e.sqlite3`: local time of the laptop, then the head."""
    return f"{PREFIX}{now.strftime('%Y%m%d-%H%M%S')}-{head[:12]}{suffix}"


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def write_sidecar(snapshot: Snapshot) -> None:
    """Write the sidecar next to the backup (the last step: a backup without one is partial)."""
    text = json.dumps(snapshot.to_json(), ensure_ascii=False, indent=2)
    tmp = snapshot.sidecar.with_suffix(".json.part")
    tmp.write_text(text + "\n", encoding="utf-8")
    tmp.replace(snapshot.sidecar)


def finish_snapshot(
    path: Path,
    database: str,
    now: dt.datetime,
    events: int,
    head: str,
    counts: dict[str, int],
) -> Snapshot:
    """Describe the backup file now in place, write its sidecar (the last step), return it."""
    snap = Snapshot(
        path=path,
        database=database,
        created_at=now.astimezone(dt.UTC).isoformat(timespec="seconds"),
        events=events,
        head=head,
        counts=counts,
        sha256=file_sha256(path),
        bytes=path.stat().st_size,
    )
    write_sidecar(snap)
    return snap


def read_sidecar(path: Path) -> dict[str, Any] | None:
    """The sidecar of a backup file, or None when there is none (or it cannot be read)."""
    try:
        data = json.loads(sidecar_of(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def backups_in(folder: Path) -> list[Path]:
    """The complete backups in a folder (with their sidecar), oldest first."""
    if not folder.is_dir():
        return []
    found = [
        p
        for p in folder.iterdir()
        if p.name.startswith(PREFIX) and p.suffix in SUFFIXES and sidecar_of(p).exists()
    ]
    return sorted(found, key=lambda p: p.name)


def prune(folder: Path, keep: int) -> list[Path]:
    """Delete all but the newest `keep` backups of the folder; the files removed."""
    removed: list[Path] = []
    backups = backups_in(folder)
    for path in backups[: max(0, len(backups) - max(keep, 1))]:
        for victim in (path, sidecar_of(path)):
            victim.unlink(missing_ok=True)
        removed.append(path)
    return removed
