"""`arena user ...` end to end in its own SQLite database: create, list, disable, enable, reset."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest


def arena(tmp: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    """Run the console script with its data directory in `tmp`, feeding `stdin`."""
    env = {**os.environ, "ARENA_DATA_DIR": str(tmp), "ARENA_DB_URL": ""}
    return subprocess.run(
        [sys.executable, "-m", "arena.cli", *args],
        env=env,
        cwd=tmp,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("users")
    done = arena(tmp, "user", "create", "--name", "组织部王科长", "--password-stdin",
                 stdin="油菜花开2025\n")  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("已添加组织部账号「组织部王科长」：在 http://")
    return tmp


def _rows(tmp: Path, sql: str) -> list[tuple[object, ...]]:
    with sqlite3.connect(tmp / "arena.sqlite3") as db:
        return db.execute(sql).fetchall()


def test_create_stores_an_argon2_hash_and_an_organiser_token(data: Path) -> None:
    ((name, password_hash, disabled, role, token_name, revoked),) = _rows(
        data,
        "select a.name, a.password_hash, a.disabled, t.role, t.name, t.revoked "
        "from account a join token t on t.id = a.token_id",
    )
    assert (name, disabled, role, token_name, revoked) == (
        "组织部王科长", 0, "organiser", "组织部王科长", 0,
    )  # fmt: skip
    assert str(password_hash).startswith("$argon2id$v=19$m=65536,t=3,p=4$")
    raw = b"".join(p.read_bytes() for p in data.glob("arena.sqlite3*"))
    assert "油菜花开2025".encode() not in raw  # nowhere in the database files
    ((actor, action, payload),) = _rows(
        data, "select actor, action, payload from auditevent where action = 'account.create'"
    )
    assert (actor, action, json.loads(str(payload))) == (
        "cli:user create", "account.create", {"name": "组织部王科长"},
    )  # fmt: skip


def test_prompted_password_must_be_typed_twice_alike(data: Path) -> None:
    # without a terminal getpass reads the two answers from stdin
    mismatch = arena(
        data, "user", "create", "--name", "李干事", stdin="油菜花开2025\n油菜花开2026\n"
    )
    assert mismatch.returncode == 2
    assert "两次输入的密码不一致" in mismatch.stderr
    weak = arena(data, "user", "create", "--name", "李 干事", "--password-stdin", stdin="123\n")
    assert weak.returncode == 2
    assert weak.stderr.splitlines()[1:] == [
        "  登录名只能由汉字、字母、数字和 . _ - · 组成，不能有空格",
        "  密码至少 8 位",
    ]
    same = arena(data, "user", "create", "--name", "组织部王科长", "--password-stdin",
                 stdin="油菜花开2025\n")  # fmt: skip
    assert same.returncode == 2 and "该登录名已被使用" in same.stderr
    assert _rows(data, "select count(*) from account") == [(1,)]
    prompted = arena(
        data, "user", "create", "--name", "李干事", stdin="秋收冬藏2026\n秋收冬藏2026\n"
    )
    assert prompted.returncode == 0, prompted.stderr
    assert _rows(data, "select name from account order by id") == [("组织部王科长",), ("李干事",)]


def test_list_disable_enable_and_reset(data: Path) -> None:
    listed = arena(data, "user", "list")
    assert listed.returncode == 0
    first = listed.stdout.splitlines()[0].split("\t")
    assert (first[0], first[1], first[3], first[4]) == (
        "组织部王科长",
        "启用",
        "最近登录 从未登录",
        "会话 0",
    )
    off = arena(data, "user", "disable", "组织部王科长")
    assert (off.returncode, off.stdout.strip()) == (0, "账号「组织部王科长」已停用，其会话已结束")
    assert _rows(data, "select t.revoked from account a join token t on t.id = a.token_id "
                       "where a.name = '组织部王科长'") == [(1,)]  # fmt: skip
    assert "\t已停用\t" in arena(data, "user", "list").stdout.splitlines()[0]
    on = arena(data, "user", "enable", "组织部王科长")
    assert (on.returncode, on.stdout.strip()) == (0, "账号「组织部王科长」已启用")
    before = _rows(data, "select password_hash from account where name = '组织部王科长'")
    reset = arena(data, "user", "reset", "组织部王科长", "--password-stdin", stdin="秋收冬藏2027\n")
    assert (reset.returncode, reset.stdout.strip()) == (
        0,
        "已重置「组织部王科长」的密码，结束了它的 0 个会话",
    )
    assert _rows(data, "select password_hash from account where name = '组织部王科长'") != before
    unknown = arena(data, "user", "disable", "没有这个人")
    assert unknown.returncode == 2 and "账号「没有这个人」不存在" in unknown.stderr
    actions = _rows(data, "select action from auditevent where action like 'account.%' order by id")
    assert actions == [
        ("account.create",), ("account.create",), ("account.disable",), ("account.enable",),
        ("account.password_reset",),
    ]  # fmt: skip
