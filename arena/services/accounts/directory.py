"""Organiser accounts: create, list, disable, enable, reset a password, and sign in.

An account owns an organiser Token whose secret nobody holds; signing in opens a Session on it.
Every change is appended to the audit log in its own transaction, naming the account but never
a password or its hash. Sign-in attempts are logged (name, address, outcome), never audited.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from arena.auth import digest, new_secret
from arena.errors import Problem, UserError, forbidden, invalid_all, not_found
from arena.models import Account, Token
from arena.services import audit
from arena.services.accounts import sessions
from arena.services.accounts.passwords import (
    NAME_MAX,
    PASSWORD_MAX,
    Hasher,
    confirm_problems,
    encodable,
    name_problems,
    needs_rehash,
    normal_name,
    password_problems,
)
from arena.services.accounts.sessions import SessionPolicy
from arena.services.accounts.throttle import FREE_PER_NAME, SignInThrottle
from arena.settings import AuthSettings

log = logging.getLogger("arena.accounts")


class SignInThrottled(UserError):
    """Too many failed sign-ins: a 429 whose Retry-After is `retry_after` seconds."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(
            429, "too_many_attempts", f"尝试次数过多，请{wait_words(retry_after)}后再试"
        )
        self.retry_after = retry_after


def wait_words(seconds: int) -> str:
    """A wait in words: "30 秒", "2 分钟", "1 分 30 秒"."""
    minutes, rest = divmod(seconds, 60)
    if not minutes:
        return f" {rest} 秒"
    return f" {minutes} 分钟" if not rest else f" {minutes} 分 {rest} 秒"


@dataclass(frozen=True)
class AccountView:
    """An account as the users page and `arena user list` show it."""

    id: int
    name: str
    disabled: bool
    created_at: dt.datetime
    last_login_at: dt.datetime | None
    password_changed_at: dt.datetime | None
    token_id: int
    sessions: int = 0


def _view(account: Account, sessions_held: int = 0) -> AccountView:
    return AccountView(
        id=account.id,
        name=account.name,
        disabled=account.disabled,
        created_at=account.created_at,
        last_login_at=account.last_login_at,
        password_changed_at=account.password_changed_at,
        token_id=account.token_id,  # type: ignore[attr-defined]
        sessions=sessions_held,
    )


class Accounts:
    """Organiser accounts and the sessions browsers hold (one per app instance)."""

    def __init__(self, auth: AuthSettings) -> None:
        self.hasher = Hasher()
        self.throttle = SignInThrottle()
        self.link_policy = SessionPolicy(
            round(auth.link_session_hours * 3600), auth.sessions_per_link
        )
        self.account_policy = SessionPolicy(
            round(auth.account_session_hours * 3600), auth.sessions_per_account
        )

    async def open_link_session(self, token_id: int, address: str = "", agent: str = "") -> str:
        """A personal link exchanged for a session; returns the cookie value."""
        return await sessions.start(token_id, self.link_policy, address, agent)

    async def sign_in(
        self, raw_name: str, password: str, address: str, agent: str = ""
    ) -> tuple[str, AccountView]:
        """Check a name and password; open a session (returns the cookie value and the account).

        Refusals: 422 with every empty field, 429 `SignInThrottled` while slowed down (no
        password is checked), 401 for a wrong name or password (one message for both), 403 for
        a disabled account (told only to someone who knows its password).
        """
        name = normal_name(raw_name[:100])  # longer is no name; keeps log lines and keys short
        problems = []
        if not name:
            problems.append(Problem("name", "请填写登录名"))
        if not password:
            problems.append(Problem("password", "请填写密码"))
        if problems:
            raise invalid_all(problems, "missing")
        wait = self.throttle.wait(name, address)
        if wait:
            log.warning(
                "sign-in refused (slowed down %ss): name=%r address=%s", wait, name, address
            )
            raise SignInThrottled(wait)
        account = None
        if len(name) <= NAME_MAX and encodable(name):
            account = await Account.get_or_none(name=name)
        if len(password) > PASSWORD_MAX:
            password = ""  # never matches: no hash is longer than the longest password allowed
        stored = account.password_hash if account else None
        if not await self.hasher.check(stored, password) or account is None:
            self.throttle.failed(name, address)
            log.warning("sign-in failed: name=%r address=%s", name, address)
            raise UserError(401, "sign_in_failed", self._failure_message(name, address), "password")
        self.throttle.succeeded(name)
        if account.disabled:
            log.warning("sign-in to a disabled account: name=%r address=%s", name, address)
            raise forbidden("该账号已停用，请联系组织部的管理员", "account_disabled", "name")
        at = sessions.now()
        updates: dict[str, object] = {"last_login_at": at}
        if needs_rehash(account.password_hash):
            updates["password_hash"] = await self.hasher.hash(password)
        await Account.filter(id=account.id).update(**updates)
        token_id: int = account.token_id  # type: ignore[attr-defined]
        secret = await sessions.start(token_id, self.account_policy, address, agent, at)
        log.info("signed in: name=%r address=%s", name, address)
        return secret, _view(account)

    def _failure_message(self, name: str, address: str) -> str:
        wait = self.throttle.wait(name, address)
        if wait:
            return f"登录名或密码不正确。尝试次数过多，请{wait_words(wait)}后再试"
        left = FREE_PER_NAME - self.throttle.failures(name, address)[0]
        if left <= 2:
            return f"登录名或密码不正确（再错 {left} 次需等待后才能再试）"
        return "登录名或密码不正确"

    async def create(self, raw_name: str, password: str, again: str, actor: str) -> AccountView:
        """A new organiser account; every problem with the form is listed at once (422)."""
        name = normal_name(raw_name)
        problems = name_problems(name)
        if not problems and await Account.exists(name=name):
            problems.append(Problem("name", "该登录名已被使用"))
        problems += password_problems(password, name)
        problems += confirm_problems(password, again)
        if problems:
            raise invalid_all(problems)
        password_hash = await self.hasher.hash(password)
        try:
            async with in_transaction() as conn:
                token = await Token.create(
                    token_hash=digest(new_secret()), role="organiser", name=name, using_db=conn
                )
                account = await Account.create(
                    name=name,
                    password_hash=password_hash,
                    token=token,
                    password_changed_at=sessions.now(),
                    using_db=conn,
                )
                await audit.append(
                    conn, actor, "account.create", f"account:{account.id}", {"name": name}
                )
        except IntegrityError:
            raise invalid_all([Problem("name", "该登录名已被使用")]) from None
        return _view(account)

    async def listing(self) -> list[AccountView]:
        """Every account, in the order they were created, with its live sessions counted."""
        accounts = await Account.all().order_by("id")
        held = await sessions.count_by_token([a.token_id for a in accounts])  # type: ignore[attr-defined]
        return [_view(a, held.get(a.token_id, 0)) for a in accounts]  # type: ignore[attr-defined]

    async def get(self, account_id: int) -> AccountView:
        account = await Account.get_or_none(id=account_id)
        if account is None:
            raise not_found("该账号", "account")
        return _view(account)

    async def find(self, raw_name: str) -> AccountView:
        """The account with this name (for the command line)."""
        name = normal_name(raw_name)
        account = await Account.get_or_none(name=name) if encodable(name) else None
        if account is None:
            raise not_found(f"账号「{name}」", "name")
        return _view(account)

    async def set_disabled(
        self, account_id: int, disabled: bool, actor: str, actor_token: int | None = None
    ) -> AccountView:
        """Disable an account (its token revoked, its sessions ended) or enable it again."""
        async with in_transaction() as conn:
            account = await Account.filter(id=account_id).using_db(conn).select_for_update().first()
            if account is None:
                raise not_found("该账号", "account")
            if disabled and account.token_id == actor_token:  # type: ignore[attr-defined]
                raise forbidden("不能停用自己正在使用的账号", "own_account", "account")
            if account.disabled == disabled:
                return _view(account)  # already so: nothing to change or audit
            account.disabled = disabled
            await account.save(using_db=conn, update_fields=["disabled"])
            await Token.filter(id=account.token_id).using_db(conn).update(revoked=disabled)  # type: ignore[attr-defined]
            ended = await sessions.end_of_token(account.token_id, conn) if disabled else 0  # type: ignore[attr-defined]
            action = "account.disable" if disabled else "account.enable"
            payload: dict[str, object] = {"name": account.name}
            if disabled:
                payload["sessions_ended"] = ended
            await audit.append(conn, actor, action, f"account:{account.id}", payload)
        return _view(account)

    async def reset_password(
        self, account_id: int, password: str, again: str, actor: str, keep_session: str = ""
    ) -> tuple[AccountView, int]:
        """Set a new password and end the account's sessions (all but `keep_session`, the hash
        of the session making the change, when one resets their own)."""
        account = await Account.get_or_none(id=account_id)
        if account is None:
            raise not_found("该账号", "account")
        problems = password_problems(password, account.name) + confirm_problems(password, again)
        if problems:
            raise invalid_all(problems)
        password_hash = await self.hasher.hash(password)
        async with in_transaction() as conn:
            account.password_hash = password_hash
            account.password_changed_at = sessions.now()
            await account.save(
                using_db=conn, update_fields=["password_hash", "password_changed_at"]
            )
            ended = await sessions.end_of_token(account.token_id, conn, keep=keep_session)  # type: ignore[attr-defined]
            await audit.append(
                conn,
                actor,
                "account.password_reset",
                f"account:{account.id}",
                {"name": account.name, "sessions_ended": ended},
            )
        return _view(account), ended
