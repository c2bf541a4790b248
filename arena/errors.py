"""The two kinds of error: what the user did wrong (a 4xx naming the field) and what is broken."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a request, named by its field path (e.g. "villages[2].targets")."""

    field: str
    message: str


@dataclass
class UserError(Exception):
    """A refused request: rendered as {"error": {"code", "message", "field"}} with `status`."""

    status: int
    code: str
    message: str
    field: str | None = None
    problems: list[Problem] = dataclasses.field(default_factory=list)

    def __str__(self) -> str:
        return f"{self.status} {self.code}: {self.message}"

    def body(self) -> dict[str, Any]:
        """The JSON error body of the integration API."""
        error: dict[str, Any] = {"code": self.code, "message": self.message, "field": self.field}
        if self.problems:
            error["problems"] = [{"field": p.field, "message": p.message} for p in self.problems]
        return {"error": error}


def invalid(field: str, message: str, code: str = "invalid") -> UserError:
    """A 422 for one field."""
    return UserError(422, code, message, field)


def invalid_all(problems: list[Problem], code: str = "invalid") -> UserError:
    """A 422 listing every problem found; the first names the field."""
    first = problems[0]
    message = "；".join(f"{p.field}：{p.message}" for p in problems[:20])
    if len(problems) > 20:
        message += f"；等共 {len(problems)} 处问题"
    return UserError(422, code, message, first.field, list(problems))


def not_found(what: str, field: str | None = None) -> UserError:
    """A 404 for an unknown object."""
    return UserError(404, "not_found", f"{what}不存在", field)


def forbidden(message: str, code: str = "forbidden", field: str | None = None) -> UserError:
    """A 403: authenticated, but not allowed to do this."""
    return UserError(403, code, message, field)


def unauthenticated() -> UserError:
    """A 401: no valid credential."""
    return UserError(401, "unauthenticated", "需要有效的令牌或个人链接")
