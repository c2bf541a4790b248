"""Run in a process of its own by tests/test_migration_upgrade.py (Tortoise is process-global).

`python -m tests.upgrade_probe DB_URL STOP` migrates a new database up to migration STOP, writes
the rows that migration's schema can hold with plain SQL (as a database of that time held them),
then opens it as Arena does (every later migration applied) and prints what the models read
back, as JSON.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import os
import sys
import traceback
from decimal import Decimal
from typing import Any

from tortoise import Tortoise, connections
from tortoise.migrations.api import migrate

from arena.db import open_database, tortoise_config

STOPS = ["0001_initial", "0002_reveal", "0003_boards", "0004_contests"]
AT = dt.datetime(2025, 9, 16, 8, 30, tzinfo=dt.UTC)

ROUND_DEFINITION = {"name": "2025年第二季度试点拉练", "papers": {"shared": {"max": 20}}}
BOARD_DEFINITION = {"name": "滨海区2024年强村富民指数榜", "indicators": [{"code": "income"}]}
CONTEST_DEFINITION = {"name": "书记擂台赛", "time_limit_seconds": 300}

# (table, columns, rows) per migration; a database at STOP holds the rows of every step up to it.
ROWS: dict[str, list[tuple[str, tuple[str, ...], list[tuple[Any, ...]]]]] = {
    "0001_initial": [
        ("campaign", ("id", "name", "created_at"), [(1, "党建引领乡村振兴试点三年行动", AT)]),
        (
            "round",
            ("id", "campaign_id", "name", "date", "status", "definition", "revision", "created_at"),
            [
                (
                    1,
                    1,
                    "2025年第二季度试点拉练",
                    dt.date(2025, 6, 18),
                    "locked",
                    ROUND_DEFINITION,
                    7,
                    AT,
                )
            ],
        ),  # fmt: skip
        (
            "village",
            ("id", "round_id", "code", "name", "township", "county", "position"),
            [
                (1, 1, "V01", "青山村", "东港镇", "滨海区", 0),
                (2, 1, "V02", "港边村", "东港镇", "滨海区", 1),
            ],
        ),  # fmt: skip
        (
            "judge",
            ("id", "round_id", "code", "name", "position"),
            [(1, 1, "J1", "李明", 0), (2, 1, "J2", "王芳", 1)],
        ),
        (
            "paperitem",
            ("id", "round_id", "paper", "code", "name", "maximum", "guide", "position"),
            [
                (1, 1, "shared", "org", "组织建设", Decimal("10.00"), "", 0),
                (2, 1, "shared", "eco", "集体经济", Decimal("10.00"), "", 1),
            ],
        ),  # fmt: skip
        (
            "sheet",
            (
                "id",
                "round_id",
                "village_id",
                "judge_id",
                "paper",
                "version",
                "current",
                "items",
                "total",
                "comment",
                "submitted_at",
            ),
            [
                (1, 1, 1, 1, "shared", 1, False, {"org": 8, "eco": 9}, Decimal("17.00"), "", AT),
                (2, 1, 1, 1, "shared", 2, True, {"org": 8.5, "eco": 9}, Decimal("17.50"), "好", AT),
                (3, 1, 2, 2, "shared", 1, True, {"org": 6, "eco": 7.25}, Decimal("13.25"), "", AT),
            ],
        ),  # fmt: skip
        (
            "token",
            (
                "id",
                "token_hash",
                "role",
                "name",
                "round_id",
                "judge_id",
                "village_id",
                "generation",
                "revoked",
                "created_at",
            ),
            [
                (1, "a" * 64, "organiser", "市委组织部", None, None, None, 0, False, AT),
                (2, "b" * 64, "judge", "李明", 1, 1, None, 1, False, AT),
            ],
        ),  # fmt: skip
        ("session", ("id", "session_hash", "token_id", "created_at"), [(1, "c" * 64, 2, AT)]),
        (
            "deduction",
            (
                "id",
                "round_id",
                "village_id",
                "item",
                "points",
                "reason",
                "recorded_by",
                "created_at",
            ),
            [(1, 1, 2, "relapse", Decimal("1.50"), "环境整治反弹", "organiser:王科长", AT)],
        ),  # fmt: skip
        (
            "satisfaction",
            ("id", "village_id", "counts", "rate", "recorded_by", "updated_at"),
            [
                (1, 1, {"满意": 20, "比较满意": 6, "基本满意": 3, "不满意": 1}, None, "o", AT),
                (2, 2, None, Decimal("92.50"), "o", AT),
            ],
        ),  # fmt: skip
    ],
    "0002_reveal": [
        (
            "reveal",
            ("id", "round_id", "frozen", "snapshot", "revealed", "updated_at"),
            [(1, 1, True, {"rows": [{"village": "V01", "total": 17.5}]}, 1, AT)],
        ),
    ],
    "0003_boards": [
        (
            "board",
            (
                "id",
                "name",
                "scope_level",
                "scope_name",
                "period_kind",
                "period_label",
                "definition",
                "revision",
                "created_at",
            ),
            [
                (
                    1,
                    "滨海区2024年强村富民指数榜",
                    "county",
                    "滨海区",
                    "year",
                    "2024",
                    BOARD_DEFINITION,
                    2,
                    AT,
                )
            ],
        ),  # fmt: skip
        (
            "boardvillage",
            ("id", "board_id", "code", "name", "township", "county", "cadres", "position"),
            [(1, 1, "HZ101", "青山村", "东港镇", "滨海区", 5, 0)],
        ),
        (
            "boardindicator",
            (
                "id",
                "board_id",
                "code",
                "name",
                "unit",
                "direction",
                "weight",
                "normalisation",
                "position",
            ),
            [(1, 1, "income", "村集体经营性收入", "万元", "higher", 0.35, "zscore", 0)],
        ),  # fmt: skip
    ],
    "0004_contests": [
        (
            "contest",
            (
                "id",
                "name",
                "date",
                "definition",
                "status",
                "seed",
                "order",
                "current",
                "phase",
                "timer_started_at",
                "revision",
                "created_at",
            ),
            [
                (
                    1,
                    "书记擂台赛",
                    dt.date(2025, 10, 20),
                    CONTEST_DEFINITION,
                    "running",
                    "202510",
                    ["C2", "C1"],
                    "C2",
                    "scoring",
                    None,
                    4,
                    AT,
                )
            ],
        ),  # fmt: skip
        (
            "contestant",
            (
                "id",
                "contest_id",
                "code",
                "name",
                "post",
                "unit",
                "position",
                "elapsed_seconds",
                "state",
            ),
            [
                (1, 1, "C1", "王建国", "党委书记", "东港镇", 0, 0, "waiting"),
                (2, 1, "C2", "李秀英", "村党支部书记", "青山村", 1, 331, "on_stage"),
            ],
        ),  # fmt: skip
        (
            "contestjudge",
            ("id", "contest_id", "code", "name", "position"),
            [(1, 1, "P1", "周评委", 0)],
        ),
        (
            "contestscore",
            ("id", "contestant_id", "judge_id", "items", "total", "submitted_at"),
            [(1, 2, 1, {"k1": 38.5, "k2": 40}, Decimal("78.50"), AT)],
        ),
    ],
}


def _value(value: Any, postgres: bool) -> Any:
    """A Python value as the database of the time stored it through Tortoise."""
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    if postgres or value is None:
        return value
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date | Decimal):
        return str(value)
    return value


async def populate(db_url: str, stop: str) -> None:
    """Migrate a new database up to `stop` and write that schema's rows with plain SQL."""
    config = tortoise_config(db_url)
    await migrate(config=config, target=f"models.{stop}")
    conn = connections.get("default")
    postgres = conn.capabilities.dialect == "postgres"
    for step in STOPS[: STOPS.index(stop) + 1]:
        for table, columns, rows in ROWS[step]:
            marks = (
                [f"${n}" for n in range(1, len(columns) + 1)] if postgres else ["?"] * len(columns)
            )
            names = ", ".join(f'"{c}"' for c in columns)
            sql = f'INSERT INTO "{table}" ({names}) VALUES ({", ".join(marks)})'
            for row in rows:
                await conn.execute_query(sql, [_value(v, postgres) for v in row])
        if postgres:  # explicit ids leave the sequences behind: move them past the rows
            for table, _, _ in ROWS[step]:
                await conn.execute_script(
                    f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "
                    f'(SELECT MAX(id) FROM "{table}"))'
                )
    await Tortoise.close_connections()


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return value


async def read_back(db_url: str, stop: str) -> dict[str, Any]:
    """Open the database as Arena does (later migrations applied); what the models read."""
    from arena import models as m

    await open_database(db_url)
    out: dict[str, Any] = {}
    rnd = await m.Round.get(id=1).select_related("campaign")
    out["round"] = {
        "campaign": rnd.campaign.name, "name": rnd.name, "date": _plain(rnd.date),
        "status": rnd.status, "definition": rnd.definition, "revision": rnd.revision,
        "created_at": _plain(rnd.created_at),
    }  # fmt: skip
    out["villages"] = [
        (v.code, v.name, v.township, v.county, v.position)
        for v in await m.Village.filter(round_id=1).order_by("position")
    ]
    out["judges"] = [(j.code, j.name) for j in await m.Judge.filter(round_id=1).order_by("id")]
    out["items"] = [
        (i.code, _plain(i.maximum)) for i in await m.PaperItem.filter(round_id=1).order_by("id")
    ]
    out["sheets"] = [
        (s.village.code, s.judge.code, s.paper, s.version, s.current, s.items, _plain(s.total),
         s.comment)
        for s in await m.Sheet.filter(round_id=1).order_by("id").select_related("village", "judge")
    ]  # fmt: skip
    out["deductions"] = [
        (d.village.code, d.item, _plain(d.points), d.reason)
        for d in await m.Deduction.filter(round_id=1).select_related("village")
    ]
    out["satisfaction"] = [
        (s.village.code, s.counts, _plain(s.rate))
        for s in await m.Satisfaction.all().order_by("id").select_related("village")
    ]
    if STOPS.index(stop) >= 1:
        reveal = await m.Reveal.get(round_id=1)
        out["reveal"] = (reveal.frozen, reveal.snapshot, reveal.revealed)
    if STOPS.index(stop) >= 2:
        board = await m.Board.get(id=1)
        out["board"] = (
            board.name, board.scope_level, board.scope_name, board.period_kind,
            board.period_label, board.definition, board.revision,
        )  # fmt: skip
        out["board_villages"] = [
            (v.code, v.name, v.township, v.cadres) for v in await m.BoardVillage.filter(board_id=1)
        ]
        out["indicators"] = [
            (i.code, i.name, i.unit, i.direction, i.weight, i.normalisation)
            for i in await m.BoardIndicator.filter(board_id=1)
        ]
    if STOPS.index(stop) >= 3:
        contest = await m.Contest.get(id=1)
        out["contest"] = (
            contest.name, _plain(contest.date), contest.definition, contest.status, contest.seed,
            contest.order, contest.current, contest.phase, contest.revision,
        )  # fmt: skip
        out["contestants"] = [
            (c.code, c.name, c.post, c.unit, c.elapsed_seconds, c.state)
            for c in await m.Contestant.filter(contest_id=1).order_by("position")
        ]
        out["contest_scores"] = [
            (s.contestant.code, s.judge.code, s.items, _plain(s.total))
            for s in await m.ContestScore.all().select_related("contestant", "judge")
        ]
    out["tokens"] = [
        (t.role, t.name, t.round_id, t.judge_id, t.generation, t.revoked, t.subject)  # type: ignore[attr-defined]
        for t in await m.Token.all().order_by("id")
    ]
    out["sessions"] = [s.token_id for s in await m.Session.all()]  # type: ignore[attr-defined]
    # The upgraded database takes new rows after the old ones (ids, sequences, constraints).
    campaign = await m.Campaign.create(name="升级后新建的行动")
    out["new_campaign_id"] = campaign.id
    applied = await connections.get("default").execute_query_dict(
        'SELECT "name" FROM "tortoise_migrations" ORDER BY "id"'
    )
    out["applied"] = [row["name"] for row in applied]
    await Tortoise.close_connections()
    return out


async def main(db_url: str, stop: str) -> None:
    await populate(db_url, stop)
    print(json.dumps(await read_back(db_url, stop), ensure_ascii=False))


if __name__ == "__main__":
    try:
        asyncio.run(main(sys.argv[1], sys.argv[2]))
    except BaseException:
        traceback.print_exc()
        sys.stdout.flush()
        os._exit(1)  # an open aiosqlite thread would keep a plain exit waiting for ever
