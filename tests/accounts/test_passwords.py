"""Passwords: argon2id hashes, checking them, and the rules a new name or password must meet."""

from __future__ import annotations

from argon2 import PasswordHasher

from arena.errors import Problem
from arena.services.accounts.passwords import (
    Hasher,
    confirm_problems,
    name_problems,
    needs_rehash,
    normal_name,
    password_problems,
)


async def test_hash_is_argon2id_salted_and_checks() -> None:
    hasher = Hasher()
    first = await hasher.hash("油菜花开2025")
    second = await hasher.hash("油菜花开2025")
    # argon2id with the RFC 9106 low-memory parameters, encoded with its own salt
    assert first.startswith("$argon2id$v=19$m=65536,t=3,p=4$")
    assert first != second  # a fresh salt each time
    assert "油菜花开2025" not in first
    assert await hasher.check(first, "油菜花开2025") is True
    assert await hasher.check(second, "油菜花开2025") is True
    assert await hasher.check(first, "油菜花开2026") is False
    assert await hasher.check(first, "") is False
    assert await hasher.check(first, "\ud800") is False  # a lone surrogate cannot be hashed
    assert await hasher.check(None, "油菜花开2025") is False  # unknown name: a decoy is checked
    assert await hasher.check("not a hash", "油菜花开2025") is False
    assert needs_rehash(first) is False


def test_weaker_hash_is_rehashed_at_next_sign_in() -> None:
    weak = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1).hash("油菜花开2025")
    assert needs_rehash(weak) is True


def test_password_rules_list_every_problem() -> None:
    assert password_problems("油菜花开2025", "王科长") == []
    assert password_problems("", "王科长") == [Problem("password", "请填写密码")]
    assert password_problems("1234567", "王科长") == [Problem("password", "密码至少 8 位")]
    assert password_problems("12345678", "王科长") == [
        Problem("password", "密码过于常见，容易被猜中，请换一个")
    ]
    assert password_problems("PassWord", "x") == [
        Problem("password", "密码过于常见，容易被猜中，请换一个")
    ]
    assert password_problems("aaaaaaaaaa", "x") == [
        Problem("password", "密码过于常见，容易被猜中，请换一个")
    ]
    assert password_problems("WangKeZhang", "wangkezhang") == [
        Problem("password", "密码不能与登录名相同")
    ]
    assert password_problems("x" * 127 + "yz", "x") == [Problem("password", "密码不能超过 128 位")]
    assert password_problems("abc\x00defgh", "x") == [Problem("password", "密码含有无法使用的字符")]
    assert password_problems("abc\ud800", "x") == [
        Problem("password", "密码至少 8 位"),
        Problem("password", "密码含有无法使用的字符"),
    ]


def test_confirmation_must_repeat_the_password() -> None:
    assert confirm_problems("油菜花开2025", "油菜花开2025") == []
    assert confirm_problems("油菜花开2025", "") == [Problem("password_again", "请再输入一次密码")]
    assert confirm_problems("油菜花开2025", "油菜花开2024") == [
        Problem("password_again", "两次输入的密码不一致")
    ]


def test_names_are_normalised_and_checked() -> None:
    assert normal_name("  组织部王科长 ") == "组织部王科长"
    assert normal_name("ｗａｎｇ１") == "wang1"  # full-width letters typed with a Chinese IME
    assert name_problems("组织部王科长") == []
    assert name_problems("wang.ke-zhang_1·2") == []
    assert name_problems("") == [Problem("name", "请填写登录名")]
    charset = Problem("name", "登录名只能由汉字、字母、数字和 . _ - · 组成，不能有空格")
    assert name_problems("王 科长") == [charset]
    assert name_problems("王\ud800") == [charset]
    assert name_problems("王" * 41) == [Problem("name", "登录名不能超过 40 个字")]
    assert name_problems("王 " * 21) == [Problem("name", "登录名不能超过 40 个字"), charset]
