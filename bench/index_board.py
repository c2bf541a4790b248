"""Benchmark the index board at national scale: CSV import, compute, and a plain NumPy baseline.

    python bench/index_board.py [--villages 500000] [--indicators 30] [--repeat 5] [--seed 2025]

Generates a board and its values CSV in a temporary directory (seeded), then measures
``ingest.parse_values`` (decode, parse, validate), ``compute_board`` (normalise, index, rank,
bottom 20%) and, alternating with it in the same run, the same min–max index and ranks written
directly in NumPy. Peak memory: tracemalloc (Python and NumPy allocations, measured in separate
traced passes so tracing does not slow the timed ones) and the process's ru_maxrss.
Goals: compute ≤ 1.5× baseline, import < 60 s, peak < 2 GiB.

Then, unless ``--no-database``, the same board through the services into a new SQLite database:
``define_board`` (the villages in batched INSERTs), ``import_values`` (parse, check, compute, award
flags, store the values blocks, audit, in one transaction) and the first ``computed`` read (load the
blocks and compute). Goal: the import through the service < 60 s.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import resource
import statistics
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a checkout

from arena.boards import Board, BoardScope, Period, ValueBounds, Village
from arena.boards.ingest import parse_values
from arena.scoring.flags import IncentiveRates
from arena.scoring.index import Indicator, compute_board

GIB = 1024**3
UNITS = ("万元", "元", "%", "件")


def make_board(n: int, m: int, rng: np.random.Generator) -> Board:
    """A board of n villages over n/20 townships and m indicators of mixed direction and unit."""
    indicators = tuple(
        Indicator(
            code=f"i{j:02d}",
            name=f"指标{j + 1}",
            unit=UNITS[j % len(UNITS)],
            direction="lower" if j % 3 == 2 else "higher",
            weight=float(rng.integers(1, 10)),
        )
        for j in range(m)
    )
    bounds = tuple(
        ValueBounds(0.0, 100.0) if ind.unit == "%" else ValueBounds(0.0, None) for ind in indicators
    )
    numbers = rng.permutation(n)
    villages = tuple(
        Village(f"V{k:07d}", f"村{k}", f"乡镇{k // 20}", "全国", 4) for k in numbers.tolist()
    )
    return Board(
        "基准测试指数榜",
        BoardScope("city", "全国"),
        Period("year", "2025"),
        indicators,
        bounds,
        villages,
        (),
        IncentiveRates(),
    )


def make_values(n: int, m: int, rng: np.random.Generator) -> npt.NDArray[np.float64]:
    """Plausible values with 2 decimals (so rounded indexes tie often)."""
    values = np.empty((n, m))
    for j in range(m):
        unit = UNITS[j % len(UNITS)]
        if unit == "%":
            values[:, j] = rng.uniform(0, 100, n)
        elif unit == "件":
            values[:, j] = rng.poisson(3, n)
        else:
            values[:, j] = rng.lognormal(4 if unit == "万元" else 10, 0.6, n)
    return np.round(values, 2)


def write_csv(path: Path, board: Board, values: npt.NDArray[np.float64]) -> None:
    """Write the values file the way an export would: village, name, then indicator codes."""
    header = ",".join(["village", "name", *(ind.code for ind in board.indicators)])
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write(header + "\r\n")
        step = 50_000
        for start in range(0, len(board.villages), step):
            block = np.char.mod("%.2f", values[start : start + step]).tolist()
            villages = board.villages[start : start + step]
            out.writelines(
                f"{v.code},{v.name},{','.join(row)}\r\n"
                for v, row in zip(villages, block, strict=True)
            )


def baseline(
    codes: list[str],
    values: npt.NDArray[np.float64],
    lower: npt.NDArray[np.bool_],
    weights: npt.NDArray[np.float64],
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.bool_]]:
    """The same min–max index, ranks and bottom 20%, written directly."""
    n = len(codes)
    code_array = np.asarray(codes)
    low, high = values.min(axis=0), values.max(axis=0)
    scores = (values - low) / (high - low) * 100
    scores[:, lower] = 100 - scores[:, lower]
    cents = np.floor(scores @ weights / weights.sum() * 100 + 0.5 + 1e-9).astype(np.int64)
    order = np.lexsort((code_array, -cents))
    ranked = cents[order]
    starts = np.r_[True, ranked[1:] != ranked[:-1]]
    rank = np.empty(n, np.int64)
    rank[order] = np.maximum.accumulate(np.where(starts, np.arange(n), 0)) + 1
    bottom20 = cents <= ranked[n - (n + 4) // 5]
    return cents, rank, bottom20


def timed(call: Callable[[], Any]) -> tuple[float, Any]:
    """Seconds one call takes (after a collection, so garbage of the last one is not counted)."""
    gc.collect()
    start = time.perf_counter()
    result = call()
    return time.perf_counter() - start, result


def traced_peak(call: Callable[[], Any]) -> int:
    """Peak bytes tracemalloc sees during one call."""
    gc.collect()
    tracemalloc.start()
    call()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak


async def _through_database(board: Board, content: bytes, folder: str) -> list[float]:
    from arena.boards.stored import definition_json, village_json
    from arena.db import close_database, open_database
    from arena.services import audit
    from arena.services.boards.service import BoardService
    from arena.services.boards.writes import define_board, import_values

    await open_database(f"sqlite://{folder}/bench.sqlite3?synchronous=NORMAL")
    await audit.ensure_head()
    try:
        data = {**definition_json(board), "villages": [village_json(v) for v in board.villages]}
        start = time.perf_counter()
        board_id = int((await define_board(data, "bench"))["id"])
        define_seconds = time.perf_counter() - start
        service = BoardService()
        start = time.perf_counter()
        await import_values(service, board_id, "values.csv", content, "bench")
        import_seconds = time.perf_counter() - start
        start = time.perf_counter()
        computed = await BoardService().computed(board_id)
        read_seconds = time.perf_counter() - start
        assert computed.result is not None and len(computed.result) == len(board.villages)
    finally:
        await close_database()
    return [define_seconds, import_seconds, read_seconds]


def database_rows(board: Board, content: bytes) -> list[tuple[str, str, str, str, bool | None]]:
    """Define, import and read the board through the services into a new SQLite database."""
    with tempfile.TemporaryDirectory() as tmp:
        define_s, import_s, read_s = asyncio.run(_through_database(board, content, tmp))
    return [
        ("define board (SQLite)", f"{define_s:8.2f} s", "", "", None),
        ("import values (SQLite)", f"{import_s:8.2f} s", "", "< 60 s", import_s < 60),
        ("first read + compute (SQLite)", f"{read_s:8.2f} s", "", "", None),
    ]


def main() -> None:
    """Run the benchmark and print its table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--villages", type=int, default=500_000)
    parser.add_argument("--indicators", type=int, default=30)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument("--no-database", action="store_true", help="skip the SQLite import")
    args = parser.parse_args()
    n, m = args.villages, args.indicators
    rng = np.random.default_rng(args.seed)
    board = make_board(n, m, rng)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "values.csv"
        write_csv(path, board, make_values(n, m, rng))
        content = path.read_bytes()
    print(f"{n:,} villages × {m} indicators, CSV {len(content) / 2**20:,.1f} MiB")

    import_seconds, parsed = timed(lambda: parse_values("values.csv", content, board))
    codes, values = list(parsed.village_codes), parsed.values
    lower = np.array([ind.direction == "lower" for ind in board.indicators])
    weights = np.array([ind.weight for ind in board.indicators])

    compute_times, baseline_times = [], []
    for _ in range(args.repeat):  # alternate, so drift in the machine hits both alike
        seconds, result = timed(lambda: compute_board(codes, values, board.indicators))
        compute_times.append(seconds)
        seconds, expected = timed(lambda: baseline(codes, values, lower, weights))
        baseline_times.append(seconds)
    agree = all(
        np.array_equal(a, b)
        for a, b in zip((result.index_cents, result.rank, result.bottom20), expected, strict=True)
    )

    rss_untraced = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # KiB on Linux
    import_peak = traced_peak(lambda: parse_values("values.csv", content, board))
    compute_peak = traced_peak(lambda: compute_board(codes, values, board.indicators))
    baseline_peak = traced_peak(lambda: baseline(codes, values, lower, weights))
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # KiB on Linux

    compute_median, baseline_median = (
        statistics.median(compute_times),
        statistics.median(baseline_times),
    )
    ratio = compute_median / baseline_median
    rows = [
        (
            "import CSV (parse_values)",
            f"{import_seconds:8.2f} s",
            f"{import_peak / 2**20:8.0f} MiB",
            "< 60 s",
            import_seconds < 60,
        ),
        (
            "compute_board (median)",
            f"{compute_median:8.3f} s",
            f"{compute_peak / 2**20:8.0f} MiB",
            "",
            None,
        ),
        ("  min / max", f"{min(compute_times):.3f} / {max(compute_times):.3f} s", "", "", None),
        (
            "NumPy baseline (median)",
            f"{baseline_median:8.3f} s",
            f"{baseline_peak / 2**20:8.0f} MiB",
            "",
            None,
        ),
        ("  min / max", f"{min(baseline_times):.3f} / {max(baseline_times):.3f} s", "", "", None),
        ("compute / baseline", f"{ratio:8.2f} ×", "", "≤ 1.5×", ratio <= 1.5),
        ("same index, ranks, bottom 20%", "yes" if agree else "NO", "", "", agree),
        (
            "process peak before tracing",
            "",
            f"{rss_untraced / 2**20:8.0f} MiB",
            "< 2 GiB",
            rss_untraced < 2 * GIB,
        ),
        ("process peak (ru_maxrss, end)", "", f"{rss / 2**20:8.0f} MiB", "< 2 GiB", rss < 2 * GIB),
    ]
    if not args.no_database:
        rows += database_rows(board, content)
    print(f"{'step':32} {'time':>18} {'peak':>12}  goal")
    for name, time_text, peak_text, goal, met in rows:
        mark = "" if met is None else ("  ok" if met else "  MISSED")
        print(f"{name:32} {time_text:>18} {peak_text:>12}  {goal}{mark}")
    print(f"repetitions: {args.repeat}, alternating; tracemalloc peaks from separate traced passes")


if __name__ == "__main__":
    main()
