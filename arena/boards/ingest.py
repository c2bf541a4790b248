"""Import a board's values from CSV/XLSX, all or nothing.

The file's first row names the columns: ``village`` (village code), one column per indicator code,
and optionally ``name`` (ignored); a column with an empty header and no data is ignored too. Rows
are numbered as Excel shows them (header = row 1); wholly empty rows are skipped. Every bad cell is
reported — empty, not a number, NaN/inf, outside the indicator's bounds (``Board.bounds``: by
default 0–100 for %, ≥ 0 for 元/万元/亿元), unknown or repeated village, unknown, repeated or
missing column — and so is every village of the board the file lacks (row 0 = the file as a
whole). The first ``MAX_LISTED`` errors are listed; ``ImportRejected.total`` counts them all.

CSV: UTF-8 with or without BOM, else GB18030 (what Chinese Excel saves). XLSX: the first sheet,
cached values of formulas (a formula never calculated reads as empty).
"""

from __future__ import annotations

import codecs
import csv
import io
import warnings
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import chain
from operator import itemgetter
from typing import Any

import numpy as np
import numpy.typing as npt
import openpyxl

from arena.boards import Board

MAX_LISTED = 1000
CHUNK_ROWS = 50_000
_ZIP, _OLE = b"PK\x03\x04", b"\xd0\xcf\x11\xe0"


@dataclass(frozen=True, slots=True)
class CellError:
    """One bad cell: Excel row (header = 1, 0 = the whole file), column header, Chinese message."""

    row: int
    column: str
    message: str


class ImportRejected(ValueError):
    """Nothing was imported; ``errors`` lists the bad cells, ``total`` counts them all."""

    def __init__(self, errors: list[CellError], total: int | None = None) -> None:
        self.errors = errors
        self.total = len(errors) if total is None else total
        shown = "\n".join(f"第{e.row}行 {e.column}：{e.message}" for e in errors[:20])
        super().__init__(f"导入被拒绝，共 {self.total} 处错误：\n{shown}")


@dataclass(frozen=True, eq=False)
class ParsedValues:
    """Village codes in file order and their values (rows) in the board's indicator order."""

    village_codes: tuple[str, ...]
    values: npt.NDArray[np.float64]


class _Errors:
    def __init__(self) -> None:
        self.listed: list[CellError] = []
        self.total = 0

    def extend(self, found: list[tuple[int, int, CellError]]) -> None:
        self.total += len(found)
        room = MAX_LISTED - len(self.listed)
        if room > 0:
            self.listed.extend(e for _, _, e in sorted(found, key=itemgetter(0, 1))[:room])


def _csv_rows(content: bytes) -> Iterator[Sequence[str]]:
    if content.startswith(codecs.BOM_UTF8):
        encoding = "utf-8-sig"
    elif content.isascii():
        encoding = "ascii"
    else:
        try:
            content.decode("utf-8")
            encoding = "utf-8"
        except UnicodeDecodeError:
            try:
                content.decode("gb18030")
                encoding = "gb18030"
            except UnicodeDecodeError:
                raise ImportRejected(
                    [CellError(0, "", "无法识别文件编码，请另存为 UTF-8 或 GB18030 编码的 CSV")]
                ) from None
    text = io.TextIOWrapper(io.BytesIO(content), encoding=encoding, newline="")
    yield from csv.reader(text)


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(value)
    return str(value)


def _xlsx_rows(content: bytes) -> Iterator[Sequence[str]]:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # styles or extensions openpyxl does not know
            book = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # openpyxl raises zip, XML and key errors alike for a damaged file
        raise ImportRejected([CellError(0, "", "不是有效的 XLSX 文件")]) from None
    try:
        for row in book.worksheets[0].iter_rows(values_only=True):
            yield [_cell_text(v) for v in row]
    finally:
        book.close()


def _open(filename: str, content: bytes) -> Iterator[Sequence[str]]:
    suffix = filename.lower().rsplit(".", 1)[-1] if "." in filename else ""
    if content.startswith(_ZIP) or suffix == "xlsx":
        return _xlsx_rows(content)
    if content.startswith(_OLE) or suffix == "xls":
        raise ImportRejected([CellError(0, "", "不支持旧版 .xls 文件，请另存为 .xlsx 或 CSV")])
    if suffix not in ("csv", "txt"):
        raise ImportRejected([CellError(0, "", "不支持的文件类型，请上传 .csv 或 .xlsx 文件")])
    return _csv_rows(content)


def _convert(
    cells: list[tuple[str, ...]],
    rows: list[int],
    columns: list[tuple[int, str]],
    board: Board,
    indicator_of: list[int],
) -> tuple[npt.NDArray[np.float64], list[tuple[int, int, CellError]]]:
    k = len(columns)
    found: list[tuple[int, int, CellError]] = []
    try:  # fast path: a clean chunk parses in one C loop
        flat = np.fromiter(map(float, chain.from_iterable(cells)), np.float64, len(cells) * k)
        block = flat.reshape(len(cells), k)
        parsed = np.ones(block.shape, np.bool_)
    except ValueError:
        block, parsed = np.full((len(cells), k), np.nan), np.zeros((len(cells), k), np.bool_)
        for i, row in enumerate(cells):
            for j, text in enumerate(row):
                try:
                    block[i, j], parsed[i, j] = float(text), True
                except ValueError:
                    message = f"“{text.strip()}”不是数字" if text.strip() else "缺少数值"
                    found.append(
                        (rows[i], columns[j][0], CellError(rows[i], columns[j][1], message))
                    )
    for j, (position, header) in enumerate(columns):
        bounds = board.bounds[indicator_of[j]]
        col = block[:, j]
        finite = np.isfinite(col)
        checks = [(~finite, "“{}”不是有效数值")]
        if bounds.minimum is not None:
            checks.append(
                (finite & (col < bounds.minimum), f"不能小于 {bounds.minimum:g}（现为 {{}}）")
            )
        if bounds.maximum is not None:
            checks.append(
                (finite & (col > bounds.maximum), f"不能大于 {bounds.maximum:g}（现为 {{}}）")
            )
        for bad, template in checks:
            for i in np.flatnonzero(bad & parsed[:, j]).tolist():
                message = template.format(cells[i][j].strip())
                found.append((rows[i], position, CellError(rows[i], header, message)))
    return block, found


def parse_values(
    filename: str, content: bytes, board: Board, *, require_all: bool = True
) -> ParsedValues:
    """Read and check a values file; raise ImportRejected listing every bad cell."""
    rows = _open(filename, content)
    header = [h.strip() for h in next(rows, [])]
    errors = _Errors()
    found: list[tuple[int, int, CellError]] = []
    codes = {ind.code: j for j, ind in enumerate(board.indicators)}
    village_col: int | None = None
    present: dict[str, int] = {}
    unnamed = [p for p, h in enumerate(header) if not h]
    for p, h in enumerate(header):
        if h in present or (h == "village" and village_col is not None):
            found.append((1, p, CellError(1, h, f"列“{h}”重复")))
        elif h == "village":
            village_col = p
        elif h in codes:
            present[h] = p
        elif h and h != "name":
            found.append((1, p, CellError(1, h, f"未知列“{h}”")))
    if village_col is None:
        found.append((1, len(header), CellError(1, "village", "缺少村代码列“village”")))
    for ind in board.indicators:
        if ind.code not in present:
            message = f"缺少指标列“{ind.code}”（{ind.name}）"
            found.append((1, len(header), CellError(1, ind.code, message)))
    errors.extend(found)

    columns = sorted((p, h) for h, p in present.items())
    indicator_of = [codes[h] for _, h in columns]
    positions = [p for p, _ in columns]
    pick = (
        itemgetter(*positions) if len(positions) > 1 else lambda r: tuple(r[p] for p in positions)
    )
    villages = {v.code for v in board.villages}
    first_row: dict[str, int] = {}
    file_codes: list[str] = []
    blocks: list[npt.NDArray[np.float64]] = []
    width = len(header)
    chunk: list[tuple[str, ...]] = []
    chunk_rows: list[int] = []
    pending: list[tuple[int, int, CellError]] = []

    def flush() -> None:
        block, found = _convert(chunk, chunk_rows, columns, board, indicator_of)
        blocks.append(block)
        errors.extend(pending + found)
        chunk.clear()
        chunk_rows.clear()
        pending.clear()

    for number, row in enumerate(rows, start=2):
        if not any(row):
            continue  # an empty line, or Excel's trailing empty rows
        if len(row) != width:
            pending.extend(
                (number, p, CellError(number, f"第{p + 1}列", "此列没有列名"))
                for p in range(width, len(row))
                if row[p].strip()
            )
            row = [*row[:width], *[""] * (width - len(row))]
        for p in unnamed:
            if row[p].strip():
                pending.append((number, p, CellError(number, f"第{p + 1}列", "此列没有列名")))
        if village_col is not None:
            code = row[village_col].strip()
            if code not in villages or code in first_row:
                pending.append((number, village_col, _village_error(number, code, first_row)))
            else:
                first_row[code] = number
            file_codes.append(code)
        chunk.append(pick(row) if positions else ())
        chunk_rows.append(number)
        if len(chunk) == CHUNK_ROWS:
            flush()
    if chunk:
        flush()

    if not blocks:
        errors.extend([(0, 0, CellError(0, "", "文件中没有数据行"))])
    elif require_all and village_col is not None:
        missing = [v for v in board.villages if v.code not in first_row]
        errors.extend(
            [
                (0, i, CellError(0, "village", f"缺少村“{v.code}”（{v.name}）的数据"))
                for i, v in enumerate(missing)
            ]
        )
    if errors.total:
        raise ImportRejected(errors.listed, errors.total)
    data = np.concatenate(blocks)
    if indicator_of != list(range(len(indicator_of))):
        ordered = np.empty_like(data)
        ordered[:, indicator_of] = data
        data = ordered
    return ParsedValues(tuple(file_codes), data)


def _village_error(row: int, code: str, first_row: dict[str, int]) -> CellError:
    if not code:
        return CellError(row, "village", "缺少村代码")
    if code in first_row:
        return CellError(row, "village", f"村代码“{code}”重复（第{first_row[code]}行已有）")
    return CellError(row, "village", f"村代码“{code}”不在本指数榜中")
