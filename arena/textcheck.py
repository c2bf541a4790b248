"""Text and nesting a request may carry: what every database stores the same way.

A lone surrogate ("\\ud800") cannot be encoded as UTF-8 and a NUL is refused by PostgreSQL
(SQLite stores it): either is a 422 naming the field, before any database sees it. Nesting
deeper than MAX_DEPTH is a 400. Used by request bodies (arena/body.py) and by the definition
parsers, so forms, workbooks and TOML files are held to the same rule.
"""

from __future__ import annotations

import re
from typing import Any

from arena.errors import UserError, invalid

MAX_DEPTH = 32  # nesting of objects and arrays in a body; real definitions use 5
_BAD_TEXT = re.compile("[\x00\ud800-\udfff]")


def check_tree(data: Any) -> None:
    """400 when nested deeper than MAX_DEPTH; 422 naming the first key or text that holds a lone
    surrogate or a NUL character. Iterative: a hostile body cannot exhaust the stack here."""
    stack: list[tuple[Any, str, int]] = [(data, "", 0)]
    while stack:
        value, path, depth = stack.pop()
        if isinstance(value, str):
            _check_text(value, path)
        elif isinstance(value, dict | list):
            if depth >= MAX_DEPTH:
                raise too_deep(path or None)
            if isinstance(value, dict):
                for key, item in value.items():
                    shown = _BAD_TEXT.sub(lambda m: f"\\u{ord(m.group()):04x}", str(key))
                    name = f"{path}.{shown}" if path else shown
                    _check_text(str(key), name)
                    stack.append((item, name, depth + 1))
            else:
                stack.extend((item, f"{path}[{n}]", depth + 1) for n, item in enumerate(value))


def _check_text(value: str, field: str) -> None:
    bad = _BAD_TEXT.search(value)
    if bad is None:
        return
    if bad.group() == "\x00":
        raise invalid(field or "body", "不能包含 NUL（\\u0000）字符", "invalid_text")
    raise invalid(field or "body", "含有无效的 Unicode 字符（孤立代理项）", "invalid_text")


def too_deep(field: str | None = None) -> UserError:
    """400: nested deeper than MAX_DEPTH."""
    return UserError(400, "too_deep", f"嵌套层数超过上限 {MAX_DEPTH}", field)
