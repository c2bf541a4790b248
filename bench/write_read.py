"""Sheets written per second and standings read per second through the HTTP API.

A 100-village × 20-judge round; every sheet goes through POST /api/v1/rounds/{id}/sheets with
auditing and idempotency on, against a real `arena serve` process (one uvicorn worker).

    python bench/write_read.py [--db sqlite|postgres|both] [--connections 16] [--seconds 5]
                               [--synchronous full|normal|both]

`--synchronous` sets SQLite's PRAGMA synchronous (WAL mode): FULL, the default, has every commit
on disk before the 201; NORMAL may lose the last commits in a power cut.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from httpclient import Connection

VILLAGES, JUDGES = 100, 20
PG = "postgres://postgres@127.0.0.1:5432"


def definition() -> dict[str, Any]:
    """A 100-village, 20-judge round."""
    return {
        "name": "基准测试拉练",
        "campaign": f"基准-{uuid.uuid4().hex[:6]}",
        "date": "2025-09-16",
        "papers": {
            "shared": {
                "max": 40,
                "items": [
                    {"code": c, "name": n, "max": m}
                    for c, n, m in (
                        ("org", "组织建设", 10),
                        ("eco", "集体经济", 10),
                        ("build", "乡村建设", 8),
                        ("talent", "人才培养", 6),
                        ("gov", "乡村治理", 6),
                    )
                ],
            },
            "demonstration": {"max": 30},
            "deductions": {"cap": 10, "items": [{"code": "f", "name": "形式主义", "max": 5}]},
        },
        "villages": [
            {
                "code": f"V{n:03d}",
                "name": f"第{n}村",
                "township": f"第{n % 7}镇",
                "county": "基准县",
                "targets": [
                    {"code": "t1", "name": "示范一", "max": 15},
                    {"code": "t2", "name": "示范二", "max": 15},
                ],
            }
            for n in range(VILLAGES)
        ],
        "judges": [{"code": f"J{n:02d}", "name": f"评委{n}"} for n in range(JUDGES)],
    }


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def wait_up(port: int) -> None:
    for _ in range(300):
        try:
            conn = await Connection.open("127.0.0.1", port)
            conn.close()
            return
        except OSError:
            await asyncio.sleep(0.1)
    raise RuntimeError("server did not start")


def organiser_token(env: dict[str, str]) -> str:
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "arena.cli",
            "token",
            "create",
            "--role",
            "organiser",
            "--name",
            "bench",
        ],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.strip()


async def run(
    db_url: str, connections: int, seconds: float, synchronous: str = "FULL"
) -> dict[str, float]:
    tmp = tempfile.mkdtemp(prefix="arena-bench-")
    port = free_port()
    env = {
        **os.environ,
        "ARENA_DATA_DIR": tmp,
        "ARENA_DB_URL": db_url,
        "ARENA_PORT": str(port),
        "ARENA_LIVE_BACKEND": "memory",
        "ARENA_SQLITE_SYNCHRONOUS": synchronous,
        "ARENA_BACKUP_EVERY_MINUTES": "0",
    }
    token = organiser_token(env)
    server = subprocess.Popen(
        [sys.executable, "-m", "arena.cli", "serve"], env=env, stdout=subprocess.DEVNULL
    )
    try:
        await wait_up(port)
        conn = await Connection.open("127.0.0.1", port)
        import json

        status, raw = await conn.request(
            "POST", "/api/v1/rounds", {"Authorization": f"Bearer {token}"}, definition()
        )
        assert status == 201, raw
        created = json.loads(raw)
        rid = created["id"]
        judges = [j["token"] for j in created["judges"]]
        rng = random.Random(7)
        jobs = []
        for v in range(VILLAGES):
            for j, jt in enumerate(judges):
                for paper, items in (
                    ("shared", {"org": 8, "eco": 7.5, "build": 6, "talent": 5, "gov": 4.5}),
                    ("demonstration", {"t1": 12, "t2": 11}),
                ):
                    items = {k: min(v2 + rng.choice((-0.5, 0, 0.5)), 15) for k, v2 in items.items()}
                    jobs.append(
                        (
                            jt,
                            {
                                "village": f"V{v:03d}",
                                "paper": paper,
                                "items": items,
                                "idempotency_key": f"{v}-{j}-{paper}",
                            },
                        )
                    )
        queue = iter(jobs)
        pool = [await Connection.open("127.0.0.1", port) for _ in range(connections)]

        async def writer(c: Connection) -> int:
            n = 0
            for jt, body in queue:
                status, raw = await c.request(
                    "POST", f"/api/v1/rounds/{rid}/sheets", {"Authorization": f"Bearer {jt}"}, body
                )
                assert status == 201, raw
                n += 1
            return n

        start = time.perf_counter()
        written = sum(await asyncio.gather(*(writer(c) for c in pool)))
        write_time = time.perf_counter() - start

        async def reader(c: Connection, until: float) -> int:
            n = 0
            while time.perf_counter() < until:
                status, raw = await c.request(
                    "GET", f"/api/v1/rounds/{rid}/standings", {"Authorization": f"Bearer {token}"}
                )
                assert status == 200
                n += 1
            return n

        for c in pool:  # idle ones were closed by uvicorn's keep-alive timeout meanwhile
            c.close()
        pool = [await Connection.open("127.0.0.1", port) for _ in range(connections)]
        conn.close()
        conn = await Connection.open("127.0.0.1", port)
        start = time.perf_counter()
        reads = sum(await asyncio.gather(*(reader(c, start + seconds) for c in pool)))
        read_time = time.perf_counter() - start
        status, raw = await conn.request(
            "GET", f"/api/v1/rounds/{rid}/standings", {"Authorization": f"Bearer {token}"}
        )
        standings = json.loads(raw)
        assert standings["sheets_in"] == VILLAGES * JUDGES * 2 == written
        for c in [*pool, conn]:
            c.close()
        return {
            "sheets": written,
            "write_s": write_time,
            "sheets_per_s": written / write_time,
            "reads": reads,
            "reads_per_s": reads / read_time,
            "bytes": len(raw),
        }
    finally:
        server.terminate()
        server.wait(10)


def postgres_url() -> str | None:
    try:
        import asyncpg
    except ImportError:
        return None

    async def make() -> str | None:
        try:
            conn = await asyncpg.connect(PG.replace("postgres://", "postgresql://") + "/postgres")
        except OSError:
            return None
        name = f"arena_bench_{uuid.uuid4().hex[:8]}"
        await conn.execute(f'CREATE DATABASE "{name}"')
        await conn.close()
        return f"{PG}/{name}"

    return asyncio.run(make())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=5)
    parser.add_argument("--synchronous", choices=("full", "normal", "both"), default="full")
    args = parser.parse_args()
    targets = []
    if args.db in ("sqlite", "both"):
        modes = ("FULL", "NORMAL") if args.synchronous == "both" else (args.synchronous.upper(),)
        targets += [(f"SQLite {m}", "", m) for m in modes]
    if args.db in ("postgres", "both"):
        url = postgres_url()
        if url:
            targets.append(("PostgreSQL", url, "FULL"))
        else:
            print("PostgreSQL not reachable at 127.0.0.1:5432: skipped")
    print(
        f"{VILLAGES} villages × {JUDGES} judges × 2 papers, {args.connections} connections, "
        f"one uvicorn worker, audit + idempotency on"
    )
    print(f"{'database':<16}{'sheets':>8}{'sheets/s':>11}{'reads/s':>10}{'standings size':>16}")
    for name, url, sync in targets:
        r = asyncio.run(run(url, args.connections, args.seconds, sync))
        print(
            f"{name:<16}{r['sheets']:>8.0f}{r['sheets_per_s']:>11.0f}{r['reads_per_s']:>10.0f}"
            f"{r['bytes'] / 1024:>13.1f} KiB"
        )
    print("targets on SQLite: >= 500 sheets/s, >= 1000 standings reads/s")


if __name__ == "__main__":
    main()
