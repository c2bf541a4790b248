from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import openpyxl
import pytest

from arena.boards import Board, ingest
from arena.boards.definition import parse_board_toml
from arena.boards.export import export_board_xlsx, export_incentives_xlsx
from arena.boards.ingest import CellError, ImportRejected, parse_values
from arena.scoring.flags import award_flags, incentives
from arena.scoring.index import board_delta, compute_board

HERE = Path(__file__).parents[2] / "arena" / "boards"
BOARD: Board = parse_board_toml((HERE / "example_board.toml").read_text(encoding="utf-8"))
GOOD = (HERE / "example_values.csv").read_bytes()
CODES = tuple(f"V{k:02d}" for k in range(1, 13))
V01 = [286.5, 48620.0, 8.2, 12.5, 98.5, 1.2]
HEADER = "village,name,collective_income,resident_income,debt_ratio,income_growth,waste_sorting"


def rejected(filename: str, content: bytes, board: Board = BOARD) -> ImportRejected:
    """The ImportRejected a file raises."""
    with pytest.raises(ImportRejected) as caught:
        parse_values(filename, content, board)
    return caught.value


def test_good_csv() -> None:
    parsed = parse_values("2025年指数.csv", GOOD, BOARD)
    assert parsed.village_codes == CODES
    assert parsed.values.shape == (12, 6)
    assert parsed.values.dtype == np.float64
    assert parsed.values[0].tolist() == V01
    assert parsed.values[6].tolist() == [56.2, 33260.0, 35.1, -8.2, 85.3, 5.2]


def test_bom_and_gb18030_csv() -> None:
    text = GOOD.decode("utf-8")
    for content in (b"\xef\xbb\xbf" + GOOD, text.encode("gb18030")):
        parsed = parse_values("values.CSV", content, BOARD)
        assert parsed.village_codes == CODES
        assert parsed.values[0].tolist() == V01


def test_good_xlsx_any_column_order() -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["name", "disputes", "village", "collective_income", "resident_income",
                  "debt_ratio", "income_growth", "waste_sorting", None])  # fmt: skip
    for line in GOOD.decode("utf-8").splitlines()[1:]:
        code, name, *numbers = line.split(",")
        values: list[object] = [float(x) for x in numbers]
        values[0] = numbers[0]  # a number stored as text is read too
        sheet.append([name, values[5], code, *values[:5]])
    sheet.append([])
    sheet.append([None, None])  # formatted but empty rows at the end are skipped
    out = io.BytesIO()
    book.save(out)
    parsed = parse_values("values.xlsx", out.getvalue(), BOARD)
    assert parsed.village_codes == CODES
    assert parsed.values.tolist() == parse_values("v.csv", GOOD, BOARD).values.tolist()


BAD = f"""{HEADER},remark
V01,溪口村,286.5,48620,8.2,12.5,98.5,ok
V02,鲤鱼村,abc,41250,15.6,8.1,95.0,
V03,上塘村,98.7,,22.4,-3.5,91.2,
V04,茶坞村,-210,45310,120,15.2,nan,
V99,无名村,1,1,1,1,1,
V02,鲤鱼村,152.3,41250,15.6,8.1,95.0,

V05,竹源村,75.4,35480,28.9,inf,88.5,
,,1,2,3,4,5,
V06,毛竹坪村, 132.8 ,39870,18.3,22.7,93.6,,extra
V07,白沙村,56.2,33260,35.1,-8.2
"""

BAD_ERRORS = [
    CellError(1, "remark", "未知列“remark”"),
    CellError(1, "disputes", "缺少指标列“disputes”（每千人矛盾纠纷数）"),
    CellError(3, "collective_income", "“abc”不是数字"),
    CellError(4, "resident_income", "缺少数值"),
    CellError(5, "collective_income", "不能小于 0（现为 -210）"),
    CellError(5, "debt_ratio", "不能大于 100（现为 120）"),
    CellError(5, "waste_sorting", "“nan”不是有效数值"),
    CellError(6, "village", "村代码“V99”不在本指数榜中"),
    CellError(7, "village", "村代码“V02”重复（第3行已有）"),
    # row 8 is empty and skipped
    CellError(9, "income_growth", "“inf”不是有效数值"),
    CellError(10, "village", "缺少村代码"),
    CellError(11, "第9列", "此列没有列名"),
    CellError(12, "waste_sorting", "缺少数值"),
    *(
        CellError(0, "village", f"缺少村“{code}”（{name}）的数据")
        for code, name in [
            ("V08", "龙潭村"),
            ("V09", "石桥村"),
            ("V10", "东岙村"),
            ("V11", "西岭村"),
            ("V12", "下溪村"),
        ]
    ),  # fmt: skip
]


def test_bad_file_lists_every_bad_cell() -> None:
    error = rejected("values.csv", BAD.encode("utf-8"))
    assert error.errors == BAD_ERRORS
    assert error.total == len(BAD_ERRORS)
    assert str(error).startswith("导入被拒绝，共 18 处错误：\n第1行 remark：未知列“remark”\n")


def test_errors_stay_in_row_order_across_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ingest, "CHUNK_ROWS", 2)
    assert rejected("values.csv", BAD.encode("utf-8")).errors == BAD_ERRORS


def test_listed_errors_are_capped_but_counted(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ingest, "MAX_LISTED", 3)
    error = rejected("values.csv", BAD.encode("utf-8"))
    assert error.errors == BAD_ERRORS[:3]
    assert error.total == 18


def test_header_problems() -> None:
    content = b"name,collective_income,collective_income\nV01,1,2\n"
    errors = rejected("values.csv", content).errors
    assert errors[:3] == [
        CellError(1, "collective_income", "列“collective_income”重复"),
        CellError(1, "village", "缺少村代码列“village”"),
        CellError(1, "resident_income", "缺少指标列“resident_income”（农村居民人均可支配收入）"),
    ]
    assert [e.column for e in errors[3:]] == ["debt_ratio", "income_growth", "waste_sorting",
                                             "disputes"]  # fmt: skip


def test_part_of_the_villages() -> None:
    content = "\n".join(GOOD.decode("utf-8").splitlines()[:3]).encode("utf-8")
    assert rejected("values.csv", content).total == 10  # V03–V12 missing
    parsed = parse_values("values.csv", content, BOARD, require_all=False)
    assert parsed.village_codes == ("V01", "V02")


@pytest.mark.parametrize(
    ("filename", "content", "message"),
    [
        ("values.csv", f"{HEADER},disputes\r\n".encode(), "文件中没有数据行"),
        ("values.csv", b"", "文件中没有数据行"),
        ("values.xls", b"\xd0\xcf\x11\xe0" + b"\0" * 100,
         "不支持旧版 .xls 文件，请另存为 .xlsx 或 CSV"),
        ("values.pdf", b"%PDF-1.4", "不支持的文件类型，请上传 .csv 或 .xlsx 文件"),
        ("values.xlsx", b"PK\x03\x04broken", "不是有效的 XLSX 文件"),
        ("values.csv", "村,名\n".encode("utf-16"),
         "无法识别文件编码，请另存为 UTF-8 或 GB18030 编码的 CSV"),
    ],
)  # fmt: skip
def test_unreadable_files(filename: str, content: bytes, message: str) -> None:
    error = rejected(filename, content)
    assert error.errors[-1] == CellError(0, "", message)


def test_export_board() -> None:
    parsed = parse_values("values.csv", GOOD, BOARD)
    result = compute_board(parsed.village_codes, parsed.values, BOARD.indicators)
    previous_values = parsed.values.copy()
    previous_values[8, 0] = 100.0  # V09's collective income was lower last year
    previous = compute_board(parsed.village_codes[1:], previous_values[1:], BOARD.indicators)
    workbook = openpyxl.load_workbook(
        io.BytesIO(export_board_xlsx(BOARD, result, board_delta(result, previous)))
    )
    sheet = workbook["指数榜"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:7] == ("名次", "村代码", "村名", "乡镇", "指数",
                           "村集体经营性收入（万元）", "村集体经营性收入得分")  # fmt: skip
    assert rows[0][-3:] == ("指数变化", "名次变化", "后20%")
    assert len(rows) == 13
    first = rows[1]
    assert first[:6] == (1, "V09", "石桥村", "石桥镇", 95.44, 324.1)
    assert first[6] == 100.0
    assert first[-1] is None  # not followed up
    assert first[-2] is not None and first[-2] > 0  # moved up
    assert sheet["E2"].number_format == "0.00"
    v01 = next(r for r in rows if r[1] == "V01")
    assert v01[-3:-1] == (None, None)  # not on the previous board
    assert [r[1] for r in rows if r[-1] == "是"] == ["V11", "V05", "V07"]
    notes = list(workbook["指标说明"].iter_rows(values_only=True))
    assert notes[0][:6] == ("指标代码", "指标", "单位", "方向", "权重", "标准化方法")
    assert notes[3][:8] == ("debt_ratio", "村级负债率", "%", "越低越好", 15, "最小-最大", 6.5, 35.1)


def test_export_incentives() -> None:
    parsed = parse_values("values.csv", GOOD, BOARD)
    result = compute_board(parsed.village_codes, parsed.values, BOARD.indicators)
    townships = [BOARD.villages[i].township for i in range(12)]
    awards = award_flags(result, townships, BOARD.flag_rules)
    rows = incentives(awards, BOARD.other_cadres(), BOARD.rates)
    workbook = openpyxl.load_workbook(io.BytesIO(export_incentives_xlsx(BOARD, awards, rows)))
    lines = list(workbook["红旗激励"].iter_rows(values_only=True))
    assert lines[0][:6] == ("类别", "代码/乡镇", "村名", "乡镇", "红旗数", "所获红旗")
    v04 = next(r for r in lines if r[1] == "V04")
    # 1 flag, 3 other cadres: 12 × (500 + 900) + 10000 = 26800
    assert v04 == ("红旗村", "V04", "茶坞村", "溪口镇", 1, "生态宜居", 500, 3, 300, 900, 10000,
                   26800)  # fmt: skip
    assert lines[-1][0] == "合计"
    assert lines[-1][-1] == sum(int(r.annual_total) for r in rows)
    listing = list(workbook["红旗名单"].iter_rows(values_only=True))
    assert listing[1] == ("红旗村", "产业兴旺", "V09", "石桥村", "村集体经营性收入", 324.1)
    assert len(listing) == 1 + len(awards)
