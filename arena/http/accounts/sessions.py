"""/admin/sessions: every live browser session (links and accounts), and ending one."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from arena.auth import Principal, digest
from arena.errors import UserError
from arena.http.accounts.device import browser_name
from arena.http.accounts.forms import form_token
from arena.http.accounts.guard import credentials_ended, local, organiser_form, organiser_page
from arena.http.common import path_id, services
from arena.http.pages import render
from arena.services.accounts import sessions

SHOWN = 500


async def sessions_view(
    request: Request, principal: Principal, message: str = "", status: int = 200
) -> Response:
    svc = services(request)
    rows, total = await sessions.live(SHOWN)
    cookie = request.cookies.get(svc.settings.auth.cookie_name, "")
    mine = digest(cookie) if cookie else ""
    entries = [
        {
            "id": r.id,
            "role": r.role,
            "role_name": r.role_name,
            "name": r.name,
            "where": r.where,
            "via": "账号密码" if r.via == "account" else "个人链接",
            "created": local(r.created_at, short=True),
            "last_seen": local(r.last_seen_at, short=True),
            "expires": local(r.expires_at, short=True),
            "device": browser_name(r.agent),
            "address": r.address,
            "mine": r.session_hash == mine,
        }
        for r in rows
    ]
    ended = request.query_params.get("done") == "ended"
    context = {
        "principal": principal,
        "sessions": entries,
        "total": total,
        "shown": len(entries),
        "csrf": form_token(request),
        "message": message,
        "done": "已结束该会话：那台设备需重新打开个人链接或重新登录。" if ended else "",
        "hours": {
            "link": svc.settings.auth.link_session_hours,
            "account": svc.settings.auth.account_session_hours,
        },
        "keep": {
            "link": svc.settings.auth.sessions_per_link,
            "account": svc.settings.auth.sessions_per_account,
        },
    }
    return render(request, "accounts/sessions.html", context, status_code=status)


@organiser_page
async def sessions_page(request: Request, principal: Principal) -> Response:
    return await sessions_view(request, principal)


@organiser_form
async def end_session(request: Request, principal: Principal, form: dict[str, str]) -> Response:
    svc = services(request)
    try:
        ended = await sessions.end(path_id(request, "session_id"), principal.actor)
    except UserError as exc:
        return await sessions_view(request, principal, exc.message, exc.status)
    await credentials_ended(request)
    cookie = request.cookies.get(svc.settings.auth.cookie_name, "")
    if cookie and digest(cookie) == ended.session_hash:
        return RedirectResponse("/login?notice=out", status_code=303)
    return RedirectResponse("/admin/sessions?done=ended", status_code=303)
