"""`arena round load` refuses hostile TOML the way the API refuses hostile JSON: a message, exit
2, nothing created — nesting tens of thousands deep, and a NUL in a name."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import EXAMPLE
from tests.trust.database import Database


def test_round_load_refuses_deep_and_nul_toml(tmp_path: Path) -> None:
    db = Database(tmp_path)
    deep = tmp_path / "deep.toml"
    deep.write_text("a = " + "[" * 50_000 + "]" * 50_000, "utf-8")
    nul = tmp_path / "nul.toml"
    nul.write_text(EXAMPLE.read_text("utf-8").replace('name = "', 'name = "\\u0000', 1), "utf-8")
    done = db.arena("round", "load", str(deep))
    assert (done.returncode, done.stderr.strip()) == (2, f"无法读取 {deep}：嵌套层数过多")
    done = db.arena("round", "load", str(nul))
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [
        "轮次定义有误：",
        "  name: 不能包含 NUL（\\u0000）字符",
    ]
    listed = db.arena("audit", "verify")
    assert listed.returncode == 0 and "审计链完整：0 条记录" in listed.stdout  # nothing created
