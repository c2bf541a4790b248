"""Passwords and sign-in names: argon2id hashing and the rules a new name or password must meet.

Only the argon2id hash (with its own salt and parameters) is stored; a password is never logged,
audited or kept after the request. Hashing costs ~0.1 s of CPU and 64 MiB, so `Hasher` runs
it in worker threads, a few at a time.
"""

from __future__ import annotations

import asyncio
import secrets
import unicodedata

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from arena.errors import Problem

NAME_MAX = 40
PASSWORD_MIN = 8
PASSWORD_MAX = 128
NAME_MARKS = "._-·"
# Passwords people at a county office reach for first; refused outright.
COMMON = frozenset(
    {
        "12345678", "123456789", "1234567890", "87654321", "11111111", "88888888", "66666666",
        "00000000", "12341234", "11223344", "password", "password1", "passw0rd", "qwertyui",
        "qwerty123", "abcd1234", "a12345678", "abc12345", "1qaz2wsx", "iloveyou", "admin123",
        "admin888", "woaini1314", "zzb12345", "arena123", "arena2025", "arena2026",
    }
)  # fmt: skip

_hasher = PasswordHasher()  # RFC 9106 low-memory profile: t=3, m=64 MiB, p=4


def normal_name(raw: str) -> str:
    """A sign-in name as stored and looked up: NFKC-normalised (full-width letters become
    half-width), surrounding spaces removed."""
    if not encodable(raw):
        return raw.strip()
    return unicodedata.normalize("NFKC", raw).strip()


def name_problems(name: str, field: str = "name") -> list[Problem]:
    """What is wrong with a new account's (normalised) name; empty when it may be used."""
    if not name:
        return [Problem(field, "请填写登录名")]
    problems = []
    if len(name) > NAME_MAX:
        problems.append(Problem(field, f"登录名不能超过 {NAME_MAX} 个字"))
    if not all(ch.isalnum() or ch in NAME_MARKS for ch in name) or not encodable(name):
        problems.append(Problem(field, "登录名只能由汉字、字母、数字和 . _ - · 组成，不能有空格"))
    return problems


def password_problems(password: str, name: str, field: str = "password") -> list[Problem]:
    """Every rule a new password breaks (all at once); empty when it may be used."""
    if not password:
        return [Problem(field, "请填写密码")]
    problems = []
    if len(password) < PASSWORD_MIN:
        problems.append(Problem(field, f"密码至少 {PASSWORD_MIN} 位"))
    if len(password) > PASSWORD_MAX:
        problems.append(Problem(field, f"密码不能超过 {PASSWORD_MAX} 位"))
    if not encodable(password) or any(unicodedata.category(ch) == "Cc" for ch in password):
        problems.append(Problem(field, "密码含有无法使用的字符"))
    elif problems:
        pass  # the length is wrong already: one thing to fix at a time in this field
    elif password.lower() in COMMON or len(set(password)) == 1:
        problems.append(Problem(field, "密码过于常见，容易被猜中，请换一个"))
    elif name and password.casefold() == name.casefold():
        problems.append(Problem(field, "密码不能与登录名相同"))
    return problems


def confirm_problems(password: str, again: str, field: str = "password_again") -> list[Problem]:
    """The confirmation must repeat the password."""
    if not again:
        return [Problem(field, "请再输入一次密码")]
    if again != password:
        return [Problem(field, "两次输入的密码不一致")]
    return []


class Hasher:
    """argon2id in worker threads, at most `parallel` at a time (each hash takes 64 MiB)."""

    def __init__(self, parallel: int = 2) -> None:
        self._gate = asyncio.Semaphore(parallel)
        self._decoy: str | None = None

    async def hash(self, password: str) -> str:
        """The argon2id hash of a password (salted; its parameters are kept in the hash)."""
        async with self._gate:
            return await asyncio.to_thread(_hasher.hash, password)

    async def check(self, stored: str | None, password: str) -> bool:
        """Whether `password` matches the stored hash. With no hash (an unknown name) the same
        work is done against a decoy, so the answer's timing does not tell names apart."""
        if self._decoy is None:
            self._decoy = await self.hash(secrets.token_urlsafe(16))
        if not encodable(password):
            password = ""
        async with self._gate:
            ok = await asyncio.to_thread(_verify, stored or self._decoy, password)
        return ok and stored is not None


def needs_rehash(stored: str) -> bool:
    """Whether a hash was made with weaker parameters than today's (rehashed at next sign-in)."""
    try:
        return _hasher.check_needs_rehash(stored)
    except InvalidHashError:
        return True


def _verify(stored: str, password: str) -> bool:
    try:
        return _hasher.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False


def encodable(text: str) -> bool:
    """Whether text can be stored and hashed (no lone surrogates)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True
