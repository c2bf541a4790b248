"""How Arena's workbooks look: bold frozen header, filters, widths, scores as 0.00, local times.

Every sheet of a table shape (one header row, then one row per record) goes through `table()`
once its rows are written; any helper adding a sheet to a workbook calls it too.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Iterable
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

SCORE = "0.00"  # every score, mean and deduction: two decimals, as the rules round them
SIGNED = "+0.00;-0.00;0.00"  # a change of score
TIME = "yyyy-mm-dd hh:mm:ss"  # a local time (the venue's zone, see Settings.timezone)
MAX_WIDTH = 60  # characters; longer text wraps instead of widening the column

_BOLD = Font(bold=True)
_HEADER = Alignment(vertical="center", wrap_text=True)


def score(value: Decimal | float | int | None) -> float | int | None:
    """A score as an Excel number, rounded half up to 2 decimals (as the rules round)."""
    if value is None:
        return None
    d = Decimal(str(value)).quantize(Decimal("0.01"), rounding="ROUND_HALF_UP")
    return int(d) if d == d.to_integral_value() else float(d)


def local_time(value: dt.datetime | str | None, zone: ZoneInfo) -> dt.datetime | None:
    """A stored (UTC) time as the venue's wall-clock time, naive, to the second."""
    if value is None or value == "":
        return None
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    if value.tzinfo is None:  # stored naive times are UTC
        value = value.replace(tzinfo=dt.UTC)
    return value.astimezone(zone).replace(tzinfo=None, microsecond=0)


def text_width(value: Any) -> int:
    """Display width in Excel characters: a CJK character takes two."""
    if value is None:
        return 0
    if isinstance(value, float):
        text = f"{value:.2f}"
    elif isinstance(value, dt.datetime):
        text = "0000-00-00 00:00:00"
    else:
        text = str(value)
    widest = 0
    for line in text.splitlines() or [""]:
        widest = max(widest, sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in line))
    return widest


def table(
    sheet: Any,
    scores: Iterable[str] = (),
    signed: Iterable[str] = (),
    times: Iterable[str] = (),
) -> None:
    """Style a one-header table: formats by header name, widths, frozen header, filter."""
    if sheet.max_row < 1 or sheet.max_column < 1:
        return
    header = [c.value for c in sheet[1]]
    formats: dict[int, str] = {}
    for names, fmt in ((scores, SCORE), (signed, SIGNED), (times, TIME)):
        for name in names:
            if name in header:
                formats[header.index(name) + 1] = fmt
    widths = [text_width(h) for h in header]
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            wanted = formats.get(cell.column)
            if wanted and isinstance(cell.value, (int, float, Decimal, dt.datetime)):
                cell.number_format = wanted
            widths[cell.column - 1] = max(widths[cell.column - 1], text_width(cell.value))
    for cell in sheet[1]:
        cell.font = _BOLD
        cell.alignment = _HEADER
    for i, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = min(max(width, 4) + 2, MAX_WIDTH)
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(sheet.max_column)}{sheet.max_row}"


def notes(sheet: Any) -> None:
    """Style a sheet of explanatory lines: one wide wrapping column."""
    sheet.column_dimensions["A"].width = 100
    for row in sheet.iter_rows():
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
