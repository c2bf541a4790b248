"""/admin/users: organisers list accounts, add one, disable or enable it, reset its password."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from arena.auth import Principal, digest
from arena.errors import UserError
from arena.http.accounts.forms import form_token
from arena.http.accounts.guard import credentials_ended, local, organiser_form, organiser_page
from arena.http.common import path_id, services
from arena.http.pages import render
from arena.services.accounts.passwords import NAME_MAX, PASSWORD_MAX, PASSWORD_MIN

DONE = {
    "created": "已添加账号「{name}」，请把登录名和密码当面告诉本人。",
    "disabled": "已停用账号「{name}」，它的所有会话已结束。",
    "enabled": "已启用账号「{name}」。",
    "reset": "已重置「{name}」的密码，它在其他设备上的会话已结束。",
}


async def users_view(
    request: Request,
    principal: Principal,
    *,
    errors: dict[str, list[str]] | None = None,
    values: dict[str, str] | None = None,
    failed_form: str = "",
    message: str = "",
    status: int = 200,
) -> Response:
    svc = services(request)
    accounts = await svc.accounts.listing()
    done = ""
    code = request.query_params.get("done", "")
    raw_id = request.query_params.get("account", "")
    if code in DONE and raw_id.isdigit():
        named = next((a for a in accounts if a.id == int(raw_id)), None)
        done = DONE[code].format(name=named.name) if named else ""
    rows = [
        {
            "id": a.id,
            "name": a.name,
            "disabled": a.disabled,
            "created": local(a.created_at),
            "last_login": local(a.last_login_at),
            "sessions": a.sessions,
            "mine": a.token_id == principal.token_id,
        }
        for a in accounts
    ]
    context: dict[str, Any] = {
        "principal": principal,
        "accounts": rows,
        "csrf": form_token(request),
        "errors": errors or {},
        "values": values or {},
        "failed_form": failed_form,
        "message": message,
        "done": done,
        "rules": {"name_max": NAME_MAX, "min": PASSWORD_MIN, "max": PASSWORD_MAX},
    }
    return render(request, "accounts/users.html", context, status_code=status)


def _errors(exc: UserError) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    for p in exc.problems or []:
        errors.setdefault(p.field, []).append(p.message)
    if not errors:
        errors[exc.field or "form"] = [exc.message]
    return errors


@organiser_page
async def users_page(request: Request, principal: Principal) -> Response:
    return await users_view(request, principal)


def _done(code: str, account_id: int) -> Response:
    return RedirectResponse(f"/admin/users?done={code}&account={account_id}", status_code=303)


@organiser_form
async def create_account(request: Request, principal: Principal, form: dict[str, str]) -> Response:
    svc = services(request)
    try:
        created = await svc.accounts.create(
            form.get("name", ""), form.get("password", ""), form.get("password_again", ""),
            principal.actor,
        )  # fmt: skip
    except UserError as exc:
        return await users_view(
            request, principal, errors=_errors(exc), values={"name": form.get("name", "")},
            failed_form="create", status=exc.status,
        )  # fmt: skip
    return _done("created", created.id)


def _switch(disabled: bool):  # type: ignore[no-untyped-def]
    @organiser_form
    async def endpoint(request: Request, principal: Principal, form: dict[str, str]) -> Response:
        svc = services(request)
        account_id = path_id(request, "account_id")
        try:
            await svc.accounts.set_disabled(
                account_id, disabled, principal.actor, principal.token_id
            )
        except UserError as exc:
            return await users_view(request, principal, message=exc.message, status=exc.status)
        await credentials_ended(request)
        return _done("disabled" if disabled else "enabled", account_id)

    return endpoint


@organiser_form
async def reset_password(request: Request, principal: Principal, form: dict[str, str]) -> Response:
    svc = services(request)
    account_id = path_id(request, "account_id")
    cookie = request.cookies.get(svc.settings.auth.cookie_name, "")
    try:
        await svc.accounts.reset_password(
            account_id, form.get("password", ""), form.get("password_again", ""),
            principal.actor, keep_session=digest(cookie) if cookie else "",
        )  # fmt: skip
    except UserError as exc:
        return await users_view(
            request, principal, errors=_errors(exc), failed_form=f"reset-{account_id}",
            status=exc.status,
        )  # fmt: skip
    await credentials_ended(request)
    return _done("reset", account_id)


disable_account = _switch(True)
enable_account = _switch(False)
