"""Residents' survey benchmark: 2,000 residents of 8 villages answer their cards, screens open.

    python bench/survey.py [--residents 2000] [--concurrency 40] [--screens 20] [--minutes 0]

One `arena serve` (SQLite, memory hub) with the example round plus a 3-question survey; the
organiser prints residents/8 cards per village (PDF, read back with pypdf for the QR links).
`--screens` public screen sockets (the screen link's token) watch the round. Residents then
open their card's page and submit, `--concurrency` at a time: with `--minutes 0` (default) as
fast as the server takes them (ten minutes of village time, compressed), else spread evenly
over that many minutes. Reported: answers/s sustained, answer latency (p50/p99/max, the POST),
page load latency, and each screen's lag behind the last answer: from the last answer's 201 to
that screen's first standings message carrying the round revision of the final state.
"""

from __future__ import annotations

import argparse
import asyncio
import io
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
ARENA = [sys.executable, "-c", "from arena.cli import main; raise SystemExit(main())"]
LABELS = ["满意", "比较满意", "基本满意", "不满意"]
WEIGHTS = [55, 25, 15, 5]
QUESTIONS = [
    {"code": "env", "text": "您对村里的人居环境整治满意吗？"},
    {"code": "service", "text": "您对村干部为民办事满意吗？"},
    {"code": "economy", "text": "您对村集体经济发展满意吗？"},
]


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


def _pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


async def _screen(url: str, token: str, log: list[tuple[float, int]], stop: asyncio.Event) -> None:
    from websockets.asyncio.client import connect

    async with connect(url, additional_headers={"Authorization": f"Bearer {token}"}) as ws:
        while not stop.is_set():
            try:
                raw = await asyncio.wait_for(ws.recv(), timeout=0.5)
            except TimeoutError:
                continue
            message = json.loads(raw)
            data = message.get("data") or {}
            if isinstance(data, dict) and "revision" in data:
                log.append((time.perf_counter(), int(data["revision"])))


async def run(args: argparse.Namespace, base: str, token: str) -> dict[str, Any]:
    from pypdf import PdfReader

    from tests.conftest import example_definition

    auth = {"Authorization": f"Bearer {token}"}
    definition = example_definition(campaign="测评基准")
    per_village = args.residents // 8
    definition["papers"]["satisfaction"]["survey"] = {
        "questions": QUESTIONS,
        "free_text": "您还有什么意见和建议？",
        "sample_size": per_village,
    }
    async with httpx.AsyncClient(base_url=base, timeout=60) as http:
        created = (await http.post("/api/v1/rounds", json=definition, headers=auth)).json()
        rid = created["id"]
        urls: list[str] = []
        t0 = time.perf_counter()
        for v in created["villages"]:
            r = await http.post(
                f"/api/v1/rounds/{rid}/survey/cards",
                json={"village": v["code"], "count": per_village},
                headers=auth,
            )
            assert r.status_code == 200, r.text
            for page in PdfReader(io.BytesIO(r.content)).pages:
                for annot in page.get("/Annots") or []:
                    uri = str(annot.get_object()["/A"]["/URI"])
                    urls.append("/q/" + uri.rsplit("/q/", 1)[1])
        pdf_seconds = time.perf_counter() - t0
    assert len(urls) == per_village * 8, len(urls)
    random.Random(7).shuffle(urls)

    stop = asyncio.Event()
    logs: list[list[tuple[float, int]]] = [[] for _ in range(args.screens)]
    ws_url = base.replace("http://", "ws://") + f"/ws/rounds/{rid}"
    screen_token = created["screen"]["token"]
    screens = [
        asyncio.create_task(_screen(ws_url, screen_token, logs[i], stop))
        for i in range(args.screens)
    ]
    await asyncio.sleep(1.0)

    rng = random.Random(11)
    latencies: list[float] = []
    page_loads: list[float] = []
    statuses: dict[int, int] = {}
    gap = args.minutes * 60 / len(urls) if args.minutes else 0.0
    queue: asyncio.Queue[tuple[int, str]] = asyncio.Queue()
    for i, u in enumerate(urls):
        queue.put_nowait((i, u))
    start = time.perf_counter()
    last_ack = 0.0
    limits = httpx.Limits(
        max_connections=args.concurrency, max_keepalive_connections=args.concurrency
    )

    async def resident(http: httpx.AsyncClient) -> None:
        nonlocal last_ack
        while not queue.empty():
            i, url = queue.get_nowait()
            if gap:
                await asyncio.sleep(max(0.0, start + i * gap - time.perf_counter()))
            t = time.perf_counter()
            page = await http.get(url)
            page_loads.append(time.perf_counter() - t)
            assert page.status_code == 200, page.status_code
            body = {
                "answers": {q["code"]: rng.choices(LABELS, WEIGHTS)[0] for q in QUESTIONS},
                "free_text": "",
                "key": f"bench-{i:06d}-{rng.getrandbits(32):08x}",
            }
            t = time.perf_counter()
            r = await http.post(url, json=body)
            done = time.perf_counter()
            latencies.append(done - t)
            statuses[r.status_code] = statuses.get(r.status_code, 0) + 1
            last_ack = max(last_ack, done)

    async with httpx.AsyncClient(base_url=base, timeout=60, limits=limits) as http:
        await asyncio.gather(*(resident(http) for _ in range(args.concurrency)))
        elapsed = time.perf_counter() - start
        final = (await http.get(f"/api/v1/rounds/{rid}/standings", headers=auth)).json()
        live = (await http.get(f"/api/v1/rounds/{rid}/survey", headers=auth)).json()
    final_revision = int(final["revision"])
    deadline = time.perf_counter() + 15
    while time.perf_counter() < deadline and not all(
        any(rev >= final_revision for _, rev in log) for log in logs
    ):
        await asyncio.sleep(0.05)
    stop.set()
    await asyncio.gather(*screens, return_exceptions=True)
    lags = [
        next(t for t, rev in log if rev >= final_revision) - last_ack
        for log in logs
        if any(rev >= final_revision for _, rev in log)
    ]
    answered = sum(v["answers"] for v in live["villages"])
    return {
        "residents": len(urls),
        "answered": answered,
        "statuses": statuses,
        "concurrency": args.concurrency,
        "screens": args.screens,
        "screens_caught_up": len(lags),
        "pdf_seconds_8_villages": round(pdf_seconds, 2),
        "elapsed_s": round(elapsed, 2),
        "answers_per_s": round(len(urls) / elapsed, 1),
        "answer_ms_p50": round(statistics.median(latencies) * 1000, 1),
        "answer_ms_p99": round(_pct(latencies, 99) * 1000, 1),
        "answer_ms_max": round(max(latencies) * 1000, 1),
        "page_ms_p99": round(_pct(page_loads, 99) * 1000, 1),
        "screen_lag_ms_median": round(statistics.median(lags) * 1000, 1) if lags else None,
        "screen_lag_ms_max": round(max(lags) * 1000, 1) if lags else None,
        "screen_messages_median": statistics.median(len(log) for log in logs),
        "satisfaction": {r["village"]: r["satisfaction"] for r in final["rows"]},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--residents", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=40)
    parser.add_argument("--screens", type=int, default=20)
    parser.add_argument("--minutes", type=float, default=0.0, help="spread over; 0 = flat out")
    args = parser.parse_args()
    from tests.conftest import free_port

    data_dir = tempfile.mkdtemp(prefix="arena-bench-survey-")
    port = free_port()
    env = {
        **os.environ,
        "ARENA_DATA_DIR": data_dir,
        "ARENA_DB_URL": "",
        "ARENA_BASE_URL": f"http://127.0.0.1:{port}",
        "PYTHONPATH": str(ROOT),
    }
    token = subprocess.run(
        [*ARENA, "token", "create", "--role", "organiser", "--name", "bench"],
        env=env, capture_output=True, text=True, check=True,
    ).stdout.split()[-1]  # fmt: skip
    process = subprocess.Popen([*ARENA, "serve", "--port", str(port)], env=env)
    try:
        base = f"http://127.0.0.1:{port}"
        _wait(base + "/", process)
        result = asyncio.run(run(args, base, token))
    finally:
        process.terminate()
        process.wait()
    print(json.dumps(result, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
