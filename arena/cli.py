"""The `arena` command: serve, demo, tokens, rounds and contests from TOML files, audit checks."""

from __future__ import annotations

import argparse
import asyncio
import sys
import tomllib
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from arena.settings import Settings, load_settings

ROLES = ("organiser", "screen")


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the console script."""
    parser = _parser()
    args = parser.parse_args(argv)
    settings = load_settings()
    if getattr(args, "db", None):
        settings = replace(settings, db_url=args.db)
    if getattr(args, "host", None):
        settings = replace(settings, host=args.host)
    if getattr(args, "port", None):
        settings = replace(settings, port=args.port)
    from arena.venue.cli import at_venue

    settings = at_venue(settings)  # https:// links when the venue has a certificate
    try:
        return int(args.func(settings, args) or 0)
    except _Refused as exc:
        print(exc, file=sys.stderr)
        return 2


class _Refused(Exception):
    pass


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="arena", description="Arena 比学赶超评比平台")
    sub = parser.add_subparsers(required=True, metavar="COMMAND")

    def server_options(p: argparse.ArgumentParser) -> None:
        p.add_argument("--host")
        p.add_argument("--port", type=int)
        p.add_argument("--db", help="database URL (default: SQLite file in the data directory)")

    p = sub.add_parser("serve", help="run the server")
    server_options(p)
    p.set_defaults(func=cmd_serve)
    p = sub.add_parser("demo", help="load demo data (a field-review day), then serve")
    server_options(p)
    p.add_argument("--no-serve", action="store_true", help="load and print the links only")
    p.set_defaults(func=cmd_demo)
    p = sub.add_parser("token", help="integration tokens")
    tsub = p.add_subparsers(required=True, metavar="ACTION")
    t = tsub.add_parser("create", help="create a token and print it once")
    t.add_argument("--role", choices=ROLES, required=True)
    t.add_argument("--name", required=True)
    t.add_argument("--db")
    t.set_defaults(func=cmd_token_create)
    _user_commands(sub)
    p = sub.add_parser("round", help="field review rounds")
    rsub = p.add_subparsers(required=True, metavar="ACTION")
    r = rsub.add_parser("load", help="create a round from a TOML definition; print its links")
    r.add_argument("file", type=Path)
    r.add_argument("--db")
    r.set_defaults(func=cmd_round_load)
    r = rsub.add_parser("links", help="print a round's personal links")
    r.add_argument("id", type=int)
    r.add_argument("--db")
    r.set_defaults(func=cmd_round_links)
    p = sub.add_parser("contest", help="arena contests (擂台赛)")
    csub = p.add_subparsers(required=True, metavar="ACTION")
    c = csub.add_parser("load", help="create a contest from a TOML definition; print its links")
    c.add_argument("file", type=Path)
    c.add_argument("--db")
    c.set_defaults(func=cmd_contest_load)
    from arena.venue.cli import add_commands as add_tls_commands

    add_tls_commands(sub)
    from arena.backup.cli import add_commands as add_backup_commands

    add_backup_commands(sub)
    p = sub.add_parser("audit", help="the audit log")
    asub = p.add_subparsers(required=True, metavar="ACTION")
    a = asub.add_parser(
        "verify", help="check the hash chain and that every stored score-bearing row matches it"
    )
    a.add_argument("--db")
    a.add_argument("--head", help="a published head hash: is it still an entry of the chain?")
    a.set_defaults(func=cmd_audit_verify)
    return parser


def _with_db(settings: Settings, work: Callable[[], Awaitable[Any]]) -> Any:
    from arena.db import close_database, open_database
    from arena.services.audit import ensure_head

    async def run() -> Any:
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        await open_database(settings.database_url)
        try:
            await ensure_head()
            return await work()
        finally:
            await close_database()

    return asyncio.run(run())


def _catalogue(settings: Settings) -> Any:
    from arena.auth import load_server_key
    from arena.services.rounds import RoundCatalogue

    return RoundCatalogue(
        load_server_key(settings.data_dir, settings.secret_key), settings.public_url
    )


def cmd_serve(settings: Settings, args: argparse.Namespace) -> int:
    from arena.app import create_app
    from arena.venue.cli import serve

    return serve(settings, create_app)  # HTTPS with the venue's certificate when there is one


def cmd_demo(settings: Settings, args: argparse.Namespace) -> int:
    from arena.auth import link_url
    from arena.boards.demo import load_board_demo
    from arena.contests.demo import load_contest_demo
    from arena.demo import demo_organiser, load_demo

    async def work() -> None:
        catalogue = _catalogue(settings)
        organiser, secret = await demo_organiser(catalogue.server_key)
        rounds = await load_demo(catalogue, organiser)
        boards = await load_board_demo(organiser.actor)
        contests = _contests(settings)
        contest_id = await load_contest_demo(contests, organiser)
        latest = rounds[-1]
        print("\n== Arena 演示数据已就绪 ==")
        print(f"组织者链接（控制台）: {link_url(settings.public_url, 'organiser', secret)}")
        print(f"组织者 API 令牌:       {secret}")
        print(f"本轮拉练 id: {latest.id}（上一轮 id: {rounds[0].id}）")
        if "screen" in latest.links:
            print(f"会场大屏链接: {latest.links['screen']['url']}")
        if boards:
            print(
                f"强村富民指数榜: {settings.public_url}/screen/boards/{boards[-1]}（大屏）  "
                f"{settings.public_url}/admin/boards/{boards[-1]}（管理）"
            )
        _print_links(latest.links)
        print(f"擂台赛 id {contest_id}（进行中）：")
        _print_contest_links(settings, contest_id, await contests.links(contest_id))

    _with_db(settings, work)
    if args.no_serve:
        return 0
    return cmd_serve(settings, args)


def _print_links(links: dict[str, Any]) -> None:
    print("评委链接：")
    for j in links["judges"]:
        print(f"  {j['code']} {j['name']}: {j['url']}")
    print("各村书记链接：")
    for v in links["villages"]:
        print(f"  {v['code']} {v['name']}: {v['url']}")


def _contests(settings: Settings) -> Any:
    from arena.auth import load_server_key
    from arena.services.contests.catalogue import ContestCatalogue

    return ContestCatalogue(
        load_server_key(settings.data_dir, settings.secret_key), settings.public_url
    )


def _print_contest_links(settings: Settings, contest_id: int, links: dict[str, Any]) -> None:
    base = settings.public_url
    print(f"  主持人控制台（组织者）: {base}/admin/contests/{contest_id}/console")
    print(f"  擂台大屏链接: {links['screen']['url']}")
    print("  评委链接：")
    for j in links["judges"]:
        print(f"    {j['code']} {j['name']}: {j['url']}")
    print("  选手链接：")
    for c in links["contestants"]:
        print(f"    {c['code']} {c['name']}: {c['url']}")


def _load_definition(
    settings: Settings,
    path: Path,
    create: Callable[[dict[str, Any]], Awaitable[dict[str, Any]]],
    what: str,
) -> dict[str, Any]:
    """Read a TOML definition and create it; every problem of a bad one is listed at once."""
    from arena.errors import UserError

    try:
        data = tomllib.loads(path.read_text("utf-8"))
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise _Refused(f"无法读取 {path}：{exc}") from None
    except RecursionError:
        raise _Refused(f"无法读取 {path}：嵌套层数过多") from None
    try:
        created: dict[str, Any] = _with_db(settings, lambda: create(data))
    except UserError as exc:
        only = f"  {exc.field}: {exc.message}" if exc.field else f"  {exc.message}"
        lines = [f"  {p.field}: {p.message}" for p in exc.problems] or [only]
        raise _Refused(f"{what}定义有误：\n" + "\n".join(lines)) from None
    return created


def cmd_contest_load(settings: Settings, args: argparse.Namespace) -> int:
    created = _load_definition(
        settings, args.file, lambda d: _contests(settings).create(d, "cli:contest load"), "擂台赛"
    )
    print(f"已创建擂台赛 id {created['id']}")
    _print_contest_links(settings, created["id"], created)
    return 0


def _user_commands(sub: Any) -> None:
    p = sub.add_parser("user", help="organiser accounts (sign in at /login)")
    usub = p.add_subparsers(required=True, metavar="ACTION")
    u = usub.add_parser("create", help="add an organiser account (asks for its password)")
    u.add_argument("--name", required=True)
    u.add_argument("--password-stdin", action="store_true", help="read the password from stdin")
    u.add_argument("--db")
    u.set_defaults(func=cmd_user_create)
    u = usub.add_parser("list", help="list organiser accounts")
    u.add_argument("--db")
    u.set_defaults(func=cmd_user_list)
    for action, what in (("disable", "disable an account and end its sessions"),
                         ("enable", "enable a disabled account again")):  # fmt: skip
        u = usub.add_parser(action, help=what)
        u.add_argument("name")
        u.add_argument("--db")
        u.set_defaults(func=cmd_user_switch, disabled=action == "disable")
    u = usub.add_parser("reset", help="set a new password and end the account's sessions")
    u.add_argument("name")
    u.add_argument("--password-stdin", action="store_true", help="read the password from stdin")
    u.add_argument("--db")
    u.set_defaults(func=cmd_user_reset)


def _new_password(args: argparse.Namespace) -> tuple[str, str]:
    """The new password and its confirmation: one line of stdin, or asked twice (not echoed)."""
    import getpass

    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
        return password, password
    try:
        return getpass.getpass("密码："), getpass.getpass("再输入一次密码：")
    except (EOFError, KeyboardInterrupt):
        raise _Refused("已取消") from None


def _accounts_cli(settings: Settings, work: Callable[[Any], Awaitable[Any]]) -> Any:
    """Run `work(accounts)` against the database; a refused change is printed with its problems."""
    from arena.errors import UserError
    from arena.services.accounts import Accounts

    try:
        return _with_db(settings, lambda: work(Accounts(settings.auth)))
    except UserError as exc:
        lines = [f"  {p.message}" for p in exc.problems] or [f"  {exc.message}"]
        raise _Refused("未完成：\n" + "\n".join(lines)) from None


def cmd_user_create(settings: Settings, args: argparse.Namespace) -> int:
    password, again = _new_password(args)
    created = _accounts_cli(
        settings, lambda accounts: accounts.create(args.name, password, again, "cli:user create")
    )
    print(f"已添加组织部账号「{created.name}」：在 {settings.public_url}/login 登录")
    return 0


def cmd_user_list(settings: Settings, args: argparse.Namespace) -> int:
    from arena.http.accounts.guard import local

    accounts = _accounts_cli(settings, lambda accounts: accounts.listing())
    if not accounts:
        print("还没有组织部账号。用 arena user create --name 登录名 添加第一个。")
        return 0
    for a in accounts:
        state = "已停用" if a.disabled else "启用"
        last = local(a.last_login_at) if a.last_login_at else "从未登录"
        print(f"{a.name}\t{state}\t创建 {local(a.created_at)}\t最近登录 {last}\t会话 {a.sessions}")
    return 0


def cmd_user_switch(settings: Settings, args: argparse.Namespace) -> int:
    async def work(accounts: Any) -> Any:
        found = await accounts.find(args.name)
        actor = "cli:user disable" if args.disabled else "cli:user enable"
        return await accounts.set_disabled(found.id, args.disabled, actor)

    changed = _accounts_cli(settings, work)
    print(f"账号「{changed.name}」已{'停用，其会话已结束' if changed.disabled else '启用'}")
    return 0


def cmd_user_reset(settings: Settings, args: argparse.Namespace) -> int:
    password, again = _new_password(args)

    async def work(accounts: Any) -> Any:
        found = await accounts.find(args.name)
        return await accounts.reset_password(found.id, password, again, "cli:user reset")

    changed, ended = _accounts_cli(settings, work)
    print(f"已重置「{changed.name}」的密码，结束了它的 {ended} 个会话")
    return 0


def cmd_token_create(settings: Settings, args: argparse.Namespace) -> int:
    from arena.auth import create_token

    print(_with_db(settings, lambda: create_token(args.role, args.name)))
    return 0


def cmd_round_load(settings: Settings, args: argparse.Namespace) -> int:
    created = _load_definition(
        settings, args.file, lambda d: _catalogue(settings).create(d, "cli:round load"), "轮次"
    )
    print(f"已创建拉练轮次 id {created['id']}")
    _print_links(created)
    return 0


def cmd_round_links(settings: Settings, args: argparse.Namespace) -> int:
    from arena.errors import UserError

    try:
        links = _with_db(settings, lambda: _catalogue(settings).links(args.id))
    except UserError as exc:
        raise _Refused(exc.message) from None
    _print_links(links)
    if "screen" in links:
        print(f"会场大屏链接: {links['screen']['url']}")
    return 0


def cmd_audit_verify(settings: Settings, args: argparse.Namespace) -> int:
    from arena.services.audit_state import verify_all

    head = (args.head or "").strip().lower() or None
    if head is not None and (len(head) < 8 or len(head) > 64 or head.strip("0123456789abcdef")):
        print("--head 应为审计哈希（至少前 8 位十六进制字符）", file=sys.stderr)
        return 2
    report = _with_db(settings, lambda: verify_all(head))
    chain = report.chain
    if not chain.ok:
        print(f"审计链断裂：第 {chain.broken_at} 条记录 — {chain.reason}", file=sys.stderr)
        return 1
    print(f"审计链完整：{chain.events} 条记录，最新哈希 {chain.latest}")
    for difference in report.differences:
        print(f"与审计链不符：{difference}", file=sys.stderr)
    if report.differences:
        print(f"数据核对未通过：共 {len(report.differences)} 处", file=sys.stderr)
    else:
        print("数据核对通过：评分表、扣分、满意度、指数榜导入、跟进、擂台赛均与审计链一致")
    if report.head_found is True:
        where = f"第 {report.head_event} 条记录" if report.head_event else "链的起点"
        print(f"公布的哈希 {head} 在审计链中：{where}")
    elif report.head_found is False:
        print(f"公布的哈希 {head} 不在审计链中：记录被截断或改写", file=sys.stderr)
    return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(main())
