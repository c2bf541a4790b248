"""The `arena` command end to end in a separate SQLite database, including a tampered audit log."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import EXAMPLE


def arena(tmp: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run the console script with its data directory in `tmp`."""
    env = {
        **os.environ,
        "ARENA_DATA_DIR": str(tmp),
        "ARENA_DB_URL": "",
        "ARENA_BASE_URL": "http://192.168.1.10:8000",
    }
    return subprocess.run(
        [sys.executable, "-m", "arena.cli", *args],
        env=env,
        cwd=tmp,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    tmp = tmp_path_factory.mktemp("cli")
    done = arena(tmp, "round", "load", str(EXAMPLE))
    assert done.returncode == 0, done.stderr
    return tmp, done.stdout


def test_round_load_prints_links_and_links_prints_them_again(loaded: tuple[Path, str]) -> None:
    tmp, out = loaded
    assert out.splitlines()[0] == "已创建拉练轮次 id 1"
    judge_lines = [line for line in out.splitlines() if line.startswith("  J")]
    assert len(judge_lines) == 7
    assert judge_lines[0].startswith("  J1 李明: http://192.168.1.10:8000/j/")
    again = arena(tmp, "round", "links", "1")
    assert again.returncode == 0
    assert [x for x in again.stdout.splitlines() if x.startswith("  J")] == judge_lines


def test_token_create_prints_a_working_secret(loaded: tuple[Path, str]) -> None:
    tmp, _ = loaded
    done = arena(tmp, "token", "create", "--role", "organiser", "--name", "市委组织部")
    assert done.returncode == 0
    secret = done.stdout.strip()
    assert len(secret) >= 22  # >= 128 bits of base64url
    db = sqlite3.connect(tmp / "arena.sqlite3")
    import hashlib

    row = db.execute(
        "select role, name from token where token_hash = ?",
        (hashlib.sha256(secret.encode()).hexdigest(),),
    ).fetchone()
    assert row == ("organiser", "市委组织部")
    assert db.execute("select count(*) from token where token_hash = ?", (secret,)).fetchone() == (
        0,
    )


def test_bad_definition_file_lists_problems(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text(
        EXAMPLE.read_text("utf-8").replace(
            'max = 15 },\n  { code = "t2", name = "“山水乡愁”',
            'max = 14 },\n  { code = "t2", name = "“山水乡愁”',
        ),
        "utf-8",
    )
    done = arena(tmp_path, "round", "load", str(bad))
    assert done.returncode == 2
    assert "villages[0].targets: 示范目标分值合计 29 与满分 30 不一致" in done.stderr


def test_audit_verify_finds_tampering(tmp_path: Path) -> None:
    assert arena(tmp_path, "round", "load", str(EXAMPLE)).returncode == 0
    assert arena(tmp_path, "round", "load", str(EXAMPLE)).returncode == 0
    ok = arena(tmp_path, "audit", "verify")
    assert ok.returncode == 0
    assert ok.stdout.startswith("审计链完整：2 条记录")
    db = sqlite3.connect(tmp_path / "arena.sqlite3")
    payload = json.loads(db.execute("select payload from auditevent where id = 1").fetchone()[0])
    payload["villages"] = 7
    db.execute("update auditevent set payload = ? where id = 1", (json.dumps(payload),))
    db.commit()
    broken = arena(tmp_path, "audit", "verify")
    assert broken.returncode == 1
    assert "第 1 条记录" in broken.stderr and "记录内容与其哈希不符" in broken.stderr
