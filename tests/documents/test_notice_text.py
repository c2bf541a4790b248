"""The notice's parts and its line breaking, without a server."""

from __future__ import annotations

import datetime as dt

from arena.documents.notice import NoticeHeading, build_notice, chinese_date
from arena.documents.notice_pdf import break_lines

ROW = {"township": "东港镇", "shared": 17.5, "demonstration": 9, "satisfaction": 26.25,
       "deductions": 0, "provisional": False, "delta": None}  # fmt: skip


def test_no_line_starts_with_closing_punctuation() -> None:
    # width 4 characters, each 1 wide: "一二三四" then "、" would start line 2 — it hangs instead
    assert break_lines("一二三四、五六七八九。", 4, len) == ["一二三四、", "五六七八", "九。"]
    assert break_lines("", 4, len) == []


def test_parts_of_the_notice() -> None:
    signed = dt.date(2025, 9, 20)
    heading = NoticeHeading("中共滨海区委组织部", "滨组通〔2025〕12号", "各镇党委：", signed)
    snapshot = {
        "complete": True,
        "sheets_in": 28,
        "sheets_expected": 28,
        "audit_hash": "f" * 64,
        "rows": [
            {**ROW, "rank": 1, "name": "C村", "total": 52.75, "bottom20": False},
            {**ROW, "rank": 2, "name": "B村", "total": 44.75, "bottom20": True,
             "delta": {"rank": -1, "total": -2}},
        ],
    }  # fmt: skip
    tour = dt.date(2025, 9, 16)
    doc = build_notice(heading, "第三季度拉练", "千村示范", tour, snapshot, [], "已锁定")
    assert doc.mark == "中共滨海区委组织部文件"
    assert doc.title == "关于第三季度拉练评比结果的通报"
    assert doc.addressees == "各镇党委："  # one colon, not two
    assert doc.date_text == "2025年9月20日" == chinese_date(dt.date(2025, 9, 20))
    assert [title for title, _ in doc.sections] == ["", "一、评比结果"]  # no deductions: no 二、
    assert doc.sections[1][1] == (
        "C村以52.75分排名第一，请在通报会上分享经验做法。排名后20%的是B村，"
        "请对照短板弱项提出整改措施，由县级领导一对一跟进。各村得分和名次见附件。",
    )
    assert doc.lines[1].cells == ("2", "B村", "东港镇", "17.50", "9.00", "26.25", "0.00",
                                  "44.75", "下降1位")  # fmt: skip
    assert doc.annex_line == "附件：第三季度拉练评比结果排名表"
    assert doc.annex_notes[1] == f"审计链最新哈希：{'f' * 64}（状态：已锁定）"
    organ_file = NoticeHeading("滨海区委组织部文件", "x号", "各镇", dt.date(2025, 1, 2))
    again = build_notice(organ_file, "拉练", "行动", dt.date(2025, 1, 1), snapshot, [], "")
    assert again.mark == "滨海区委组织部文件" and again.date_text == "2025年1月2日"


def test_heading_lists_every_problem_at_once() -> None:
    import pytest

    from arena.errors import UserError
    from arena.services.notice import parse_heading

    with pytest.raises(UserError) as caught:
        parse_heading({"organ": "组织部\x07", "number": "12", "addressees": "各镇", "x": 1})
    assert [(p.field, p.message) for p in caught.value.problems] == [
        ("x", "未知字段"),
        ("organ", "发文机关含有不能打印的字符"),
        ("number", "发文字号以“号”结尾，如：滨组通〔2025〕12号"),
        ("signed_on", "请填写成文日期"),
    ]
    heading = parse_heading(
        {"organ": " 中共滨海区委组织部 ", "number": "滨组通〔2025〕12号",
         "addressees": "各镇（街道）党（工）委", "signed_on": "2025-09-20"}
    )  # fmt: skip
    assert heading.organ == "中共滨海区委组织部"  # spaces around are dropped
