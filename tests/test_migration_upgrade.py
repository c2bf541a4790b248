"""A database filled at each earlier migration opens under the latest schema with its data intact.

For every stop 0001..0004 a new database is migrated up to that migration, rows are written with
plain SQL in that migration's schema (tests/upgrade_probe.py, in a process of its own), then
Arena opens it as `arena serve` does — every later migration applied, whatever the latest is —
and the models read back exactly what was written, on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import _drop_postgres, _postgres_database
from tests.services import require_postgres
from tests.upgrade_probe import STOPS

ROOT = Path(__file__).resolve().parent.parent
MIGRATIONS = sorted(p.stem for p in (ROOT / "arena" / "migrations").glob("0*.py"))

# What was written at 0001 (see ROWS in tests/upgrade_probe.py), as the models must read it.
AT = "2025-09-16T08:30:00+00:00"
AT_0001 = {
    "round": {
        "campaign": "党建引领乡村振兴试点三年行动",
        "name": "2025年第二季度试点拉练",
        "date": "2025-06-18",
        "status": "locked",
        "definition": {"name": "2025年第二季度试点拉练", "papers": {"shared": {"max": 20}}},
        "revision": 7,
        "created_at": AT,
    },
    "villages": [
        ["V01", "青山村", "东港镇", "滨海区", 0],
        ["V02", "港边村", "东港镇", "滨海区", 1],
    ],
    "judges": [["J1", "李明"], ["J2", "王芳"]],
    "items": [["org", "10.00"], ["eco", "10.00"]],
    # village, judge, paper, version, current, items, total, comment: 8.5 + 9 = 17.50 and
    # 6 + 7.25 = 13.25; J1's first version of V01 stays, no longer current.
    "sheets": [
        ["V01", "J1", "shared", 1, False, {"org": 8, "eco": 9}, "17.00", ""],
        ["V01", "J1", "shared", 2, True, {"org": 8.5, "eco": 9}, "17.50", "好"],
        ["V02", "J2", "shared", 1, True, {"org": 6, "eco": 7.25}, "13.25", ""],
    ],
    "deductions": [["V02", "relapse", "1.50", "环境整治反弹"]],
    "satisfaction": [
        ["V01", {"满意": 20, "比较满意": 6, "基本满意": 3, "不满意": 1}, None],
        ["V02", None, "92.50"],
    ],
    # a token written before contests existed reads with the empty subject 0004 gave it
    "tokens": [
        ["organiser", "市委组织部", None, None, 0, False, ""],
        ["judge", "李明", 1, 1, 1, False, ""],
    ],
    "sessions": [2],
    "new_campaign_id": 2,
}
AT_0002 = {"reveal": [True, {"rows": [{"village": "V01", "total": 17.5}]}, 1]}
AT_0003 = {
    "board": [
        "滨海区2024年强村富民指数榜", "county", "滨海区", "year", "2024",
        {"name": "滨海区2024年强村富民指数榜", "indicators": [{"code": "income"}]}, 2,
    ],
    "board_villages": [["HZ101", "青山村", "东港镇", 5]],
    "indicators": [["income", "村集体经营性收入", "万元", "higher", 0.35, "zscore"]],
}  # fmt: skip
AT_0004 = {
    "contest": [
        "书记擂台赛", "2025-10-20", {"name": "书记擂台赛", "time_limit_seconds": 300},
        "running", "202510", ["C2", "C1"], "C2", "scoring", 4,
    ],
    "contestants": [
        ["C1", "王建国", "党委书记", "东港镇", 0, "waiting"],
        ["C2", "李秀英", "村党支部书记", "青山村", 331, "on_stage"],
    ],
    "contest_scores": [["C2", "P1", {"k1": 38.5, "k2": 40}, "78.50"]],
}  # fmt: skip


def expected(stop: str) -> dict[str, Any]:
    """Everything written up to `stop`, and every migration applied in the end."""
    out: dict[str, Any] = dict(AT_0001)
    for later, part in zip(STOPS[1:], (AT_0002, AT_0003, AT_0004), strict=True):
        if STOPS.index(stop) >= STOPS.index(later):
            out.update(part)
    out["applied"] = MIGRATIONS
    return out


def upgrade(db_url: str, stop: str) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, "-m", "tests.upgrade_probe", db_url, stop],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    got: dict[str, Any] = json.loads(done.stdout.splitlines()[-1])
    # the latest migrations are applied in dependency order, which may differ from name order
    got["applied"] = sorted(got["applied"])
    return got


@pytest.mark.parametrize("stop", STOPS)
def test_sqlite_database_from_an_earlier_migration_upgrades_intact(
    stop: str, tmp_path: Path
) -> None:
    assert upgrade(f"sqlite://{tmp_path / 'arena.sqlite3'}", stop) == expected(stop)


@pytest.fixture
async def fresh_postgres() -> AsyncIterator[str]:
    """A new, empty PostgreSQL database, dropped afterwards."""
    server = await require_postgres()
    url, name = await _postgres_database(server)
    yield url
    await _drop_postgres(server, name)


@pytest.mark.postgres
@pytest.mark.parametrize("stop", STOPS)
async def test_postgres_database_from_an_earlier_migration_upgrades_intact(
    stop: str, fresh_postgres: str
) -> None:
    assert await asyncio.to_thread(upgrade, fresh_postgres, stop) == expected(stop)


def test_every_migration_is_covered() -> None:
    # The stops end at the last migration every later one depends on; a new migration added
    # after them is covered by being applied above, one that replaces them needs a new stop.
    assert MIGRATIONS[: len(STOPS)] == STOPS
