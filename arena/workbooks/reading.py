"""Reading a filled workbook into a definition dict, remembering which cell each path came from.

Rows are numbered as Excel shows them (header = row 1); wholly empty rows are skipped. A cell that
cannot be read (a word where a number belongs) is a problem of the reading; the definition
parser's problems are placed on cells afterwards (``Reading.place``).
"""

from __future__ import annotations

import datetime as dt
import io
import math
import re
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import openpyxl

from arena.workbooks.spec import INDEX, Column, FieldsSheet, ListSheet, SheetProblem, WorkbookSpec

TRUE_WORDS = {"是", "true", "TRUE", "True", "1", "Y", "y", "yes"}
FALSE_WORDS = {"否", "false", "FALSE", "False", "0", "N", "n", "no"}


@dataclass
class Reading:
    """A workbook read into a definition dict, with where each path came from."""

    data: dict[str, Any]
    cells: dict[str, tuple[str, int | None, str | None]]
    problems: list[SheetProblem]
    spec: WorkbookSpec
    # paths (list positions as "[]") whose faults the reading already told: a missing sheet,
    # a missing column; "" silences everything (the file is not a workbook at all)
    silenced: set[str] = field(default_factory=set)

    def locate(self, path: str, message: str) -> SheetProblem:
        """A definition parser's problem at ``path``, placed on its sheet, row and column."""
        probe = path
        while probe:
            if probe in self.cells:
                sheet, row, column = self.cells[probe]
                return SheetProblem(sheet, row, column, message, path)
            probe = _parent(probe)
        first = self.spec.sheets[0].title if self.spec.sheets else ""
        return SheetProblem(first, None, None, message, path)

    def place(self, problems: Iterable[tuple[str, str]]) -> list[SheetProblem]:
        """The reading's own problems, then the parser's (path, message) placed on cells.

        A path the reading already faulted (a number that was not one) is not faulted again.
        """
        faulted = {p.field for p in self.problems if p.field}
        placed = [
            self.locate(path, message)
            for path, message in problems
            if path not in faulted and not self._silenced(path)
        ]
        return [*self.problems, *placed]

    def _silenced(self, path: str) -> bool:
        general = INDEX.sub("[]", path)
        return any(
            general == s or general.startswith((s + ".", s + "[")) or s == "" for s in self.silenced
        )


def _parent(path: str) -> str:
    if path.endswith("]"):
        return path[: path.rindex("[")]
    return path.rsplit(".", 1)[0] if "." in path else ""


class _Cells:
    """Converts cells to definition values, noting every bad one."""

    def __init__(self) -> None:
        self.problems: list[SheetProblem] = []

    def value(self, column: Column, raw: Any, where: tuple[str, int, str], path: str) -> Any:
        """The definition value of a non-empty cell, or None (with a problem noted)."""
        sheet, row, label = where

        def bad(message: str) -> None:
            self.problems.append(SheetProblem(sheet, row, label, message, path))

        if column.kind == "text":
            return _text(raw)
        if column.kind == "date":
            if isinstance(raw, dt.datetime):
                return raw.date().isoformat()
            if isinstance(raw, dt.date):
                return raw.isoformat()
            return _text(raw)
        if column.kind in ("number", "integer"):
            number = as_number(raw)
            if number is None:
                bad(f"应为数字，而不是“{_text(raw)}”")
            elif column.kind == "integer" and number != int(number):
                bad(f"应为整数，而不是“{_text(raw)}”")
                return None
            elif column.kind == "integer":
                return int(number)
            return number
        text = _text(raw)
        if column.kind == "flag":
            if text in TRUE_WORDS:
                return True
            if text in FALSE_WORDS:
                return False
            bad(f"应填“是”或“否”，而不是“{text}”")
            return None
        for label_text, code in column.choices:
            if text in (label_text, code):
                return code
        words = "、".join(f"“{label_text}”" for label_text, _ in column.choices)
        bad(f"应为 {words} 之一，而不是“{text}”")
        return None


def _text(raw: Any) -> str:
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    return str(raw).strip()


def as_number(raw: Any) -> int | float | None:
    """A cell or form value as a number, or None when it is not one."""
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        return raw
    if isinstance(raw, float):
        return (int(raw) if raw.is_integer() else raw) if math.isfinite(raw) else None
    text = str(raw).strip().replace(",", "").replace("，", "")
    if re.fullmatch(r"[+-]?\d+", text):
        return int(text)
    try:
        number = float(text)
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def _empty(raw: Any) -> bool:
    return raw is None or (isinstance(raw, str) and not raw.strip())


def assign(data: dict[str, Any], dotted: str, value: Any) -> None:
    """Set ``data["a"]["b"] = value`` for the dotted path ``a.b``."""
    *parents, last = dotted.split(".")
    for key in parents:
        data = data.setdefault(key, {})
    data[last] = value


def read(spec: WorkbookSpec, content: bytes) -> Reading:
    """Read a filled workbook; problems of the workbook itself are in ``Reading.problems``."""
    reading = Reading({}, {}, [], spec)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about styles it does not know
            book = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # a zip that is not a workbook raises many kinds of error
        reading.problems.append(
            SheetProblem("", None, None, "不是有效的 Excel 工作簿（.xlsx），请用下载的模板填写")
        )
        reading.silenced.add("")
        return reading
    try:
        cells = _Cells()
        for sheet in spec.sheets:
            if sheet.title not in book.sheetnames:
                reading.problems.append(
                    SheetProblem(sheet.title, None, None, f"缺少工作表「{sheet.title}」")
                )
                if isinstance(sheet, FieldsSheet):
                    reading.silenced.update(c.key for c in sheet.fields)
                else:
                    reading.silenced.add(sheet.key)
                continue
            rows = list(book[sheet.title].iter_rows(values_only=True))
            if isinstance(sheet, FieldsSheet):
                _read_fields(reading, cells, sheet, rows)
            else:
                _read_list(reading, cells, sheet, rows)
        reading.problems.extend(cells.problems)
    finally:
        book.close()
    return reading


def _read_fields(
    reading: Reading, cells: _Cells, sheet: FieldsSheet, rows: Sequence[tuple[Any, ...]]
) -> None:
    by_label = {c.label: c for c in sheet.fields}
    seen: dict[str, int] = {}
    for column in sheet.fields:
        reading.cells[column.key] = (sheet.title, None, None)
    for number, row in enumerate(rows[1:], start=2):
        label = _text(row[0]) if row and not _empty(row[0]) else ""
        value = row[1] if len(row) > 1 else None
        if not label:
            if not _empty(value):
                reading.problems.append(SheetProblem(sheet.title, number, "项目", "缺少项目名称"))
            continue
        found = by_label.get(label)
        if found is None:
            message = f"未知的项目“{label}”，应为模板中的项目之一"
            reading.problems.append(SheetProblem(sheet.title, number, "项目", message))
            continue
        if label in seen:
            message = f"项目“{label}”重复（第 {seen[label]} 行已填写）"
            reading.problems.append(SheetProblem(sheet.title, number, "项目", message))
            continue
        seen[label] = number
        reading.cells[found.key] = (sheet.title, number, "填写")
        if _empty(value):
            continue
        converted = cells.value(found, value, (sheet.title, number, "填写"), found.key)
        if converted is not None:
            assign(reading.data, found.key, converted)
    for column in sheet.fields:
        if column.required and column.label not in seen:
            message = f"缺少项目“{column.label}”"
            reading.problems.append(SheetProblem(sheet.title, None, "项目", message))
            reading.silenced.add(column.key)


def _read_list(
    reading: Reading, cells: _Cells, sheet: ListSheet, rows: Sequence[tuple[Any, ...]]
) -> None:
    reading.cells[sheet.key] = (sheet.title, None, None)
    items: list[dict[str, Any]] = []
    reading.data[sheet.key] = items
    if not rows:
        reading.problems.append(SheetProblem(sheet.title, 1, None, "缺少表头行"))
        reading.silenced.add(sheet.key)
        return
    by_label = {c.label: c for c in sheet.columns}
    positions: dict[int, Column] = {}
    for col, raw in enumerate(rows[0]):
        if _empty(raw):
            continue
        label = _text(raw).rstrip("*＊").strip()
        column = by_label.get(label)
        if column is None:
            message = f"未知的列“{label}”，应为模板中的列之一"
            reading.problems.append(SheetProblem(sheet.title, 1, label, message))
        elif column in positions.values():
            reading.problems.append(SheetProblem(sheet.title, 1, label, f"列“{label}”重复"))
        else:
            positions[col] = column
    for column in sheet.columns:
        if column.required and column not in positions.values():
            message = f"缺少列“{column.label}”"
            reading.problems.append(SheetProblem(sheet.title, 1, column.label, message))
            reading.silenced.add(f"{sheet.key}[].{column.key}")
    for number, row in enumerate(rows[1:], start=2):
        if all(_empty(v) for v in row):
            continue
        i = len(items)
        path = f"{sheet.key}[{i}]"
        reading.cells[path] = (sheet.title, number, None)
        item: dict[str, Any] = {}
        for col, column in positions.items():
            where = (sheet.title, number, column.label)
            reading.cells[f"{path}.{column.key}"] = where
            raw = row[col] if col < len(row) else None
            if _empty(raw):
                continue
            converted = cells.value(column, raw, where, f"{path}.{column.key}")
            if converted is not None:
                item[column.key] = converted
        items.append(item)
