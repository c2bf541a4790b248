"""Live fan-out benchmark: Arena's round screen channel against a bare Starlette broadcast.

    python bench/live_fanout.py [--seconds 8] [--client-procs 3]

For each scenario (1,000 clients at 4 updates/s, 5,000 clients at 1 update/s) it runs, one
after the other, Arena (`arena serve`, SQLite, memory hub, a sheet POST per update) and a bare
Starlette app under the same uvicorn settings that broadcasts a payload of the same size on each
POST. Clients negotiate permessage-deflate as browsers do and run in a few processes; all on
loopback. Latency: from each POST to each client's receipt of the new standings.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing as mp
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
ARENA = [sys.executable, "-c", "from arena.cli import main; raise SystemExit(main())"]
SCENARIOS = [(1000, 4.0), (5000, 1.0)]


def bare_app() -> Any:
    """The baseline: one WebSocket route, one POST that broadcasts a padded payload."""
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import JSONResponse
    from starlette.routing import Route, WebSocketRoute
    from starlette.websockets import WebSocket, WebSocketDisconnect

    sockets: set[WebSocket] = set()
    size = int(os.environ.get("BENCH_PAYLOAD_BYTES", "4000"))

    async def ws(websocket: WebSocket) -> None:
        await websocket.accept()
        sockets.add(websocket)
        try:
            while True:
                await websocket.receive_text()
        except WebSocketDisconnect:
            pass
        finally:
            sockets.discard(websocket)

    async def publish(request: Request) -> JSONResponse:
        body = await request.json()
        head = json.dumps({"type": "standings", "data": {"revision": body["id"], "pad": ""}})
        text = head.replace('"pad": ""', '"pad": "' + "x" * max(0, size - len(head)) + '"')
        await asyncio.gather(*(s.send_text(text) for s in list(sockets)), return_exceptions=True)
        return JSONResponse({"ok": True})

    return Starlette(
        routes=[WebSocketRoute("/ws", ws), Route("/publish", publish, methods=["POST"])]
    )


def _clients(url: str, headers: dict[str, str], n: int, ready: Any, out: Any, stop: Any) -> None:
    """One client process: n sockets; reports first receipt time of every revision per socket."""

    async def run() -> None:
        from websockets.asyncio.client import connect

        seen: list[dict[int, float]] = [{} for _ in range(n)]
        gate = asyncio.Semaphore(64)
        opened = 0

        async def one(i: int) -> None:
            nonlocal opened
            async with gate:
                socket = await connect(
                    url,
                    additional_headers=headers,
                    proxy=None,
                    compression="deflate",
                    open_timeout=60,
                    max_size=2**22,
                )
            opened += 1
            try:
                async for text in socket:
                    message = json.loads(text)
                    if message.get("type") in ("standings", "snapshot"):
                        seen[i].setdefault(message["data"]["revision"], time.time())
            except Exception:
                pass

        tasks = [asyncio.create_task(one(i)) for i in range(n)]
        while opened < n:
            await asyncio.sleep(0.05)
        ready.set()
        while not stop.is_set():
            await asyncio.sleep(0.05)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        out.put(seen)

    asyncio.run(run())


def _cpu_mem(pid: int) -> tuple[float, int]:
    """CPU seconds used so far and resident memory (kB) of a process."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    ticks = os.sysconf("SC_CLK_TCK")
    cpu = (int(fields[11]) + int(fields[12])) / ticks
    status = Path(f"/proc/{pid}/status").read_text()
    rss = next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS"))
    return cpu, rss


def _wait(url: str, process: subprocess.Popen[bytes]) -> None:
    for _ in range(600):
        if process.poll() is not None:
            raise RuntimeError(f"server exited: {process.returncode}")
        try:
            httpx.get(url, timeout=1)
            return
        except httpx.TransportError:
            time.sleep(0.05)
    raise RuntimeError("server did not start")


def _start(kind: str, port: int, data_dir: str, payload: int) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "ARENA_DATA_DIR": data_dir,
        "ARENA_LIVE_PUBLISH_DELAY_SECONDS": "0",
        "ARENA_DB_URL": "",
        "BENCH_PAYLOAD_BYTES": str(payload),
        "PYTHONPATH": str(ROOT),
    }
    if kind == "arena":
        command = [*ARENA, "serve", "--port", str(port)]
    else:  # the same settings `arena serve` gives uvicorn
        command = [
            sys.executable,
            "-m",
            "uvicorn",
            "--factory",
            "bench.live_fanout:bare_app",
            "--port",
            str(port),
            "--log-level",
            "warning",
            "--ws-max-size",
            "65536",
            "--timeout-graceful-shutdown",
            "5",
        ]
    process = subprocess.Popen(
        command, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    _wait(f"http://127.0.0.1:{port}/", process)
    return process


def _run(
    kind: str, clients: int, rate: float, seconds: float, procs: int, setup: dict[str, Any]
) -> dict[str, float]:
    port = setup["ports"][kind]
    process = _start(kind, port, setup["data_dir"], setup["payload"])
    try:
        base = f"http://127.0.0.1:{port}"
        if kind == "arena":
            ws, headers = f"ws://127.0.0.1:{port}/ws/rounds/{setup['round']}", setup["screen"]
        else:
            ws, headers = f"ws://127.0.0.1:{port}/ws", {}
        ctx = mp.get_context("fork")
        stop, out = ctx.Event(), ctx.Queue()
        readies = [ctx.Event() for _ in range(procs)]
        workers = [
            ctx.Process(
                target=_clients, args=(ws, headers, clients // procs, readies[i], out, stop)
            )
            for i in range(procs)
        ]
        for worker in workers:
            worker.start()
        for ready in readies:
            ready.wait(timeout=300)
        time.sleep(1)
        cpu0, _ = _cpu_mem(process.pid)
        sent: dict[int, float] = {}
        peak = 0
        with httpx.Client(base_url=base, timeout=30) as http:
            revision = setup["revision"] if kind == "arena" else 0
            start = time.time()
            for k in range(int(seconds * rate)):
                time.sleep(max(0.0, start + k / rate - time.time()))
                revision += 1
                sent[revision] = time.time()
                if kind == "arena":
                    body = {**setup["sheet"], "idempotency_key": uuid.uuid4().hex}
                    body["items"] = {c: v - (k % 2) * 0.5 for c, v in body["items"].items()}
                    http.post(
                        f"/api/v1/rounds/{setup['round']}/sheets", json=body, headers=setup["judge"]
                    ).raise_for_status()
                else:
                    http.post("/publish", json={"id": revision}).raise_for_status()
                peak = max(peak, _cpu_mem(process.pid)[1])
        time.sleep(3)
        cpu1, rss = _cpu_mem(process.pid)
        stop.set()
        seen = [s for _ in workers for s in out.get(timeout=120)]
        for worker in workers:
            worker.join()
    finally:
        process.terminate()
        process.wait()
    latencies, to_all, lost = [], [], 0
    for rev, at in sent.items():
        worst = 0.0
        for times in seen:
            got = [t for r, t in times.items() if r >= rev]
            if not got:
                lost += 1
                continue
            latencies.append(min(got) - at)
            worst = max(worst, min(got) - at)
        to_all.append(worst)
    delivered = len(latencies)
    latencies.sort()
    return {
        "time_to_all": statistics.mean(to_all),
        "p50": latencies[len(latencies) // 2],
        "p99": latencies[int(len(latencies) * 0.99)],
        "max": latencies[-1],
        "cpu_us": (cpu1 - cpu0) / max(delivered, 1) * 1e6,
        "rss_mb": max(peak, rss) / 1024,
        "lost": lost,
        "delivered": delivered,
    }


def _prepare(seconds: float) -> dict[str, Any]:
    """Load a round into a fresh Arena data directory; learn its screen message size."""
    from tests.conftest import example_definition, free_port

    data_dir = tempfile.mkdtemp(prefix="arena-bench-")
    env = {**os.environ, "ARENA_DATA_DIR": data_dir, "ARENA_DB_URL": ""}
    token = subprocess.run(
        [*ARENA, "token", "create", "--role", "organiser", "--name", "bench"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()[-1]
    ports = {"arena": free_port(), "bare": free_port()}
    process = _start("arena", ports["arena"], data_dir, 0)
    try:
        definition = example_definition(campaign="基准测试")
        with httpx.Client(base_url=f"http://127.0.0.1:{ports['arena']}", timeout=30) as http:
            created = http.post(
                "/api/v1/rounds", json=definition, headers={"Authorization": f"Bearer {token}"}
            ).json()
            rid = created["id"]
            screen = {"Authorization": f"Bearer {created['screen']['token']}"}
            standings = http.get(f"/api/v1/rounds/{rid}/standings", headers=screen).json()
    finally:
        process.terminate()
        process.wait()
    items = {i["code"]: i["max"] - 1 for i in definition["papers"]["shared"]["items"]}
    judge = {"Authorization": f"Bearer {created['judges'][0]['token']}"}
    payload = len(
        json.dumps(
            {
                "channel": f"round:{rid}",
                "type": "standings",
                "seq": 1,
                "data": {**standings, "reveal": None},
            },
            ensure_ascii=False,
            separators=(",", ":"),
        ).encode()
    )
    return {
        "data_dir": data_dir,
        "ports": ports,
        "round": rid,
        "screen": screen,
        "judge": judge,
        "revision": standings["revision"],
        "payload": payload,
        "sheet": {"village": "V01", "paper": "shared", "items": items, "comment": ""},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=8.0)
    parser.add_argument("--client-procs", type=int, default=3)
    args = parser.parse_args()
    setup = _prepare(args.seconds)
    print(f"payload {setup['payload']} bytes per message; {args.seconds:g} s per run")
    header = (
        f"{'scenario':<16}{'server':<8}{'to-all ms':>10}{'p50 ms':>9}{'p99 ms':>9}"
        f"{'max ms':>9}{'CPU µs/msg':>12}{'RSS MB':>9}{'lost':>7}"
    )
    print(header)
    for clients, rate in SCENARIOS:
        results = {}
        for kind in ("arena", "bare"):
            results[kind] = r = _run(kind, clients, rate, args.seconds, args.client_procs, setup)
            setup["revision"] += int(args.seconds * rate) if kind == "arena" else 0
            print(
                f"{f'{clients}×{rate:g}/s':<16}{kind:<8}{r['time_to_all'] * 1e3:>10.1f}"
                f"{r['p50'] * 1e3:>9.1f}{r['p99'] * 1e3:>9.1f}{r['max'] * 1e3:>9.1f}"
                f"{r['cpu_us']:>12.1f}{r['rss_mb']:>9.1f}{r['lost']:>7}",
                flush=True,
            )
        a, b = results["arena"], results["bare"]
        print(
            f"{'':<16}{'ratio':<8}{a['time_to_all'] / b['time_to_all']:>10.2f}"
            f"{a['p50'] / b['p50']:>9.2f}{a['p99'] / b['p99']:>9.2f}{a['max'] / b['max']:>9.2f}"
            f"{a['cpu_us'] / b['cpu_us']:>12.2f}{a['rss_mb'] / b['rss_mb']:>9.2f}",
            flush=True,
        )


if __name__ == "__main__":
    main()
