"""Pages on rural signal: time to the first figure and bytes sent, in Chromium on a slow link.

Loads the demo day into a temporary data directory, serves it with `arena serve`, and opens the
village secretary's page (390×844), the judge's tablet app (1024×768) and the meeting screen
(1920×1080) in Debian's Chromium, each in a new profile (cold cache), over a link throttled with
the DevTools protocol (Network.emulateNetworkConditions). Then each page is opened again in the
same profile (warm cache). Prints, per page: time to the first figure, time to the charts, and
the bytes transferred (compressed, as they crossed the link).

    python bench/throttled.py [--down-kbit 1600] [--up-kbit 750] [--latency-ms 150] [--https]
                              [--source DIR]

`--https` serves it as at a venue (`arena tls init`, the name venue.test mapped to this machine),
where browsers accept brotli. `--source` measures another checkout with this one's virtualenv
(e.g. the previous commit in a `git worktree`, for a before/after comparison). The measurement
starts once the server has compressed its static files (a server at a venue runs for a while
before the first phone arrives).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from playwright.async_api import Page, async_playwright

ROOT = Path(__file__).resolve().parent.parent
ARENA = [sys.executable, "-c", "import sys; from arena.cli import main; sys.exit(main())"]
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@dataclass(frozen=True)
class Target:
    name: str
    link: str
    viewport: tuple[int, int]
    first_figure: str  # a JS expression true once the page's own figures are readable
    charts: str | None  # a JS expression true once its charts are drawn


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_demo(
    source: Path, data_dir: Path, port: int, https: bool
) -> tuple[subprocess.Popen[bytes], dict[str, str]]:
    env = {
        **os.environ,
        "ARENA_DATA_DIR": str(data_dir),
        "ARENA_PORT": str(port),
        "PYTHONPATH": str(source),
        "ARENA_TLS_HTTP_PORT": str(free_port()),
    }
    if https:  # a venue certificate for venue.test, as `arena tls init` makes one at a venue
        subprocess.run(
            [*ARENA, "tls", "init", "--name", "基准测试", "--host", "venue.test"],
            env=env,
            cwd=source,
            capture_output=True,
            check=True,
        )
    printed = subprocess.run(
        [*ARENA, "demo", "--no-serve"],
        env=env,
        cwd=source,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    links = {
        "screen": re.search(r"会场大屏链接: (\S+)", printed),
        "judge": re.search(r"J1 [^:]+: (\S+/j/\S+)", printed),
        "village": re.search(r"V01 [^:]+: (\S+/v/\S+)", printed),
    }
    paths = {}
    for key, match in links.items():
        assert match, f"the demo printed no {key} link"
        paths[key] = "/" + match.group(1).split("/", 3)[3]
    server = subprocess.Popen(
        [*ARENA, "serve", "--port", str(port)],
        env=env,
        cwd=source,
        stdout=subprocess.DEVNULL,
        stderr=(data_dir / "server.log").open("wb"),
    )
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return server, paths
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise SystemExit("arena serve did not start:\n" + (data_dir / "server.log").read_text())


def wait_compressed(data_dir: Path, seconds: float = 120) -> None:
    """Until the server has kept a brotli copy of plotly.min.js (its largest file)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if [p for p in (data_dir / "cache" / "static").glob("*.br") if p.stat().st_size > 500_000]:
            return
        time.sleep(0.5)


async def measure(page: Page, url: str, target: Target, throttle: dict[str, Any]) -> list[str]:
    cdp = await page.context.new_cdp_session(page)
    await cdp.send("Network.enable")
    await cdp.send("Network.emulateNetworkConditions", throttle)
    received = [0]

    def finished(event: dict[str, Any]) -> None:
        received[0] += int(event.get("encodedDataLength", 0))

    cdp.on("Network.loadingFinished", finished)
    start = time.perf_counter()
    await page.goto(url, wait_until="commit")
    await page.wait_for_function(target.first_figure, timeout=120_000, polling=50)
    first = time.perf_counter() - start
    charts = "—"
    if target.charts:
        await page.wait_for_function(target.charts, timeout=300_000, polling=100)
        charts = f"{time.perf_counter() - start:.2f} s"
    await page.wait_for_load_state("networkidle")
    await cdp.detach()
    return [f"{first:.2f} s", charts, f"{received[0] / 1024:,.0f} KiB"]


async def run(args: argparse.Namespace) -> None:
    throttle = {
        "offline": False,
        "latency": args.latency_ms,
        "downloadThroughput": args.down_kbit * 1000 / 8,
        "uploadThroughput": args.up_kbit * 1000 / 8,
    }
    port = free_port()
    base = f"https://venue.test:{port}" if args.https else f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory() as tmp:
        server, paths = start_demo(args.source.resolve(), Path(tmp), port, args.https)
        wait_compressed(Path(tmp))
        targets = [
            Target(
                "村书记手机页 (390×844)",
                paths["village"],
                (390, 844),
                "document.getElementById('total') && "
                "document.getElementById('total').textContent.trim() !== '—'",
                "!!document.querySelector('#radar .main-svg')",
            ),
            Target(
                "评委平板首次打开 (1024×768)",
                paths["judge"],
                (1024, 768),
                '!!document.querySelector(\'#view[data-view="route"] li, '
                '#view[data-view="route"] .stop\')',
                None,
            ),
            Target(
                "会场大屏 (1920×1080)",
                paths["screen"],
                (1920, 1080),
                "document.querySelectorAll('#rows li').length > 0",
                "!!document.querySelector('#chart .main-svg')",
            ),
        ]
        rows: list[list[str]] = []
        try:
            async with async_playwright() as pw:
                extra = []
                if args.https:
                    extra = [
                        "--host-resolver-rules=MAP venue.test 127.0.0.1",
                        "--ignore-certificate-errors",
                    ]
                browser = await pw.chromium.launch(
                    executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS + extra
                )
                for target in targets:
                    width, height = target.viewport
                    context = await browser.new_context(viewport={"width": width, "height": height})
                    page = await context.new_page()
                    cold = await measure(page, base + target.link, target, throttle)
                    # The link became a cookie; open the page it led to again (warm cache).
                    warm = await measure(page, page.url, target, throttle)
                    rows.append([target.name, "首次", *cold])
                    rows.append([target.name, "再次", *warm])
                    await context.close()
                await browser.close()
        finally:
            server.terminate()
            server.wait(timeout=10)
    link = f"{args.down_kbit / 1000:g} Mbit/s 下行, {args.up_kbit / 1000:g} Mbit/s 上行, "
    print(
        f"throttled link: {link}{args.latency_ms} ms latency (Chromium, CDP), {base.split(':')[0]}"
    )
    header = ["page", "cache", "first figure", "charts drawn", "bytes transferred"]
    widths = [max(len(str(r[i])) for r in [header, *rows]) + 2 for i in range(len(header))]
    for row in [header, *rows]:
        print("".join(str(cell).ljust(w) for cell, w in zip(row, widths, strict=True)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--down-kbit", type=float, default=1600)
    parser.add_argument("--up-kbit", type=float, default=750)
    parser.add_argument("--latency-ms", type=float, default=150)
    parser.add_argument(
        "--https", action="store_true", help="serve with a venue certificate (brotli needs HTTPS)"
    )
    parser.add_argument(
        "--source",
        type=Path,
        default=ROOT,
        help="Arena checkout to measure (default: this one)",
    )
    asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    sys.exit(main())
