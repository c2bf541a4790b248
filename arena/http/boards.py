"""Index board API (强村富民指数榜): define, import values, rankings, detail, follow-ups, flags."""

from __future__ import annotations

import json
import tomllib
from collections.abc import AsyncGenerator
from typing import Any
from urllib.parse import quote

from starlette.datastructures import UploadFile
from starlette.formparsers import MultiPartException, MultiPartParser
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route, WebSocketRoute
from starlette.websockets import WebSocket

from arena.boards.export import export_board_xlsx, export_incentives_xlsx
from arena.body import check_tree
from arena.errors import UserError, invalid
from arena.http import board_pages
from arena.http.board_pages import board_service
from arena.http.common import JSON, json_body, path_id, services
from arena.http.screens import serve
from arena.live.channels import channel
from arena.live.endpoint import POLICY_VIOLATION
from arena.services.boards import views
from arena.services.boards.followup import (
    follow_ups,
    incentive_report,
    incentive_rows,
    save_follow_up,
)
from arena.services.boards.writes import define_board, import_values

UPLOAD_LIMIT = 256 * 1024 * 1024  # a values file of 500,000 villages × 30 indicators is ~110 MiB
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
READERS = ("organiser", "screen")


async def read_body(request: Request, limit: int) -> bytes:
    """The raw request body; 413 over ``limit`` bytes."""
    declared = request.headers.get("content-length", "")
    too_large = UserError(413, "body_too_large", f"上传内容超过上限 {limit // 2**20} MiB")
    if declared.isdigit() and int(declared) > limit:
        raise too_large
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise too_large
        chunks.append(chunk)
    return b"".join(chunks)


async def upload(request: Request, field: str, limit: int = UPLOAD_LIMIT) -> tuple[str, bytes]:
    """The uploaded file: the ``field`` part of a multipart form, or the raw body."""
    body = await read_body(request, limit)
    kind = request.headers.get("content-type", "")
    if kind.startswith("multipart/form-data"):

        async def replay() -> AsyncGenerator[bytes, None]:
            yield body

        parser = MultiPartParser(request.headers, replay(), max_files=1, max_fields=10)
        try:
            form = await parser.parse()
        except MultiPartException as exc:
            raise UserError(400, "malformed_form", f"表单格式错误：{exc.message}", field) from None
        part = form.get(field)
        if not isinstance(part, UploadFile):
            raise invalid(field, "请选择要上传的文件", "missing")
        content = await part.read()
        return part.filename or "", content
    suffix = "xlsx" if XLSX in kind else "toml" if "toml" in kind else kind.split("/")[-1]
    return request.query_params.get("filename") or f"upload.{suffix.split(';')[0]}", body


def _strict(name: str) -> Any:
    raise ValueError(f"JSON 中不允许 {name}")


def parse_definition(filename: str, content: bytes) -> dict[str, Any]:
    """A board definition from TOML or JSON bytes (by file name, else by its first character)."""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise invalid("definition", "定义文件应为 UTF-8 编码") from None
    as_json = filename.lower().endswith(".json") or text.lstrip().startswith("{")
    try:
        data = json.loads(text, parse_constant=_strict) if as_json else tomllib.loads(text)
    except RecursionError:  # nested tens of thousands deep: refused, not a crash
        raise UserError(400, "too_deep", "定义文件嵌套层数过多", "definition") from None
    except (ValueError, tomllib.TOMLDecodeError) as exc:
        kind = "JSON" if as_json else "TOML"
        raise UserError(
            400, "malformed_definition", f"{kind} 格式错误：{exc}", "definition"
        ) from None
    if not isinstance(data, dict):
        raise invalid("definition", "定义应为对象（键值对）")
    check_tree(data)  # depth, lone surrogates and NUL: a 4xx naming the field on every database
    return data


async def list_boards(request: Request) -> JSON:
    await services(request).auth.require(request, *READERS)
    return JSON({"boards": await board_service(request).all_boards()})


async def define(request: Request) -> JSON:
    principal = await services(request).auth.require(request, "organiser")
    # A definition is small: only the values import accepts large uploads.
    limit = services(request).settings.max_body_bytes
    filename, content = await upload(request, "definition", limit)
    return JSON(await define_board(parse_definition(filename, content), principal.actor), 201)


async def get_board(request: Request) -> JSON:
    await services(request).auth.require(request, *READERS)
    c = await board_service(request).computed(path_id(request, "board_id"))
    return JSON(views.board_summary(c))


async def import_file(request: Request) -> JSON:
    principal = await services(request).auth.require(request, "organiser")
    service = board_service(request)
    board_id = path_id(request, "board_id")
    await service.meta(board_id)
    filename, content = await upload(request, "file")
    answer = await import_values(service, board_id, filename, content, principal.actor)
    services(request).board_changed(board_id)
    return JSON(answer, 201)


def _int(request: Request, key: str, default: int) -> int:
    raw = request.query_params.get(key, "")
    if not raw:
        return default
    if not raw.isdigit() or len(raw) > 9:
        raise invalid(key, "应为正整数")
    return int(raw)


async def rankings(request: Request) -> JSON:
    await services(request).auth.require(request, *READERS)
    c = await board_service(request).computed(path_id(request, "board_id"))
    q = request.query_params
    answer = views.rankings(
        c, township=q.get("township", "").strip(), search=q.get("q", "").strip(),
        sort=q.get("sort", "rank"), page=_int(request, "page", 1),
        per_page=_int(request, "per_page", 50),
    )  # fmt: skip
    return JSON(answer)


async def village(request: Request) -> JSON:
    await services(request).auth.require(request, *READERS)
    service = board_service(request)
    c = await service.computed(path_id(request, "board_id"))
    code = request.path_params["code"]
    c.required()
    if code not in c.meta.village_ids:
        raise UserError(404, "not_found", f"村“{code}”不在本指数榜中", "code")
    return JSON(views.village_detail(c, code, await views.trend(service, c.meta, code)))


async def list_follow_ups(request: Request) -> JSON:
    await services(request).auth.require(request, *READERS)
    c = await board_service(request).computed(path_id(request, "board_id"))
    return JSON({"board": views.board_summary(c), "rows": await follow_ups(c)})


async def put_follow_up(request: Request) -> JSON:
    principal = await services(request).auth.require(request, "organiser")
    c = await board_service(request).computed(path_id(request, "board_id"))
    data = await json_body(request)
    answer = await save_follow_up(c, request.path_params["code"], data, principal.actor)
    services(request).board_changed(c.meta.id)
    return JSON(answer)


async def flags(request: Request) -> JSON:
    await services(request).auth.require(request, *READERS)
    c = await board_service(request).computed(path_id(request, "board_id"))
    return JSON({"board": views.board_summary(c), **incentive_report(c)})


async def screen(request: Request) -> JSON:
    await services(request).auth.require(request, *READERS)
    c = await board_service(request).computed(path_id(request, "board_id"))
    return JSON(views.screen(c, await follow_ups(c)))


def _xlsx(content: bytes, filename: str) -> Response:
    disposition = f"attachment; filename=\"board.xlsx\"; filename*=UTF-8''{quote(filename)}"
    return Response(content, media_type=XLSX, headers={"Content-Disposition": disposition})


async def export_board(request: Request) -> Response:
    await services(request).auth.require(request, "organiser")
    c = await board_service(request).computed(path_id(request, "board_id"))
    content = export_board_xlsx(c.meta.board, c.required(), c.delta)
    return _xlsx(content, f"{c.meta.board.name}.xlsx")


async def export_incentives(request: Request) -> Response:
    await services(request).auth.require(request, "organiser")
    c = await board_service(request).computed(path_id(request, "board_id"))
    content = export_incentives_xlsx(c.meta.board, c.awards, incentive_rows(c))
    return _xlsx(content, f"{c.meta.board.name}-红旗激励.xlsx")


API = "/api/v1/boards"


async def board_socket(websocket: WebSocket) -> None:
    svc = services(websocket)
    try:
        board_id = path_id(websocket, "board_id")
        await svc.boards.meta(board_id)
    except UserError:
        await websocket.close(code=POLICY_VIOLATION)
        return
    await serve(
        websocket,
        channel("board", board_id),
        lambda: svc.board_version(board_id),
        lambda p: p.role in READERS,
    )


routes: list[BaseRoute] = [
    Route(API, list_boards, methods=["GET"]),
    Route(API, define, methods=["POST"]),
    Route(API + "/{board_id}", get_board, methods=["GET"]),
    Route(API + "/{board_id}/values", import_file, methods=["POST"]),
    Route(API + "/{board_id}/rankings", rankings, methods=["GET"]),
    Route(API + "/{board_id}/villages/{code}", village, methods=["GET"]),
    Route(API + "/{board_id}/followups", list_follow_ups, methods=["GET"]),
    Route(API + "/{board_id}/followups/{code}", put_follow_up, methods=["PUT"]),
    Route(API + "/{board_id}/flags", flags, methods=["GET"]),
    Route(API + "/{board_id}/screen", screen, methods=["GET"]),
    Route(API + "/{board_id}/export.xlsx", export_board, methods=["GET"]),
    Route(API + "/{board_id}/incentives.xlsx", export_incentives, methods=["GET"]),
    WebSocketRoute("/ws/boards/{board_id}", board_socket),
    *board_pages.routes,
]
