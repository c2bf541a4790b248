"""Read and check request bodies: size limit, strict JSON, typed fields with the field named."""

from __future__ import annotations

import json
import math
import tomllib
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from starlette.requests import Request

from arena.errors import UserError, invalid
from arena.textcheck import check_tree, too_deep


async def read_json(request: Request, limit: int) -> dict[str, Any]:
    """The request body as a JSON object; 413 over `limit` bytes, 415 when a body is sent with
    another Content-Type than JSON, 400 if not JSON, 422 naming a field with unstorable text."""
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise _too_large(limit)
    if declared not in (None, "0") and not is_json_type(request.headers.get("content-type", "")):
        raise not_json()
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise _too_large(limit)
        chunks.append(chunk)
    raw = b"".join(chunks)
    if raw and not is_json_type(request.headers.get("content-type", "")):
        raise not_json()
    return parse_json(raw)


def is_json_type(content_type: str) -> bool:
    """application/json, or a +json type, with any parameters."""
    kind = content_type.split(";", 1)[0].strip().lower()
    return kind == "application/json" or (
        kind.startswith("application/") and kind.endswith("+json")
    )


def not_json() -> UserError:
    """415: a JSON route was sent something else."""
    return UserError(
        415, "unsupported_media_type", "请求体须为 JSON（Content-Type: application/json）", None
    )


def parse_json(raw: bytes) -> dict[str, Any]:
    """Parse strict JSON (no NaN or Infinity); the top level must be an object.

    Nesting deeper than MAX_DEPTH is a 400; a lone surrogate or a NUL in any key or text is a
    422 naming the field, so what SQLite would store and PostgreSQL refuse never reaches either.
    """
    try:
        data = json.loads(raw, parse_constant=_reject_constant, parse_float=Decimal)
    except _NonFinite as exc:
        raise UserError(400, "malformed_json", f"JSON 中不允许 {exc.args[0]}", None) from None
    except RecursionError:
        raise too_deep() from None
    except (ValueError, UnicodeDecodeError) as exc:
        raise UserError(400, "malformed_json", f"请求体不是有效的 JSON：{exc}", None) from None
    if not isinstance(data, dict):
        raise UserError(400, "malformed_json", "请求体必须是 JSON 对象", None)
    check_tree(data)
    return data


def parse_toml(text: str, field: str | None = None) -> dict[str, Any]:
    """Parse TOML with the same limits as JSON (depth, lone surrogates, NUL); 400 if malformed."""
    try:
        data = tomllib.loads(text)
    except RecursionError:
        raise too_deep(field) from None
    except tomllib.TOMLDecodeError as exc:
        raise UserError(400, "malformed_definition", f"TOML 格式错误：{exc}", field) from None
    check_tree(data)
    return data


def _too_large(limit: int) -> UserError:
    return UserError(413, "body_too_large", f"请求体超过上限 {limit} 字节", None)


class _NonFinite(ValueError):
    pass


def _reject_constant(name: str) -> Any:
    raise _NonFinite(name)


def text(
    data: dict[str, Any],
    key: str,
    *,
    field: str | None = None,
    required: bool = True,
    max_length: int = 200,
    default: str = "",
) -> str:
    """A string field, stripped; 422 naming the field if missing, not a string or too long."""
    name = field or key
    value = data.get(key)
    if value is None:
        if required:
            raise invalid(name, "必填", "missing")
        return default
    if not isinstance(value, str):
        raise invalid(name, "必须是字符串", "wrong_type")
    value = value.strip()
    if required and not value:
        raise invalid(name, "不能为空", "missing")
    if len(value) > max_length:
        raise invalid(name, f"长度不能超过 {max_length} 个字符", "too_long")
    return value


def number(
    value: Any,
    field: str,
    *,
    low: Decimal | None = None,
    high: Decimal | None = None,
    places: int = 2,
) -> Decimal:
    """A JSON number as an exact Decimal with at most `places` decimals, within [low, high]."""
    if isinstance(value, bool) or not isinstance(value, (int, Decimal, float, str)):
        raise invalid(field, "必须是数字", "wrong_type")
    if isinstance(value, str):
        raise invalid(field, "必须是数字，不能是字符串", "wrong_type")
    if isinstance(value, float) and not math.isfinite(value):
        raise invalid(field, "必须是有限的数字", "not_finite")
    try:
        result = Decimal(str(value)) if not isinstance(value, Decimal) else value
    except InvalidOperation:
        raise invalid(field, "必须是数字", "wrong_type") from None
    if not result.is_finite():
        raise invalid(field, "必须是有限的数字", "not_finite")
    exponent = result.normalize().as_tuple().exponent
    if isinstance(exponent, int) and exponent < -places:
        raise invalid(field, f"最多 {places} 位小数", "too_precise")
    if low is not None and result < low:
        raise invalid(field, f"不能小于 {low}", "out_of_range")
    if high is not None and result > high:
        raise invalid(field, f"不能大于 {high}", "out_of_range")
    return result


def integer(value: Any, field: str, *, low: int | None = None, high: int | None = None) -> int:
    """A JSON integer within [low, high]."""
    if isinstance(value, bool) or not isinstance(value, int):
        if isinstance(value, Decimal) and value == value.to_integral_value():
            value = int(value)
        else:
            raise invalid(field, "必须是整数", "wrong_type")
    if low is not None and value < low:
        raise invalid(field, f"不能小于 {low}", "out_of_range")
    if high is not None and value > high:
        raise invalid(field, f"不能大于 {high}", "out_of_range")
    return value


def mapping(data: dict[str, Any], key: str) -> dict[str, Any]:
    """An object field; 422 naming the field otherwise."""
    value = data.get(key)
    if value is None:
        raise invalid(key, "必填", "missing")
    if not isinstance(value, dict):
        raise invalid(key, "必须是对象", "wrong_type")
    return value


def only(data: dict[str, Any], allowed: set[str]) -> None:
    """422 naming the first field that is not part of this request's shape."""
    for key in data:
        if key not in allowed:
            raise invalid(str(key), "未知字段", "unknown_field")


def items(raw: Any, catalogue: Sequence[Any], what: str) -> dict[str, Decimal]:
    """{item code: points} with every item of `catalogue` (code, name, max) and no other."""
    if not isinstance(raw, dict):
        raise invalid("items", "必须是对象：{项目编码: 分数}", "wrong_type" if raw else "missing")
    known = {i.code for i in catalogue}
    for code in raw:
        if code not in known:
            raise invalid(f"items.{code}", f"项目 {code} 不在{what}中", "unknown_code")
    out: dict[str, Decimal] = {}
    for item in catalogue:
        if item.code not in raw:
            raise invalid(f"items.{item.code}", f"缺少「{item.name}」的分数", "missing")
        out[item.code] = number(raw[item.code], f"items.{item.code}", low=Decimal(0), high=item.max)
    return out
