"""The round template workbook's optional sheet 群众测评: the residents' survey settings.

Columns A–C list the questions (题目编码, 题目, 可选答案 — empty for every answer of the round's
scale, else labels separated by 、); columns E–F hold the settings (每村卡片数, 开放题, 开始时间,
结束时间). No question rows means no phone survey. Workbooks without the sheet read as before.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

from openpyxl.styles import Font

SHEET = "群众测评"
HEAD = ("题目编码", "题目", "可选答案（留空为全部答案，用“、”分隔）")
SETTINGS = (
    ("每村卡片数", "sample_size"),
    ("开放题", "free_text"),
    ("开始时间", "opens_at"),
    ("结束时间", "closes_at"),
)
NOTE = (
    "「群众测评」：村民用手机扫卡答题。A–C 列一行一道题（不填题目则不启用手机测评），"
    "E–F 列填每村卡片数、开放题和起止时间（如 2026-03-18 08:00，北京时间）。"
)


def write_sheet(wb: Any, survey: dict[str, Any] | None) -> None:
    """Add the sheet (empty questions when the round runs no survey)."""
    ws = wb.create_sheet(SHEET)
    bold = Font(bold=True)
    for n, name in enumerate((*HEAD, "", "设置", "内容"), start=1):
        ws.cell(1, n, name).font = bold
    for letter, width in zip("ABCDEF", (12, 40, 30, 3, 14, 30), strict=True):
        ws.column_dimensions[letter].width = width
    survey = survey or {}
    for n, q in enumerate(survey.get("questions", []), start=2):
        ws.cell(n, 1, q.get("code", ""))
        ws.cell(n, 2, q.get("text", ""))
        ws.cell(n, 3, "、".join(q.get("scale", [])))
    defaults = {"sample_size": 40, "free_text": "", "opens_at": "", "closes_at": ""}
    for n, (label, key) in enumerate(SETTINGS, start=2):
        ws.cell(n, 5, label).font = bold
        value = survey.get(key, defaults[key])
        ws.cell(n, 6, str(value).replace("T", " ") if key.endswith("_at") else value)
    ws.freeze_panes = "A2"


def read_sheet(
    wb: Any,
    fail: Callable[[Any, str], None],
    put: Callable[[str, Any], None],
    cell: Callable[..., Any],
) -> dict[str, Any] | None:
    """The survey settings in the sheet, or None; `put` records where each value came from."""
    if SHEET not in wb.sheetnames:
        return None
    ws = wb[SHEET]
    base = "papers.satisfaction.survey"
    questions: list[dict[str, Any]] = []
    settings: dict[str, Any] = {}
    labels = dict(SETTINGS)
    for n, row in enumerate(ws.iter_rows(min_row=2, values_only=True), start=2):
        row = tuple(row) + (None,) * (6 - len(row))
        code, text, scale = (_text(v) for v in row[:3])
        if code or text or scale:
            path = f"{base}.questions[{len(questions)}]"
            put(path, cell(SHEET, n, "A"))
            put(f"{path}.code", cell(SHEET, n, "A"))
            put(f"{path}.text", cell(SHEET, n, "B"))
            put(f"{path}.scale", cell(SHEET, n, "C"))
            q: dict[str, Any] = {"code": code, "text": text}
            if scale:
                q["scale"] = [s for s in re.split(r"[、，,；;\s]+", scale) if s]
            questions.append(q)
        label = _text(row[4])
        if label in labels:
            key = labels[label]
            put(f"{base}.{key}", cell(SHEET, n, "F"))
            settings[key] = row[5]
    if not questions:
        return None
    put(base, cell(SHEET))
    put(f"{base}.questions", cell(SHEET, 2, "A"))
    out: dict[str, Any] = {"questions": questions}
    size = settings.get("sample_size")
    if size not in (None, ""):
        if isinstance(size, float) and size.is_integer():
            size = int(size)
        if isinstance(size, str) and size.strip().isdigit():
            size = int(size.strip())
        out["sample_size"] = size
    if settings.get("free_text"):
        out["free_text"] = _text(settings["free_text"])
    for key in ("opens_at", "closes_at"):
        value = settings.get(key)
        if isinstance(value, dt.datetime):
            out[key] = value.isoformat()
        elif value not in (None, ""):
            out[key] = _text(value).replace(" ", "T", 1)
    return out


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()
