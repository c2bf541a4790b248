"""The template workbook to fill: Chinese headers, an example, drop-down lists for choices."""

from __future__ import annotations

import io

import openpyxl
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from arena.workbooks.spec import Column, FieldsSheet, ListSheet, WorkbookSpec

HEAD_FILL = PatternFill("solid", fgColor="F3E3C3")
REQUIRED_FONT = Font(bold=True, color="9E0F15")
PLAIN_FONT = Font(bold=True)


def template(spec: WorkbookSpec) -> bytes:
    """The workbook to fill: Chinese headers, one example, drop-down lists for choices."""
    book = openpyxl.Workbook()
    book.remove(book.active)  # type: ignore[arg-type]
    for sheet in spec.sheets:
        ws = book.create_sheet(sheet.title)
        if isinstance(sheet, FieldsSheet):
            _fields_template(ws, sheet)
        else:
            _list_template(ws, sheet)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _head(ws: Worksheet, col: int, label: str, required: bool, note: str) -> None:
    cell = ws.cell(row=1, column=col, value=label)
    cell.font = REQUIRED_FONT if required else PLAIN_FONT
    cell.fill = HEAD_FILL
    cell.alignment = Alignment(vertical="center")
    if note:
        cell.comment = Comment(note, "Arena")


def _choices(ws: Worksheet, column: Column, ref: str) -> None:
    if column.kind == "choice":
        words = [label for label, _ in column.choices]
    elif column.kind == "flag":
        words = ["是", "否"]
    else:
        return
    rule = DataValidation(type="list", formula1=f'"{",".join(words)}"', allow_blank=True)
    rule.error = f"请从下拉列表中选择：{'、'.join(words)}"
    ws.add_data_validation(rule)
    rule.add(ref)


def _fields_template(ws: Worksheet, sheet: FieldsSheet) -> None:
    for col, (label, width) in enumerate((("项目", 30), ("填写", 46), ("说明", 60)), start=1):
        _head(ws, col, label, False, "")
        ws.column_dimensions[get_column_letter(col)].width = width
    for row, column in enumerate(sheet.fields, start=2):
        label = ws.cell(row=row, column=1, value=column.label)
        label.font = REQUIRED_FONT if column.required else Font()
        if column.key in sheet.example:
            ws.cell(row=row, column=2, value=column.shown(sheet.example[column.key]))
        note = ("必填。" if column.required else "选填。") + column.note
        ws.cell(row=row, column=3, value=note).alignment = Alignment(wrap_text=True)
        _choices(ws, column, f"B{row}")
    ws.freeze_panes = "A2"


def _list_template(ws: Worksheet, sheet: ListSheet) -> None:
    for col, column in enumerate(sheet.columns, start=1):
        note = ("必填。" if column.required else "选填。") + column.note
        _head(ws, col, column.label, column.required, note)
        letter = get_column_letter(col)
        ws.column_dimensions[letter].width = column.width
        _choices(ws, column, f"{letter}2:{letter}5000")
    for row, example in enumerate(sheet.examples, start=2):
        for col, column in enumerate(sheet.columns, start=1):
            if column.key in example:
                ws.cell(row=row, column=col, value=column.shown(example[column.key]))
    ws.freeze_panes = "A2"
