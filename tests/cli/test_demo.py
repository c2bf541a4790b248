"""`arena demo --no-serve`: the demo day the README describes, counted and ranked by hand.

The demo's judges score with a seeded random generator (arena/demo.py), so its figures are fixed.
They were worked out once from the stored sheets, surveys and deductions with the README's rules
(independently of Arena's scoring code); two villages are shown in full below.
"""

from __future__ import annotations

import re
import subprocess
import sys
import time
from typing import Any

import httpx

from tests.cli.conftest import CliDatabase
from tests.conftest import free_port

# Q3 (round 2), in rank order: rank, village, shared, demonstration, satisfaction, deductions,
# total, provisional, bottom20, delta (total, rank) against Q2.
# V01 青山村: shared totals 32, 32.5, 34.5, 34.5, 36, 37, 37 (7 judges >= 5: drop 32 and one 37)
#   -> (32.5+34.5+34.5+36+37)/5 = 174.5/5 = 34.90; demonstration 23, 26, 26, 26.5, 26.5, 26.5,
#   27.5 -> (26+26+26.5+26.5+26.5)/5 = 26.30; survey 96/21/6/1 = 124 answers:
#   (96 + 21×0.8 + 6×0.6)/124 = 116.4/124 = 0.93871 × 30 = 28.16; total 89.36. In Q2 it was
#   82.35, 3rd: delta 89.36 − 82.35 = 7.01, rank 3 − 1 = +2.
# V08 红岩村: three judges so far (< 5: plain mean): shared (24+27.5+29)/3 = 26.83, demonstration
#   (17.5+17.5+21)/3 = 18.67; no survey yet (0, provisional); total 45.50; Q2 70.63, 7th:
#   delta −25.13, rank 7 − 8 = −1. Bottom 20% = last ceil(0.2×8) = 2 places: V07, V08.
Q3 = [
    (1, "V01", 34.9, 26.3, 28.16, 0, 89.36, False, False, {"total": 7.01, "rank": 2}),
    (2, "V05", 32.5, 24.13, 27.52, 0, 84.15, False, False, {"total": 6.5, "rank": 2}),
    (3, "V04", 31.8, 23.5, 27.2, 0, 82.5, False, False, {"total": 0.09, "rank": -1}),
    (4, "V06", 31.4, 23.5, 26.59, 0, 81.49, False, False, {"total": -2.86, "rank": -3}),
    (5, "V03", 31.9, 22.7, 26.77, 0, 81.37, False, False, {"total": 5.03, "rank": 1}),
    (6, "V02", 29.8, 22.7, 26, 1.5, 77, False, False, {"total": -0.29, "rank": -1}),
    (7, "V07", 28.4, 20.1, 24.72, 2, 71.22, False, True, {"total": 2.45, "rank": 1}),
    (8, "V08", 26.83, 18.67, 0, 0, 45.5, True, True, {"total": -25.13, "rank": -1}),
]
# Q2 (round 1), complete and published.
Q2 = [
    (1, "V06", 84.35), (2, "V04", 82.41), (3, "V01", 82.35), (4, "V05", 77.65),
    (5, "V02", 77.29), (6, "V03", 76.34), (7, "V08", 70.63), (8, "V07", 68.77),
]  # fmt: skip


def _serve(db: CliDatabase) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "arena.cli", "serve", "--port", str(port)],
        env=db.env(),
        cwd=db.data_dir,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    with httpx.Client(timeout=1) as c:
        for _ in range(600):
            if process.poll() is not None:
                raise RuntimeError(f"arena serve exited with {process.returncode}")
            try:
                if c.get(url + "/").status_code == 200:
                    return process, url
            except httpx.TransportError:
                time.sleep(0.05)
    process.kill()
    raise RuntimeError("arena serve did not start")


def test_demo_day_counts_and_standings(cli_db: CliDatabase) -> None:
    done = cli_db.run("demo", "--no-serve", ARENA_BASE_URL="http://192.168.1.10:8000")
    assert done.returncode == 0, done.stderr[-2000:]
    out = done.stdout
    assert "本轮拉练 id: 2（上一轮 id: 1）" in out
    assert len(re.findall(r"^  J\d \S+: http://192\.168\.1\.10:8000/j/", out, re.M)) == 7
    assert len(re.findall(r"^  V0\d \S+: http://192\.168\.1\.10:8000/v/", out, re.M)) == 8
    token = re.search(r"组织者 API 令牌: *(\S+)", out)
    assert token is not None

    # Two rounds × 8 villages and 7 judges; 刘洋 (J4) recused from 巧巧村 (V05).
    assert cli_db.sql("SELECT COUNT(*) FROM village") == [(16,)]
    assert cli_db.sql("SELECT COUNT(*) FROM judge") == [(14,)]
    recusals = 'SELECT j.name, v.name FROM recusal r JOIN judge j ON j.id = r."judge_id" '
    recusals += 'JOIN village v ON v.id = r."village_id" ORDER BY r.id'
    assert cli_db.sql(recusals) == [("刘洋", "巧巧村"), ("刘洋", "巧巧村")]
    # Q2: every judge scores every village but J4 on V05: (8×7 − 1) × 2 papers = 110 sheets.
    # Q3: V01–V07 fully, (7×7 − 1) × 2 = 96; V08 by three judges so far, 3 × 2 = 6: 102.
    assert cli_db.sql(
        'SELECT "round_id", COUNT(*) FROM sheet WHERE "current" = ? GROUP BY "round_id" '
        'ORDER BY "round_id"',
        True,
    ) == [(1, 110), (2, 102)]
    # two deductions a round (V07 2, V02 1.5); surveys: all 8 in Q2, 7 in Q3 (V08 not yet in)
    assert cli_db.sql(
        'SELECT "round_id", COUNT(*) FROM deduction GROUP BY "round_id" ORDER BY 1'
    ) == [
        (1, 2),
        (2, 2),
    ]
    assert cli_db.sql("SELECT COUNT(*) FROM satisfaction") == [(15,)]

    # Loading it again changes nothing.
    again = cli_db.run("demo", "--no-serve")
    assert again.returncode == 0, again.stderr[-2000:]
    assert cli_db.sql("SELECT COUNT(*) FROM sheet") == [(212,)]

    process, url = _serve(cli_db)
    try:
        with httpx.Client(base_url=url, timeout=20) as c:
            auth = {"Authorization": f"Bearer {token.group(1)}"}
            q3 = c.get("/api/v1/rounds/2/standings", headers=auth).json()
            q2 = c.get("/api/v1/rounds/1/standings", headers=auth).json()
            statuses = [c.get(f"/api/v1/rounds/{n}", headers=auth).json()["status"] for n in (1, 2)]
    finally:
        process.terminate()
        process.wait(timeout=15)
    assert (q3["complete"], q3["sheets_in"], q3["sheets_expected"]) == (False, 102, 110)
    assert [_row(r) for r in q3["rows"]] == Q3
    assert (q2["complete"], q2["sheets_in"], q2["sheets_expected"]) == (True, 110, 110)
    assert [(r["rank"], r["village"], r["total"]) for r in q2["rows"]] == Q2
    assert statuses == ["published", "open"]


def _row(r: dict[str, Any]) -> tuple[Any, ...]:
    return (
        r["rank"], r["village"], r["shared"], r["demonstration"], r["satisfaction"],
        r["deductions"], r["total"], r["provisional"], r["bottom20"], r["delta"],
    )  # fmt: skip
