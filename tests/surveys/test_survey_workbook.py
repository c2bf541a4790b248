"""The round template workbook's 群众测评 sheet: written, read back, problems placed by cell."""

from __future__ import annotations

import io

from openpyxl import load_workbook

from arena.rounds import workbook
from arena.rounds.definition import parse_definition
from tests.surveys.helpers import survey_definition


def _save(wb: object) -> bytes:
    out = io.BytesIO()
    wb.save(out)  # type: ignore[attr-defined]
    return out.getvalue()


def test_survey_settings_round_trip_through_the_workbook() -> None:
    data = survey_definition(
        opens_at="2026-03-18T08:00:00+08:00", closes_at="2026-03-18T18:00:00+08:00"
    )
    data["papers"]["satisfaction"]["survey"]["questions"][1]["scale"] = ["满意", "不满意"]
    read, problems = workbook.read(workbook.write(data))
    assert problems == []
    assert read["papers"]["satisfaction"]["survey"] == data["papers"]["satisfaction"]["survey"]
    assert parse_definition(read).survey == parse_definition(data).survey


def test_template_has_the_sheet_but_no_survey() -> None:
    content = workbook.template()
    assert "群众测评" in load_workbook(io.BytesIO(content)).sheetnames
    read, problems = workbook.read(content)
    assert problems == [] and "survey" not in read["papers"]["satisfaction"]


def test_bad_survey_cells_are_named() -> None:
    wb = load_workbook(io.BytesIO(workbook.write(survey_definition())))
    ws = wb["群众测评"]
    ws["B3"] = None  # question 2 without its text
    ws["C2"] = "满意、很好"  # an answer not on the scale
    ws["F2"] = 0  # 每村卡片数
    _, problems = workbook.read(_save(wb))
    places = sorted((p["row"], p["column"]) for p in problems)
    assert places == [(2, "C"), (2, "F"), (3, "B")], problems
