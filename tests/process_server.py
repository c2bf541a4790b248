"""An Arena server in a process of its own (`arena serve`), to kill and restart as a power cut.

The in-process `server` fixture cannot be killed mid-write; this one can: SIGKILL, then the
database is restored from a copy and the server started again on the same port and data folder.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from tests.conftest import free_port

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class ArenaProcess:
    """`arena serve` on 127.0.0.1 with its own data folder; `cli` runs other commands on it."""

    data_dir: Path
    db_url: str = ""  # "" = SQLite in data_dir
    port: int = field(default_factory=free_port)
    extra_env: dict[str, str] = field(default_factory=dict)
    proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def database(self) -> Path:
        return self.data_dir / "arena.sqlite3"

    def env(self) -> dict[str, str]:
        keep = {k: v for k, v in os.environ.items() if not k.startswith("ARENA_")}
        return {
            **keep,
            "ARENA_DATA_DIR": str(self.data_dir),
            "ARENA_DB_URL": self.db_url,
            "ARENA_HOST": "127.0.0.1",
            "ARENA_PORT": str(self.port),
            "ARENA_BASE_URL": self.url,
            "ARENA_LIVE_HEARTBEAT_SECONDS": "2",
            "ARENA_AUTH_TOKEN_CACHE_SECONDS": "0",
            "ARENA_BACKUP_EVERY_MINUTES": "0",
            **self.extra_env,
        }

    def cli(self, *args: str) -> subprocess.CompletedProcess[str]:
        """Run `arena ARGS` against this server's data folder and port."""
        return subprocess.run(
            [sys.executable, "-m", "arena.cli", *args],
            env=self.env(),
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=120,
        )

    def start(self, timeout: float = 60) -> None:
        """Start `arena serve` and wait until it answers."""
        path = self.data_dir.parent / f"serve-{self.port}.log"
        log = path.open("ab")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "arena.cli", "serve"],
            env=self.env(),
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                tail = path.read_text("utf-8", errors="replace")[-3000:]
                raise RuntimeError(f"arena serve exited with {self.proc.returncode}:\n{tail}")
            try:
                if httpx.get(f"{self.url}/judge", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        raise RuntimeError("arena serve did not answer in time")

    def kill(self) -> None:
        """SIGKILL, as a power cut stops a server: no shutdown, no goodbye to the sockets."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(10)
        self.proc = None
