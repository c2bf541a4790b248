"""What a definition workbook holds: sheets of fields and sheets of list items, their Chinese
labels and how each cell is read; a definition path in words; a problem placed on a cell."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

INDEX = re.compile(r"\[(\d+)\]")


@dataclass(frozen=True)
class Column:
    """One cell kind: its Chinese label, the definition key it fills, how it is read."""

    label: str
    key: str
    kind: str = "text"
    required: bool = False
    choices: tuple[tuple[str, str], ...] = ()  # (Chinese label, definition value)
    note: str = ""
    width: int = 14

    def shown(self, value: Any) -> Any:
        """A definition value as the workbook shows it (a choice by its Chinese label)."""
        if self.kind == "choice":
            return next((label for label, code in self.choices if code == value), value)
        if self.kind == "flag" and isinstance(value, bool):
            return "是" if value else "否"
        return value


@dataclass(frozen=True)
class FieldsSheet:
    """A sheet of single fields, one a row: 项目 | 填写 | 说明 (``key`` is a dotted path)."""

    title: str
    fields: tuple[Column, ...]
    example: dict[str, Any] = field(default_factory=dict)  # key -> definition value


@dataclass(frozen=True)
class ListSheet:
    """A sheet of list items under ``key``: a header row, then one item a row."""

    title: str
    key: str
    columns: tuple[Column, ...]
    examples: tuple[dict[str, Any], ...] = ()  # column key -> definition value


Sheet = FieldsSheet | ListSheet


@dataclass(frozen=True)
class WorkbookSpec:
    """The sheets of one kind of definition workbook, in order."""

    sheets: tuple[Sheet, ...]
    names: dict[str, str] = field(default_factory=dict)  # tables' names: "scope" -> "范围"

    def describe(self, path: str) -> str:
        """A definition path in words: ``indicators[1].weight`` → 指标第 2 行 · 权重."""
        for sheet in self.sheets:
            if isinstance(sheet, FieldsSheet):
                for column in sheet.fields:
                    if column.key == path:
                        return column.label
            elif path == sheet.key or path.startswith(sheet.key + "["):
                index = index_of(path)
                if index is None:
                    return sheet.title
                text = f"{sheet.title}第 {index + 1} 行"
                key = path.rsplit("].", 1)[1] if "]." in path else ""
                label = next((c.label for c in sheet.columns if c.key == key), key)
                return f"{text} · {label}" if label else text
        head = path.split(".")[0]
        return self.names.get(path) or self.names.get(head) or path or "整体"


@dataclass(frozen=True)
class SheetProblem:
    """One fault, where Excel shows it: sheet, row (None: the sheet), column label (None: row)."""

    sheet: str
    row: int | None
    column: str | None
    message: str
    field: str = ""  # the definition path, when there is one

    def to_json(self) -> dict[str, Any]:
        """The problem as the API lists it."""
        return {
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "message": self.message,
            "field": self.field,
        }

    def where(self) -> str:
        """工作表「指标」第 3 行「权重」."""
        text = f"工作表「{self.sheet}」" if self.sheet else "工作簿"
        if self.row is not None:
            text += f"第 {self.row} 行"
        if self.column:
            text += f"「{self.column}」"
        return text


def index_of(path: str) -> int | None:
    """The first list position in a definition path (``villages[3].code`` → 3)."""
    found = INDEX.search(path)
    return int(found.group(1)) if found else None
