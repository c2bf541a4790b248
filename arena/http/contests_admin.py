"""Contests (擂台赛) from the browser: the list, a new contest by form or template workbook,
replacing a personal link, delete (no scores yet) or archive."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from arena.contests.definition import parse_contest
from arena.contests.workbook import (
    SPEC,
    contest_template,
    read_contest_workbook,
    without_empty_awards,
)
from arena.errors import UserError, not_found
from arena.http.boards import upload
from arena.http.boards_admin import (
    archived_flag,
    described,
    form_columns,
    form_definition,
    refusal,
    workbook_download,
    workbook_refusal,
)
from arena.http.common import JSON, json_body, path_id, services
from arena.http.pages import refused_page as page_error
from arena.http.pages import render
from arena.services.contests.admin import archive_contest, contest_list, delete_contest
from arena.services.contests.catalogue import LINK_ROLES


def contest_problems(data: dict[str, Any]) -> list[tuple[str, str]]:
    """Every problem the contest definition parser finds, as (path, message)."""
    try:
        parse_contest(data)
    except UserError as exc:
        return [(p.field, p.message) for p in exc.problems] or [(exc.field or "", exc.message)]
    return []


async def list_page(request: Request) -> Response:
    try:
        await services(request).auth.require(request, "organiser")
    except UserError as exc:
        return page_error(request, exc)
    context = {
        "contests": await contest_list(),
        "archived": await contest_list(archived=True),
    }
    return render(request, "contest/list.html", context)


def _sheet(title: str) -> Any:
    return next(s for s in SPEC.sheets if s.title == title)


DEFAULT_AWARDS = [{"name": "一等奖", "count": 1}, {"name": "二等奖", "count": 2},
                  {"name": "三等奖", "count": 3}]  # fmt: skip


async def new_page(request: Request) -> Response:
    try:
        await services(request).auth.require(request, "organiser")
    except UserError as exc:
        return page_error(request, exc)
    context = {
        "basics": form_columns(
            _sheet("基本信息").fields,
            time_limit_seconds={"placeholder": "480"},
            overtime_penalty={"placeholder": "0.5"},
            overtime_step_seconds={"placeholder": "30"},
            aggregation_method={"blank": "去掉最高最低分后平均（默认）"},
            aggregation_trim={"placeholder": "1"},
            aggregation_min_judges_for_trim={"placeholder": "3"},
        ),
        "contestants": form_columns(_sheet("选手").columns, code={"width": "5em"}),
        "judges": form_columns(_sheet("评委").columns, code={"width": "5em"}),
        "criteria": form_columns(
            _sheet("评分标准").columns, code={"width": "8em"}, max={"width": "5em"}
        ),
        "awards": form_columns(_sheet("奖项").columns, count={"width": "5em"}),
        "default_awards": DEFAULT_AWARDS,
    }
    return render(request, "contest/new.html", context)


async def check(request: Request) -> JSON:
    await services(request).auth.require(request, "organiser")
    data = without_empty_awards(await form_definition(request, SPEC))
    return JSON({"problems": described(SPEC, contest_problems(data))})


def _created(answer: dict[str, Any]) -> JSON:
    url = f"/admin/contests/{answer['id']}/links"
    body = {"id": answer["id"], "url": url}
    return JSON(body, status_code=201, headers={"Location": url})


async def create(request: Request) -> Response:
    svc = services(request)
    principal = await svc.auth.require(request, "organiser")
    data = without_empty_awards(await form_definition(request, SPEC))
    try:
        answer = await svc.contests.create(data, principal.actor)
    except UserError as exc:
        return refusal(SPEC, exc)
    return _created(answer)


async def template(request: Request) -> Response:
    await services(request).auth.require(request, "organiser")
    return workbook_download(contest_template(), "contest-template.xlsx", "擂台赛定义模板.xlsx")


async def create_from_workbook(request: Request) -> Response:
    svc = services(request)
    principal = await svc.auth.require(request, "organiser")
    _, content = await upload(request, "file")
    reading = read_contest_workbook(content)
    problems = reading.place(contest_problems(reading.data))
    if problems:
        return workbook_refusal(problems)
    return _created(await svc.contests.create(reading.data, principal.actor))


async def reissue(request: Request) -> JSON:
    svc = services(request)
    principal = await svc.auth.require(request, "organiser")
    data = await json_body(request)
    role, code = data.get("role"), data.get("code")
    if role not in LINK_ROLES or not isinstance(code, str):
        raise not_found("该链接", "code")
    answer = await svc.contests.reissue(path_id(request, "contest_id"), role, code, principal.actor)
    svc.auth.forget()
    await svc.sockets.sweep()  # sockets opened with the old link close now (others: ≤ 5 s)
    return JSON(answer, status_code=201)


async def delete(request: Request) -> JSON:
    svc = services(request)
    principal = await svc.auth.require(request, "organiser")
    contest_id = path_id(request, "contest_id")
    data = await json_body(request)
    await delete_contest(svc.contests, contest_id, data.get("confirm"), principal.actor)
    svc.auth.forget()
    return JSON({"id": contest_id, "deleted": True})


async def archive(request: Request) -> JSON:
    svc = services(request)
    principal = await svc.auth.require(request, "organiser")
    contest_id = path_id(request, "contest_id")
    flag = archived_flag(await json_body(request))
    return JSON(await archive_contest(contest_id, flag, principal.actor))


routes: list[BaseRoute] = [
    Route("/admin/contests", list_page, methods=["GET"]),
    Route("/admin/contests/new", new_page, methods=["GET"]),
    Route("/admin/contests/new", create, methods=["POST"]),
    Route("/admin/contests/new/check", check, methods=["POST"]),
    Route("/admin/contests/new/workbook", create_from_workbook, methods=["POST"]),
    Route("/admin/contests/template.xlsx", template, methods=["GET"]),
    Route("/api/v1/contests/{contest_id}", delete, methods=["DELETE"]),
    Route("/api/v1/contests/{contest_id}/archive", archive, methods=["POST"]),
    Route("/api/v1/contests/{contest_id}/links", reissue, methods=["POST"]),
]
