"""Out-of-band edits, one per kind and table, each caught and named by `arena audit verify`.

One demo day (two rounds, a board with imports and follow-ups, a contest) is loaded through
Arena, plus a second sheet version and a frozen reveal; every case edits a fresh copy with raw
SQL as an intruder with database access would, then runs the real command.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path

import pytest
import pytest_asyncio

from arena.services.audit import entry_hash
from tests.trust.database import BACKENDS, Database, new_database

# A case edits the copy and returns (lines the report must contain, extra arguments).
Tamper = Callable[[Database], Awaitable[tuple[list[str], list[str]]]]
CASES: dict[str, Tamper] = {}
TRIED: list[str] = []
CAUGHT: list[str] = []


def case(name: str) -> Callable[[Tamper], Tamper]:
    def add(fn: Tamper) -> Tamper:
        CASES[name] = fn
        return fn

    return add


async def one(db: Database, sql: str, *args: object) -> tuple[object, ...]:
    rows = await db.sql(sql, *args)
    assert rows, sql
    return rows[0]


async def copy_row(db: Database, table: str, where_id: str, **changes: object) -> None:
    """INSERT a copy of one row with a new id and some columns changed."""
    if db.url:
        names = [r[0] for r in await db.sql(
            "SELECT column_name FROM information_schema.columns WHERE table_name = ?", table
        )]  # fmt: skip
    else:
        names = [r[1] for r in await db.sql(f"PRAGMA table_info({table})")]
    names = [n for n in names if n != "id"]
    picks = ", ".join("?" if n in changes else f'"{n}"' for n in names)
    args = [changes[n] for n in names if n in changes]
    columns = ", ".join(f'"{n}"' for n in names)
    await db.sql(
        f"INSERT INTO {table} ({columns}) SELECT {picks} FROM {table} WHERE id = {where_id}", *args
    )


# ---- sheets ------------------------------------------------------------------------------


@case("sheet: UPDATE items")
async def sheet_items(db: Database) -> tuple[list[str], list[str]]:
    sid, items = await one(db, "SELECT id, items FROM sheet WHERE current = ? ORDER BY id", True)
    changed = json.loads(items) if isinstance(items, str) else dict(items)
    first = next(iter(changed))
    changed[first] = "10"
    await db.sql("UPDATE sheet SET items = ?j WHERE id = ?", json.dumps(changed), sid)
    return [f"sheet {sid}: items 为"], []


@case("sheet: UPDATE total")
async def sheet_total(db: Database) -> tuple[list[str], list[str]]:
    (sid,) = await one(db, "SELECT id FROM sheet ORDER BY id DESC")
    await db.sql("UPDATE sheet SET total = total + 1 WHERE id = ?", sid)
    return [f"sheet {sid}: total 为"], []


@case("sheet: DELETE row")
async def sheet_delete(db: Database) -> tuple[list[str], list[str]]:
    sid, rid, paper, version = await one(
        db, "SELECT id, round_id, paper, version FROM sheet ORDER BY id LIMIT 1 OFFSET 7"
    )
    await db.sql("DELETE FROM sheet WHERE id = ?", sid)
    return [f"sheet {rid}/", f"/{paper}/{version}: 评分表被删除"], []


@case("sheet: flip current (the retired version counts again)")
async def sheet_flip(db: Database) -> tuple[list[str], list[str]]:
    old, new = await one(
        db,
        "SELECT a.id, b.id FROM sheet a JOIN sheet b ON a.village_id = b.village_id"
        " AND a.judge_id = b.judge_id AND a.paper = b.paper AND b.version = a.version + 1",
    )
    await db.sql("UPDATE sheet SET current = ? WHERE id = ?", True, old)
    await db.sql("UPDATE sheet SET current = ? WHERE id = ?", False, new)
    return [f"sheet {old}: current 为 True，审计链为 False", f"sheet {new}: current 为 False"], []


@case("sheet: INSERT a row")
async def sheet_insert(db: Database) -> tuple[list[str], list[str]]:
    await copy_row(db, "sheet", "(SELECT MIN(id) FROM sheet)", version=99, current=False)
    (sid,) = await one(db, "SELECT id FROM sheet WHERE version = 99")
    return [f"sheet {sid}: 审计链中没有这张评分表"], []


@case("sheet: un-void a voided sheet")
async def sheet_unvoid(db: Database) -> tuple[list[str], list[str]]:
    (sid,) = await one(db, "SELECT id FROM sheet WHERE voided_at IS NOT NULL")
    await db.sql("UPDATE sheet SET voided_at = NULL, current = ? WHERE id = ?", True, sid)
    return [f"sheet {sid}: current 为 True，审计链为 False", f"sheet {sid}: voided 为 False"], []


@case("sheet: a proxy sheet passed off as the judge's own")
async def sheet_unproxy(db: Database) -> tuple[list[str], list[str]]:
    (sid,) = await one(db, "SELECT id FROM sheet WHERE proxy_by <> ''")
    await db.sql("UPDATE sheet SET proxy_by = '', proxy_reason = '' WHERE id = ?", sid)
    return [f"sheet {sid}: proxy_by 为 ''"], []


# ---- deductions, satisfaction ------------------------------------------------------------


@case("deduction: UPDATE points")
async def deduction_points(db: Database) -> tuple[list[str], list[str]]:
    (did,) = await one(db, "SELECT MIN(id) FROM deduction")
    await db.sql("UPDATE deduction SET points = 0.5 WHERE id = ?", did)
    return [f"deduction {did}: points 为 0.5"], []


@case("deduction: DELETE row")
async def deduction_delete(db: Database) -> tuple[list[str], list[str]]:
    (did,) = await one(db, "SELECT MAX(id) FROM deduction")
    await db.sql("DELETE FROM deduction WHERE id = ?", did)
    return [f"deduction {did}: 扣分记录被删除"], []


@case("deduction: INSERT a row")
async def deduction_insert(db: Database) -> tuple[list[str], list[str]]:
    await copy_row(db, "deduction", "(SELECT MIN(id) FROM deduction)")
    (did,) = await one(db, "SELECT MAX(id) FROM deduction")
    return [f"deduction {did}: 审计链中没有这条扣分"], []


@case("deduction: un-withdraw")
async def deduction_unwithdraw(db: Database) -> tuple[list[str], list[str]]:
    (did,) = await one(db, "SELECT id FROM deduction WHERE withdrawn_at IS NOT NULL")
    await db.sql("UPDATE deduction SET withdrawn_at = NULL WHERE id = ?", did)
    return [f"deduction {did}: withdrawn 为 False，审计链为 True"], []


@case("satisfaction: withdrawn outside Arena")
async def satisfaction_withdraw(db: Database) -> tuple[list[str], list[str]]:
    (sid,) = await one(db, "SELECT MAX(id) FROM satisfaction WHERE withdrawn_at IS NULL")
    await db.sql("UPDATE satisfaction SET withdrawn_at = updated_at WHERE id = ?", sid)
    return [f"satisfaction {sid}（", "withdrawn 为 True，审计链为 False"], []


@case("satisfaction: UPDATE counts")
async def satisfaction_counts(db: Database) -> tuple[list[str], list[str]]:
    sid, counts = await one(
        db, "SELECT id, counts FROM satisfaction WHERE counts IS NOT NULL ORDER BY id"
    )
    changed = json.loads(counts) if isinstance(counts, str) else dict(counts)
    changed["满意"] = int(changed["满意"]) + 40
    await db.sql("UPDATE satisfaction SET counts = ?j WHERE id = ?", json.dumps(changed), sid)
    return [f"satisfaction {sid}（", "counts 为"], []


@case("satisfaction: DELETE row")
async def satisfaction_delete(db: Database) -> tuple[list[str], list[str]]:
    (sid,) = await one(db, "SELECT MAX(id) FROM satisfaction")
    await db.sql("DELETE FROM satisfaction WHERE id = ?", sid)
    return ["满意度记录被删除"], []


# ---- rounds and the reveal ---------------------------------------------------------------


@case("round: UPDATE status (published back to open)")
async def round_status(db: Database) -> tuple[list[str], list[str]]:
    (rid,) = await one(db, "SELECT id FROM round WHERE status = 'published'")
    await db.sql("UPDATE round SET status = 'open' WHERE id = ?", rid)
    return [f"round {rid}: status 为 open，审计链为 published"], []


@case("recusal: DELETE row")
async def recusal_delete(db: Database) -> tuple[list[str], list[str]]:
    (rid,) = await one(
        db, "SELECT round_id FROM judge WHERE id = (SELECT MIN(judge_id) FROM recusal)"
    )
    await db.sql("DELETE FROM recusal WHERE id = (SELECT MIN(id) FROM recusal)")
    return [f"recusal round {rid}", "回避记录被删除"], []


@case("reveal: UPDATE revealed")
async def reveal_revealed(db: Database) -> tuple[list[str], list[str]]:
    (rid,) = await one(db, "SELECT round_id FROM reveal")
    await db.sql("UPDATE reveal SET revealed = 5")
    return [f"reveal round {rid}: frozen=True revealed=5"], []


# ---- boards ------------------------------------------------------------------------------


@case("board_value_block: UPDATE values")
async def board_values(db: Database) -> tuple[list[str], list[str]]:
    iid, values = await one(db, 'SELECT board_import_id, "values" FROM boardvalueblock ORDER BY id')
    changed = bytearray(values)
    changed[0] ^= 0x40
    await db.sql(
        'UPDATE boardvalueblock SET "values" = ? WHERE board_import_id = ?', bytes(changed), iid
    )
    return [f"board_value_block import {iid}: 导入的指标数值与审计链不符"], []


@case("board_flag: DELETE row")
async def board_flag(db: Database) -> tuple[list[str], list[str]]:
    (bid,) = await one(db, "SELECT board_id FROM boardflag ORDER BY id")
    await db.sql("DELETE FROM boardflag WHERE id = (SELECT MIN(id) FROM boardflag)")
    return [f"board_flag board {bid}:"], []


@case("board_village: UPDATE cadres")
async def board_cadres(db: Database) -> tuple[list[str], list[str]]:
    (bid,) = await one(db, "SELECT board_id FROM boardvillage ORDER BY id")
    await db.sql(
        "UPDATE boardvillage SET cadres = cadres + 3 WHERE id = (SELECT MIN(id) FROM boardvillage)"
    )
    return [f"board {bid}: 定义或村名单（含村干部人数）与审计链不符"], []


@case("follow_up: UPDATE leader")
async def follow_up_leader(db: Database) -> tuple[list[str], list[str]]:
    (fid,) = await one(db, "SELECT MIN(id) FROM followup")
    await db.sql("UPDATE followup SET leader = '无人' WHERE id = ?", fid)
    return [f"follow_up {fid}（", "leader 为 '无人'"], []


@case("follow_up: DELETE row")
async def follow_up_delete(db: Database) -> tuple[list[str], list[str]]:
    await db.sql("DELETE FROM followup WHERE id = (SELECT MAX(id) FROM followup)")
    return ["跟进记录被删除"], []


# ---- contests ----------------------------------------------------------------------------


@case("contest_score: UPDATE total")
async def contest_score(db: Database) -> tuple[list[str], list[str]]:
    (sid,) = await one(db, "SELECT MIN(id) FROM contestscore")
    await db.sql("UPDATE contestscore SET total = 99 WHERE id = ?", sid)
    return [f"contest_score {sid}: total 为 99"], []


@case("contest_score: DELETE row")
async def contest_score_delete(db: Database) -> tuple[list[str], list[str]]:
    await db.sql("DELETE FROM contestscore WHERE id = (SELECT MAX(id) FROM contestscore)")
    return ["打分记录被删除"], []


@case("contest: UPDATE the drawn order")
async def contest_order(db: Database) -> tuple[list[str], list[str]]:
    cid, order = await one(db, 'SELECT id, "order" FROM contest ORDER BY id')
    drawn = json.loads(order) if isinstance(order, str) else list(order)
    await db.sql('UPDATE contest SET "order" = ?j WHERE id = ?', json.dumps(drawn[::-1]), cid)
    return [f"contest {cid}: order 为"], []


@case("contestant: UPDATE elapsed_seconds")
async def contestant_time(db: Database) -> tuple[list[str], list[str]]:
    (pid,) = await one(db, "SELECT MIN(id) FROM contestant WHERE state = 'revealed'")
    await db.sql("UPDATE contestant SET elapsed_seconds = 1 WHERE id = ?", pid)
    return [f"contestant {pid}（", "elapsed_seconds=1，审计链为"], []


# ---- the chain itself --------------------------------------------------------------------


@case("audit: UPDATE a payload")
async def chain_payload(db: Database) -> tuple[list[str], list[str]]:
    await db.sql("UPDATE auditevent SET actor = 'organiser:冒名' WHERE id = 40")
    return ["审计链断裂：第 40 条记录 — 记录内容与其哈希不符"], []


@case("audit: forged entry with a recomputed hash")
async def chain_forged(db: Database) -> tuple[list[str], list[str]]:
    at, actor, action, subject, payload, prev = await one(
        db, "SELECT at, actor, action, subject, payload, prev_hash FROM auditevent WHERE id = 50"
    )
    data = json.loads(payload) if isinstance(payload, str) else dict(payload)
    data["forged"] = True
    digest = entry_hash(50, at, actor, action, subject, data, prev)
    await db.sql(
        "UPDATE auditevent SET payload = ?j, entry_hash = ? WHERE id = 50", json.dumps(data), digest
    )
    return ["审计链断裂：第 51 条记录 — 前一条记录的哈希不符"], []


@case("audit: DELETE a middle entry")
async def chain_middle(db: Database) -> tuple[list[str], list[str]]:
    await db.sql("DELETE FROM auditevent WHERE id = 60")
    return ["审计链断裂：第 60 条记录 — 第 60 条记录缺失"], []


@case("audit: DELETE the tail, head rewritten")
async def chain_tail(db: Database) -> tuple[list[str], list[str]]:
    (published,) = await one(db, "SELECT last_hash FROM audithead")
    (last,) = await one(db, "SELECT MAX(id) FROM auditevent")
    (kept_hash,) = await one(db, "SELECT entry_hash FROM auditevent WHERE id = ?", last - 3)
    await db.sql("DELETE FROM auditevent WHERE id > ?", last - 3)
    await db.sql("UPDATE audithead SET last_id = ?, last_hash = ?", last - 3, kept_hash)
    # The chain itself is whole again; the rows it no longer covers, and the head, give it away.
    return [
        "审计链完整",
        ": 审计链中没有冻结记录",
        "withdrawn 为 True，审计链为 False",
        f"公布的哈希 {published} 不在审计链中",
    ], ["--head", published]


@case("audit: tail rewritten and the state put back to match")
async def chain_rewritten(db: Database) -> tuple[list[str], list[str]]:
    (published,) = await one(db, "SELECT last_hash FROM audithead")
    (last,) = await one(db, "SELECT MAX(id) FROM auditevent")  # the reveal.step
    (kept_hash,) = await one(db, "SELECT entry_hash FROM auditevent WHERE id = ?", last - 1)
    await db.sql("DELETE FROM auditevent WHERE id = ?", last)
    await db.sql("UPDATE audithead SET last_id = ?, last_hash = ?", last - 1, kept_hash)
    await db.sql("UPDATE reveal SET revealed = 0")
    # Only the head published before gives this one away.
    return ["数据核对通过", f"公布的哈希 {published} 不在审计链中"], ["--head", published]


# ---- the battery -------------------------------------------------------------------------


@pytest_asyncio.fixture(scope="module", loop_scope="session", params=BACKENDS)
async def demo_day(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[Database]:
    db = await new_database(tmp_path_factory.mktemp("tamper"), request.param == "postgres")
    try:
        done = db.arena("demo", "--no-serve")
        assert done.returncode == 0, done.stderr
        db.python("tests.trust.populate")
        yield db
    finally:
        await db.drop()


async def test_untouched_demo_day_verifies(demo_day: Database) -> None:
    done = demo_day.arena("audit", "verify")
    assert done.returncode == 0, done.stderr
    assert "数据核对通过" in done.stdout
    (head,) = (await demo_day.sql("SELECT last_hash FROM audithead"))[0]
    first = (await demo_day.sql("SELECT entry_hash FROM auditevent WHERE id = 1"))[0][0]
    # A whole hash, or the 12 characters a screen's footer shows.
    for published, where in (
        (head, "在审计链中"),
        (first, "在审计链中：第 1 条记录"),
        (first[:12], "在审计链中：第 1 条记录"),
    ):
        done = demo_day.arena("audit", "verify", "--head", published)
        assert done.returncode == 0 and where in done.stdout, done.stdout + done.stderr
    done = demo_day.arena("audit", "verify", "--head", "f" * 64)
    assert done.returncode == 1 and "不在审计链中" in done.stderr
    done = demo_day.arena("audit", "verify", "--head", "not-a-hash")
    assert done.returncode == 2 and "--head 应为审计哈希" in done.stderr


@pytest.mark.parametrize("name", list(CASES))
async def test_tamper_is_caught_and_named(demo_day: Database, name: str, tmp_path: Path) -> None:
    copy = await demo_day.copy(tmp_path / "db")
    try:
        expected, extra = await CASES[name](copy)
        done = copy.arena("audit", "verify", *extra)
        TRIED.append(name)
        report = done.stdout + done.stderr
        assert done.returncode == 1, f"{name}: not caught\n{report}"
        for line in expected:
            assert line in report, f"{name}: expected {line!r} in\n{report}"
        CAUGHT.append(name)
    finally:
        await copy.drop()
