"""The state checkers' contract: replay the chain's events, then compare with the stored rows."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from types import SimpleNamespace
from typing import Any

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.models import Model


@dataclass(frozen=True)
class Event:
    """One audit entry as a checker sees it."""

    id: int
    actor: str  # "organiser:市委组织部"
    action: str
    subject: str  # "round:3"
    payload: dict[str, Any]

    @property
    def actor_name(self) -> str:
        """The caller's name without the role ("organiser:张三" -> "张三")."""
        return self.actor.split(":", 1)[-1]

    @property
    def subject_id(self) -> int:
        """The number after the colon of the subject ("round:3" -> 3)."""
        return int(self.subject.split(":", 1)[1])


@dataclass(frozen=True)
class Difference:
    """A stored row that is not what the chain says: which table, which row, what differs."""

    table: str
    row: str  # the row's id, or its key when the row is missing
    what: str
    subject: str = ""  # "round:3" when the row belongs to one round (publishing checks those)

    def __str__(self) -> str:
        return f"{self.table} {self.row}: {self.what}"


class Checker(ABC):
    """One table's (or one event family's) state check.

    A fresh checker is made for every verification. `replay` is called with every chain event
    whose action is in `actions`, in chain order; then `compare` reads the stored rows through
    `conn` (one read snapshot) and returns every difference: a row changed, added, deleted or
    re-flagged outside Arena. Entries written before a field was recorded in the chain are
    checked on the fields they carry.
    """

    actions: tuple[str, ...] = ()

    @abstractmethod
    def replay(self, event: Event) -> None:
        """Take one chain event into the expected state."""

    @abstractmethod
    async def compare(self, conn: BaseDBAsyncClient) -> list[Difference]:
        """Every difference between the stored rows and the expected state."""


CHECKERS: list[Callable[[], Checker]] = []

Row = SimpleNamespace  # a stored row with only the columns a checker reads


async def rows_of(
    conn: BaseDBAsyncClient, model: type[Model], key: str, *fields: str
) -> dict[Any, Row]:
    """{row[key]: row} with only these columns: a column another change adds is not read."""
    rows = await model.all().using_db(conn).values(key, *fields)
    return {row[key]: SimpleNamespace(**row) for row in rows}


def register(factory: Callable[[], Checker]) -> Callable[[], Checker]:
    """Add a checker (class or factory) to the registry; usable as a class decorator."""
    CHECKERS.append(factory)
    return factory


def same_number(a: Any, b: Any) -> bool:
    """True when two stored numbers (text or Decimal) are the same amount."""
    try:
        return Decimal(str(a)) == Decimal(str(b))
    except (InvalidOperation, ValueError):
        return a == b


def same_items(a: Any, b: Any) -> bool:
    """True when two {item: points} maps hold the same items with the same amounts."""
    if not isinstance(a, dict) or not isinstance(b, dict) or set(a) != set(b):
        return False
    return all(same_number(a[k], b[k]) for k in a)


def show(value: Any, limit: int = 80) -> str:
    """A short printable form of a value for a difference message."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"
