"""The `arena` command end to end in a database of its own (SQLite, or PostgreSQL in that pass),
including a tampered audit log."""

from __future__ import annotations

import hashlib
import json
import subprocess

import pytest

from tests.cli.conftest import CliDatabase
from tests.conftest import EXAMPLE


def arena(db: CliDatabase, *args: str) -> subprocess.CompletedProcess[str]:
    """Run the console script on the test's database, links addressed as at a venue."""
    return db.run(*args, ARENA_BASE_URL="http://192.168.1.10:8000")


@pytest.fixture(scope="module")
def loaded(module_cli_db: CliDatabase) -> tuple[CliDatabase, str]:
    done = arena(module_cli_db, "round", "load", str(EXAMPLE))
    assert done.returncode == 0, done.stderr
    return module_cli_db, done.stdout


def test_round_load_prints_links_and_links_prints_them_again(
    loaded: tuple[CliDatabase, str],
) -> None:
    tmp, out = loaded
    assert out.splitlines()[0] == "已创建拉练轮次 id 1"
    judge_lines = [line for line in out.splitlines() if line.startswith("  J")]
    assert len(judge_lines) == 7
    assert judge_lines[0].startswith("  J1 李明: http://192.168.1.10:8000/j/")
    again = arena(tmp, "round", "links", "1")
    assert again.returncode == 0
    assert [x for x in again.stdout.splitlines() if x.startswith("  J")] == judge_lines


def test_token_create_prints_a_working_secret(loaded: tuple[CliDatabase, str]) -> None:
    tmp, _ = loaded
    done = arena(tmp, "token", "create", "--role", "organiser", "--name", "市委组织部")
    assert done.returncode == 0
    secret = done.stdout.strip()
    assert len(secret) >= 22  # >= 128 bits of base64url
    row = tmp.sql(
        "select role, name from token where token_hash = ?",
        hashlib.sha256(secret.encode()).hexdigest(),
    )
    assert row == [("organiser", "市委组织部")]
    assert tmp.sql("select count(*) from token where token_hash = ?", secret) == [(0,)]


def test_bad_definition_file_lists_problems(cli_db: CliDatabase) -> None:
    bad = cli_db.data_dir / "bad.toml"
    bad.write_text(
        EXAMPLE.read_text("utf-8").replace(
            'max = 15 },\n  { code = "t2", name = "“山水乡愁”',
            'max = 14 },\n  { code = "t2", name = "“山水乡愁”',
        ),
        "utf-8",
    )
    done = arena(cli_db, "round", "load", str(bad))
    assert done.returncode == 2
    assert "villages[0].targets: 示范目标分值合计 29 与满分 30 不一致" in done.stderr


def test_audit_verify_finds_tampering(cli_db: CliDatabase) -> None:
    assert arena(cli_db, "round", "load", str(EXAMPLE)).returncode == 0
    assert arena(cli_db, "round", "load", str(EXAMPLE)).returncode == 0
    ok = arena(cli_db, "audit", "verify")
    assert ok.returncode == 0
    assert ok.stdout.startswith("审计链完整：2 条记录")
    [(stored,)] = cli_db.sql("select payload from auditevent where id = 1")
    payload = json.loads(stored)
    payload["villages"] = 7
    cli_db.sql("update auditevent set payload = ? where id = 1", json.dumps(payload))
    broken = arena(cli_db, "audit", "verify")
    assert broken.returncode == 1
    assert "第 1 条记录" in broken.stderr and "记录内容与其哈希不符" in broken.stderr
