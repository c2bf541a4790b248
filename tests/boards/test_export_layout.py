"""The board workbook as an office files it: scores to the cent, frozen header, filters."""

from __future__ import annotations

import io

import openpyxl

from arena.boards.export import export_board_xlsx
from arena.boards.ingest import parse_values
from arena.scoring.index import compute_board
from tests.boards.test_ingest import BOARD, GOOD


def test_board_scores_to_two_decimals_with_frozen_filtered_header() -> None:
    parsed = parse_values("values.csv", GOOD, BOARD)
    result = compute_board(parsed.village_codes, parsed.values, BOARD.indicators)
    book = openpyxl.load_workbook(io.BytesIO(export_board_xlsx(BOARD, result)))
    sheet = book["指数榜"]
    header = [c.value for c in sheet[1]]
    first = {h: c for h, c in zip(header, sheet[2], strict=True)}
    assert first["村代码"].value == "V09"
    # 石桥村's income growth 18.4%: percentile, beaten only by 毛竹坪村 (22.7),
    # so it beats 10 of the 11 others: 10 / 11 × 100 = 90.909… -> 90.91 (not 90.9090909…)
    assert first["集体经营性收入增幅得分"].value == 90.91
    assert first["指数"].value == 95.44
    for row in sheet.iter_rows(min_row=2):
        for h, cell in zip(header, row, strict=True):
            if h.endswith("得分"):
                assert cell.number_format == "0.00"
                assert round(cell.value, 2) == cell.value  # stored to the cent
    assert sheet.freeze_panes == "A2"
    # 5 + 6 × 2 + 3 = 20 columns (T); header + 12 villages = 13 rows
    assert sheet.auto_filter.ref == "A1:T13"
    assert sheet.column_dimensions["F"].width >= 20
