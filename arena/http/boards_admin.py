"""Creating index boards in the browser (a form, or the template workbook); delete or archive.

The form's field names are definition paths (``indicators[2].weight``), so the checks as the
official types, the refusal of a submitted form and the workbook's problems all come from the
one definition parser (arena/boards/definition.py) and name the same places.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl, quote

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from arena.boards.definition import DefinitionError, parse_board
from arena.boards.workbook import SPEC, board_template, read_board_workbook
from arena.errors import UserError
from arena.http.boards import XLSX, read_body, upload
from arena.http.common import JSON, json_body, path_id, services
from arena.http.pages import refused_page as page_error
from arena.http.pages import render
from arena.scoring.flags import FLAG_CATEGORIES, SCOPE_NAMES
from arena.services.boards.admin import archive_board, delete_board, existing
from arena.services.boards.writes import define_board
from arena.workbooks import Column, SheetProblem, WorkbookSpec, from_form

FORM_LIMIT = 16 * 1024 * 1024  # a form of 20,000 villages is ~4 MiB


async def form_definition(request: Request, spec: WorkbookSpec) -> dict[str, Any]:
    """The definition dict of a URL-encoded form whose field names are definition paths."""
    body = await read_body(request, FORM_LIMIT)
    try:
        pairs = parse_qsl(body.decode("utf-8"), keep_blank_values=True, max_num_fields=None)
    except (UnicodeDecodeError, ValueError):
        raise UserError(400, "malformed_form", "表单格式错误", None) from None
    return from_form(spec, pairs)


def described(spec: WorkbookSpec, problems: list[tuple[str, str]]) -> list[dict[str, str]]:
    """Problems as the form shows them: the field, its Chinese name, the message."""
    return [{"field": f, "label": spec.describe(f), "message": m} for f, m in problems]


def refusal(spec: WorkbookSpec, exc: UserError) -> JSON:
    """A refused form: every problem with the Chinese name of its field."""
    body = exc.body()
    pairs = [(p.field, p.message) for p in exc.problems] or [(exc.field or "", exc.message)]
    body["error"]["problems"] = described(spec, pairs)
    return JSON(body, status_code=exc.status)


def workbook_refusal(problems: list[SheetProblem]) -> JSON:
    """A refused workbook: every problem by sheet, row and column; nothing was stored."""
    first = problems[0]
    shown = "；".join(f"{p.where()}：{p.message}" for p in problems[:5])
    more = f"；等共 {len(problems)} 处" if len(problems) > 5 else ""
    message = f"工作簿有 {len(problems)} 处问题，未创建任何内容：{shown}{more}"
    error = {
        "code": "workbook_rejected",
        "message": message,
        "field": "file",
        "problems": [p.to_json() for p in problems],
    }
    return JSON({"error": error}, status_code=422, headers={"X-First-Sheet": quote(first.sheet)})


def board_problems(data: dict[str, Any]) -> list[tuple[str, str]]:
    """Every problem the definition parser finds, as (path, message)."""
    try:
        parse_board(data)
    except DefinitionError as exc:
        return [(p.path or "definition", p.message) for p in exc.problems]
    return []


def form_columns(columns: tuple[Column, ...], **extra: dict[str, Any]) -> list[dict[str, Any]]:
    """The template's view of a sheet's columns (label, kind, choices), with extras per key."""
    return [
        {
            "key": c.key,
            "label": c.label,
            "kind": c.kind,
            "required": c.required,
            "options": c.choices,
            "hint": c.note,
            **extra.get(c.key.replace(".", "_"), {}),
        }
        for c in columns
    ]


def _sheet(title: str) -> Any:
    return next(s for s in SPEC.sheets if s.title == title)


async def new_page(request: Request) -> Response:
    try:
        await services(request).auth.require(request, "organiser")
    except UserError as exc:
        return page_error(request, exc)
    groups = [(SCOPE_NAMES[s], [(c, c) for c in FLAG_CATEGORIES[s]]) for s in FLAG_CATEGORIES]
    context = {
        "basics": form_columns(
            _sheet("基本信息").fields,
            scope_level={"default": "county"},
            period_kind={"default": "year"},
            period_label={"placeholder": "2025 或 2025Q3"},
            incentives_secretary_monthly={"placeholder": "500"},
            incentives_other_cadre_monthly={"placeholder": "300"},
            incentives_love_supermarket={"placeholder": "10000"},
        ),
        "indicators": form_columns(
            _sheet("指标").columns,
            code={"width": "7em", "hint": ""},
            name={"width": "8em"},
            unit={"width": "3.5em", "hint": ""},
            direction={"default": "higher", "width": "6.6em"},
            weight={"width": "4em"},
            normalisation={"noblank": True, "default": "minmax", "width": "5.8em"},
            min={"width": "4em"},
            max={"width": "4em"},
        ),
        "villages": form_columns(
            _sheet("村庄").columns,
            code={"width": "7em"},
            cadres={"width": "5em"},
            county={"placeholder": "默认为范围名称"},
        ),
        "flags": form_columns(
            _sheet("红旗规则").columns,
            category={"kind": "choice", "groups": groups, "blank": "请选择"},
            indicator={"list": "indicator-codes", "placeholder": "综合指数", "width": "9em"},
            n={"width": "4em"},
            threshold={"width": "5em"},
        ),
    }
    return render(request, "boards/new.html", context)


async def check(request: Request) -> JSON:
    await services(request).auth.require(request, "organiser")
    data = await form_definition(request, SPEC)
    problems = board_problems(data)
    clash = await existing(data)
    if clash is not None:
        problems.append((clash.field or "period.label", clash.message))
    return JSON({"problems": described(SPEC, problems)})


async def create(request: Request) -> Response:
    principal = await services(request).auth.require(request, "organiser")
    data = await form_definition(request, SPEC)
    try:
        answer = await define_board(data, principal.actor)
    except UserError as exc:
        return refusal(SPEC, exc)
    url = f"/admin/boards/{answer['id']}"
    return JSON({**answer, "url": url}, status_code=201, headers={"Location": url})


def workbook_download(content: bytes, filename: str, name: str) -> Response:
    """A template workbook as an attachment: an ASCII file name and the Chinese one."""
    disposition = f"attachment; filename=\"{filename}\"; filename*=UTF-8''{quote(name)}"
    return Response(content, media_type=XLSX, headers={"Content-Disposition": disposition})


def archived_flag(data: dict[str, Any]) -> bool:
    """The ``archived`` of an archive request (true when left out); 422 unless a boolean."""
    flag = data.get("archived", True)
    if not isinstance(flag, bool):
        raise UserError(422, "invalid", "archived 应为 true 或 false", "archived")
    return flag


async def template(request: Request) -> Response:
    await services(request).auth.require(request, "organiser")
    return workbook_download(board_template(), "board-template.xlsx", "指数榜定义模板.xlsx")


async def create_from_workbook(request: Request) -> Response:
    principal = await services(request).auth.require(request, "organiser")
    _, content = await upload(request, "file")
    reading = read_board_workbook(content)
    problems = reading.place(board_problems(reading.data))
    if problems:
        return workbook_refusal(problems)
    clash = await existing(reading.data)
    if clash is not None:
        return workbook_refusal([reading.locate("period.label", clash.message)])
    try:
        answer = await define_board(reading.data, principal.actor)
    except UserError as exc:  # defined at the same moment by another request
        pairs = [(p.field, p.message) for p in exc.problems] or [(exc.field or "", exc.message)]
        return workbook_refusal([reading.locate(f, m) for f, m in pairs])
    url = f"/admin/boards/{answer['id']}"
    return JSON({**answer, "url": url}, status_code=201, headers={"Location": url})


async def delete(request: Request) -> JSON:
    svc = services(request)
    principal = await svc.auth.require(request, "organiser")
    board_id = path_id(request, "board_id")
    data = await json_body(request)
    await delete_board(svc.boards, board_id, data.get("confirm"), principal.actor)
    return JSON({"id": board_id, "deleted": True})


async def archive(request: Request) -> JSON:
    svc = services(request)
    principal = await svc.auth.require(request, "organiser")
    board_id = path_id(request, "board_id")
    flag = archived_flag(await json_body(request))
    return JSON(await archive_board(board_id, flag, principal.actor))


# Listed before the board pages: "/admin/boards/new" must not be taken for a board's id.
routes: list[BaseRoute] = [
    Route("/admin/boards/new", new_page, methods=["GET"]),
    Route("/admin/boards/new", create, methods=["POST"]),
    Route("/admin/boards/new/check", check, methods=["POST"]),
    Route("/admin/boards/new/workbook", create_from_workbook, methods=["POST"]),
    Route("/admin/boards/template.xlsx", template, methods=["GET"]),
    Route("/api/v1/boards/{board_id}", delete, methods=["DELETE"]),
    Route("/api/v1/boards/{board_id}/archive", archive, methods=["POST"]),
]
